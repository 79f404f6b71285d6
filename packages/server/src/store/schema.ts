/** Table types for the typed query layer (Kysely). Timestamps are ISO-8601 UTC text. */
import type { Generated } from 'kysely';

export interface CardmembersTable {
  id: string;
  username: string;
  password_hash: string;
  first_name: string;
  last_name: string;
  preferred_language: 'en' | 'es';
  created_at: string;
  email: string | null;
  phone: string | null;
  date_of_birth: string | null;
  /** JSON CommunicationPreferences */
  communication_prefs: string | null;
  accommodations_note: string | null;
}

/** Only the last 4 digits are kept here; the full number lives in the accounts core (or its vault). */
export interface CardsTable {
  id: string;
  cardmember_id: string;
  product_name: string;
  last4: string;
  status: string;
  created_at: string;
  account_id: string | null;
  /** AES-256-GCM ciphertext of the full number (see accounts/embedded/pan-vault.ts). */
  pan_ciphertext: string | null;
  /** HMAC-SHA256 of the full number, for lookups without decrypting. */
  pan_fingerprint: string | null;
  /** YYYY-MM */
  expiry: string | null;
  holder_name: string | null;
  role: 'primary' | 'authorized_user' | null;
  activated_at: string | null;
  replaced_by_card_id: string | null;
  status_changed_at: string | null;
}

export interface TeamsTable {
  id: string;
  name_en: string;
  name_es: string;
}

export interface AgentsTable {
  id: string;
  email: string;
  password_hash: string;
  first_name: string;
  display_name: string;
  role: 'agent' | 'supervisor';
  status: 'available' | 'away' | 'offline';
  status_changed_at: string;
  max_concurrent: number;
  created_at: string;
}

export interface AgentSkillsTable {
  agent_id: string;
  team_id: string;
  language: 'en' | 'es';
}

export interface ConversationsTable {
  id: string;
  cardmember_id: string;
  card_id: string;
  language: 'en' | 'es';
  status: 'bot' | 'queued' | 'assigned' | 'closed';
  team_id: string | null;
  priority: number;
  queued_at: string | null;
  assigned_agent_id: string | null;
  assigned_at: string | null;
  closed_at: string | null;
  closed_by: string | null;
  last_seq: number;
  created_at: string;
  updated_at: string;
}

export interface ParticipantsTable {
  conversation_id: string;
  participant_type: 'cardmember' | 'agent' | 'assistant';
  participant_id: string;
  role: 'owner' | 'assignee' | 'assistant';
  joined_at: string;
  left_at: string | null;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  client_msg_id: string | null;
  author_type: 'cardmember' | 'agent' | 'assistant' | 'system';
  author_id: string | null;
  author_name: string | null;
  kind: 'text' | 'system';
  body: string;
  /** JSON: { system?: {code, params}, quickReplies?: string[], redactions?: [...] } */
  meta: string;
  created_at: string;
}

export interface EventsTable {
  id: Generated<number>;
  type: string;
  conversation_id: string | null;
  actor_type: string;
  actor_id: string | null;
  payload: string;
  created_at: string;
}

/** Opaque bearer sessions; only a SHA-256 of the token is stored. */
export interface SessionsTable {
  id_hash: string;
  kind: 'widget' | 'staff';
  subject_id: string;
  card_id: string | null;
  csrf_token: string | null;
  expires_at: string;
  revoked_at: string | null;
  created_at: string;
}

/** Host-site token ids already exchanged (one use each), kept until they would have expired anyway. */
export interface UsedTokensTable {
  jti: string;
  expires_at: string;
}

export interface ProductsTable {
  id: string;
  name: string;
  type: 'personal' | 'business' | 'corporate';
  tier: number;
  annual_fee_cents: number;
  purchase_apr_bps: number;
  cash_apr_bps: number;
  bt_apr_bps: number;
  penalty_apr_bps: number;
  rewards_program: string | null;
  points_per_dollar: number;
  pay_with_points: number;
  /** Hundredths of a cent per point in Pay with Points. */
  pwp_value: number;
  lounge_access: number;
  benefits: string;
  trip_protection: string;
}

export interface AddressesTable {
  id: string;
  cardmember_id: string;
  kind: 'home' | 'mailing' | 'business';
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  zip: string;
  country: string;
  is_primary: number;
}

export interface DevicesTable {
  id: string;
  cardmember_id: string;
  name: string;
  platform: 'ios' | 'android' | 'web';
  push_enabled: number;
  registered_at: string;
}

export interface AccountsTable {
  id: string;
  cardmember_id: string;
  product_id: string;
  credit_limit_cents: number;
  current_balance_cents: number;
  opened_on: string;
  due_day: number;
  last_due_day_change_on: string | null;
  last_limit_change_on: string | null;
  status: 'open' | 'closed';
  bank_last4: string;
  rewards_balance: number;
}

