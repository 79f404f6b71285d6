import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

/** Logs one request line and returns what reached the destination. */
function logged(url: string): string {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (s: string) => lines.push(s) });
  logger.info({ req: { method: 'GET', url, id: 'r1' } }, 'request');
  return lines.join('');
}

describe('request logs', () => {
  it.each([
    ['/upload/Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY3ODkw', '/upload/[token]'],
    ['/device/prompts/Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY3ODkw', '/device/prompts/[token]'],
  ])('show the route of a secret link, never its token: %s', (url, route) => {
    const out = logged(url);
    expect(out).toContain(route);
    expect(out).not.toContain('Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY3ODkw');
  });

  it('never log query strings', () => {
    const out = logged('/api/conversations/c1?reason=card%204111111111111111');
    expect(out).toContain('/api/conversations/c1');
    expect(out).not.toContain('reason');
  });
});

describe('error logs', () => {
  it('keep what went wrong but not the row values a database error quotes', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (s: string) => lines.push(s) });
    const err = Object.assign(new Error('new row for relation "messages" violates check constraint "body_len"'), {
      code: '23514',
      constraint: 'body_len',
      detail: 'Failing row contains (m1, c1, my private note zebra-orchid-7731).',
      where: 'SQL statement "insert ... zebra-orchid-7731"',
    });
    logger.error({ err }, 'insert failed');
    const out = lines.join('');
    expect(out).toContain('violates check constraint');
    expect(out).toContain('23514');
    expect(out).toContain('body_len');
    expect(out).not.toContain('zebra-orchid');
  });
});
