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
  /** JSON TeamHours (protocol live.ts); null = 24/7 (0007_live_agents). */
  hours?: string | null;
  phone?: string | null;
  answer_sla_seconds?: Generated<number>;
}

export interface AgentsTable {
  id: string;
  email: string;
  password_hash: string;
  first_name: string;
  display_name: string;
  role: 'agent' | 'supervisor' | 'admin';
  status: 'available' | 'busy' | 'away' | 'wrap_up' | 'offline';
  status_changed_at: string;
  /** Since when the agent has had no chat (routing offers to the agent idle longest); null = busy. */
  idle_since?: string | null;
  max_concurrent: number;
  created_at: string;
  /** AES-256-GCM ciphertext of the base32 TOTP secret, bound to the agent id (identity/secret-box.ts). */
  totp_secret_ciphertext: string | null;
  /** Set by the first correct code; a secret without it is an enrollment in progress. */
  totp_enrolled_at: string | null;
  /** The last TOTP time step accepted: codes of that step or earlier are refused (replay). */
  totp_last_step: number | null;
  /** Failed sign-ins (password or code) counted since failed_logins_since; lockout at 10 in 15 min. */
  failed_logins: Generated<number>;
  failed_logins_since: string | null;
  locked_until: string | null;
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
  /** Step-up (0004_stepup); optional because a new chat takes the defaults: `session`, nulls. */
  assurance_level?: 'session' | 'verified';
  assurance_method?: 'device' | 'challenge' | null;
  /** `verified` counts only while this is in the future. */
  assurance_expires_at?: string | null;
  /** The newest device prompt of this chat. */
  stepup_prompt_id?: string | null;
  /** Live-agent operations (0007_live_agents). */
  escalated_at?: string | null;
  disposition?: string | null;
  wrapped_up_at?: string | null;
  /** What the cardmember noted about how they need to be served (from their profile or the chat). */
  accommodation?: string | null;
  /** `CHT-` + 8 Crockford base32, set when a person handles the chat or an account changes (0008_cases). */
  reference?: string | null;
}

