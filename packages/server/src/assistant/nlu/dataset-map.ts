/**
 * How public evaluation datasets map onto the intent catalog (documented in docs/assistant.md). The
 * datasets are only read for evaluation (see ../shared/datasets/README.md), never copied into the
 * project; this module is the one place that decides which dataset label means which intent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IntentId } from '../intents.js';
import { OUT_OF_SCOPE } from './model.js';
import type { Example } from './train.js';

/** CLINC150 label -> catalog id. */
export const CLINC_TO_CATALOG: Readonly<Record<string, IntentId>> = {
  report_lost_card: 'card.lost_stolen',
  damaged_card: 'card.damaged',
  replacement_card_duration: 'card.delivery',
  expiration_date: 'card.expiration',
  pin_change: 'card.pin',
  card_declined: 'card.declined',
  freeze_account: 'card.lock',
  bill_due: 'payment.due_date',
  min_payment: 'payment.minimum',
  bill_balance: 'payment.balance',
  pay_bill: 'payment.make',
  international_fees: 'fee.foreign',
  transactions: 'transactions.recent',
  spending_history: 'transactions.recent',
  report_fraud: 'fraud.report',
  rewards_balance: 'rewards.balance',
  redeem_rewards: 'rewards.redeem',
  credit_limit: 'credit.limit',
  credit_limit_change: 'credit.limit_increase',
  apr: 'credit.apr',
  travel_notification: 'travel.notification',
  lost_luggage: 'travel.protection',
  flight_status: 'travel.itinerary',
  book_flight: 'travel.booking',
  book_hotel: 'travel.booking',
  car_rental: 'travel.booking',
  are_you_a_bot: 'faq.is_bot',
  greeting: 'greeting',
  thank_you: 'thanks',
  goodbye: 'goodbye',
  yes: 'affirm',
  no: 'deny',
  cancel: 'cancel',
  what_can_i_ask_you: 'help',
};

/**
 * CLINC150 labels left out of the evaluation: near the card domain but not one catalog intent (a new
 * card could be `credit.product` or `card.lost_stolen`; "balance" could be a checking account), or
 * dialogue moves the assistant answers in context ("repeat", "maybe").
 */
export const CLINC_EXCLUDED: ReadonlySet<string> = new Set([
  'new_card',
  'interest_rate',
  'account_blocked',
  'application_status',
  'change_language',
  'balance',
  'transfer',
  'direct_deposit',
  'order_checks',
  'credit_score',
  'improve_credit_score',
  'repeat',
  'maybe',
]);

/** CLINC150 domains whose other labels are excluded rather than out of scope (except `routing`). */
const CLINC_NEAR_DOMAINS: ReadonlySet<string> = new Set(['banking', 'credit_cards']);

/** Catalog id, `out_of_scope`, or null when the line is not evaluated. */
export function mapClinc(label: string, domain: string): string | null {
  const mapped = CLINC_TO_CATALOG[label];
  if (mapped) return mapped;
  if (label === 'oos' || label === 'routing') return OUT_OF_SCOPE; // a checking account's routing number
  if (CLINC_EXCLUDED.has(label) || CLINC_NEAR_DOMAINS.has(domain)) return null;
  return OUT_OF_SCOPE;
}

/** BANKING77 label -> catalog id; every other label is excluded (BANKING77 has no out-of-scope lines). */
export const BANKING77_TO_CATALOG: Readonly<Record<string, IntentId>> = {
  activate_my_card: 'card.activate',
  apple_pay_or_google_pay: 'card.wallet',
  card_arrival: 'card.delivery',
  card_delivery_estimate: 'card.delivery',
  card_about_to_expire: 'card.expiration',
  card_not_working: 'card.declined',
  declined_card_payment: 'card.declined',
  card_payment_not_recognised: 'dispute.start',
  transaction_charged_twice: 'dispute.start',
  extra_charge_on_statement: 'dispute.start',
  compromised_card: 'fraud.report',
  lost_or_stolen_card: 'card.lost_stolen',
  change_pin: 'card.pin',
  pin_blocked: 'card.pin',
  exchange_charge: 'fee.foreign',
  edit_personal_details: 'account.update_contact',
  balance_not_updated_after_bank_transfer: 'payment.posting',
};

export const mapBanking77 = (label: string): string | null => BANKING77_TO_CATALOG[label] ?? null;

/** A mapped evaluation line: the catalog id (or `out_of_scope`) and the dataset's own label. */
export interface MappedExample extends Example {
  label: string;
}

interface DatasetRow {
  text: string;
  intent: string;
  domain?: string;
}

const readRows = (file: string): DatasetRow[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as DatasetRow);

export const MAPPED_SETS = ['clinc', 'banking77'] as const;
export type MappedSet = (typeof MAPPED_SETS)[number];

/** The folder of the public datasets next to the checkout, or null where it is absent. */
export function datasetsDir(repoRoot: string): string | null {
  const dir = path.resolve(repoRoot, '../shared/datasets');
  return existsSync(path.join(dir, 'clinc150', 'train.jsonl')) ? dir : null;
}

/** clinc: train + val lines that map (in-scope and out-of-scope); banking77: train lines that map. */
export function mappedSet(dir: string, set: MappedSet): MappedExample[] {
  const rows =
    set === 'clinc'
      ? [...readRows(path.join(dir, 'clinc150/train.jsonl')), ...readRows(path.join(dir, 'clinc150/val.jsonl'))]
      : readRows(path.join(dir, 'banking77/train.jsonl'));
  const out: MappedExample[] = [];
  for (const row of rows) {
    const intent = set === 'clinc' ? mapClinc(row.intent, row.domain ?? '') : mapBanking77(row.intent);
    if (intent) out.push({ text: row.text, intent, label: row.intent });
  }
  return out;
}
