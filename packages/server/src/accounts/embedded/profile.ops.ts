/** Embedded accounts core: profile operations (contact details, preferences, authorized users). */
import { randomInt } from 'node:crypto';
import type { AuthorizedUsersTable } from '../../store/schema.js';
import type {
  Address,
  AuthorizedUser,
  Caller,
  CardmemberProfile,
  CommunicationPreferences,
  ContactUpdate,
  NewAuthorizedUser,
} from '../accounts.port.js';
import {
  ADDRESS_KINDS,
  authorizedUserCardExpiry,
  safeId,
  checkContactUpdate,
  checkNewAuthorizedUser,
  compareAuthorizedUsers,
  evaluateAddAuthorizedUser,
  evaluateRemoveAuthorizedUser,
  mergePreferences,
  planAddressChange,
  readPreferences,
  type Decision,
} from '../rules/profile.rules.js';
import {
  auditRead,
  cardFor,
  checkCaller,
  invalid,
  mutate,
  newId,
  notFound,
  nowIso,
  ruleViolation,
  todayOf,
  type OpsContext,
  type Tx,
} from './context.js';
import { generatePan } from './pan-vault.js';

/** Unwraps a rule decision, turning a refusal into the port's typed error. */
function decided<T>(d: Decision<T>): T {
  if (d.ok) return d.value;
  if (d.kind === 'rule') throw ruleViolation(d.rule!, d.message, d.details);
  throw invalid(d.message, d.details);
}

/**
 * Takes the row lock on a cardmember (PostgreSQL) before a read-modify-write, so two concurrent
 * changes cannot both read the old state. SQLite serialises write transactions anyway.
 */
