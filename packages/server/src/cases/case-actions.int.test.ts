/**
 * Cases from account actions, through the real server (SQLite, then PostgreSQL): a dispute opened in a
 * chat becomes a `dispute` case with the dispute's reference and FCBA dates, in the chat's language,
 * linked to the chat and the action, with its timers; a replayed action does not open a second case;
 * goodwill, credit-limit and travel-notice actions leave settled cases; a card lock makes none; the
 * chat gets its own reference. The action's result carries `caseReference`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate } from '../accounts/rules/dates.js';
import { CaseActions } from './case-actions.js';
import type { CasesService } from './cases.service.js';
import { dbKind, startServer, storeUnavailable, widgetSession, type TestServer } from '../../test/helpers.js';

const unavailable = await storeUnavailable(dbKind);
const ASSISTANT = { role: 'assistant' as const };

describe.skipIf(unavailable)(`cases from account actions on ${dbKind}`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ db: dbKind });
  });
  afterAll(async () => {
    await s?.close();
  });

  const db = () => s.app.store.db;
  const chat = async (sub: string, card: string) => (await widgetSession(s, { sub, card })).conversation.id;
  /** Sensitive operations need a verified chat (tested in stepup tests); here it is given. */
  const verify = (id: string) =>
    db()
      .updateTable('conversations')
      .set({
        assurance_level: 'verified',
        assurance_method: 'device',
        assurance_expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      })
      .where('id', '=', id)
      .execute();
  const casesOf = (cardmemberId: string) =>
    db().selectFrom('cases').selectAll().where('cardmember_id', '=', cardmemberId).orderBy('created_at').execute();
  const linksOf = (caseId: string) =>
    db().selectFrom('case_links').select(['kind', 'target_id']).where('case_id', '=', caseId).orderBy('kind').execute();

  it("opens a dispute's case with the dispute's reference, dates and the chat's language, once per action", async () => {
    const conversationId = await chat('cm_jose', 'card_jose_green');
    const perform = () =>
      s.app.services.accountActions.perform(
        ASSISTANT,
        conversationId,
        'openDispute',
        { transactionId: 'txn_jose_dup_2', reason: 'duplicate' },
        'dispute-key-1',
      );
    const result = (await perform()) as {
      id: string;
      reference: string;
      acknowledgeBy: string;
      resolveBy: string;
      caseReference: string;
    };
    expect(result.caseReference).toBe(result.reference);
    const [c, ...others] = await casesOf('cm_jose');
    expect(others).toEqual([]);
    expect(c).toMatchObject({
      type: 'dispute',
      status: 'open',
      reference: result.reference,
      language: 'es',
      owner_team_id: 'disputes',
      dispute_id: result.id,
      card_id: 'card_jose_green',
      acknowledge_by: result.acknowledgeBy,
      resolve_by: result.resolveBy,
    });
    expect(c!.title).toMatch(/^Disputa: Taquería Luna Azul, .*87[.,]35/);
    expect(await linksOf(c!.id)).toEqual([
      { kind: 'account_action', target_id: 'openDispute:dispute-key-1' },
      { kind: 'conversation', target_id: conversationId },
      { kind: 'dispute', target_id: result.id },
    ]);
    const timers = await db().selectFrom('case_timers').select('kind').where('case_id', '=', c!.id).execute();
    expect(timers.map((t) => t.kind).sort()).toEqual([
      'acknowledge_breach',
      'acknowledge_warning',
      'resolve_breach',
      'resolve_warning',
    ]);
    const conv = await db()
      .selectFrom('conversations')
      .select('reference')
      .where('id', '=', conversationId)
      .executeTakeFirst();
    expect(conv!.reference).toMatch(/^CHT-[0-9A-HJKMNP-TV-Z]{8}$/);

    // The same action again (a retry): the port answers with the same dispute, and no second case opens.
    const again = (await perform()) as { caseReference: string; id: string };
    expect(again).toMatchObject({ id: result.id, caseReference: result.reference });
    expect(await casesOf('cm_jose')).toHaveLength(1);
    const conv2 = await db()
      .selectFrom('conversations')
      .select('reference')
      .where('id', '=', conversationId)
      .executeTakeFirst();
    expect(conv2!.reference).toBe(conv!.reference);
  });

  it('leaves goodwill, credit-limit and travel-notice cases resolved, each once per action key', async () => {
    const sam = await chat('cm_sam', 'card_sam_blue');
    const g = (await s.app.services.accountActions.perform(
      ASSISTANT,
      sam,
      'requestLateFeeGoodwill',
      {},
      'goodwill-key-1',
    )) as {
      caseReference: string;
    };
    expect(g.caseReference).toMatch(/^GWL-/);
    await s.app.services.accountActions.perform(ASSISTANT, sam, 'requestLateFeeGoodwill', {}, 'goodwill-key-1');
    const samCases = await casesOf('cm_sam');
    expect(samCases.map((c) => [c.type, c.status, c.reference, c.title])).toEqual([
      ['goodwill', 'resolved', g.caseReference, 'Late fee reversal ($30.00)'],
    ]);

    const grace = await chat('cm_grace', 'card_grace_gold');
    await verify(grace);
    const cl = (await s.app.services.accountActions.perform(
      ASSISTANT,
      grace,
      'requestCreditLimitIncrease',
      { requestedLimitCents: 1_500_000, annualIncomeCents: 15_000_000 },
      'credit-key-1',
    )) as { decision: string; caseReference: string };
    expect(cl.caseReference).toMatch(/^CLR-/);
    expect((await casesOf('cm_grace')).map((c) => [c.type, c.status, c.owner_team_id])).toEqual([
      ['credit_limit', 'resolved', 'credit'],
    ]);

    const leo = await chat('cm_leo', 'card_leo_plat');
    await verify(leo);
    const today = formatDate(new Date());
    const tn = (await s.app.services.accountActions.perform(
      ASSISTANT,
      leo,
      'addTravelNotice',
      { destinations: ['Lisbon'], startOn: addDays(today, 12), endOn: addDays(today, 19) },
      'travel-key-1',
    )) as { caseReference: string };
    expect(tn.caseReference).toMatch(/^TRV-/);
    const [trip] = await casesOf('cm_leo');
    expect(trip).toMatchObject({
      type: 'travel',
      status: 'resolved',
      title: 'Travel notice: Lisbon',
      owner_team_id: 'travel',
    });
    // The timeline: opened by the assistant, then resolved.
    const view = await s.app.services.cases.view(trip!, 'cardmember');
    expect(view.timeline!.map((e) => [e.type, e.toStatus, e.actor.type])).toEqual([
      ['created', 'open', 'assistant'],
      ['status_changed', 'resolved', 'assistant'],
    ]);
  });

  it('makes no case for an action that is not a matter to follow (a card lock)', async () => {
    const maria = await chat('cm_maria', 'card_maria_gold');
    const r = (await s.app.services.accountActions.perform(ASSISTANT, maria, 'lockCard', {}, 'lock-key-1')) as Record<
      string,
      unknown
    >;
    expect(r).not.toHaveProperty('caseReference');
    expect(await casesOf('cm_maria')).toEqual([]);
  });

  it('logs, rather than fails, an action whose case cannot be written (the account has changed already)', async () => {
    const logged: unknown[] = [];
    const broken = new CaseActions(
      {
        conversationReference: () => Promise.reject(new Error('store down')),
      } as unknown as CasesService,
      db(),
      { error: (o: unknown) => logged.push(o) },
    );
    const ctx = {
      actor: ASSISTANT,
      conversation: { id: 'conv_x', cardmember_id: 'cm_sam', card_id: 'card_sam_blue', language: 'en' as const },
      operation: 'requestLateFeeGoodwill',
      input: {},
      result: { creditCents: 3000 },
      idempotencyKey: 'broken-key-1',
    };
    expect(await broken.record(ctx)).toBeNull();
    expect(logged).toEqual([
      expect.objectContaining({ operation: 'requestLateFeeGoodwill', conversationId: 'conv_x' }),
    ]);
    // Without a logger the error is the caller's.
    const strict = new CaseActions(
      { conversationReference: () => Promise.reject(new Error('store down')) } as unknown as CasesService,
      db(),
    );
    await expect(strict.record(ctx)).rejects.toThrow('store down');
  });

  it('refused actions open no case', async () => {
    const omar = await chat('cm_omar', 'card_omar_blue');
    await expect(
      s.app.services.accountActions.perform(
        ASSISTANT,
        omar,
        'openDispute',
        { transactionId: 'txn_omar_old', reason: 'unauthorized' },
        'old-dispute-1',
      ),
    ).rejects.toMatchObject({ code: 'rule_violation' });
    expect(await casesOf('cm_omar')).toEqual([]);
  });
});
