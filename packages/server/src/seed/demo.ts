/**
 * Demo data seeded at boot: teams, agents and the personas (named cardmembers with stories, see
 * personas.ts). Idempotent: running it twice changes nothing. Passwords are hashed with argon2; the
 * plain demo passwords are public on purpose. Bulk generated cardmembers are `carechat seed
 * --cardmembers N` (generator.ts), never seeded at boot.
 */
import type { PanVault } from '../accounts/embedded/pan-vault.js';
import { ensureProducts } from '../accounts/embedded/products.js';
import { hashPassword } from '../identity/passwords.js';
import type { SecretBox } from '../identity/secret-box.js';
import { PHONE } from '../assistant/knowledge/facts.js';
import { seedCanned } from '../live/canned.js';
import { isUniqueViolation, type Db } from '../store/db.js';
import { PERSONAS, personaRows } from './personas.js';
import { insertRows } from './rows.js';

/** The personas as the demo site and the startup banner list them. */
export const DEMO_CARDMEMBERS = PERSONAS.map((p) => ({
  id: p.id,
  username: p.username,
  password: p.password,
  firstName: p.firstName,
  lastName: p.lastName,
  language: p.language,
  description: p.description,
  cards: p.cards,
}));

export const DEMO_TEAMS = [
  { id: 'general', en: 'Customer Care', es: 'Atención al Cliente' },
  { id: 'disputes', en: 'Disputes', es: 'Disputas' },
  { id: 'credit', en: 'Credit', es: 'Crédito' },
  { id: 'rewards', en: 'Rewards', es: 'Recompensas' },
  { id: 'travel', en: 'Travel', es: 'Viajes' },
  { id: 'fraud', en: 'Fraud', es: 'Fraude' },
  { id: 'business', en: 'Business', es: 'Empresas' },
];

/** Business banking keeps office hours (Mon–Fri 08:00–20:00 New York); every other team is 24/7. */
const WEEKDAYS_8_TO_8 = {
  timeZone: 'America/New_York',
  weekly: [0, 1, 2, 3, 4, 5, 6].map((d) => (d === 0 || d === 6 ? [] : [{ open: '08:00', close: '20:00' }])),
};
/** Phone line and hours per team (docs/routing.md): the fraud line for fraud, the care line for the rest. */
export const DEMO_TEAM_LINES: Record<string, { phone: string; hours: typeof WEEKDAYS_8_TO_8 | null }> = {
  fraud: { phone: PHONE.fraud, hours: null },
  business: { phone: PHONE.general, hours: WEEKDAYS_8_TO_8 },
};

/**
 * Demo staff. Each is enrolled in two-step sign-in with a fixed, public TOTP secret (base32, SHA-1,
 * 6 digits, 30 s) that anyone may add to an authenticator app; `carechat totp <email>` prints the
 * current code. Never use these accounts outside a demo.
 */
export const DEMO_AGENTS = [
  {
    id: 'agent_ana',
    email: 'ana@carechat.test',
    password: 'demo-ana-2024',
    totpSecret: 'CARECHATDEMOANA2CARECHATDEMOANA2',
    firstName: 'Ana',
    displayName: 'Ana Ruiz',
    role: 'agent' as const,
    description: 'Agent, General team, English and Spanish',
    skills: [
      ['general', 'en'],
      ['general', 'es'],
    ] as const,
  },
  {
    id: 'agent_ben',
    email: 'ben@carechat.test',
    password: 'demo-ben-2024',
    totpSecret: 'CARECHATDEMOBEN2CARECHATDEMOBEN2',
    firstName: 'Ben',
    displayName: 'Ben Carter',
    role: 'agent' as const,
    description: 'Agent, General and Disputes, English',
    skills: [
      ['general', 'en'],
      ['disputes', 'en'],
    ] as const,
  },
  {
    id: 'agent_sofia',
    email: 'sofia@carechat.test',
    password: 'demo-sofia-2024',
    totpSecret: 'CARECHATDEMOSOFICARECHATDEMOSOFI',
    firstName: 'Sofía',
    displayName: 'Sofía Herrera',
    role: 'supervisor' as const,
    description: 'Supervisor, all teams',
    skills: DEMO_TEAMS.flatMap((t) => [
      [t.id, 'en'],
      [t.id, 'es'],
    ]) as unknown as ReadonlyArray<readonly [string, 'en' | 'es']>,
  },
  {
    id: 'agent_admin',
    email: 'admin@carechat.test',
    password: 'demo-admin-2024',
    totpSecret: 'CARECHATDEMOADMNCARECHATDEMOADMN',
    firstName: 'Alex',
    displayName: 'Alex Admin',
    role: 'admin' as const,
    // Admins manage configuration; they take no chats and read one only with an audited reason.
    description: 'Administrator: configuration only, no transcripts without a stated reason',
    skills: [] as ReadonlyArray<readonly [string, 'en' | 'es']>,
  },
];

