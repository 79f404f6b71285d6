import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, filenameFrom, type FetchLike } from './api.js';
import { buildAgent } from './testing/builders.js';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(responder: (call: Call) => Response) {
  const calls: Call[] = [];
  const fetchImpl: FetchLike = async (url, init = {}) => {
    const call = { url, init };
    calls.push(call);
    return responder(call);
  };
  return { calls, fetchImpl };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const session = { agent: buildAgent(), csrfToken: 'csrf-abc', expiresAt: '2025-01-01T12:00:00Z' };
const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];

describe('ApiClient', () => {
  it('sends the CSRF token from login on writes only, never in the URL, always same-origin', async () => {
    const { calls, fetchImpl } = fakeFetch(({ url }) =>
      url === '/api/auth/login'
        ? json(200, session)
        : url.startsWith('/api/conversations?')
          ? json(200, { conversations: [] })
          : json(200, {}),
    );
    const api = new ApiClient(fetchImpl);
    await api.login('ana@example.test', 'pw');
    await api.list('waiting');
    await api.setStatus('away');
    await api.accept('conv_1');

    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'POST /api/auth/login',
      'GET /api/conversations?view=waiting',
      'PUT /api/agent/status',
      'POST /api/conversations/conv_1/accept',
    ]);
    expect(header(calls[0]!, 'x-csrf-token')).toBeUndefined();
    expect(header(calls[1]!, 'x-csrf-token')).toBeUndefined();
    expect(header(calls[2]!, 'x-csrf-token')).toBe('csrf-abc');
    expect(header(calls[3]!, 'x-csrf-token')).toBe('csrf-abc');
    expect(JSON.parse(calls[2]!.init.body as string)).toEqual({ status: 'away' });
    for (const c of calls) {
      expect(c.init.credentials).toBe('same-origin');
      expect(c.url).not.toContain('csrf');
    }
  });

  it('signs in in two steps: no CSRF token until the code step opens the session; error details kept', async () => {
    const challenge = { mfaRequired: true, challenge: 'ch-1', expiresAt: '2025-01-01T12:05:00Z' };
    const { calls, fetchImpl } = fakeFetch(({ url, init }) => {
      if (url === '/api/auth/login') return json(200, challenge);
      if (url === '/api/auth/login/totp') {
        const { code } = JSON.parse(init.body as string) as { code: string };
        return code === '123456'
          ? json(200, session)
          : json(401, { error: { code: 'invalid_code', message: 'wrong', details: { attemptsLeft: 4 } } });
      }
      return json(200, {});
    });
    const api = new ApiClient(fetchImpl);
    expect(await api.login('ana@example.test', 'pw')).toEqual(challenge);
    await api.setStatus('away');
    expect(header(calls[1]!, 'x-csrf-token')).toBeUndefined();
    const wrong = await api.loginCode('ch-1', '000000').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ApiError);
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_code', details: { attemptsLeft: 4 } });
    expect(await api.loginCode('ch-1', '123456')).toEqual(session);
    expect(JSON.parse(calls[3]!.init.body as string)).toEqual({ challenge: 'ch-1', code: '123456' });
    await api.setStatus('away');
    expect(header(calls[4]!, 'x-csrf-token')).toBe('csrf-abc');
  });

  it('forgets the CSRF token on logout', async () => {
    const { calls, fetchImpl } = fakeFetch(({ url }) =>
      url === '/api/auth/me' ? json(200, session) : new Response(null, { status: 204 }),
    );
    const api = new ApiClient(fetchImpl);
    await api.me();
    await api.logout();
    await api.end('conv_1');
    expect(header(calls[1]!, 'x-csrf-token')).toBe('csrf-abc');
    expect(header(calls[2]!, 'x-csrf-token')).toBeUndefined();
  });

  it('turns error bodies into ApiError with the stable code', async () => {
    const { fetchImpl } = fakeFetch(() => json(409, { error: { code: 'conversation_not_waiting', message: 'taken' } }));
    const err = await new ApiClient(fetchImpl).accept('conv_1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'conversation_not_waiting' });
  });

  it('maps a non-JSON 401 to unauthorized and a failed fetch to network', async () => {
    const unauth = fakeFetch(() => new Response('nope', { status: 401 }));
    await expect(new ApiClient(unauth.fetchImpl).me()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    const offline = new ApiClient(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(offline.me()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('reads a conversation\u2019s customer context with a plain GET (no CSRF token, id encoded)', async () => {
    const { calls, fetchImpl } = fakeFetch(() => json(200, { conversationId: 'a/b', unavailable: ['card'] }));
    const ctx = await new ApiClient(fetchImpl).context('a/b');
    expect(ctx.unavailable).toEqual(['card']);
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['GET /api/conversations/a%2Fb/context']);
    expect(header(calls[0]!, 'x-csrf-token')).toBeUndefined();
  });

  it('reads the supervisor case deadlines with a plain GET, and a refusal is an ApiError', async () => {
    const ok = fakeFetch(() => json(200, { cases: [{ id: 'case_1' }] }));
    expect(await new ApiClient(ok.fetchImpl).supervisorCases()).toEqual([{ id: 'case_1' }]);
    expect(ok.calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['GET /api/supervisor/cases']);
    const refused = fakeFetch(() => json(403, { error: { code: 'forbidden', message: 'no' } }));
    await expect(new ApiClient(refused.fetchImpl).supervisorCases()).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('downloads a transcript as a Blob with a safe file name', async () => {
    const { fetchImpl } = fakeFetch(
      () =>
        new Response('Maria: hi\n', {
          status: 200,
          headers: { 'content-disposition': 'attachment; filename="carechat-conv_1.txt"' },
        }),
    );
    const tr = await new ApiClient(fetchImpl).transcript('conv_1');
    expect(tr.filename).toBe('carechat-conv_1.txt');
    expect(await tr.blob.text()).toBe('Maria: hi\n');
  });
});

describe('filenameFrom', () => {
  it('extracts and sanitises the file name', () => {
    expect(filenameFrom('attachment; filename="a b/../c.txt"')).toBe('a_b_.._c.txt');
    expect(filenameFrom("attachment; filename*=UTF-8''transcript%201.txt")).toBe('transcript_1.txt');
    expect(filenameFrom('attachment')).toBeNull();
    expect(filenameFrom(null)).toBeNull();
  });
});