async function lockCardmember(tx: Tx, cardmemberId: string): Promise<boolean> {
  const r = await tx
    .updateTable('cardmembers')
    .set((eb) => ({ preferred_language: eb.ref('preferred_language') }))
    .where('id', '=', cardmemberId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

const KIND_ORDER = (k: string) => (ADDRESS_KINDS as readonly string[]).indexOf(k);

/** The cardmember's profile, read through `tx` (so it can run inside a mutation). */
async function loadProfile(tx: Tx, cardmemberId: string): Promise<CardmemberProfile> {
  const cm = await tx.selectFrom('cardmembers').selectAll().where('id', '=', cardmemberId).executeTakeFirst();
  if (!cm) throw notFound('Cardmember');
  // One after the other: inside a transaction they share one connection.
  const addresses = await tx.selectFrom('addresses').selectAll().where('cardmember_id', '=', cardmemberId).execute();
  const devices = await tx
    .selectFrom('devices')
    .selectAll()
    .where('cardmember_id', '=', cardmemberId)
    .orderBy('registered_at')
    .orderBy('id')
    .execute();
  const presented: Address[] = addresses
    .map((a) => ({
      id: a.id,
      kind: a.kind,
      line1: a.line1,
      line2: a.line2,
      city: a.city,
      state: a.state,
      zip: a.zip,
      country: a.country,
      primary: Number(a.is_primary) === 1,
    }))
    .sort((a, b) => Number(b.primary) - Number(a.primary) || KIND_ORDER(a.kind) - KIND_ORDER(b.kind));
  return {
    id: cm.id,
    firstName: cm.first_name,
    lastName: cm.last_name,
    preferredLanguage: cm.preferred_language,
    email: cm.email ?? '',
    phone: cm.phone ?? '',
    addresses: presented,
    communication: readPreferences(cm.communication_prefs, cm.preferred_language),
    devices: devices.map((d) => ({
      id: d.id,
      name: d.name,
      platform: d.platform,
      pushEnabled: Number(d.push_enabled) === 1,
      registeredAt: d.registered_at,
    })),
    accommodationsNote: cm.accommodations_note,
  };
}

/** See AccountsPort.getProfile. */
export async function getProfile(ctx: OpsContext, caller: Caller): Promise<CardmemberProfile> {
  checkCaller(caller);
  const profile = await loadProfile(ctx.db, caller.onBehalfOf);
  await auditRead(ctx, caller, 'getProfile', 'cardmember', caller.onBehalfOf);
  return profile;
}

/** See AccountsPort.updateContact. */
export async function updateContact(
  ctx: OpsContext,
  caller: Caller,
  update: ContactUpdate,
  idempotencyKey: string,
): Promise<CardmemberProfile> {
  checkCaller(caller);
  return mutate(
    ctx,
    caller,
    {
      operation: 'updateContact',
      targetType: 'cardmember',
      targetId: caller.onBehalfOf,
      idempotencyKey,
      request: update,
    },
    async (tx) => {
      // Checked inside the mutation so a refusal is audited too (as `rejected`, with the rule id only).
      const clean = decided(checkContactUpdate(update));
      if (!(await lockCardmember(tx, caller.onBehalfOf))) throw notFound('Cardmember');
      const fields: string[] = [];
      if (clean.email !== undefined || clean.phone !== undefined) {
        await tx
          .updateTable('cardmembers')
          .set({
            ...(clean.email !== undefined ? { email: clean.email } : {}),
            ...(clean.phone !== undefined ? { phone: clean.phone } : {}),
          })
          .where('id', '=', caller.onBehalfOf)
          .execute();
        if (clean.email !== undefined) fields.push('email');
        if (clean.phone !== undefined) fields.push('phone');
      }
      let addressId: string | undefined;
      if (clean.address) {
        const a = clean.address;
        const existing = await tx
          .selectFrom('addresses')
          .select(['id', 'kind'])
          .where('cardmember_id', '=', caller.onBehalfOf)
          .orderBy('id')
          .execute();
        const plan = planAddressChange(existing, a.kind);
        if (plan.primary) {
          await tx
            .updateTable('addresses')
            .set({ is_primary: 0 })
            .where('cardmember_id', '=', caller.onBehalfOf)
            .execute();
        }
        const values = {
          line1: a.line1,
          line2: a.line2,
          city: a.city,
          state: a.state,
          zip: a.zip,
          country: a.country,
        };
        if (plan.action === 'replace') {
          addressId = plan.id;
          await tx
            .updateTable('addresses')
            .set({ ...values, ...(plan.primary ? { is_primary: 1 } : {}) })
            .where('id', '=', plan.id)
            .where('cardmember_id', '=', caller.onBehalfOf)
            .execute();
        } else {
          addressId = newId('adr');
          await tx
            .insertInto('addresses')
            .values({
              id: addressId,
              cardmember_id: caller.onBehalfOf,
              kind: a.kind,
              ...values,
              is_primary: plan.primary ? 1 : 0,
            })
            .execute();
        }
        fields.push(`address:${a.kind}`);
      }
      const profile = await loadProfile(tx, caller.onBehalfOf);
      // Field names only: the values are personal data and stay out of the audit trail.
      return { result: profile, details: { fields, ...(addressId ? { addressId } : {}) } };
    },
  );
}

/** See AccountsPort.updateCommunicationPreferences. */
export async function updateCommunicationPreferences(
  ctx: OpsContext,
  caller: Caller,
  prefs: Partial<CommunicationPreferences>,
  idempotencyKey: string,
): Promise<CommunicationPreferences> {
  checkCaller(caller);
  return mutate(
    ctx,
    caller,
    {
      operation: 'updateCommunicationPreferences',
      targetType: 'cardmember',
      targetId: caller.onBehalfOf,
      idempotencyKey,
      request: prefs,
    },
    async (tx) => {
      if (!(await lockCardmember(tx, caller.onBehalfOf))) throw notFound('Cardmember');
      const cm = await tx
        .selectFrom('cardmembers')
        .select(['phone', 'communication_prefs', 'preferred_language'])
        .where('id', '=', caller.onBehalfOf)
        .executeTakeFirstOrThrow();
      const current = readPreferences(cm.communication_prefs, cm.preferred_language);
      const next = decided(mergePreferences(current, prefs, !!cm.phone));
      await tx
        .updateTable('cardmembers')
        .set({ communication_prefs: JSON.stringify(next) })
        .where('id', '=', caller.onBehalfOf)
        .execute();
      const changed = (Object.keys(next) as Array<keyof CommunicationPreferences>).filter(
        (k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]),
      );
      return { result: next, details: { changed } };
    },
  );
}

// ------------------------------------------------------------------ authorized users

type AuthorizedUserRow = AuthorizedUsersTable & { card_last4: string };

const presentAuthorizedUser = (r: AuthorizedUserRow): AuthorizedUser => ({
  id: r.id,
  accountId: r.account_id,
  firstName: r.first_name,
  lastName: r.last_name,
  cardId: r.card_id,
  cardLast4: r.card_last4,
  status: r.status,
  addedOn: r.added_on,
});

/** Authorized users of an account the caller owns (the join through accounts is the scoping). */
function authorizedUsersQuery(tx: Tx, caller: Caller) {
  return tx
    .selectFrom('authorized_users as u')
    .innerJoin('accounts as a', 'a.id', 'u.account_id')
    .innerJoin('cards as k', 'k.id', 'u.card_id')
    .selectAll('u')
    .select('k.last4 as card_last4')
    .where('a.cardmember_id', '=', caller.onBehalfOf);
}

/** See AccountsPort.listAuthorizedUsers. */
export async function listAuthorizedUsers(ctx: OpsContext, caller: Caller, cardId: string): Promise<AuthorizedUser[]> {
  const card = await cardFor(ctx.db, caller, cardId);
  const rows = await authorizedUsersQuery(ctx.db, caller).where('u.account_id', '=', card.account_id!).execute();
  await auditRead(ctx, caller, 'listAuthorizedUsers', 'account', card.account_id);
  return rows.map(presentAuthorizedUser).sort(compareAuthorizedUsers);
}

/** See AccountsPort.addAuthorizedUser. */
export async function addAuthorizedUser(
  ctx: OpsContext,
  caller: Caller,
  input: NewAuthorizedUser,
  idempotencyKey: string,
): Promise<AuthorizedUser> {
  checkCaller(caller);
  const today = todayOf(ctx);
  return mutate(
    ctx,
    caller,
    {
      operation: 'addAuthorizedUser',
      targetType: 'authorized_user',
      targetId: null,
      idempotencyKey,
      request: input,
    },
    async (tx) => {
      const clean = decided(checkNewAuthorizedUser(input, today));
      const card = await cardFor(tx, caller, clean.cardId);
      const accountId = card.account_id!;
      // Row lock on the account so two concurrent adds cannot both pass the 5-user limit.
      await tx
        .updateTable('accounts')
        .set((eb) => ({ status: eb.ref('status') }))
        .where('id', '=', accountId)
        .execute();
      const account = await tx
        .selectFrom('accounts')
        .select('status')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      const { n } = await tx
        .selectFrom('authorized_users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow();
      decided(
        evaluateAddAuthorizedUser({
          cardRole: card.role,
          accountStatus: account.status,
          dateOfBirth: clean.dateOfBirth,
          today,
          activeAuthorizedUsers: Number(n),
        }),
      );

      // The new plastic: a fresh number on the same account and product, not activated until it arrives.
      let pan = generatePan(randomInt);
      while (
        await tx
          .selectFrom('cards')
          .select('id')
          .where('pan_fingerprint', '=', ctx.vault.fingerprint(pan))
          .executeTakeFirst()
      ) {
        pan = generatePan(randomInt);
      }
      const newCardId = newId('card');
      const now = nowIso(ctx);
      await tx
        .insertInto('cards')
        .values({
          id: newCardId,
          cardmember_id: caller.onBehalfOf,
          product_name: card.p.name,
          last4: pan.slice(-4),
          status: 'active',
          created_at: now,
          account_id: accountId,
          pan_ciphertext: ctx.vault.encrypt(pan),
          pan_fingerprint: ctx.vault.fingerprint(pan),
          expiry: authorizedUserCardExpiry(today),
          holder_name: `${clean.firstName} ${clean.lastName}`,
          role: 'authorized_user',
          activated_at: null,
          replaced_by_card_id: null,
          status_changed_at: now,
        })
        .execute();
      const row: AuthorizedUsersTable = {
        id: newId('au'),
        account_id: accountId,
        first_name: clean.firstName,
        last_name: clean.lastName,
        date_of_birth: clean.dateOfBirth,
        card_id: newCardId,
        status: 'active',
        added_on: today,
        removed_on: null,
      };
      await tx.insertInto('authorized_users').values(row).execute();
      return {
        result: presentAuthorizedUser({ ...row, card_last4: pan.slice(-4) }),
        targetId: row.id,
        details: { accountId, authorizedUserId: row.id, newCardId, primaryCardId: card.id },
      };
    },
  );
}

/** See AccountsPort.removeAuthorizedUser. */
export async function removeAuthorizedUser(
  ctx: OpsContext,
  caller: Caller,
  input: { authorizedUserId: string },
  idempotencyKey: string,
): Promise<AuthorizedUser> {
  checkCaller(caller);
  const id = safeId(input && typeof input === 'object' ? input.authorizedUserId : undefined);
  return mutate(
    ctx,
    caller,
    {
      operation: 'removeAuthorizedUser',
      targetType: 'authorized_user',
      targetId: id,
      idempotencyKey,
      request: input,
    },
    async (tx) => {
      if (!id) throw invalid('An authorized user id is required.');
      const user = await authorizedUsersQuery(tx, caller).where('u.id', '=', id).executeTakeFirst();
      if (!user) throw notFound('Authorized user');
      decided(evaluateRemoveAuthorizedUser({ status: user.status }));
      const today = todayOf(ctx);
      const now = nowIso(ctx);
      // Conditional on still active: a concurrent removal that committed first wins, this one is refused.
      const r = await tx
        .updateTable('authorized_users')
        .set({ status: 'removed', removed_on: today })
        .where('id', '=', id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) decided(evaluateRemoveAuthorizedUser({ status: 'removed' }));
      // Their card stops working at once, including any phone wallet holding it.
      await tx
        .updateTable('cards')
        .set({ status: 'closed', status_changed_at: now })
        .where('id', '=', user.card_id)
        .execute();
      const suspended = await tx
        .updateTable('wallet_tokens')
        .set({ status: 'suspended', suspended_at: now })
        .where('card_id', '=', user.card_id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return {
        result: presentAuthorizedUser({ ...user, status: 'removed', removed_on: today }),
        details: {
          accountId: user.account_id,
          authorizedUserId: id,
          closedCardId: user.card_id,
          suspendedWalletTokens: Number(suspended.numUpdatedRows),
        },
      };
    },
  );
}