/**
 * Inserts whatever demo rows are missing: teams, agents and the personas with their accounts.
 * Without a vault no card number can be stored, so only the chat spine is seeded: teams, agents and
 * the original chat-demo cardmembers with card rows holding the last 4 digits (store-level tests).
 * With `totpSecrets`, demo agents without a second factor are enrolled with their demo secret
 * (without, they enroll at first sign-in like any new account).
 */
export async function seedDemo(
  db: Db,
  now: Date = new Date(),
  vault?: PanVault,
  totpSecrets?: SecretBox,
): Promise<void> {
  const ts = now.toISOString();
  for (const t of DEMO_TEAMS) {
    if (!(await db.selectFrom('teams').select('id').where('id', '=', t.id).executeTakeFirst())) {
      await db.insertInto('teams').values({ id: t.id, name_en: t.en, name_es: t.es }).execute();
    }
    // Phones and hours fill in where missing (databases seeded before they existed), never overwrite,
    // and never for a team an operator has configured: their null (24/7, no phone) is a choice.
    const configured = await db
      .selectFrom('audit_log')
      .select('id')
      .where('target_type', '=', 'team')
      .where('target_id', '=', t.id)
      .executeTakeFirst();
    if (configured) continue;
    const line = DEMO_TEAM_LINES[t.id] ?? { phone: PHONE.general, hours: null };
    await db
      .updateTable('teams')
      .set({ phone: line.phone })
      .where('id', '=', t.id)
      .where('phone', 'is', null)
      .execute();
    if (line.hours) {
      await db
        .updateTable('teams')
        .set({ hours: JSON.stringify(line.hours) })
        .where('id', '=', t.id)
        .where('hours', 'is', null)
        .execute();
    }
  }
  await seedCanned(db, ts);
  if (vault) await seedPersonas(db, now, vault);
  else await seedSpine(db, ts);
  const agents = new Set((await db.selectFrom('agents').select('id').execute()).map((r) => r.id));
  const missingAgents = DEMO_AGENTS.filter((a) => !agents.has(a.id));
  const agentHashes = await Promise.all(missingAgents.map((a) => hashPassword(a.password)));
  for (const [i, a] of missingAgents.entries()) {
    await db
      .insertInto('agents')
      .values({
        id: a.id,
        email: a.email,
        password_hash: agentHashes[i]!,
        first_name: a.firstName,
        display_name: a.displayName,
        role: a.role,
        status: 'offline',
        status_changed_at: ts,
        max_concurrent: 3,
        created_at: ts,
      })
      .execute();
    for (const [team, language] of a.skills) {
      await db.insertInto('agent_skills').values({ agent_id: a.id, team_id: team, language }).execute();
    }
  }
  if (totpSecrets) await enrollDemoAgents(db, ts, totpSecrets);
}

/** Demo agents with no second factor yet (new, or seeded before two-step sign-in) get the demo secret. */
async function enrollDemoAgents(db: Db, ts: string, totpSecrets: SecretBox): Promise<void> {
  for (const a of DEMO_AGENTS) {
    await db
      .updateTable('agents')
      .set({ totp_secret_ciphertext: totpSecrets.encrypt(a.totpSecret, a.id), totp_enrolled_at: ts })
      .where('id', '=', a.id)
      .where('totp_secret_ciphertext', 'is', null)
      .execute();
  }
}

