import { describe, expect, it } from 'vitest';
import { isSameOriginForm, isSameOriginStrict, originMatchesHost } from './origin.js';

const req = (headers: Record<string, string>, host = 'bank.example') => ({ headers, host });

describe('originMatchesHost', () => {
  it('matches the same host, normalising default ports', () => {
    expect(originMatchesHost('https://bank.example', 'bank.example')).toBe(true);
    expect(originMatchesHost('http://localhost', 'localhost:80')).toBe(true);
    expect(originMatchesHost('https://bank.example', 'bank.example:443')).toBe(true);
    expect(originMatchesHost('http://127.0.0.1:3000', '127.0.0.1:3000')).toBe(true);
  });

  it('rejects other hosts, other ports, opaque and malformed origins', () => {
    expect(originMatchesHost('https://evil.example', 'bank.example')).toBe(false);
    expect(originMatchesHost('https://bank.example.evil.example', 'bank.example')).toBe(false);
    expect(originMatchesHost('http://127.0.0.1:4000', '127.0.0.1:3000')).toBe(false);
    expect(originMatchesHost('null', 'bank.example')).toBe(false);
    expect(originMatchesHost('not a url', 'bank.example')).toBe(false);
    expect(originMatchesHost('https://bank.example', undefined)).toBe(false);
  });
});

describe('isSameOriginForm / isSameOriginStrict', () => {
  it('form posts: a present Origin decides; otherwise Sec-Fetch-Site; otherwise allowed', () => {
    expect(isSameOriginForm(req({ origin: 'https://bank.example' }))).toBe(true);
    expect(isSameOriginForm(req({ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }))).toBe(false);
    expect(isSameOriginForm(req({ 'sec-fetch-site': 'cross-site' }))).toBe(false);
    expect(isSameOriginForm(req({ 'sec-fetch-site': 'same-site' }))).toBe(false);
    expect(isSameOriginForm(req({}))).toBe(true);
  });

  it('token API: needs positive proof of same origin', () => {
    expect(isSameOriginStrict(req({ origin: 'https://bank.example' }))).toBe(true);
    expect(isSameOriginStrict(req({ 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(isSameOriginStrict(req({}))).toBe(false);
    expect(isSameOriginStrict(req({ origin: 'https://evil.example' }))).toBe(false);
  });
});
