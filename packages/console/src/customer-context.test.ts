import { describe, expect, it } from 'vitest';
import { shapeContext } from './customer-context.js';
import {
  buildCardDetail,
  buildCardSummary,
  buildConversation,
  buildCustomerContext,
  buildDispute,
  buildReplacement,
  buildTransaction,
  buildWalletToken,
} from './testing/builders.js';

const conv = buildConversation({ status: 'assigned' });

describe('shapeContext', () => {
  it('shows the chat card, its wallets, open replacements, the other cards and recent transactions', () => {
    const view = shapeContext(
      buildCustomerContext({
        card: buildCardDetail({
          status: 'locked',
          activated: false,
          walletTokens: [
            buildWalletToken(),
            buildWalletToken({ id: 'tok_2', wallet: 'google_pay', deviceName: 'Pixel', status: 'suspended' }),
          ],
        }),
      }),
      conv,
    );
    expect(view.name).toBe('Maria Lopez');
    expect(view.language).toBe('en');
    expect(view.card).toEqual({
      id: 'card_1',
      last4: '1005',
      productName: 'Platinum Card',
      status: 'locked',
      activated: false,
      expiry: '08/28',
    });
    expect(view.cardUnavailable).toBeNull();
    expect(view.walletTokens.items?.map((w) => [w.wallet, w.deviceName, w.status])).toEqual([
      ['apple_pay', 'iPhone 15', 'active'],
      ['google_pay', 'Pixel', 'suspended'],
    ]);
    expect(view.replacements.items).toEqual([
      {
        id: 'rep_1',
        newCardLast4: '7731',
        reason: 'lost',
        method: 'expedited',
        status: 'shipped',
        estimatedDelivery: '2025-01-03',
      },
    ]);
    // The chat's own card is not repeated under "other cards".
    expect(view.otherCards.items?.map((c) => [c.last4, c.status, c.productName])).toEqual([
      ['2009', 'lost', 'Gold Card'],
    ]);
    // Newest first.
    expect(view.transactions.items?.map((t) => [t.date, t.status])).toEqual([
      ['2025-01-03', 'pending'],
      ['2025-01-01', 'posted'],
    ]);
    expect(view.otherNotes).toEqual([]);
  });

  it('says "none" (not "unavailable") for sections that answered with nothing', () => {
    const view = shapeContext(
      buildCustomerContext({
        card: buildCardDetail({ walletTokens: [] }),
        cards: [buildCardSummary()],
        recentTransactions: [],
        openReplacements: [],
      }),
      conv,
    );
    expect(view.walletTokens).toEqual({ items: [], unavailable: null });
    expect(view.otherCards).toEqual({ items: [], unavailable: null });
    expect(view.transactions).toEqual({ items: [], unavailable: null });
    expect(view.replacements).toEqual({ items: [], unavailable: null });
  });

  it('still names the chat card from the conversation when every section is unavailable', () => {
    const view = shapeContext(
      buildCustomerContext({
        card: null,
        cards: [],
        recentTransactions: [],
        openReplacements: [],
        unavailable: ['card', 'cards', 'transactions', 'replacements'],
      }),
      conv,
    );
    expect(view.card).toMatchObject({ last4: '1005', productName: 'Platinum Card', status: null, expiry: null });
    expect(view.cardUnavailable).toBe('context.unavailable.card');
    expect(view.walletTokens).toEqual({ items: null, unavailable: 'context.unavailable.wallets' });
    expect(view.otherCards).toEqual({ items: null, unavailable: 'context.unavailable.cards' });
    expect(view.transactions).toEqual({ items: null, unavailable: 'context.unavailable.transactions' });
    expect(view.replacements).toEqual({ items: null, unavailable: 'context.unavailable.replacements' });
    expect(view.otherNotes).toEqual([]);
  });

  it('lists open disputes with amount, status and FCBA dates, soonest deadline first; none is "none"', () => {
    const view = shapeContext(
      buildCustomerContext({
        openDisputes: [
          buildDispute({ id: 'd_late', reference: 'DSP-LATE0001', resolveBy: '2025-04-01', status: 'acknowledged' }),
          buildDispute({ id: 'd_done', status: 'resolved_in_favor' }),
          buildDispute({
            id: 'd_soon',
            reference: 'DSP-SOON0001',
            description: '  Charged twice  ',
            cardLast4: '4111111111111005',
          }),
        ],
      }),
      conv,
    );
    expect(view.disputes.items).toEqual([
      {
        id: 'd_soon',
        reference: 'DSP-SOON0001',
        merchant: 'Corner Cafe',
        description: 'Charged twice',
        cardLast4: '1005',
        amount: { amountCents: 1250, currency: 'USD' },
        status: 'open',
        acknowledgeBy: '2025-02-04',
        resolveBy: '2025-03-05',
      },
      expect.objectContaining({ id: 'd_late', status: 'acknowledged', description: null, resolveBy: '2025-04-01' }),
    ]);
    expect(JSON.stringify(view.disputes)).not.toMatch(/\d{5,}/);
    expect(shapeContext(buildCustomerContext({ openDisputes: [] }), conv).disputes).toEqual({
      items: [],
      unavailable: null,
    });
    // An older server without the field: an empty list, not a crash.
    expect(shapeContext({ ...buildCustomerContext(), openDisputes: undefined as never }, conv).disputes.items).toEqual(
      [],
    );
  });

  it('says disputes are unavailable when the core could not answer them', () => {
    const view = shapeContext(buildCustomerContext({ openDisputes: [], unavailable: ['disputes'] }), conv);
    expect(view.disputes).toEqual({ items: null, unavailable: 'context.unavailable.disputes' });
    expect(view.otherNotes).toEqual([]);
  });

  it('takes the status from the card list when only the card detail is unavailable', () => {
    const view = shapeContext(
      buildCustomerContext({ card: null, cards: [buildCardSummary({ status: 'stolen' })], unavailable: ['card'] }),
      conv,
    );
    expect(view.card.status).toBe('stolen');
    expect(view.cardUnavailable).toBe('context.unavailable.card');
    expect(view.walletTokens.items).toBeNull();
  });

  it('adds one general note for unavailable sections it does not know', () => {
    const view = shapeContext(buildCustomerContext({ unavailable: ['rewards', 'profile'] }), conv);
    expect(view.otherNotes).toEqual(['context.unavailable.other']);
  });

  it('never passes on more than the last 4 digits of any card number', () => {
    const leaky = buildCustomerContext({
      card: buildCardDetail({ last4: '4111111111111005' }),
      cards: [
        buildCardSummary({ last4: '4111111111111005' }),
        buildCardSummary({ id: 'card_2', last4: '5500 0000 0000 2009' }),
      ],
      openReplacements: [buildReplacement({ newCardLast4: '371449635398431' })],
    });
    const view = shapeContext(leaky, conv);
    expect(view.card.last4).toBe('1005');
    expect(view.otherCards.items?.[0]?.last4).toBe('2009');
    expect(view.replacements.items?.[0]?.newCardLast4).toBe('8431');
    const shown = JSON.stringify(view);
    expect(shown).not.toMatch(/\d{5,}/);
    expect(shown).not.toContain('MARIA LOPEZ'); // the embossed name is not needed on screen
  });

  it('drops delivered replacements and transactions of other cards, and tolerates missing lists', () => {
    const view = shapeContext(
      {
        ...buildCustomerContext({
          openReplacements: [buildReplacement(), buildReplacement({ id: 'rep_2', status: 'delivered' })],
          recentTransactions: [buildTransaction(), buildTransaction({ id: 'tx_other', cardId: 'card_2' })],
        }),
        cards: undefined as never,
      },
      conv,
    );
    expect(view.replacements.items?.map((r) => r.id)).toEqual(['rep_1']);
    expect(view.transactions.items?.map((t) => t.id)).toEqual([buildTransaction().id]);
    expect(view.otherCards.items).toEqual([]);
  });
});
