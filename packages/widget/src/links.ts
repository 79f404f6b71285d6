/**
 * Links in messages from the bank's side (assistant, agents): only to the issuer's own site (the
 * origin the chat runs on), such as a secure upload link. Anything else stays plain text, so a
 * message can never send the cardmember to another site with one click. Text is never parsed as HTML.
 */
export type Segment = { text: string } | { text: string; href: string };

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
// A sentence's closing punctuation is not part of the link.
const TRAILING = /[.,;:!?)\]]+$/;

export function linkify(text: string, origin: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_PATTERN)) {
    const raw = m[0].replace(TRAILING, '');
    let url: URL | null = null;
    try {
      url = new URL(raw);
    } catch {
      url = null;
    }
    if (!url || url.origin !== origin || url.username || url.password) continue;
    const start = m.index!;
    if (start > last) out.push({ text: text.slice(last, start) });
    out.push({ text: raw, href: url.href });
    last = start + raw.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out.length ? out : [{ text }];
}
