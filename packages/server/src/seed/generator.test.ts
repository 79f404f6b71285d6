import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PanVault } from '../accounts/embedded/pan-vault.js';
import { addDays, addMonths } from '../accounts/rules/dates.js';
import { openStore, type Store } from '../store/db.js';
import { generateCardmembers } from './generator.js';
import { SEED_TABLES } from './rows.js';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const TODAY = '2026-11-25';
const N = 40;
const KEY = new TextEncoder().encode('generator-test-key-0123456789-abcdef');

function luhnValid(pan: string): boolean {
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let d = Number(pan[pan.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Every seed table's rows, ordered by id, without the ciphertexts (random IVs). */
async function snapshot(store: Store): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of SEED_TABLES) {
    const rows = await store.db.selectFrom(t).selectAll().orderBy('id').execute();
    out[t] = rows.map((r) => ({ ...r, pan_ciphertext: 'pan_ciphertext' in r ? '(ciphertext)' : undefined }));
  }
  return out;
}

describe('generated cardmembers', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  const vault = new PanVault(KEY);

  async function freshStore(): Promise<Store> {
    const dir = mkdtempSync(path.join(tmpdir(), 'carechat-gen-'));
    dirs.push(dir);
    const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'gen.sqlite') });
    stores.push(store);
    return store;
  }

  let a: Store;
  let b: Store;
  beforeAll(async () => {
    a = await freshStore();
    b = await freshStore();
    await generateCardmembers(a.db, { count: N, seed: 'test-seed', now: NOW, vault });
    // Different chunking, same values: each cardmember has its own stream.
    await generateCardmembers(b.db, { count: N, seed: 'test-seed', now: NOW, vault, chunkSize: 7 });
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the same seed gives the same rows on two fresh databases (all but the ciphertexts)', async () => {
    const sa = await snapshot(a);
    const sb = await snapshot(b);
    expect(sa.cardmembers).toHaveLength(N);
    expect(sb).toEqual(sa);
    // The ciphertexts differ (fresh IVs) but hold the same numbers.
    const ca = await a.db.selectFrom('cards').select(['id', 'pan_ciphertext']).orderBy('id').execute();
    const cb = await b.db.selectFrom('cards').select(['id', 'pan_ciphertext']).orderBy('id').execute();
    expect(cb.map((c) => c.pan_ciphertext)).not.toEqual(ca.map((c) => c.pan_ciphertext));
    expect(cb.map((c) => vault.decrypt(c.pan_ciphertext!))).toEqual(ca.map((c) => vault.decrypt(c.pan_ciphertext!)));
  });

  it('another seed gives other people', async () => {
    const c = await freshStore();
    await generateCardmembers(c.db, { count: 5, seed: 'another-seed', now: NOW, vault });
    const names = async (s: Store) =>
      await s.db
        .selectFrom('cardmembers')
        .select(['first_name', 'last_name', 'email'])
        .orderBy('id')
        .limit(5)
        .execute();
    expect(await names(c)).not.toEqual(await names(a));
  });

  it('creates everything the accounts tables hold, in plausible numbers', async () => {
    const count = async (t: (typeof SEED_TABLES)[number]) =>
      Number(
        (
          await a.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('cardmembers')).toBe(N);
    const accounts = await count('accounts');
    expect(accounts).toBeGreaterThanOrEqual(N);
    expect(accounts).toBeLessThanOrEqual(2 * N);
    expect(await count('addresses')).toBeGreaterThanOrEqual(N);
    expect(await count('cards')).toBeGreaterThanOrEqual(accounts);
    expect(await count('statements')).toBeGreaterThan(5 * accounts);
    expect(await count('statements')).toBeLessThanOrEqual(6 * accounts);
    const txns = await count('transactions');
    expect(txns).toBeGreaterThan(6 * 10 * accounts * 0.9);
    expect(txns).toBeLessThan(7 * 30 * accounts);
    expect(await count('payments')).toBeGreaterThanOrEqual(5 * accounts);
    for (const t of ['devices', 'rewards_ledger', 'wallet_tokens', 'credits', 'fees'] as const)
      expect(await count(t)).toBeGreaterThan(0);

    const cms = await a.db.selectFrom('cardmembers').selectAll().orderBy('id').execute();
    for (const cm of cms) {
      expect(cm.id).toMatch(/^gen_\d+$/);
      expect(cm.password_hash).toBe('!');
      expect(cm.email).toMatch(/^[a-z]+\.[a-z]+\d+@example\.(com|net|org)$/);
      expect(cm.phone).toMatch(/^\+1[2-9]\d{2}55501\d{2}$/);
      expect(cm.date_of_birth! < addMonths(TODAY, -12 * 18)).toBe(true);
      const prefs = JSON.parse(cm.communication_prefs!);
      expect(prefs.language).toBe(cm.preferred_language);
      expect(prefs.alertChannels.length).toBeGreaterThan(0);
    }
    const products = await a.db.selectFrom('accounts').select('product_id').distinct().execute();
    expect(products.length).toBeGreaterThanOrEqual(4);
  });

  it('statements: the last six closings before today, with totals that add up', async () => {
    const accounts = await a.db.selectFrom('accounts').selectAll().execute();
    for (const acct of accounts) {
      const stmts = await a.db
        .selectFrom('statements')
        .selectAll()
        .where('account_id', '=', acct.id)
        .orderBy('closing_date')
        .execute();
      if (acct.opened_on < addMonths(TODAY, -7)) expect(stmts).toHaveLength(6);
      const lastClosing = stmts[stmts.length - 1]!.closing_date;
      expect(lastClosing < TODAY && lastClosing >= addDays(TODAY, -31)).toBe(true);
      const txns = await a.db.selectFrom('transactions').selectAll().where('account_id', '=', acct.id).execute();
      for (const [i, s] of stmts.entries()) {
        if (i > 0) {
          expect(s.previous_balance_cents).toBe(stmts[i - 1]!.new_balance_cents);
          expect(s.period_start).toBe(addDays(stmts[i - 1]!.closing_date, 1));
        }
        expect(s.due_date).toBe(addDays(s.closing_date, 25));
        expect(s.new_balance_cents).toBe(
          s.previous_balance_cents + s.purchases_cents + s.fees_cents + s.interest_cents - s.payments_credits_cents,
        );
        const own = txns.filter((t) => t.statement_id === s.id);
        expect(s.purchases_cents).toBe(own.filter((t) => t.amount_cents > 0).reduce((x, t) => x + t.amount_cents, 0));
        // 10-25 purchases a cycle (plus bills and refunds); a short first cycle has fewer.
        if (s.period_start > acct.opened_on && i > 0) {
          expect(own.length).toBeGreaterThanOrEqual(6);
          expect(own.length).toBeLessThanOrEqual(35);
        }
      }
      const pending = txns.filter((t) => t.status === 'pending');
      for (const t of pending) {
        expect(t.posted_on).toBeNull();
        expect(t.statement_id).toBeNull();
        // Authorised in the last couple of days and not posted yet (maybe on the closing day itself).
        expect(t.transaction_date >= addDays(TODAY, -2)).toBe(true);
      }
    }
  });

  it('posted charges link to the statement whose period contains their posting date', async () => {
    const rows = await a.db
      .selectFrom('transactions as t')
      .leftJoin('statements as s', 's.id', 't.statement_id')
      .select([
        't.id',
        't.status',
        't.posted_on',
        't.account_id',
        's.period_start',
        's.closing_date',
        's.account_id as sa',
      ])
      .execute();
    const lastClosing = new Map(
      (
        await a.db
          .selectFrom('statements')
          .select(['account_id', (eb) => eb.fn.max('closing_date').as('c')])
          .groupBy('account_id')
          .execute()
      ).map((r) => [r.account_id, r.c as string]),
    );
    for (const t of rows) {
      if (t.status !== 'posted') continue;
      if (t.period_start) {
        expect(t.sa).toBe(t.account_id);
        expect(t.posted_on! >= t.period_start && t.posted_on! <= t.closing_date!).toBe(true);
      } else {
        // Not billed yet: posted in the open cycle.
        expect(t.posted_on! > lastClosing.get(t.account_id)!).toBe(true);
      }
    }
    expect(rows.some((t) => t.status === 'pending')).toBe(true);
  });

  it('payments post each month, some are scheduled; rewards balances match the ledger', async () => {
    const payments = await a.db.selectFrom('payments').selectAll().execute();
    expect(payments.some((p) => p.status === 'posted')).toBe(true);
    expect(payments.some((p) => p.status === 'scheduled' && p.scheduled_for > TODAY)).toBe(true);
    for (const p of payments) {
      if (p.status === 'posted') expect(p.posted_on! < TODAY).toBe(true);
      else expect(p.posted_on).toBeNull();
    }
    const accounts = await a.db.selectFrom('accounts').selectAll().execute();
    for (const acct of accounts) {
      const ledger = await a.db.selectFrom('rewards_ledger').selectAll().where('account_id', '=', acct.id).execute();
      const posted = ledger.filter((l) => l.status === 'posted').reduce((s, l) => s + l.points, 0);
      expect(acct.rewards_balance).toBe(posted);
      expect(acct.rewards_balance).toBeGreaterThanOrEqual(0);
    }
    const late = await a.db.selectFrom('fees').selectAll().where('kind', '=', 'late').execute();
    const annual = await a.db.selectFrom('fees').selectAll().where('kind', '=', 'annual').execute();
    expect(annual.length).toBeGreaterThan(0);
    for (const f of [...late, ...annual]) expect(f.assessed_on <= TODAY).toBe(true);
  });

  it('every card number is a Luhn-valid 15-digit 34/37 number, stored only encrypted', async () => {
    const cards = await a.db.selectFrom('cards').selectAll().execute();
    const pans = new Set<string>();
    for (const c of cards) {
      const pan = vault.decrypt(c.pan_ciphertext!);
      expect(pan).toMatch(/^3[47]\d{13}$/);
      expect(luhnValid(pan)).toBe(true);
      expect(pan.slice(-4)).toBe(c.last4);
      expect(c.pan_fingerprint).toBe(vault.fingerprint(pan));
      expect(c.account_id).toBeTruthy();
      expect(c.expiry).toMatch(/^\d{4}-\d{2}$/);
      pans.add(pan);
    }
    expect(pans.size).toBe(cards.length);
    const aus = await a.db.selectFrom('authorized_users').selectAll().execute();
    for (const u of aus) {
      const card = cards.find((c) => c.id === u.card_id)!;
      expect(card.role).toBe('authorized_user');
    }

    // Scan every text value of every table (not just the seed tables) for any spelling of a number.
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(a.db);
    let scanned = 0;
    const leaks: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(a.db);
      for (const row of rows.rows) {
        for (const [column, v] of Object.entries(row)) {
          if (typeof v !== 'string') continue;
          scanned++;
          // A number is 15 digits in a row, so only such runs can hold one.
          for (const run of v.match(/\d{15,}/g) ?? [])
            if ([...pans].some((pan) => run.includes(pan))) leaks.push(`${name}.${column}`);
          // Nothing else looks like a card number either (hex fingerprints may, by chance, hold digit runs).
          if (column !== 'pan_fingerprint' && column !== 'pan_ciphertext' && /\d{13,}/.test(v))
            leaks.push(`${name}.${column}: ${v}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(scanned).toBeGreaterThan(50_000);
  });

  it('a rerun adds only the cardmembers that are missing', async () => {
    const before = await snapshot(a);
    const again = await generateCardmembers(a.db, { count: N, seed: 'test-seed', now: NOW, vault });
    expect(again.cardmembers).toBe(0);
    expect(again.transactions).toBe(0);
    expect(await snapshot(a)).toEqual(before);
    const more = await generateCardmembers(a.db, { count: N + 2, seed: 'test-seed', now: NOW, vault });
    expect(more.cardmembers).toBe(2);
    const ids = (
      await a.db
        .selectFrom('cardmembers')
        .select('id')
        .where('id', 'in', [`gen_${N + 1}`, `gen_${N + 2}`])
        .execute()
    ).map((r) => r.id);
    expect(ids.sort()).toEqual([`gen_${N + 1}`, `gen_${N + 2}`]);
  });
});
