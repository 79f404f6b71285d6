import { describe, expect, it } from 'vitest';
import { announcementText, apiErrorKey, authorLabel, messageText, waitingTime, wsErrorKey } from './format.js';
import { makeT } from './i18n.js';
import { buildConversation, buildMessage } from './testing/builders.js';

const t = makeT('en');
const conv = buildConversation();
const at = Date.parse('2025-01-01T10:00:00.000Z');

describe('waitingTime', () => {
  it('says how long someone has waited in whole minutes', () => {
    expect(waitingTime(t, '2025-01-01T10:00:00.000Z', at + 30_000)).toBe('under 1 min');
    expect(waitingTime(t, '2025-01-01T10:00:00.000Z', at + 2 * 60_000 + 10_000)).toBe('2 min');
    expect(waitingTime(t, '2025-01-01T10:00:00.000Z', at + 65 * 60_000)).toBe('1 h 5 min');
    expect(waitingTime(t, null, at)).toBe('under 1 min');
    expect(waitingTime(t, '2025-01-01T10:00:00.000Z', at - 5_000)).toBe('under 1 min');
  });
});

describe('authorLabel', () => {
  it('labels each kind of author', () => {
    expect(authorLabel(t, buildMessage(), 'ag_1', conv)).toBe('Maria (cardmember)');
    expect(
      authorLabel(t, buildMessage({ author: { role: 'assistant', id: null, name: 'Assistant' } }), 'ag_1', conv),
    ).toBe('Assistant');
    expect(authorLabel(t, buildMessage({ author: { role: 'agent', id: 'ag_1', name: 'Ana' } }), 'ag_1', conv)).toBe(
      'You',
    );
    expect(authorLabel(t, buildMessage({ author: { role: 'agent', id: 'ag_2', name: 'Bo' } }), 'ag_1', conv)).toBe(
      'Bo (agent)',
    );
  });
});

describe('messageText', () => {
  it('renders system notices from their code, never from the stored English body', () => {
    const m = buildMessage({
      kind: 'system',
      author: { role: 'system', id: null, name: null },
      body: 'You ended the chat.',
      system: { code: 'conversation.closed_by_cardmember', params: {} },
    });
    expect(messageText(m, conv, 'en')).toBe('Maria ended the chat.');
    expect(messageText(m, conv, 'es')).toBe('Maria finalizó el chat.');
    expect(messageText(buildMessage({ body: 'plain <b>text</b>' }), conv, 'en')).toBe('plain <b>text</b>');
  });
});

describe('announcementText', () => {
  it('announces a new message in the open chat with its author', () => {
    const a = {
      id: 1,
      kind: 'message' as const,
      message: buildMessage({ body: 'My card is blocked' }),
      conversation: conv,
      active: true,
    };
    expect(announcementText(t, a, 'en', 'ag_1')).toBe('Maria: My card is blocked');
  });

  it('announces a message in another chat without reading its body', () => {
    const a = {
      id: 1,
      kind: 'message' as const,
      message: buildMessage({ body: 'secret' }),
      conversation: conv,
      active: false,
    };
    expect(announcementText(t, a, 'en', 'ag_1')).toBe('New message from Maria, card ending 1005');
  });

  it('announces a newly waiting chat with its team', () => {
    expect(announcementText(t, { id: 2, kind: 'waiting', conversation: conv }, 'en', 'ag_1')).toBe(
      'New chat waiting: Maria, General team',
    );
    const noTeam = buildConversation({ queue: null, teamId: null });
    expect(announcementText(t, { id: 3, kind: 'waiting', conversation: noTeam }, 'en', 'ag_1')).toBe(
      'New chat waiting: Maria',
    );
  });
});

describe('error keys', () => {
  it('maps known codes and falls back to a generic sentence', () => {
    expect(apiErrorKey('invalid_credentials')).toBe('error.invalid_credentials');
    expect(apiErrorKey('conversation_not_waiting')).toBe('error.conversation_not_waiting');
    expect(apiErrorKey('something_new')).toBe('error.generic');
    expect(wsErrorKey('message_too_long')).toBe('wsError.message_too_long');
    expect(wsErrorKey('internal')).toBe('wsError.generic');
  });
});
