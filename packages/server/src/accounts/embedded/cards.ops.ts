/**
 * Embedded accounts core: cards operations (list, detail, lock/unlock, activation, lost/stolen and
 * damaged replacements, wallet tokens). Decisions come from `rules/cards.rules.ts`; this module only
 * loads, scopes, writes and presents. Only last 4 digits leave; a full number exists here only for the
 * instant a lost/stolen replacement is issued, to encrypt and fingerprint it.
 */
import type { ReplacementsTable, WalletTokensTable } from '../../store/schema.js';
import type {
  Caller,
  CardDetail,
  CardSummary,
  LockResult,
  LostStolenResult,
  Replacement,
  ShippingMethod,
  WalletToken,
} from '../accounts.port.js';
import {
  chooseShippingAddress,
  decideActivate,
  decideLock,
  decideReplaceDamaged,
  decideReportLostOrStolen,
  decideUnlock,
  estimateDelivery,
  orderCards,
  replacementExpiry,
  replacementProgress,
  type LockDecision,
} from '../rules/cards.rules.js';
import {
  auditRead,
  cardFor,
  checkCaller,
  invalid,
  mutate,
  newId,
  notFound,
  nowIso,
  presentCard,
  ruleViolation,
  todayOf,
  type CardRow,
  type OpsContext,
  type Tx,
} from './context.js';
import { generatePan } from './pan-vault.js';

// ------------------------------------------------------------------ input checks

const METHODS: readonly ShippingMethod[] = ['standard', 'expedited'];

function checkCardId(cardId: unknown): asserts cardId is string {
  if (typeof cardId !== 'string' || cardId.length === 0 || cardId.length > 64) {
    throw invalid('A card id is required.', { field: 'cardId' });
  }
}

function checkInputObject(input: unknown): asserts input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('The request is missing.');
}

function checkMethod(method: unknown): ShippingMethod {
  if (method === undefined) return 'standard';
  if (typeof method !== 'string' || !METHODS.includes(method as ShippingMethod)) {
    throw invalid('The shipping method must be standard or expedited.', { field: 'method' });
  }
  return method as ShippingMethod;
}

function checkAddressId(addressId: unknown): string | undefined {
  if (addressId === undefined) return undefined;
  if (typeof addressId !== 'string' || addressId.length === 0 || addressId.length > 64) {
    throw invalid('The address id is not valid.', { field: 'addressId' });
  }
  return addressId;
}

// ------------------------------------------------------------------ presenters and loaders

function presentToken(t: WalletTokensTable): WalletToken {
  return {
    id: t.id,
    cardId: t.card_id,
    wallet: t.wallet,
    deviceName: t.device_name,
    status: t.status,
    createdAt: t.created_at,
    suspendedAt: t.suspended_at,
  };
}

interface ShipTo {
  addressId: string;
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  zip: string;
  country: string;
}

function presentReplacement(r: ReplacementsTable, newCardLast4: string, today: string): Replacement {
  const ship = JSON.parse(r.ship_to) as Partial<ShipTo>;
  const progress = replacementProgress(
    { orderedOn: r.ordered_at.slice(0, 10), estimatedDelivery: r.estimated_delivery, deliveredOn: r.delivered_on },
    today,
  );
  return {
    id: r.id,
    cardId: r.card_id,
    newCardId: r.new_card_id,
    newCardLast4,
    reason: r.reason,
    method: r.method,
    status: progress.status,
    shipTo: { line1: ship.line1 ?? '', city: ship.city ?? '', state: ship.state ?? '', zip: ship.zip ?? '' },
    orderedAt: r.ordered_at,
    estimatedDelivery: r.estimated_delivery,
    deliveredOn: progress.deliveredOn,
  };
}

/** The cardmember's replacements (optionally those touching one card, on either side), newest first. */
async function replacementsOf(db: Tx, ctx: OpsContext, caller: Caller, cardId?: string): Promise<Replacement[]> {
  let q = db
    .selectFrom('replacements as r')
    .innerJoin('cards as k', 'k.id', 'r.card_id')
    .innerJoin('cards as n', 'n.id', 'r.new_card_id')
    .selectAll('r')
    .select('n.last4 as new_last4')
    .where('k.cardmember_id', '=', caller.onBehalfOf);
  if (cardId !== undefined)
    q = q.where((eb) => eb.or([eb('r.card_id', '=', cardId), eb('r.new_card_id', '=', cardId)]));
  const rows = await q.orderBy('r.ordered_at', 'desc').orderBy('r.id', 'desc').execute();
  const today = todayOf(ctx);
  return rows.map(({ new_last4, ...r }) => presentReplacement(r, new_last4, today));
}

