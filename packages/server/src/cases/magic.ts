/**
 * What a document really is, from its first bytes: the only types a cardmember may upload to a case.
 * The browser's claimed content type and the file's extension are never consulted.
 *
 * - PDF: `%PDF-` at byte 0 (a PDF whose header comes later is refused: that is how polyglots hide).
 * - PNG: the 8-byte signature.
 * - JPEG: `FF D8 FF`.
 * - HEIC/HEIF: an ISO-BMFF `ftyp` box at byte 4 whose major brand is one of the HEIF image brands.
 */

export type UploadType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/heic';

/** What the upload page accepts, in the order it names them. */
export const ACCEPTED_TYPES: readonly UploadType[] = ['application/pdf', 'image/png', 'image/jpeg', 'image/heic'];

/** How many leading bytes `detectType` needs. */
export const MAGIC_BYTES = 12;

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

const startsWith = (b: Uint8Array, sig: number[], at = 0) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

/** The detected type, or null when the bytes are not one of the accepted types (or there are none). */
export function detectType(head: Uint8Array): UploadType | null {
  if (startsWith(head, PDF)) return 'application/pdf';
  if (startsWith(head, PNG)) return 'image/png';
  if (startsWith(head, JPEG)) return 'image/jpeg';
  if (head.length >= 12 && String.fromCharCode(...head.subarray(4, 8)) === 'ftyp') {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    if (HEIF_BRANDS.has(brand)) return 'image/heic';
  }
  return null;
}