export interface AuthorizedUsersTable {
  id: string;
  account_id: string;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  card_id: string;
  status: 'active' | 'removed';
  added_on: string;
  removed_on: string | null;
}

export interface StatementsTable {
  id: string;
  account_id: string;
  period_start: string;
  closing_date: string;
  due_date: string;
  previous_balance_cents: number;
  payments_credits_cents: number;
  purchases_cents: number;
  fees_cents: number;
  interest_cents: number;
  new_balance_cents: number;
  minimum_due_cents: number;
}

export interface TransactionsTable {
  id: string;
  account_id: string;
  card_id: string;
  transaction_date: string;
  posted_on: string | null;
  merchant: string;
  category: string;
  amount_cents: number;
  currency: string;
  status: 'pending' | 'posted';
  statement_id: string | null;
  is_foreign: number;
  pwp_redeemed: number;
}

export interface PaymentsTable {
  id: string;
  account_id: string;
  amount_cents: number;
  status: 'scheduled' | 'processing' | 'posted' | 'returned';
  scheduled_for: string;
  posted_on: string | null;
  from_bank_last4: string;
  created_at: string;
}

export interface FeesTable {
  id: string;
  account_id: string;
  kind: 'late' | 'annual' | 'foreign_transaction' | 'returned_payment';
  amount_cents: number;
  assessed_on: string;
  reversed_on: string | null;
  reversal_reason: string | null;
}

export interface CreditsTable {
  id: string;
  account_id: string;
  kind: 'goodwill' | 'statement_credit' | 'pay_with_points' | 'refund';
  amount_cents: number;
  posted_on: string;
  reference: string | null;
}

export interface RewardsLedgerTable {
  id: string;
  account_id: string;
  points: number;
  kind: 'earn' | 'redeem' | 'adjust';
  description: string;
  transaction_id: string | null;
  status: 'pending' | 'posted';
  created_at: string;
}

export interface WalletTokensTable {
  id: string;
  card_id: string;
  wallet: 'apple_pay' | 'google_pay';
  device_name: string;
  status: 'active' | 'suspended';
  created_at: string;
  suspended_at: string | null;
}

export interface ReplacementsTable {
  id: string;
  card_id: string;
  new_card_id: string;
  reason: 'lost' | 'stolen' | 'damaged';
  method: 'standard' | 'expedited';
  ship_to: string;
  ordered_at: string;
  estimated_delivery: string;
  delivered_on: string | null;
}

export interface TravelBookingsTable {
  id: string;
  cardmember_id: string;
  card_id: string;
  reference: string;
  total_cents: number;
  paid_with_card: number;
  booked_on: string;
  segments: string;
}

export interface TravelNoticesTable {
  id: string;
  cardmember_id: string;
  destinations: string;
  start_on: string;
  end_on: string;
  created_at: string;
}

export interface CreditLimitRequestsTable {
  id: string;
  account_id: string;
  requested_cents: number;
  annual_income_cents: number;
  decision: 'approved' | 'declined';
  new_limit_cents: number;
  reasons: string;
  decided_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_type: string;
  actor_id: string | null;
  on_behalf_of: string;
  conversation_id: string | null;
  operation: string;
  target_type: string;
  target_id: string | null;
  outcome: 'ok' | 'rejected' | 'error';
  idempotency_key: string | null;
  details: string;
}

export interface IdempotencyKeysTable {
  cardmember_id: string;
  operation: string;
  key: string;
  request_hash: string;
  response: string;
  created_at: string;
}

export interface Database {
  cardmembers: CardmembersTable;
  cards: CardsTable;
  teams: TeamsTable;
  agents: AgentsTable;
  agent_skills: AgentSkillsTable;
  conversations: ConversationsTable;
  participants: ParticipantsTable;
  messages: MessagesTable;
  events: EventsTable;
  sessions: SessionsTable;
  used_tokens: UsedTokensTable;
  products: ProductsTable;
  addresses: AddressesTable;
  devices: DevicesTable;
  accounts: AccountsTable;
  authorized_users: AuthorizedUsersTable;
  statements: StatementsTable;
  transactions: TransactionsTable;
  payments: PaymentsTable;
  fees: FeesTable;
  credits: CreditsTable;
  rewards_ledger: RewardsLedgerTable;
  wallet_tokens: WalletTokensTable;
  replacements: ReplacementsTable;
  travel_bookings: TravelBookingsTable;
  travel_notices: TravelNoticesTable;
  credit_limit_requests: CreditLimitRequestsTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
}