async function tokensOf(db: Tx, cardId: string): Promise<WalletToken[]> {
  const rows = await db
    .selectFrom('wallet_tokens')
    .selectAll()
    .where('card_id', '=', cardId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(presentToken);
}

/**
 * Takes the card's row lock before reading it, so two concurrent requests on one card (e.g. a lost
 * report and a lock from another device) decide one after the other on fresh state (PostgreSQL;
 * SQLite serialises writers anyway).
 */
async function claimCard(tx: Tx, caller: Caller, cardId: string): Promise<void> {
  await tx
    .updateTable('cards')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('id', '=', cardId)
    .where('cardmember_id', '=', caller.onBehalfOf)
    .execute();
}

/** The cardmember's addresses, chosen for shipping by the rule; `not_found` for an address not theirs. */
async function shippingAddress(tx: Tx, caller: Caller, addressId: string | undefined): Promise<ShipTo> {
  const rows = await tx
    .selectFrom('addresses')
    .selectAll()
    .where('cardmember_id', '=', caller.onBehalfOf)
    .orderBy('id')
    .execute();
  const choice = chooseShippingAddress(
    rows.map((a) => ({ ...a, primary: Number(a.is_primary) === 1 })),
    addressId,
  );
  if (!choice.ok) {
    if ('notFound' in choice) throw notFound('Address');
    throw ruleViolation(choice.rule, choice.message);
  }
  const a = choice.address;
  return {
    addressId: a.id,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country,
  };
}

// ------------------------------------------------------------------ reads

/** See AccountsPort.listCards. */
export async function listCards(ctx: OpsContext, caller: Caller): Promise<CardSummary[]> {
  checkCaller(caller);
  // Only cards the accounts core knows (with an account); legacy chat-only card rows are not listed.
  const rows = await ctx.db
    .selectFrom('cards as k')
    .innerJoin('accounts as a', 'a.id', 'k.account_id')
    .selectAll('k')
    .select(['a.product_id as a_product_id', 'a.opened_on as a_opened_on'])
    .where('k.cardmember_id', '=', caller.onBehalfOf)
    .execute();
  const products = new Map((await ctx.db.selectFrom('products').selectAll().execute()).map((p) => [p.id, p]));
  const ordered = orderCards(
    rows.map((r) => ({
      ...r,
      replacedByCardId: r.replaced_by_card_id,
      accountOpenedOn: r.a_opened_on,
      accountId: r.account_id ?? '',
      role: r.role ?? 'primary',
      createdAt: r.created_at,
    })),
  );
  await auditRead(ctx, caller, 'listCards', 'cardmember', caller.onBehalfOf);
  return ordered.flatMap((r) => {
    const { a_product_id, a_opened_on: _opened, ...card } = r;
    const product = products.get(a_product_id);
    return product ? [presentCard(card, product)] : [];
  });
}

/** See AccountsPort.getCard. */
export async function getCard(ctx: OpsContext, caller: Caller, cardId: string): Promise<CardDetail> {
  checkCaller(caller);
  checkCardId(cardId);
  const card = await cardFor(ctx.db, caller, cardId);
  const [walletTokens, replacements] = await Promise.all([
    tokensOf(ctx.db, card.id),
    replacementsOf(ctx.db, ctx, caller, card.id),
  ]);
  await auditRead(ctx, caller, 'getCard', 'card', card.id);
  return { ...presentCard(card, card.p), walletTokens, replacements };
}

/** See AccountsPort.listReplacements. */
export async function listReplacements(ctx: OpsContext, caller: Caller, cardId?: string): Promise<Replacement[]> {
  checkCaller(caller);
  if (cardId !== undefined) {
    checkCardId(cardId);
    await cardFor(ctx.db, caller, cardId);
  }
  const out = await replacementsOf(ctx.db, ctx, caller, cardId);
  await auditRead(
    ctx,
    caller,
    'listReplacements',
    cardId === undefined ? 'cardmember' : 'card',
    cardId ?? caller.onBehalfOf,
  );
  return out;
}

/** See AccountsPort.listWalletTokens. */
export async function listWalletTokens(ctx: OpsContext, caller: Caller, cardId: string): Promise<WalletToken[]> {
  checkCaller(caller);
  checkCardId(cardId);
  const card = await cardFor(ctx.db, caller, cardId);
  const out = await tokensOf(ctx.db, card.id);
  await auditRead(ctx, caller, 'listWalletTokens', 'card', card.id);
  return out;
}

// ------------------------------------------------------------------ lock, unlock, activate

async function setLock(
  ctx: OpsContext,
  caller: Caller,
  cardId: string,
  idempotencyKey: string,
  operation: 'lockCard' | 'unlockCard',
  decide: (status: string) => LockDecision,
  to: 'locked' | 'active',
): Promise<LockResult> {
  checkCaller(caller);
  checkCardId(cardId);
  return mutate(
    ctx,
    caller,
    { operation, targetType: 'card', targetId: cardId, idempotencyKey, request: { cardId } },
    async (tx) => {
      await claimCard(tx, caller, cardId);
      const card = await cardFor(tx, caller, cardId);
      const d = decide(card.status);
      if (!d.ok) throw ruleViolation(d.rule, d.message, { status: card.status });
      let after: CardRow = card;
      if (d.change) {
        // Wallet tokens are left alone: a lock is temporary and the tokens follow the card's status.
        const at = nowIso(ctx);
        await tx.updateTable('cards').set({ status: to, status_changed_at: at }).where('id', '=', card.id).execute();
        after = { ...card, status: to, status_changed_at: at };
      }
      return {
        result: { card: presentCard(after, card.p), changed: d.change },
        targetId: card.id,
        details: { changed: d.change, from: card.status, to: after.status },
      };
    },
  );
}

/** See AccountsPort.lockCard. */
export function lockCard(ctx: OpsContext, caller: Caller, cardId: string, idempotencyKey: string): Promise<LockResult> {
  return setLock(ctx, caller, cardId, idempotencyKey, 'lockCard', decideLock, 'locked');
}

/** See AccountsPort.unlockCard. */
export function unlockCard(
  ctx: OpsContext,
  caller: Caller,
  cardId: string,
  idempotencyKey: string,
): Promise<LockResult> {
  return setLock(ctx, caller, cardId, idempotencyKey, 'unlockCard', decideUnlock, 'active');
}

/** See AccountsPort.activateCard. */
export async function activateCard(
  ctx: OpsContext,
  caller: Caller,
  cardId: string,
  idempotencyKey: string,
): Promise<CardSummary> {
  checkCaller(caller);
  checkCardId(cardId);
  return mutate(
    ctx,
    caller,
    { operation: 'activateCard', targetType: 'card', targetId: cardId, idempotencyKey, request: { cardId } },
    async (tx) => {
      await claimCard(tx, caller, cardId);
      const card = await cardFor(tx, caller, cardId);
      const d = decideActivate(card.status, card.activated_at !== null);
      if (!d.ok) throw ruleViolation(d.rule, d.message, { status: card.status });
      const at = nowIso(ctx);
      await tx.updateTable('cards').set({ activated_at: at }).where('id', '=', card.id).execute();
      return { result: presentCard({ ...card, activated_at: at }, card.p), targetId: card.id, details: {} };
    },
  );
}

// ------------------------------------------------------------------ replacements

/** A fresh number for the account: never the old last 4 (the cardmember must tell them apart) nor a number on file. */
async function issueNumber(ctx: OpsContext, tx: Tx, oldLast4: string) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pan = generatePan();
    if (pan.slice(-4) === oldLast4) continue;
    const fingerprint = ctx.vault.fingerprint(pan);
    const taken = await tx
      .selectFrom('cards')
      .select('id')
      .where('pan_fingerprint', '=', fingerprint)
      .executeTakeFirst();
    if (taken) continue;
    return { last4: pan.slice(-4), ciphertext: ctx.vault.encrypt(pan), fingerprint };
  }
  throw new Error('could not generate a new card number');
}

