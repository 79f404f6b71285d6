/**
 * The assistant's intents. The ids of `CATALOG_INTENTS` are a public contract (see
 * `shared/intent-catalog.md` and `docs/assistant.md`): `carechat nlu classify` prints them and
 * operators' dashboards key on them. Never rename or drop one; add new ones freely.
 */

/** Ids exactly as written in the intent catalog. */
export const CATALOG_INTENTS = [
  // cards
  'card.lost_stolen',
  'card.damaged',
  'card.delivery',
  'card.activate',
  'card.lock',
  'card.unlock',
  'card.declined',
  'card.expiration',
  'card.pin',
  'card.wallet',
  // billing and payments
  'payment.due_date',
  'payment.change_due_date',
  'payment.minimum',
  'payment.balance',
  'payment.make',
  'payment.posting',
  'fee.late',
  'fee.foreign',
  'transactions.recent',
  // disputes and fraud
  'dispute.start',
  'dispute.status',
  'fraud.report',
  // rewards and benefits
  'rewards.balance',
  'rewards.redeem',
  'rewards.benefits',
  // account changes
  'account.authorized_user',
  'account.update_contact',
  'account.preferences',
  // credit
  'credit.limit',
  'credit.limit_increase',
  'credit.apr',
  'credit.product',
  // travel
  'travel.booking',
  'travel.itinerary',
  'travel.protection',
  'travel.notification',
  // conversation
  'agent.request',
  'agent.supervisor',
  'complaint.file',
  'case.reference',
  'conversation.summary',
  'faq.hours',
  'faq.contact',
  'faq.is_bot',
  'language.spanish',
  'language.english',
  'greeting',
  'thanks',
  'goodbye',
  'out_of_scope',
] as const;

/** Intents the project adds for dialogue control (allowed by the catalog). */
export const EXTRA_INTENTS = [
  /** "yes", "that's right", "sí, por favor": answers a confirmation. */
  'affirm',
  /** "no", "not that one", "no gracias". */
  'deny',
  /** "cancel", "never mind", "olvídalo": abandons the current task. */
  'cancel',
  /** "start over", "empezar de nuevo": abandons the task and asks again. */
  'start_over',
  /** "what can you do?", "help", "¿qué puedes hacer?". */
  'help',
  /** "never asks for" questions: "why do you need my SSN?", "what will you never ask me". */
  'faq.security',
] as const;

export const INTENTS = [...CATALOG_INTENTS, ...EXTRA_INTENTS] as const;
export type CatalogIntent = (typeof CATALOG_INTENTS)[number];
export type IntentId = (typeof INTENTS)[number];

export const isIntent = (id: string): id is IntentId => (INTENTS as readonly string[]).includes(id);

/** Teams of the demo configuration, by id. A deployment may configure more. */
export type TeamId = 'general' | 'disputes' | 'credit' | 'rewards' | 'travel' | 'fraud' | 'business';

/** The team that owns each intent when it needs a human; everything else goes to `general`. */
export const INTENT_TEAM: Partial<Record<IntentId, TeamId>> = {
  'dispute.start': 'disputes',
  'dispute.status': 'disputes',
  'fraud.report': 'fraud',
  'card.declined': 'general',
  'rewards.balance': 'rewards',
  'rewards.redeem': 'rewards',
  'rewards.benefits': 'rewards',
  'credit.limit': 'credit',
  'credit.limit_increase': 'credit',
  'credit.apr': 'credit',
  'credit.product': 'credit',
  'travel.booking': 'travel',
  'travel.itinerary': 'travel',
  'travel.protection': 'travel',
  'travel.notification': 'travel',
};

export const teamFor = (intent: string | null | undefined): TeamId =>
  (intent && isIntent(intent) ? INTENT_TEAM[intent] : undefined) ?? 'general';
