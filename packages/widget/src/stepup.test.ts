import type { Assurance, ConversationView, StepUpResponse } from '@carechat/protocol/client';
import { describe, expect, it } from 'vitest';
import type { Api } from './api.js';
import { stepUpErrorText, stepUpT } from './components/StepUp.js';
import { ChatController } from './controller.js';
import { createStepUpApi, isVerified, pendingPrompt, StepUpError, type StepUpApi } from './stepup.js';
import { buildConversation, buildMessage, FakeClock, FakeSocket, MemoryStorage } from './test-support.js';

const flush = () => new Promise((r) => setTimeout(r, 0));
const T0 = 1_700_000_000_000;
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function assurance(o: Partial<Assurance> = {}): Assurance {
  return { level: 'session', expiresAt: null, method: null, prompt: null, ...o };
}
const pending = (requestedBy: 'cardmember' | 'agent' = 'agent') =>
  assurance({
    prompt: { id: 'p1', status: 'pending', deviceName: 'iPhone 15', expiresAt: iso(120_000), requestedBy },
  });

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('step-up HTTP client', () => {
  it('posts the challenge with the bearer token and makes the demo link absolute', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const api = createStepUpApi({ serverUrl: 'https://chat.test/' }, async (url, init) => {
      seen.push({ url: String(url), init: init! });
      return jsonResponse(200, {
        conversation: buildConversation(),
        prompt: null,
        demoDeviceUrl: '/device/prompts/abc',
      });
    });
    const r = await api.answerChallenge('sess', 'conv 1', '1005', '33145');
    expect(seen[0]!.url).toBe('https://chat.test/api/widget/conversations/conv%201/stepup/challenge');
    expect(seen[0]!.init.method).toBe('POST');
    expect(seen[0]!.init.headers).toMatchObject({ authorization: 'Bearer sess' });
    expect(JSON.parse(String(seen[0]!.init.body))).toEqual({ last4: '1005', zip: '33145' });
    expect(r.demoDeviceUrl).toBe('https://chat.test/device/prompts/abc');
  });

  it('turns error bodies into StepUpError with attempts left and lock end', async () => {
    const failing = (status: number, body: unknown) =>
      createStepUpApi({ serverUrl: 'https://chat.test/' }, async () => jsonResponse(status, body));
    const failed = await failing(403, {
      error: { code: 'verification_failed', message: 'x', details: { attemptsLeft: 2 } },
    })
      .answerChallenge('s', 'c', '0000', '00000')
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StepUpError);
    expect(failed).toMatchObject({ code: 'verification_failed', status: 403, attemptsLeft: 2, lockedUntil: null });
    const locked = await failing(429, {
      error: { code: 'verification_locked', message: 'x', details: { lockedUntil: iso(0) } },
    })
      .answerChallenge('s', 'c', '0000', '00000')
      .catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: 'verification_locked', lockedUntil: iso(0) });
    const offline = await createStepUpApi({ serverUrl: 'https://chat.test/' }, async () => {
      throw new TypeError('offline');
    })
      .state('s', 'c')
      .catch((e: unknown) => e);
    expect(offline).toMatchObject({ code: 'network', status: 0 });
  });
});

describe('step-up view helpers', () => {
  it('knows verified from a lapsed verification and a pending prompt from an expired one', () => {
    const verified = buildConversation({
      assurance: assurance({ level: 'verified', expiresAt: iso(60_000), method: 'device' }),
    });
    expect(isVerified(verified, T0)).toBe(true);
    expect(isVerified(verified, T0 + 60_000)).toBe(false);
    expect(isVerified(buildConversation(), T0)).toBe(false);
    const c = buildConversation({ assurance: pending() });
    expect(pendingPrompt(c, T0)?.deviceName).toBe('iPhone 15');
    expect(pendingPrompt(c, T0 + 120_000)).toBeNull();
  });

  it('explains each failure in both languages', () => {
    const en = stepUpT('en');
    const es = stepUpT('es');
    const failed = { code: 'verification_failed', attemptsLeft: 2, lockedUntil: null };
    expect(stepUpErrorText(en, failed, 'en')).toBe("Those details don't match our records. 2 attempts left.");
    expect(stepUpErrorText(en, { ...failed, attemptsLeft: 1 }, 'en')).toContain('1 attempt left');
    expect(stepUpErrorText(es, failed, 'es')).toContain('Le quedan 2 intentos');
    const locked = stepUpErrorText(en, { code: 'verification_locked', attemptsLeft: null, lockedUntil: iso(0) }, 'en');
    expect(locked).toMatch(/^Too many incorrect attempts\. You can try again at \d{1,2}:\d{2}/);
    expect(stepUpErrorText(en, { code: 'device_unavailable', attemptsLeft: null, lockedUntil: null }, 'en')).toContain(
      'registered phone',
    );
  });
});

