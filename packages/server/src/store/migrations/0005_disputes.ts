import type { Kysely } from 'kysely';

/**
 * Billing-error disputes (Fair Credit Billing Act). A dispute covers one charge, whose row points back
 * at it (`transactions.dispute_id`): that pointer is what refuses a second dispute, and it is set with
 * a conditional update so two concurrent requests cannot both open one. The reference is what the
 * cardmember quotes, unique across every node writing to the store.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('disputes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id'))
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('transactions.id'))
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('notice_date', 'text', (c) => c.notNull())
    .addColumn('statement_closing_date', 'text')
    .addColumn('acknowledge_by', 'text', (c) => c.notNull())
    .addColumn('resolve_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disputes_cardmember').on('disputes').columns(['cardmember_id', 'created_at']).execute();
  await db.schema.createIndex('disputes_transaction').on('disputes').column('transaction_id').execute();

  // No foreign key: SQLite cannot drop a column that is one, and disputes.transaction_id links back anyway.
  await db.schema.alterTable('transactions').addColumn('dispute_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('transactions').dropColumn('dispute_id').execute();
  await db.schema.dropTable('disputes').execute();
}
