import { describe, expect, it } from 'vitest';
import type { CardStatus, Replacement, Transaction, WalletToken } from '@carechat/protocol';
import {
  announcementText,
  apiErrorKey,
  authorLabel,
  cardStatusKey,
  formatDate,
  formatMoney,
  last4Only,
  messageText,
  replacementReasonKey,
  replacementStatusKey,
  shippingKey,
  tokenStatusKey,
  transactionStatusKey,
  waitingTime,
  walletKey,
  wsErrorKey,
} from './format.js';
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

  it('labels a supervisor in the chat as a supervisor, not an agent', () => {
    const withSofia = {
      ...conv,
      participants: [
        { agentId: 'ag_1', displayName: 'Ana Ruiz', role: 'assignee' as const, joinedAt: '2026-11-25T10:00:00Z' },
        {
          agentId: 'sup_1',
          displayName: 'Sofía Herrera',
          role: 'supervisor' as const,
          joinedAt: '2026-11-25T10:05:00Z',
        },
      ],
    };
    const m = buildMessage({ author: { role: 'agent', id: 'sup_1', name: 'Sofía' } });
    expect(authorLabel(t, m, 'ag_1', withSofia)).toBe('Sofía (supervisor)');
    expect(authorLabel(t, m, 'ag_1', conv)).toBe('Sofía (agent)');
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

/** Intl puts no-break spaces in some locales; compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('turns integer cents into currency in the agent\u2019s language', () => {
    expect(formatMoney({ amountCents: 123456, currency: 'USD' }, 'en')).toBe('$1,234.56');
    expect(formatMoney({ amountCents: 675, currency: 'USD' }, 'en')).toBe('$6.75');
    expect(formatMoney({ amountCents: 0, currency: 'USD' }, 'en')).toBe('$0.00');
    expect(formatMoney({ amountCents: -2999, currency: 'USD' }, 'en')).toBe('-$29.99');
    expect(formatMoney({ amountCents: 500, currency: 'EUR' }, 'en')).toBe('€5.00');
    expect(plain(formatMoney({ amountCents: 1234560, currency: 'USD' }, 'es'))).toBe('12.345,60 US$');
  });

  it('falls back to dollars for a currency code Intl does not accept', () => {
    expect(formatMoney({ amountCents: 100, currency: 'not-a-code' }, 'en')).toBe('$1.00');
    expect(formatMoney({ amountCents: 100, currency: '' }, 'en')).toBe('$1.00');
  });
});

describe('formatDate', () => {
  it('formats calendar dates without shifting the day for the local time zone', () => {
    expect(formatDate('2025-01-05', 'en')).toBe('Jan 5, 2025');
    expect(formatDate('2025-12-31', 'en')).toBe('Dec 31, 2025');
    expect(plain(formatDate('2025-01-05', 'es'))).toBe('5 ene 2025');
  });

  it('shows anything that is not a real YYYY-MM-DD date as it came', () => {
    expect(formatDate('2025-02-30', 'en')).toBe('2025-02-30');
    expect(formatDate('soon', 'en')).toBe('soon');
    expect(formatDate('', 'en')).toBe('');
  });
});

describe('last4Only', () => {
  it('keeps only the last four digits', () => {
    expect(last4Only('1005')).toBe('1005');
    expect(last4Only('4111 1111 1111 1005')).toBe('1005');
    expect(last4Only('••••1005')).toBe('1005');
    expect(last4Only(null)).toBe('');
  });
});

describe('status labels', () => {
  const es = makeT('es');
  it('has a text label (not just a colour) for every status, in both languages', () => {
    const cardStatuses: CardStatus[] = ['active', 'locked', 'lost', 'stolen', 'damaged', 'replaced', 'closed'];
    const keys = [
      ...cardStatuses.map(cardStatusKey),
      ...(['apple_pay', 'google_pay'] as Array<WalletToken['wallet']>).map(walletKey),
      ...(['active', 'suspended'] as Array<WalletToken['status']>).map(tokenStatusKey),
      ...(['lost', 'stolen', 'damaged'] as Array<Replacement['reason']>).map(replacementReasonKey),
      ...(['standard', 'expedited'] as Array<Replacement['method']>).map(shippingKey),
      ...(['ordered', 'shipped', 'delivered'] as Array<Replacement['status']>).map(replacementStatusKey),
      ...(['pending', 'posted'] as Array<Transaction['status']>).map(transactionStatusKey),
    ];
    for (const key of keys) {
      expect(t(key), key).not.toBe(key);
      expect(es(key), key).not.toBe(key);
    }
  });

  it('uses the words agents expect', () => {
    expect(cardStatusKey('active')).toBe('cardStatus.active');
    expect(
      ['active', 'locked', 'lost', 'stolen', 'replaced', 'closed'].map((s) => t(cardStatusKey(s as CardStatus))),
    ).toEqual(['Active', 'Locked', 'Lost', 'Stolen', 'Replaced', 'Closed']);
    expect(t(transactionStatusKey('pending'))).toBe('Pending');
    expect(t(walletKey('apple_pay'))).toBe('Apple Pay');
    expect(t(tokenStatusKey('suspended'))).toBe('Suspended');
    expect(es(cardStatusKey('locked'))).toBe('Bloqueada');
  });
});
