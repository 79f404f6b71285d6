import type { AckFrame } from '@carechat/protocol/client';
import { describe, expect, it } from 'vitest';
import { redactionNotice } from './redaction-notice.js';
import { initialState, reduce, type ViewState } from './state.js';
import { buildConversation } from './test-support.js';

function ready(language: 'en' | 'es' = 'en'): ViewState {
  return reduce(initialState(language), {
    type: 'loaded',
    conversation: buildConversation({ language }),
    messages: [],
    reset: true,
  });
}

function ack(overrides: Partial<AckFrame> = {}): AckFrame {
  return {
    type: 'ack',
    conversationId: 'conv_1',
    clientMsgId: 'client-0001',
    seq: 3,
    messageId: 'msg_3',
    duplicate: false,
    body: 'my card is •••• 6467',
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('redactionNotice', () => {
  it('names what was removed, politely, in English and Spanish', () => {
    expect(redactionNotice(['card_number'], 'en')).toBe(
      'For your security we removed a card number from your message.',
    );
    expect(redactionNotice(['card_number'], 'es')).toBe(
      'Por su seguridad, eliminamos un número de tarjeta de su mensaje.',
    );
    expect(redactionNotice(['card_number', 'security_code'], 'en')).toBe(
      'For your security we removed a card number and a security code from your message.',
    );
    expect(redactionNotice(['ssn', 'one_time_code', 'password'], 'es')).toBe(
      'Por su seguridad, eliminamos un número de Seguro Social, un código de un solo uso y una contraseña de su mensaje.',
    );
  });

  it('says nothing when nothing was removed, and ignores kinds it does not know', () => {
    expect(redactionNotice(undefined, 'en')).toBeNull();
    expect(redactionNotice([], 'es')).toBeNull();
    expect(redactionNotice(['iban' as never], 'en')).toBeNull();
    expect(redactionNotice(['password', 'password'], 'en')).toBe(
      'For your security we removed a password from your message.',
    );
  });
});

describe('the widget state on an ack that reports a redaction', () => {
  it('keeps the kinds for the message and announces the notice once', () => {
    let s = reduce(ready(), { type: 'frame', frame: ack({ redacted: ['card_number'] }) });
    expect(s.messages.map((m) => m.body)).toEqual(['my card is •••• 6467']);
    expect(s.redacted).toEqual({ msg_3: ['card_number'] });
    expect(s.announcements.map((a) => a.text)).toEqual([
      'For your security we removed a card number from your message.',
    ]);
    // The retry of the same message (a duplicate ack) does not say it again.
    s = reduce(s, { type: 'frame', frame: ack({ redacted: ['card_number'], duplicate: true }) });
    expect(s.announcements).toHaveLength(1);
  });

  it('speaks the conversation language', () => {
    const s = reduce(ready('es'), { type: 'frame', frame: ack({ redacted: ['security_code'] }) });
    expect(s.announcements.map((a) => a.text)).toEqual([
      'Por su seguridad, eliminamos un código de seguridad de su mensaje.',
    ]);
  });

  it('changes nothing for an ack without redactions or for another conversation', () => {
    const plain = reduce(ready(), { type: 'frame', frame: ack() });
    expect(plain.redacted).toEqual({});
    expect(plain.announcements).toEqual([]);
    const other = reduce(ready(), {
      type: 'frame',
      frame: ack({ conversationId: 'conv_other', redacted: ['password'] }),
    });
    expect(other.redacted).toEqual({});
    expect(other.announcements).toEqual([]);
  });
});
