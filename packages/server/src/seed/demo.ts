/**
 * Deterministic demo data: cardmembers with cards, teams and agents. Idempotent — running it twice
 * changes nothing. Passwords are hashed with argon2; the plain demo passwords are public on purpose.
 */
import type { Db } from '../store/db.js';
import { hashPassword } from '../identity/passwords.js';
import type { PanVault } from '../accounts/embedded/pan-vault.js';

export const DEMO_CARDMEMBERS = [
  {
    id: 'cm_maria',
    username: 'maria',
    password: 'demo-maria-2024',
    firstName: 'Maria',
    lastName: 'Lopez',
    language: 'en' as const,
    description: 'Cardmember, English, two cards',
    cards: [
      { id: 'card_maria_gold', productName: 'Meridian Gold Card', last4: '1005' },
      { id: 'card_maria_biz', productName: 'Meridian Business Platinum', last4: '2009' },
    ],
  },
  {
    id: 'cm_jose',
    username: 'jose',
    password: 'demo-jose-2024',
    firstName: 'José',
    lastName: 'Martínez',
    language: 'es' as const,
    description: 'Cardmember, Spanish, one card',
    cards: [{ id: 'card_jose_green', productName: 'Meridian Green Card', last4: '3007' }],
  },
  {
    id: 'cm_sam',
    username: 'sam',
    password: 'demo-sam-2024',
    firstName: 'Sam',
    lastName: 'Taylor',
    language: 'en' as const,
    description: 'Cardmember, English, one card',
    cards: [{ id: 'card_sam_blue', productName: 'Meridian Blue Cash', last4: '4001' }],
  },
];

export const DEMO_TEAMS = [
  { id: 'general', en: 'General', es: 'General' },
  { id: 'disputes', en: 'Disputes', es: 'Disputas' },
  { id: 'credit', en: 'Credit', es: 'Crédito' },
  { id: 'rewards', en: 'Rewards', es: 'Recompensas' },
  { id: 'travel', en: 'Travel', es: 'Viajes' },
  { id: 'fraud', en: 'Fraud', es: 'Fraude' },
  { id: 'business', en: 'Business', es: 'Empresas' },
];

export const DEMO_AGENTS = [
  {
    id: 'agent_ana',
    email: 'ana@carechat.test',
    password: 'demo-ana-2024',
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
    firstName: 'Sofía',
    displayName: 'Sofía Herrera',
    role: 'supervisor' as const,
    description: 'Supervisor, all teams',
    skills: DEMO_TEAMS.flatMap((t) => [
      [t.id, 'en'],
      [t.id, 'es'],
    ]) as unknown as ReadonlyArray<readonly [string, 'en' | 'es']>,
  },
];

/** Inserts whatever demo rows are missing. */
export async function seedDemo(db: Db, now: Date = new Date(), _vault?: PanVault): Promise<void> {
  const ts = now.toISOString();
  for (const t of DEMO_TEAMS) {
    if (!(await db.selectFrom('teams').select('id').where('id', '=', t.id).executeTakeFirst())) {
      await db.insertInto('teams').values({ id: t.id, name_en: t.en, name_es: t.es }).execute();
    }
  }
  for (const c of DEMO_CARDMEMBERS) {
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
  for (const a of DEMO_AGENTS) {
    if (await db.selectFrom('agents').select('id').where('id', '=', a.id).executeTakeFirst()) continue;
    await db
      .insertInto('agents')
      .values({
        id: a.id,
        email: a.email,
        password_hash: await hashPassword(a.password),
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
}

export const demoLoginsForSite = () =>
  DEMO_CARDMEMBERS.map((c) => ({ username: c.username, password: c.password, description: c.description }));
