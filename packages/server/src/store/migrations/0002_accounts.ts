import type { Kysely } from 'kysely';

/**
 * The embedded card-account system of record behind the accounts port. Money in integer cents,
 * dates as YYYY-MM-DD text, timestamps as ISO text. Full card numbers exist only encrypted
 * (`cards.pan_ciphertext`, AES-256-GCM) with an HMAC fingerprint for lookups.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('tier', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('annual_fee_cents', 'integer', (c) => c.notNull())
    .addColumn('purchase_apr_bps', 'integer', (c) => c.notNull())
    .addColumn('cash_apr_bps', 'integer', (c) => c.notNull())
    .addColumn('bt_apr_bps', 'integer', (c) => c.notNull())
    .addColumn('penalty_apr_bps', 'integer', (c) => c.notNull())
    .addColumn('rewards_program', 'text')
    .addColumn('points_per_dollar', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('pay_with_points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pwp_value', 'integer', (c) => c.notNull().defaultTo(70))
    .addColumn('lounge_access', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON: [{id, kind, name, terms, annualAmountCents, category}] */
    .addColumn('benefits', 'text', (c) => c.notNull().defaultTo('[]'))
    /** JSON: {delay: {minHours, maxCents}, cancellation: {maxCents}, lost_luggage: {maxCents}} */
    .addColumn('trip_protection', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();

  for (const [col, type] of [
    ['email', 'text'],
    ['phone', 'text'],
    ['date_of_birth', 'text'],
    ['communication_prefs', 'text'],
    ['accommodations_note', 'text'],
  ] as const) {
    await db.schema.alterTable('cardmembers').addColumn(col, type).execute();
  }

  await db.schema
    .createTable('addresses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('line1', 'text', (c) => c.notNull())
    .addColumn('line2', 'text')
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('zip', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull().defaultTo('US'))
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('addresses_cardmember').on('addresses').column('cardmember_id').execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('push_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('devices_cardmember').on('devices').column('cardmember_id').execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('credit_limit_cents', 'integer', (c) => c.notNull())
    .addColumn('current_balance_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('opened_on', 'text', (c) => c.notNull())
    .addColumn('due_day', 'integer', (c) => c.notNull())
    .addColumn('last_due_day_change_on', 'text')
    .addColumn('last_limit_change_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('bank_last4', 'text', (c) => c.notNull().defaultTo('0000'))
    .addColumn('rewards_balance', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('accounts_cardmember').on('accounts').column('cardmember_id').execute();

  for (const [col, type] of [
    ['account_id', 'text'],
    ['pan_ciphertext', 'text'],
    ['pan_fingerprint', 'text'],
    ['expiry', 'text'],
    ['holder_name', 'text'],
    ['role', 'text'],
    ['activated_at', 'text'],
    ['replaced_by_card_id', 'text'],
    ['status_changed_at', 'text'],
  ] as const) {
    await db.schema.alterTable('cards').addColumn(col, type).execute();
  }
  await db.schema.createIndex('cards_account').on('cards').column('account_id').execute();
  await db.schema.createIndex('cards_fingerprint').on('cards').column('pan_fingerprint').execute();

  await db.schema
    .createTable('authorized_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('added_on', 'text', (c) => c.notNull())
    .addColumn('removed_on', 'text')
    .execute();
  await db.schema.createIndex('authorized_users_account').on('authorized_users').column('account_id').execute();

  await db.schema
    .createTable('statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('closing_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('previous_balance_cents', 'integer', (c) => c.notNull())
    .addColumn('payments_credits_cents', 'integer', (c) => c.notNull())
    .addColumn('purchases_cents', 'integer', (c) => c.notNull())
    .addColumn('fees_cents', 'integer', (c) => c.notNull())
    .addColumn('interest_cents', 'integer', (c) => c.notNull())
    .addColumn('new_balance_cents', 'integer', (c) => c.notNull())
    .addColumn('minimum_due_cents', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('statements_account').on('statements').columns(['account_id', 'closing_date']).execute();

  await db.schema
    .createTable('transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id'))
    .addColumn('transaction_date', 'text', (c) => c.notNull())
    .addColumn('posted_on', 'text')
    .addColumn('merchant', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('statement_id', 'text')
    .addColumn('is_foreign', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pwp_redeemed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('transactions_account')
    .on('transactions')
    .columns(['account_id', 'transaction_date'])
    .execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'text', (c) => c.notNull())
    .addColumn('posted_on', 'text')
    .addColumn('from_bank_last4', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payments_account').on('payments').columns(['account_id', 'scheduled_for']).execute();

  await db.schema
    .createTable('fees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('assessed_on', 'text', (c) => c.notNull())
    .addColumn('reversed_on', 'text')
    .addColumn('reversal_reason', 'text')
    .execute();
  await db.schema.createIndex('fees_account').on('fees').columns(['account_id', 'assessed_on']).execute();

  await db.schema
    .createTable('credits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('posted_on', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .execute();
  await db.schema.createIndex('credits_account').on('credits').column('account_id').execute();

  await db.schema
    .createTable('rewards_ledger')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('posted'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rewards_ledger_account').on('rewards_ledger').column('account_id').execute();

  await db.schema
    .createTable('wallet_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id'))
    .addColumn('wallet', 'text', (c) => c.notNull())
    .addColumn('device_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('suspended_at', 'text')
    .execute();
  await db.schema.createIndex('wallet_tokens_card').on('wallet_tokens').column('card_id').execute();

  await db.schema
    .createTable('replacements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id'))
    .addColumn('new_card_id', 'text', (c) => c.notNull().references('cards.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    /** JSON snapshot of the shipping address at order time. */
    .addColumn('ship_to', 'text', (c) => c.notNull())
    .addColumn('ordered_at', 'text', (c) => c.notNull())
    .addColumn('estimated_delivery', 'text', (c) => c.notNull())
    .addColumn('delivered_on', 'text')
    .execute();
  await db.schema.createIndex('replacements_card').on('replacements').column('card_id').execute();

  await db.schema
    .createTable('travel_bookings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('paid_with_card', 'integer', (c) => c.notNull())
    .addColumn('booked_on', 'text', (c) => c.notNull())
    /** JSON: TravelSegment[] */
    .addColumn('segments', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('travel_bookings_cardmember').on('travel_bookings').column('cardmember_id').execute();

  await db.schema
    .createTable('travel_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('destinations', 'text', (c) => c.notNull())
    .addColumn('start_on', 'text', (c) => c.notNull())
    .addColumn('end_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('credit_limit_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('requested_cents', 'integer', (c) => c.notNull())
    .addColumn('annual_income_cents', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('new_limit_cents', 'integer', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('on_behalf_of', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    /** JSON, never a full card number or a secret. */
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['on_behalf_of', 'at']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('cardmember_id', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['cardmember_id', 'operation', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'idempotency_keys',
    'audit_log',
    'credit_limit_requests',
    'travel_notices',
    'travel_bookings',
    'replacements',
    'wallet_tokens',
    'rewards_ledger',
    'credits',
    'fees',
    'payments',
    'transactions',
    'statements',
    'authorized_users',
    'accounts',
    'devices',
    'addresses',
    'products',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