/** 0008_cases: see migrations/0008_cases.ts and docs/cases.md. */
export interface CasesTable {
  id: string;
  reference: string;
  type: 'dispute' | 'complaint' | 'replacement' | 'goodwill' | 'credit_limit' | 'travel' | 'general';
  status: 'open' | 'acknowledged' | 'in_progress' | 'awaiting_customer' | 'resolved' | 'closed';
  title: string;
  language: 'en' | 'es';
  cardmember_id: string;
  card_id: string | null;
  owner_team_id: string;
  complaint_category: string | null;
  dispute_id: string | null;
  acknowledge_by: string | null;
  resolve_by: string | null;
  acknowledged_at: string | null;
  resolved_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CaseEventsTable {
  id: string;
  case_id: string;
  seq: number;
  type: string;
  actor_type: 'cardmember' | 'agent' | 'assistant' | 'system';
  actor_id: string | null;
  actor_name: string | null;
  from_status: string | null;
  to_status: string | null;
  text: string | null;
  payload: string;
  /** 0/1 (SQLite has no boolean). */
  visible_to_cardmember: number;
  created_at: string;
}

export interface CaseLinksTable {
  case_id: string;
  kind: 'conversation' | 'account_action' | 'dispute';
  target_id: string;
  created_at: string;
}

export interface CaseTimersTable {
  id: string;
  case_id: string;
  kind: 'acknowledge_warning' | 'acknowledge_breach' | 'resolve_warning' | 'resolve_breach';
  due_at: string;
  fired_at: string | null;
  cancelled_at: string | null;
}

export interface SecureMessagesTable {
  id: string;
  cardmember_id: string;
  case_id: string | null;
  conversation_id: string | null;
  kind: 'case_update' | 'acknowledgement' | 'resolution' | 'document_request' | 'summary';
  language: 'en' | 'es';
  subject: string;
  body: string;
  dedupe_key: string | null;
  created_at: string;
  read_at: string | null;
}

export interface UploadLinksTable {
  id: string;
  token_hash: string;
  case_id: string;
  cardmember_id: string;
  request: string | null;
  created_by_type: 'agent' | 'assistant';
  created_by_id: string | null;
  max_bytes: number;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface UploadsTable {
  id: string;
  case_id: string;
  cardmember_id: string;
  link_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  note: string | null;
  created_at: string;
}

export interface CsatResponsesTable {
  conversation_id: string;
  cardmember_id: string;
  agent_id: string | null;
  team_id: string | null;
  score: number;
  comment: string | null;
  created_at: string;
}

/** A waiting chat offered to one agent (0007_live_agents). */
export interface OffersTable {
  id: string;
  conversation_id: string;
  agent_id: string;
  kind: 'queue' | 'transfer' | 'conference';
  from_agent_id: string | null;
  note: string | null;
  state: 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn';
  offered_at: string;
  expires_at: string;
  decided_at: string | null;
}

/** Smoothed average handle time per queue (0007_live_agents). */
export interface QueueStatsTable {
  team_id: string;
  language: 'en' | 'es';
  aht_seconds: number;
  samples: number;
  updated_at: string;
}

export interface CannedResponsesTable {
  id: string;
  team_id: string | null;
  language: 'en' | 'es';
  title: string;
  template: string;
  created_at: string;
}

/** A step-up prompt to a registered device. Only the SHA-256 of its secret link is stored. */
export interface StepupPromptsTable {
  id: string;
  token_hash: string;
  conversation_id: string;
  cardmember_id: string;
  device_id: string;
  device_name: string;
  requested_by_type: 'cardmember' | 'agent';
  requested_by_id: string | null;
  status: 'pending' | 'approved' | 'denied' | 'expired';
  created_at: string;
  expires_at: string;
  decided_at: string | null;
}

/** Failed last-4 + ZIP challenges per cardmember, and the lock they lead to. */
export interface StepupLockoutsTable {
  cardmember_id: string;
  failed_attempts: number;
  locked_until: string | null;
  updated_at: string;
}

export interface ParticipantsTable {
  conversation_id: string;
  participant_type: 'cardmember' | 'agent' | 'assistant';
  participant_id: string;
  role: 'owner' | 'assignee' | 'assistant' | 'conference' | 'supervisor' | 'monitor';
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
  kind: 'text' | 'system' | 'note';
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
  /** Last API/WebSocket activity (written at most once a minute); staff sessions idle out from it. */
  last_seen_at: string | null;
}

/** Between the password and the code: single use, 5 minutes, 5 codes; only a SHA-256 is stored. */
export interface LoginChallengesTable {
  id_hash: string;
  agent_id: string;
  attempts: Generated<number>;
  expires_at: string;
  used_at: string | null;
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
  /** The dispute opened on this charge (0005_disputes); optional because a new charge has none. */
  dispute_id?: string | null;
}

/** A billing-error dispute of one charge. `amount_cents` is not collectible while open or acknowledged. */
export interface DisputesTable {
  id: string;
  /** `DSP-` + 8 Crockford base32 characters, unique. */
  reference: string;
  cardmember_id: string;
  account_id: string;
  card_id: string;
  transaction_id: string;
  amount_cents: number;
  reason: 'unauthorized' | 'duplicate' | 'not_received' | 'wrong_amount' | 'cancelled';
  description: string | null;
  status: 'open' | 'acknowledged' | 'resolved_in_favor' | 'resolved_against' | 'withdrawn';
  notice_date: string;
  statement_closing_date: string | null;
  acknowledge_by: string;
  resolve_by: string;
  created_at: string;
  updated_at: string;
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

/** The assistant's dialogue state per conversation (0006_assistant): JSON, see assistant/dialogue/state.ts. */
export interface AssistantStatesTable {
  conversation_id: string;
  state: string;
  updated_at: string;
}

/** A stored assistant turn still owed (0009_assistant_jobs): see conversations/assistant-jobs.ts. */
export interface AssistantJobsTable {
  id: string;
  conversation_id: string;
  /** The cardmember message the turn answers. */
  message_seq: number;
  created_at: string;
  /** Takes so far; a take's number is its token (the turn's delete checks it). */
  attempts: number;
  lease_until: string | null;
  leased_by: string | null;
}

/** A running node and its last heartbeat (0010_presence, agents/presence.ts). Wall-clock times. */
export interface NodesTable {
  id: string;
  started_at: string;
  heartbeat_at: string;
}

/** Console sockets of one staff member open on one node (0010_presence). */
export interface StaffPresenceTable {
  agent_id: string;
  node_id: string;
  connections: number;
  since: string;
}

/** Since when an `available` staff member has been connected nowhere (0010_presence: the away rule). */
export interface StaffAbsenceTable {
  agent_id: string;
  since: string;
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
  login_challenges: LoginChallengesTable;
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
  disputes: DisputesTable;
  assistant_states: AssistantStatesTable;
  assistant_jobs: AssistantJobsTable;
  nodes: NodesTable;
  staff_presence: StaffPresenceTable;
  staff_absence: StaffAbsenceTable;
  offers: OffersTable;
  queue_stats: QueueStatsTable;
  canned_responses: CannedResponsesTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_links: CaseLinksTable;
  case_timers: CaseTimersTable;
  secure_messages: SecureMessagesTable;
  upload_links: UploadLinksTable;
  uploads: UploadsTable;
  csat_responses: CsatResponsesTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  stepup_prompts: StepupPromptsTable;
  stepup_lockouts: StepupLockoutsTable;
}