/** See AccountsPort.reportLostOrStolen. */
export async function reportLostOrStolen(
  ctx: OpsContext,
  caller: Caller,
  input: { cardId: string; reason: 'lost' | 'stolen'; method?: ShippingMethod; addressId?: string },
  idempotencyKey: string,
): Promise<LostStolenResult> {
  checkCaller(caller);
  checkInputObject(input);
  const { cardId, reason } = input;
  checkCardId(cardId);
  if (reason !== 'lost' && reason !== 'stolen') {
    throw invalid('The reason must be lost or stolen.', { field: 'reason' });
  }
  const method = checkMethod(input.method);
  const addressId = checkAddressId(input.addressId);
  return mutate(
    ctx,
    caller,
    {
      operation: 'reportLostOrStolen',
      targetType: 'card',
      targetId: cardId,
      idempotencyKey,
      request: { cardId, reason, method, addressId: addressId ?? null },
    },
    async (tx) => {
      await claimCard(tx, caller, cardId);
      const old = await cardFor(tx, caller, cardId);
      const d = decideReportLostOrStolen(old.status);
      if (!d.ok) throw ruleViolation(d.rule, d.message, { status: old.status });
      const shipTo = await shippingAddress(tx, caller, addressId);
      const now = nowIso(ctx);
      const today = todayOf(ctx);

      const number = await issueNumber(ctx, tx, old.last4);
      const newCard = {
        id: newId('card'),
        cardmember_id: old.cardmember_id,
        product_name: old.product_name,
        last4: number.last4,
        status: 'active',
        created_at: now,
        account_id: old.account_id,
        pan_ciphertext: number.ciphertext,
        pan_fingerprint: number.fingerprint,
        expiry: replacementExpiry(today),
        holder_name: old.holder_name,
        role: old.role,
        // Must be activated when it arrives: a card intercepted in the mail is useless to a thief.
        activated_at: null,
        replaced_by_card_id: null,
        status_changed_at: now,
      };
      await tx.insertInto('cards').values(newCard).execute();
      await tx
        .updateTable('cards')
        .set({ status: reason, status_changed_at: now, replaced_by_card_id: newCard.id })
        .where('id', '=', old.id)
        .execute();
      const suspended = await tx
        .updateTable('wallet_tokens')
        .set({ status: 'suspended', suspended_at: now })
        .where('card_id', '=', old.id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      const suspendedWalletTokens = Number(suspended.numUpdatedRows);
      // The authorized user keeps their place on the account; their card is now the new one.
      await tx.updateTable('authorized_users').set({ card_id: newCard.id }).where('card_id', '=', old.id).execute();

      const row: ReplacementsTable = {
        id: newId('repl'),
        card_id: old.id,
        new_card_id: newCard.id,
        reason,
        method,
        ship_to: JSON.stringify(shipTo),
        ordered_at: now,
        estimated_delivery: estimateDelivery(today, method),
        delivered_on: null,
      };
      await tx.insertInto('replacements').values(row).execute();

      const closedCard = presentCard(
        { ...old, status: reason, status_changed_at: now, replaced_by_card_id: newCard.id },
        old.p,
      );
      return {
        result: {
          closedCard,
          newCard: presentCard(newCard, old.p),
          replacement: presentReplacement(row, newCard.last4, today),
          suspendedWalletTokens,
        },
        targetId: old.id,
        details: {
          reason,
          method,
          newCardId: newCard.id,
          replacementId: row.id,
          addressId: shipTo.addressId,
          suspendedWalletTokens,
        },
      };
    },
  );
}

/** See AccountsPort.replaceDamaged. */
export async function replaceDamaged(
  ctx: OpsContext,
  caller: Caller,
  input: { cardId: string; method?: ShippingMethod; addressId?: string },
  idempotencyKey: string,
): Promise<Replacement> {
  checkCaller(caller);
  checkInputObject(input);
  const { cardId } = input;
  checkCardId(cardId);
  const method = checkMethod(input.method);
  const addressId = checkAddressId(input.addressId);
  return mutate(
    ctx,
    caller,
    {
      operation: 'replaceDamaged',
      targetType: 'card',
      targetId: cardId,
      idempotencyKey,
      request: { cardId, method, addressId: addressId ?? null },
    },
    async (tx) => {
      await claimCard(tx, caller, cardId);
      const card = await cardFor(tx, caller, cardId);
      const today = todayOf(ctx);
      const earlier = await tx
        .selectFrom('replacements')
        .selectAll()
        .where('card_id', '=', card.id)
        .where('reason', '=', 'damaged')
        .execute();
      const open = earlier.filter(
        (r) =>
          replacementProgress(
            {
              orderedOn: r.ordered_at.slice(0, 10),
              estimatedDelivery: r.estimated_delivery,
              deliveredOn: r.delivered_on,
            },
            today,
          ).status !== 'delivered',
      ).length;
      const d = decideReplaceDamaged(card.status, open);
      if (!d.ok) throw ruleViolation(d.rule, d.message, { status: card.status });
      const shipTo = await shippingAddress(tx, caller, addressId);
      // Same number: the card keeps working (and its wallet tokens with it) until the new plastic arrives.
      const row: ReplacementsTable = {
        id: newId('repl'),
        card_id: card.id,
        new_card_id: card.id,
        reason: 'damaged',
        method,
        ship_to: JSON.stringify(shipTo),
        ordered_at: nowIso(ctx),
        estimated_delivery: estimateDelivery(today, method),
        delivered_on: null,
      };
      await tx.insertInto('replacements').values(row).execute();
      return {
        result: presentReplacement(row, card.last4, today),
        targetId: card.id,
        details: { method, replacementId: row.id, addressId: shipTo.addressId },
      };
    },
  );
}
