import { describe, expect, it } from 'vitest';
import { linkify } from './links.js';

const SITE = 'https://bank.example';

describe('linkify', () => {
  it('links a URL of the issuer site, leaving the sentence around it as text', () => {
    expect(linkify(`You can send a receipt here: ${SITE}/upload/abc_123.`, SITE)).toEqual([
      { text: 'You can send a receipt here: ' },
      { text: `${SITE}/upload/abc_123`, href: `${SITE}/upload/abc_123` },
      { text: '.' },
    ]);
  });

  it('leaves links to any other site, look-alike hosts and credentials as plain text', () => {
    for (const url of [
      'https://evil.example/upload/x',
      'https://bank.example.evil.example/upload/x',
      'http://bank.example/upload/x',
      'https://user:pw@bank.example/upload/x',
      'javascript:alert(1)',
    ]) {
      const text = `see ${url} now`;
      expect(linkify(text, SITE)).toEqual([{ text }]);
    }
  });

  it('returns the text whole when there is no link', () => {
    expect(linkify('no links here', SITE)).toEqual([{ text: 'no links here' }]);
    expect(linkify('', SITE)).toEqual([{ text: '' }]);
  });
});
