/** Composing summaries and case notices from recorded facts, in English and Spanish. */
import { describe, expect, it } from 'vitest';
import type { CasesTable } from '../store/schema.js';
import { openedNotice, statusNotice } from './notices.js';
import { composeSummary, emptyFacts, isEmpty, type SummaryFacts } from './summary.js';

const facts = (over: Partial<SummaryFacts>): SummaryFacts => ({ ...emptyFacts(), ...over });

describe('composeSummary', () => {
  const full = facts({
    reference: 'CHT-AAAA1111',
    topics: ['dispute.start', 'card.lost_stolen', 'card.lock', 'conversation.summary', 'agent.request'],
    records: [
      {
        intent: 'dispute.start',
        description: 'Opened a dispute',
        reference: 'DSP-BBBB2222',
        at: '2026-11-25T12:00:00Z',
      },
      { intent: 'card.lost_stolen', description: 'Reported card ending 1005 lost', at: '2026-11-25T12:05:00Z' },
    ],
    agentActions: [{ operation: 'lockCard', at: '2026-11-25T12:30:00Z', targetId: 'card_x' }],
    handling: [
      { kind: 'queued', at: '2026-11-25T12:10:00Z' },
      { kind: 'closed', at: '2026-11-25T12:40:00Z' },
    ],
    cases: [
      {
        reference: 'CMP-CCCC3333',
        type: 'complaint',
        status: 'open',
        createdAt: '2026-11-25T12:20:00Z',
        acknowledgeBy: null,
        resolveBy: null,
      },
    ],
    disputes: [{ reference: 'DSP-BBBB2222', acknowledgeBy: '2026-12-25', resolveBy: '2027-02-20' }],
    cardsOnTheWay: [{ last4: '7777', estimatedDelivery: '2026-12-02' }],
  });

  it('says what was asked, what was done with dates and references, and next steps with the timeline', () => {
    const text = composeSummary(full, 'en', '2026-11-25');
    expect(text.split('\n')).toEqual([
      'Summary of this chat:',
      'Chat reference: CHT-AAAA1111',
      'What you asked about: a disputed charge, your card, speaking with an agent.',
      'What we did:',
      '• November 25, 2026: Opened a dispute (reference DSP-BBBB2222)',
      '• November 25, 2026: Reported card ending 1005 lost',
      '• November 25, 2026: Your chat was passed to our team.',
      '• November 25, 2026: Complaint case CMP-CCCC3333 opened; status: open',
      '• November 25, 2026: An agent made a change to your account (card locked)',
      '• November 25, 2026: The chat ended.',
      'Next steps and expected timeline:',
      '• Complaint CMP-CCCC3333: we will answer it in writing within 15 business days.',
      "• Dispute DSP-BBBB2222: we'll confirm it in writing by December 25, 2026 and resolve it by February 20, 2027. You don't have to pay the disputed amount meanwhile.",
      '• Your new card ending in 7777 should arrive by December 2, 2026. Activate it when it arrives.',
    ]);
  });

  it('speaks Spanish, naming what was done by its kind', () => {
    const text = composeSummary(full, 'es', '2026-11-25');
    expect(text).toContain('Lo que consultó: un cargo en disputa, su tarjeta, hablar con un agente.');
    expect(text).toContain('• 25 de noviembre de 2026: Disputa de un cargo (referencia DSP-BBBB2222)');
    expect(text).toContain('Caso de Queja CMP-CCCC3333 abierto; estado: abierto');
    expect(text).toContain('resolveremos a más tardar el 20 de febrero de 2027');
    expect(text).toContain(
      '• Su nueva tarjeta terminada en 7777 debería llegar a más tardar el 2 de diciembre de 2026.',
    );
  });

  it('says when nothing was done or is needed', () => {
    const empty = facts({});
    expect(isEmpty(empty)).toBe(true);
    expect(isEmpty(facts({ topics: ['conversation.summary'] }))).toBe(true);
    expect(isEmpty(facts({ topics: ['faq.hours'] }))).toBe(false);
    expect(composeSummary(empty, 'en', '2026-11-25')).toBe(
      [
        'Summary of this chat:',
        'What you asked about: general questions.',
        'What we did:',
        '• Nothing was changed on your account in this chat.',
        'Next steps and expected timeline:',
        '• Nothing else is needed from you.',
      ].join('\n'),
    );
  });
});

describe('case notices', () => {
  const dispute: CasesTable = {
    id: 'c1',
    reference: 'DSP-BBBB2222',
    type: 'dispute',
    status: 'open',
    title: 'Dinner charged twice',
    language: 'en',
    cardmember_id: 'cm_jose',
    card_id: null,
    owner_team_id: 'disputes',
    complaint_category: null,
    dispute_id: 'd1',
    acknowledge_by: '2026-12-25',
    resolve_by: '2027-02-20',
    acknowledged_at: null,
    resolved_at: null,
    created_at: '2026-11-25T12:00:00.000Z',
    updated_at: '2026-11-25T12:00:00.000Z',
  };

  it('tells a dispute its reference and both FCBA dates when it opens', () => {
    const n = openedNotice(dispute);
    expect(n.subject).toBe('We opened case DSP-BBBB2222');
    expect(n.body).toContain(
      'We will acknowledge your dispute in writing by December 25, 2026 and resolve it by February 20, 2027.',
    );
  });

  it('acknowledges a dispute in writing with the resolve-by date and the right to withhold payment', () => {
    const n = statusNotice({ ...dispute, status: 'acknowledged' }, 'acknowledged', null)!;
    expect(n.kind).toBe('acknowledgement');
    expect(n.body).toContain('written acknowledgement of your billing-error notice');
    expect(n.body).toContain('resolve it by February 20, 2027');
    expect(n.body).toContain('you do not have to pay the disputed amount');
    const general = statusNotice({ ...dispute, type: 'general', status: 'acknowledged' }, 'acknowledged', null)!;
    expect(general.body).not.toContain('disputed amount');
  });

  it('gives the outcome on resolution, asks for documents, and stays quiet otherwise', () => {
    const resolved = statusNotice(
      { ...dispute, status: 'resolved', resolved_at: '2027-01-10T10:00:00.000Z' },
      'resolved',
      'We refunded the duplicate charge.',
      'es',
    )!;
    expect(resolved.kind).toBe('resolution');
    expect(resolved.body).toContain('se resolvió el 10 de enero de 2027');
    expect(resolved.body).toContain('Resultado: We refunded the duplicate charge.');
    expect(statusNotice(dispute, 'awaiting_customer', null)!.kind).toBe('document_request');
    expect(statusNotice(dispute, 'in_progress', null)).toBeNull();
    expect(statusNotice(dispute, 'closed', null)).toBeNull();
  });
});
