/** Questions about a card that change nothing: its expiry, its PIN, its digital wallets. */
import type { Table } from '@carechat/protocol';
import type { WalletToken } from '../../../accounts/accounts.port.js';
import { common } from '../../dialogue/common.strings.js';
import { day, say, type Flow, type FlowContext } from '../../dialogue/flow.js';
import { PHONE } from '../../knowledge/facts.js';
import { cardLabel, pickCard } from '../shared.js';
import { inUse, statusText } from './refusals.js';

type Key =
  | 'which'
  | 'expiry'
  | 'expiry.closed'
  | 'pin'
  | 'wallet.none'
  | 'wallet.list'
  | 'wallet.active'
  | 'wallet.suspended'
  | 'wallet.replaced'
  | 'wallet.replaced.successor'
  | 'wallet.suspended.why';

const s: Table<Key> = {
  en: {
    which: 'Which card do you mean?',
    expiry: 'Your {card} expires {expiry}: it works through the last day of {month}.',
    'expiry.closed': 'Note that this card {status}.',
    pin: `You can set or change your PIN in the Meridian app or by calling ${PHONE.general}. Never type your PIN in this chat: no one at Meridian will ever ask for it.`,
    'wallet.none':
      "Your {card} isn't in any digital wallet yet. To add it, open Apple Wallet or Google Wallet on your phone; if we send you a code, enter it only in the wallet app.",
    'wallet.list': 'Digital wallets for your {card}: {list}.',
    'wallet.active': '{wallet} on {device} (active)',
    'wallet.suspended': '{wallet} on {device} (suspended since {date})',
    'wallet.replaced': 'They were turned off because this card {status}: a suspended wallet can no longer pay with it.',
    'wallet.replaced.successor': 'Once your new card ending in {last4} is activated, add it to your wallet.',
    'wallet.suspended.why':
      'A suspended wallet cannot be used to pay. A live agent can check why it was suspended and turn it back on.',
  },
  es: {
    which: '¿A qué tarjeta se refiere?',
    expiry: 'Su {card} vence en {expiry}: funciona hasta el último día de {month}.',
    'expiry.closed': 'Tenga en cuenta que esta tarjeta {status}.',
    pin: `Puede crear o cambiar su PIN en la aplicación de Meridian o llamando al ${PHONE.spanish}. Nunca escriba su PIN en este chat: nadie de Meridian se lo pedirá.`,
    'wallet.none':
      'Su {card} todavía no está en ninguna billetera digital. Para agregarla, abra Apple Wallet o Google Wallet en su teléfono; si le enviamos un código, ingréselo solo en la aplicación de la billetera.',
    'wallet.list': 'Billeteras digitales de su {card}: {list}.',
    'wallet.active': '{wallet} en {device} (activa)',
    'wallet.suspended': '{wallet} en {device} (suspendida desde el {date})',
    'wallet.replaced':
      'Se desactivaron porque esta tarjeta {status}: una billetera suspendida ya no puede pagar con ella.',
    'wallet.replaced.successor': 'Cuando active su tarjeta nueva terminada en {last4}, agréguela a su billetera.',
    'wallet.suspended.why':
      'Una billetera suspendida no se puede usar para pagar. Un agente puede revisar por qué se suspendió y reactivarla.',
  },
};

/** "11/30" -> "November 2030" / "noviembre de 2030". */
function expiryMonth(expiry: string, lang: FlowContext['lang']): string {
  const [mm, yy] = expiry.split('/').map(Number) as [number, number];
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(2000 + yy, mm - 1, 1)));
}

const expiration: Flow = {
  intent: 'card.expiration',
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, { whenSeveral: 'chat', prompt: t('which') });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const text = t('expiry', {
      card: cardLabel(card, ctx.lang),
      expiry: card.expiry,
      month: expiryMonth(card.expiry, ctx.lang),
    });
    return say(inUse(card) ? text : `${text} ${t('expiry.closed', { status: statusText(ctx, card.status) })}`);
  },
};

const pin: Flow = {
  intent: 'card.pin',
  async step(ctx) {
    // The knowledge base is the issuer's own wording when it has an article; the PIN is never asked for.
    return say(ctx.knowledge('PIN')?.body ?? ctx.t(s)('pin'));
  },
};

const WALLET_NAME: Record<WalletToken['wallet'], string> = { apple_pay: 'Apple Pay', google_pay: 'Google Pay' };

const wallet: Flow = {
  intent: 'card.wallet',
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, { whenSeveral: 'chat', prompt: t('which') });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const label = cardLabel(card, ctx.lang);
    const tokens = await ctx.accounts.port.listWalletTokens(ctx.accounts.caller, card.id);
    if (tokens.length === 0) return say(t('wallet.none', { card: label }));
    const list = tokens
      .map((w) =>
        t(w.status === 'active' ? 'wallet.active' : 'wallet.suspended', {
          wallet: WALLET_NAME[w.wallet],
          device: w.deviceName,
          date: day((w.suspendedAt ?? w.createdAt).slice(0, 10), ctx.lang),
        }),
      )
      .join('; ');
    const replies = [t('wallet.list', { card: label, list })];
    if (!tokens.some((w) => w.status === 'suspended')) return say(...replies);
    if (inUse(card)) {
      return say(...replies, { text: t('wallet.suspended.why'), quickReplies: [ctx.t(common)('qr.agent')] });
    }
    // Suspended because the number was closed (lost, stolen, replaced): the new card goes in instead.
    replies.push(t('wallet.replaced', { status: statusText(ctx, card.status) }));
    const successor = (await ctx.accounts.port.listReplacements(ctx.accounts.caller, card.id)).find(
      (r) => r.cardId === card.id && r.newCardId !== card.id,
    );
    if (successor) replies.push(t('wallet.replaced.successor', { last4: successor.newCardLast4 }));
    return say(...replies);
  },
};

export const infoFlows: Flow[] = [expiration, pin, wallet];
