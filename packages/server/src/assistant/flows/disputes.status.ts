/**
 * dispute.status: where the cardmember's disputes stand (reference, status, the acknowledge and
 * resolve dates). A reference in the message (`DSP-7K2M9QXA`, any case) answers that one dispute.
 */
import type { Table } from '@carechat/protocol';
import type { Dispute, DisputeStatus } from '../../accounts/accounts.port.js';
import { AccountsError } from '../../accounts/accounts.port.js';
import { common } from '../dialogue/common.strings.js';
import { day, done, money, type Flow, type FlowContext } from '../dialogue/flow.js';

type Key =
  | 'none'
  | 'not_found'
  | 'header'
  | 'line.open'
  | 'line.closed'
  | 'status.open'
  | 'status.acknowledged'
  | 'status.resolved_in_favor'
  | 'status.resolved_against'
  | 'status.withdrawn'
  | 'more';

const s: Table<Key> = {
  en: {
    none: "You don't have any disputes with us. If a charge looks wrong, I can start one.",
    not_found: "I can't find a dispute with the reference {ref}.",
    header: 'Your disputes:',
    'line.open': "{ref}: {merchant} {amount}, {status}. We'll acknowledge it by {ack} and resolve it by {resolve}.",
    'line.closed': '{ref}: {merchant} {amount}, {status}.',
    'status.open': 'open and being reviewed',
    'status.acknowledged': 'acknowledged and under investigation',
    'status.resolved_in_favor': 'resolved in your favor: the charge was credited back',
    'status.resolved_against': 'resolved: the charge stands (you were sent the explanation)',
    'status.withdrawn': 'withdrawn',
    more: 'You have {count} more older disputes; a live agent can go through them with you.',
  },
  es: {
    none: 'No tiene ninguna disputa con nosotros. Si un cargo parece incorrecto, puedo iniciar una.',
    not_found: 'No encuentro ninguna disputa con la referencia {ref}.',
    header: 'Sus disputas:',
    'line.open':
      '{ref}: {merchant} {amount}, {status}. Le confirmaremos la recepción a más tardar el {ack} y la resolveremos a más tardar el {resolve}.',
    'line.closed': '{ref}: {merchant} {amount}, {status}.',
    'status.open': 'abierta y en revisión',
    'status.acknowledged': 'recibida y en investigación',
    'status.resolved_in_favor': 'resuelta a su favor: se le devolvió el cargo',
    'status.resolved_against': 'resuelta: el cargo se mantiene (le enviamos la explicación)',
    'status.withdrawn': 'retirada',
    more: 'Tiene {count} disputas anteriores más; un agente puede revisarlas con usted.',
  },
};

/** A dispute's status in the cardmember's words. */
export const statusText = (ctx: FlowContext, status: DisputeStatus): string => ctx.t(s)(`status.${status}`);

/** Disputes shown in one answer; older ones are for an agent. */
const SHOWN = 3;
/** `DSP-7K2M9QXA` as people type it (the port normalises case, dashes and look-alike letters). */
const REFERENCE = /\bDSP-?[0-9A-Z]{8}\b/i;

function line(ctx: FlowContext, d: Dispute): string {
  const p = {
    ref: d.reference,
    merchant: d.merchant,
    amount: money(d.amountCents, ctx.lang),
    status: statusText(ctx, d.status),
    ack: day(d.acknowledgeBy, ctx.lang),
    resolve: day(d.resolveBy, ctx.lang),
  };
  return ctx.t(s)(d.status === 'open' || d.status === 'acknowledged' ? 'line.open' : 'line.closed', p);
}

export const disputeStatusFlow: Flow = {
  intent: 'dispute.status',
  async step(ctx) {
    const t = ctx.t(s);
    const { port, caller } = ctx.accounts;
    const ref = REFERENCE.exec(ctx.text)?.[0];
    if (ref) {
      try {
        return done([line(ctx, await port.getDispute(caller, ref))]);
      } catch (err) {
        if (!(err instanceof AccountsError && err.code === 'not_found')) throw err;
        // Probably mistyped: say so, then show what there is.
        const all = await port.listDisputes(caller);
        return done([t('not_found', { ref: ref.toUpperCase() }), ...(all.length ? answer(ctx, all) : [])]);
      }
    }
    const all = await port.listDisputes(caller);
    if (all.length === 0) return done([{ text: t('none'), quickReplies: [ctx.t(common)('qr.dispute')] }]);
    return done(answer(ctx, all));
  },
};

function answer(ctx: FlowContext, all: Dispute[]): string[] {
  const t = ctx.t(s);
  const shown = all.slice(0, SHOWN).map((d) => line(ctx, d));
  const text = shown.length === 1 ? shown[0]! : [t('header'), ...shown.map((l) => `• ${l}`)].join('\n');
  return all.length > SHOWN ? [text, t('more', { count: all.length - SHOWN })] : [text];
}
