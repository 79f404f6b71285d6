import { describe, expect, it } from 'vitest';
import { ApiError, createApi } from './api.js';

const config = {
  tokenUrl: 'https://bank.test/site/api/chat-token',
  cardId: 'card_9',
  lang: 'en' as const,
  bankName: null,
  serverUrl: 'https://chat.test/',
};

function fakeFetch(status: number, body: unknown, seen: { url: string; init: RequestInit }[] = []) {
  return (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
}

describe('createApi', () => {
  it('asks the host site for a token with the card id, as JSON with same-origin credentials', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const token = await createApi(config, fakeFetch(200, { token: 'jwt' }, seen)).siteToken();
    expect(token).toBe('jwt');
    expect(seen[0]!.url).toBe('https://bank.test/site/api/chat-token');
    expect(seen[0]!.init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"cardId":"card_9"}' });
    expect(seen[0]!.init.headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it('maps a refused token request to signin_required', async () => {
    await expect(createApi(config, fakeFetch(401, 'no')).siteToken()).rejects.toMatchObject({
      code: 'signin_required',
    });
  });

  it('surfaces the server error code', async () => {
    const api = createApi(config, fakeFetch(401, { error: { code: 'token_replayed', message: 'used' } }));
    await expect(api.createSession('jwt')).rejects.toEqual(new ApiError('token_replayed', 401));
  });

  it('reports a network failure as network, not a stack trace', async () => {
    const api = createApi(config, (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch);
    await expect(api.createSession('jwt')).rejects.toMatchObject({ code: 'network' });
  });

  it('sends the session token only as a bearer header, never in the URL', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    await createApi(config, fakeFetch(200, 'text', seen)).transcript('sess_secret', 'conv_1');
    expect(seen[0]!.url).toBe('https://chat.test/api/widget/conversations/conv_1/transcript');
    expect(seen[0]!.url).not.toContain('sess_secret');
    expect(seen[0]!.init.headers).toMatchObject({ authorization: 'Bearer sess_secret' });
  });

  it('accepts the messages endpoint as an array or as { messages }', async () => {
    expect(await createApi(config, fakeFetch(200, [{ seq: 1 }])).messagesAfter('s', 'c', 0)).toEqual([{ seq: 1 }]);
    expect(await createApi(config, fakeFetch(200, { messages: [{ seq: 2 }] })).messagesAfter('s', 'c', 1)).toEqual([
      { seq: 2 },
    ]);
  });
});
