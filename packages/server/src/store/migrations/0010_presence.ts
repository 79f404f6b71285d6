import type { Kysely } from 'kysely';

/**
 * Staff presence across nodes (agents/presence.ts, docs/routing.md#presence):
 * - nodes: every running node and its last heartbeat; a node whose heartbeat is older than three
 *   intervals is dead (it was killed) and any other node removes what it left behind;
 * - staff_presence: per (agent, node) the number of console sockets open there, and since when;
 * - staff_absence: since when an `available` agent has been seen connected nowhere (the away rule).
 * Times are the nodes' wall clock (ISO-8601 UTC text), not the application clock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('nodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('staff_presence')
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('connections', 'integer', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_presence_pk', ['agent_id', 'node_id'])
    .execute();
  await db.schema.createIndex('staff_presence_node').on('staff_presence').column('node_id').execute();
  await db.schema
    .createTable('staff_absence')
    .addColumn('agent_id', 'text', (c) => c.primaryKey().references('agents.id'))
    .addColumn('since', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['staff_absence', 'staff_presence', 'nodes']) await db.schema.dropTable(t).execute();
}
