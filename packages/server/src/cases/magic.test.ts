/** File types by content: only PDF, PNG, JPEG and HEIC, each by its own signature at byte 0. */
import { describe, expect, it } from 'vitest';
import { detectType } from './magic.js';

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('detectType', () => {
  it('recognises the accepted types by their signatures', () => {
    expect(detectType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
    expect(detectType(bytes([0x89], 'PNG\r\n\x1a\n', 'IHDR'))).toBe('image/png');
    expect(detectType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe('image/jpeg');
    expect(detectType(bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0]))).toBe('image/heic');
    expect(detectType(bytes([0, 0, 0, 0x18], 'ftypmif1', [0, 0, 0, 0]))).toBe('image/heic');
  });

  it('refuses everything else, whatever it is called', () => {
    for (const b of [
      bytes(''),
      bytes('%PDF'), // too short for the signature
      bytes(' %PDF-1.4'), // header not at byte 0
      bytes('\n%PDF-1.4'),
      bytes('<html><script>alert(1)</script>'),
      bytes('#!/bin/sh\n'),
      bytes('GIF89a'),
      bytes('PK\x03\x04'), // zip / docx
      bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 0, 0]), // MP4, not HEIF
      bytes([0, 0, 0, 0x18], 'ftypavif'),
      bytes([0x89], 'PNG\r\n'), // truncated PNG signature
    ]) {
      expect(detectType(b), Buffer.from(b).toString('latin1')).toBeNull();
    }
  });
});