describe('ChatController: step-up', () => {
  function setup(stepUp: Partial<StepUpApi>, conversation: ConversationView = buildConversation()) {
    const sockets: FakeSocket[] = [];
    const api: Api = {
      siteToken: async () => 'jwt',
      createSession: async () => ({
        sessionToken: 'sess_1',
        expiresAt: 'x',
        cardmember: { id: 'cm_1', firstName: 'Maria', language: 'en' },
        conversation,
        messages: [buildMessage(1)],
      }),
      newConversation: async () => ({ conversation: buildConversation(), messages: [] }),
      endConversation: async () => ({}),
      endSession: async () => ({ conversation: null }),
      transcript: async () => '',
      messagesAfter: async () => [],
    };
    const controller = new ChatController({
      config: {
        tokenUrl: 'https://bank.test/token',
        cardId: 'card_1',
        lang: 'en',
        bankName: null,
        serverUrl: 'https://chat.test/',
      } as never,
      api,
      createSocket: (url, protocols) => {
        const s = new FakeSocket(url, protocols);
        sockets.push(s);
        return s;
      },
      storage: new MemoryStorage(),
      saveFile: () => undefined,
      timers: new FakeClock(),
      stepUp: {
        state: async () => {
          throw new Error('unexpected');
        },
        requestDevicePrompt: async () => {
          throw new Error('unexpected');
        },
        answerChallenge: async () => {
          throw new Error('unexpected');
        },
        ...stepUp,
      },
    });
    return { controller, sockets };
  }

  it('a wrong answer keeps the panel open with the attempts left; the right one verifies and closes it', async () => {
    const answers: string[] = [];
    const verified = buildConversation({
      assurance: assurance({ level: 'verified', expiresAt: iso(900_000), method: 'challenge' }),
    });
    const t = setup({
      answerChallenge: async (_token, _id, last4, zip) => {
        answers.push(`${last4}/${zip}`);
        if (last4 !== '1005') throw new StepUpError('verification_failed', 403, 2);
        return { conversation: verified, prompt: null } satisfies StepUpResponse;
      },
    });
    t.controller.open();
    await flush();
    t.controller.openStepUp('challenge');
    expect(await t.controller.answerChallenge('9999', '33145')).toBe(false);
    expect(t.controller.state.stepUp).toMatchObject({
      open: true,
      mode: 'challenge',
      busy: false,
      error: { code: 'verification_failed', attemptsLeft: 2 },
    });
    expect(await t.controller.answerChallenge('1005', '33145')).toBe(true);
    expect(t.controller.state.stepUp).toMatchObject({ open: false, error: null });
    expect(t.controller.state.conversation?.assurance?.level).toBe('verified');
    expect(answers).toEqual(['9999/33145', '1005/33145']);
    // Nothing of the answers went over the socket as chat text.
    expect(t.sockets[0]!.sentOfType('send')).toEqual([]);
  });

  it('a prompt the agent sent opens the panel and fetches the demo device link once', async () => {
    let fetched = 0;
    const withPrompt = buildConversation({ assurance: pending('agent') });
    const t = setup({
      state: async () => {
        fetched++;
        return {
          conversation: withPrompt,
          prompt: withPrompt.assurance!.prompt,
          demoDeviceUrl: 'https://chat.test/device/prompts/x',
        };
      },
    });
    t.controller.open();
    await flush();
    t.sockets[0]!.open();
    t.sockets[0]!.receive({ type: 'conversation', conversation: withPrompt });
    t.sockets[0]!.receive({ type: 'conversation', conversation: withPrompt });
    await flush();
    expect(fetched).toBe(1);
    expect(t.controller.state.stepUp).toMatchObject({
      open: true,
      mode: 'device',
      demoDeviceUrl: 'https://chat.test/device/prompts/x',
    });
    // Approved on the device: the link goes, and verification closes the panel.
    const done = buildConversation({
      assurance: assurance({
        level: 'verified',
        expiresAt: iso(900_000),
        method: 'device',
        prompt: { ...withPrompt.assurance!.prompt!, status: 'approved' },
      }),
    });
    t.sockets[0]!.receive({ type: 'conversation', conversation: done });
    expect(t.controller.state.stepUp).toMatchObject({ open: false, demoDeviceUrl: null });
  });
});