async function seedSpine(db: Db, ts: string): Promise<void> {
  for (const c of PERSONAS.filter((p) => p.spine)) {
    if (await db.selectFrom('cardmembers').select('id').where('id', '=', c.id).executeTakeFirst()) continue;
    await db
      .insertInto('cardmembers')
      .values({
        id: c.id,
        username: c.username,
        password_hash: await hashPassword(c.password),
        first_name: c.firstName,
        last_name: c.lastName,
        preferred_language: c.language,
        created_at: ts,
      })
      .execute();
    for (const k of c.cards) {
      await db
        .insertInto('cards')
        .values({
          id: k.id,
          cardmember_id: c.id,
          product_name: k.productName,
          last4: k.last4,
          status: 'active',
          created_at: ts,
        })
        .execute();
    }
  }
}

/**
 * Each persona without accounts yet is written in one transaction. A cardmember or card row left by
 * the chat spine (no contact details, no account) is completed instead of duplicated.
 */
async function seedPersonas(db: Db, now: Date, vault: PanVault): Promise<void> {
  await ensureProducts(db);
  const today = now.toISOString().slice(0, 10);
  const ids = PERSONAS.map((p) => p.id);
  const cardmembers = new Map(
    (await db.selectFrom('cardmembers').select(['id', 'email']).where('id', 'in', ids).execute()).map((r) => [r.id, r]),
  );
  const accounts = new Set(
    (await db.selectFrom('accounts').select('cardmember_id').where('cardmember_id', 'in', ids).execute()).map(
      (r) => r.cardmember_id,
    ),
  );
  const todo = PERSONAS.filter((p) => !accounts.has(p.id));
  if (!todo.length) return;
  // argon2 runs off the main thread: hash the passwords side by side rather than one after another.
  const hashes = await Promise.all(todo.map((p) => (cardmembers.has(p.id) ? null : hashPassword(p.password))));
  for (const [i, p] of todo.entries()) {
    const rows = personaRows(p, today, vault);
    const existing = cardmembers.get(p.id);
    const cm = rows.cardmembers[0]!;
    if (existing) rows.cardmembers = [];
    else cm.password_hash = hashes[i]!;
    try {
      await db.transaction().execute(async (tx) => {
        if (existing && existing.email === null) {
          await tx
            .updateTable('cardmembers')
            .set({
              email: cm.email,
              phone: cm.phone,
              date_of_birth: cm.date_of_birth,
              communication_prefs: cm.communication_prefs,
              accommodations_note: cm.accommodations_note,
            })
            .where('id', '=', p.id)
            .where('email', 'is', null)
            .execute();
        }
        const cardIds = rows.cards.map((c) => c.id);
        const spineCards = new Set(
          (await tx.selectFrom('cards').select('id').where('id', 'in', cardIds).execute()).map((r) => r.id),
        );
        for (const c of rows.cards.filter((k) => spineCards.has(k.id))) {
          await tx
            .updateTable('cards')
            .set({
              account_id: c.account_id,
              pan_ciphertext: c.pan_ciphertext,
              pan_fingerprint: c.pan_fingerprint,
              expiry: c.expiry,
              holder_name: c.holder_name,
              role: c.role,
              activated_at: c.activated_at,
              replaced_by_card_id: c.replaced_by_card_id,
              status_changed_at: c.status_changed_at,
            })
            .where('id', '=', c.id)
            .where('account_id', 'is', null)
            .execute();
        }
        rows.cards = rows.cards.filter((k) => !spineCards.has(k.id));
        await insertRows(tx, rows);
      });
    } catch (err) {
      // Another node booting at the same moment seeded this persona first.
      if (!isUniqueViolation(err)) throw err;
    }
  }
}

export const demoLoginsForSite = () =>
  DEMO_CARDMEMBERS.map((c) => ({ username: c.username, password: c.password, description: c.description }));
