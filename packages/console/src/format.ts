/** Pure helpers that turn protocol data into display text. */
import type {
  AgentState,
  ApiErrorCode,
  CardStatus,
  ChatParticipant,
  Disposition,
  ConversationView,
  ErrorCode,
  Language,
  Message,
  Money,
  Replacement,
  SystemCode,
  Transaction,
  WalletToken,
} from '@carechat/protocol/client';
import { makeT, systemText, type ConsoleKey, type Translate } from './i18n.js';
import type { Announcement } from './state.js';

/** "under 1 min", "2 min", "1 h 5 min" since `sinceIso`. */
export function waitingTime(t: Translate, sinceIso: string | null, nowMs: number): string {
  const since = sinceIso ? Date.parse(sinceIso) : NaN;
  if (Number.isNaN(since)) return t('time.underMinute');
  const minutes = Math.floor(Math.max(0, nowMs - since) / 60_000);
  if (minutes < 1) return t('time.underMinute');
  if (minutes < 60) return t('time.minutes', { n: minutes });
  return t('time.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

export function teamName(c: ConversationView): string | null {
  return c.queue?.teamName ?? c.teamId ?? null;
}

export function languageName(t: Translate, lang: Language): string {
  return t(lang === 'es' ? 'lang.es' : 'lang.en');
}

/** "Maria (cardmember)", "Assistant", "You", "Ana (agent)", "Notice". */
export function authorLabel(t: Translate, message: Message, selfId: string | null, c: ConversationView): string {
  switch (message.author.role) {
    case 'cardmember':
      return t('author.cardmember', { name: message.author.name ?? c.cardmember.firstName });
    case 'assistant':
      return t('author.assistant');
    case 'agent':
      if (selfId && message.author.id === selfId) return t('author.you');
      // A supervisor who barged in (or took the chat) writes as staff; say which.
      if (c.participants?.some((p) => p.agentId === message.author.id && p.role === 'supervisor'))
        return t('author.supervisor', { name: message.author.name ?? '' });
      return t('author.agent', { name: message.author.name ?? '' });
    case 'system':
      return t('author.system');
  }
}

const CARDMEMBER_CODES = new Set<SystemCode>([
  'conversation.queued',
  'conversation.closed_by_cardmember',
  'handoff.language',
]);

/** The text of a message; system notices are re-rendered from their code in the agent's language. */
export function messageText(message: Message, c: ConversationView, lang: Language): string {
  if (message.kind !== 'system' || !message.system) return message.body;
  const { code } = message.system;
  const params = { ...message.system.params };
  // A language sent as a code ("es") is shown by name, in the agent's language.
  if (params.language === 'en' || params.language === 'es')
    params.language = languageName(makeT(lang), params.language);
  const defaults: Record<string, string> = {
    name: CARDMEMBER_CODES.has(code) ? c.cardmember.firstName : (c.agent?.firstName ?? ''),
    team: teamName(c) ?? '',
    language: languageName(makeT(lang), c.language),
  };
  return systemText(code, params, lang, defaults);
}

export function conversationStatus(t: Translate, c: ConversationView, selfId: string | null): string {
  switch (c.status) {
    case 'bot':
      return t('conv.status.bot');
    case 'queued':
      return t('conv.status.queued');
    case 'assigned':
      return c.agent && c.agent.id !== selfId
        ? t('conv.status.other', { name: c.agent.firstName })
        : t('conv.status.mine');
    case 'closed':
      return t('conv.status.closed');
  }
}

export function announcementText(t: Translate, a: Announcement, lang: Language, selfId: string | null): string {
  if (a.kind === 'waiting') {
    const team = teamName(a.conversation);
    const name = a.conversation.cardmember.firstName;
    return team ? t('waiting.new', { name, team }) : t('waiting.newNoTeam', { name });
  }
  if (a.kind === 'offer') {
    const c = a.offer.conversation;
    const name = c.cardmember.firstName;
    if (a.offer.kind === 'transfer') return t('offer.newTransfer', { name, last4: c.card.last4 });
    if (a.offer.kind === 'conference') return t('offer.newConference', { name });
    const team = teamName(c);
    return team ? t('offer.new', { name, team }) : t('waiting.newNoTeam', { name });
  }
  if (a.kind === 'offerEnding') {
    return t('offer.ending', { name: a.offer.conversation.cardmember.firstName, seconds: a.seconds });
  }
  if (a.kind === 'board') return t('board.alert', { breaches: a.breaches, escalations: a.escalations });
  const { message, conversation } = a;
  if (message.kind === 'system') return messageText(message, conversation, lang);
  if (message.kind === 'note') {
    // Whispers are announced wherever the agent is: they are meant to be read now.
    const name = message.author.name ?? '';
    return t(message.whisper ? 'live.whisper' : 'live.note', { name, body: message.body });
  }
  if (!a.active) {
    return t('live.messageElsewhere', { name: conversation.cardmember.firstName, last4: conversation.card.last4 });
  }
  const author =
    message.author.role === 'cardmember'
      ? (message.author.name ?? conversation.cardmember.firstName)
      : authorLabel(t, message, selfId, conversation);
  return t('live.message', { author, body: message.body });
}

const API_ERROR_KEYS: Partial<Record<ApiErrorCode | 'network', ConsoleKey>> = {
  invalid_credentials: 'error.invalid_credentials',
  invalid_code: 'error.invalid_code',
  code_reused: 'error.code_reused',
  challenge_expired: 'error.challenge_expired',
  account_locked: 'error.account_locked',
  rate_limited: 'error.rate_limited',
  network: 'error.network',
  conversation_not_waiting: 'error.conversation_not_waiting',
  conversation_closed: 'error.conversation_closed',
  conversation_not_found: 'error.conversation_not_found',
  not_found: 'error.conversation_not_found',
  forbidden: 'error.forbidden',
  offer_closed: 'error.offer_closed',
  offer_not_found: 'error.offer_not_found',
};

/** The text key for an HTTP error code; unknown codes get a generic sentence, never the raw message. */
export function apiErrorKey(code: string): ConsoleKey {
  return API_ERROR_KEYS[code as ApiErrorCode] ?? 'error.generic';
}

const WS_ERROR_KEYS: Partial<Record<ErrorCode, ConsoleKey>> = {
  message_empty: 'wsError.message_empty',
  message_too_long: 'wsError.message_too_long',
  frame_too_large: 'wsError.message_too_long',
  rate_limited: 'wsError.rate_limited',
  conversation_closed: 'wsError.conversation_closed',
  conversation_not_found: 'wsError.conversation_not_found',
  forbidden: 'wsError.forbidden',
};

export function wsErrorKey(code: string): ConsoleKey {
  return WS_ERROR_KEYS[code as ErrorCode] ?? 'wsError.generic';
}

/** "14:05" in the agent's language. */
export function clockTime(iso: string, lang: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(d);
}

/** "$1,234.56" from integer cents, in the agent's language; an unknown currency code falls back to USD. */
export function formatMoney(money: Money, lang: Language): string {
  const amount = money.amountCents / 100;
  try {
    return new Intl.NumberFormat(lang, { style: 'currency', currency: money.currency || 'USD' }).format(amount);
  } catch {
    return new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD' }).format(amount);
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * "Jan 5, 2025" from a calendar date (YYYY-MM-DD). Formatted in UTC so the day never shifts with the
 * agent's time zone; anything that is not a valid date is shown as it came.
 */
export function formatDate(date: string, lang: Language): string {
  const m = DATE_ONLY.exec(date);
  if (!m) return date;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (Number.isNaN(ms) || d.getUTCDate() !== Number(m[3])) return date;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/**
 * The last four digits of whatever the server sent as `last4`, and nothing more: if a longer number
 * ever slipped through, the console still shows only its tail.
 */
export function last4Only(value: string | null | undefined): string {
  return (value ?? '').replace(/\D/g, '').slice(-4);
}

export function cardStatusKey(status: CardStatus): ConsoleKey {
  return `cardStatus.${status}`;
}

export function walletKey(wallet: WalletToken['wallet']): ConsoleKey {
  return `wallet.${wallet}`;
}

export function tokenStatusKey(status: WalletToken['status']): ConsoleKey {
  return `tokenStatus.${status}`;
}

export function replacementReasonKey(reason: Replacement['reason']): ConsoleKey {
  return `replacementReason.${reason}`;
}

export function shippingKey(method: Replacement['method']): ConsoleKey {
  return `shipping.${method}`;
}

export function replacementStatusKey(status: Replacement['status']): ConsoleKey {
  return `replacementStatus.${status}`;
}

export function transactionStatusKey(status: Transaction['status']): ConsoleKey {
  return `txStatus.${status}`;
}

/** The dispositions an agent can pick at wrap-up, in the order shown (Disposition in live.ts). */
export const DISPOSITIONS: readonly Disposition[] = [
  'resolved',
  'resolved_with_action',
  'follow_up_needed',
  'transferred',
  'complaint_logged',
  'no_response',
  'other',
];

export function dispositionKey(d: string): ConsoleKey {
  return (DISPOSITIONS as readonly string[]).includes(d) ? (`disposition.${d}` as ConsoleKey) : 'disposition.other';
}

export function stateKey(state: AgentState): ConsoleKey {
  return `status.${state}`;
}

/** The priority badge of a waiting chat, or null for an ordinary one (fraud 10, escalations 5). */
export function priorityKey(c: Pick<ConversationView, 'priority' | 'escalated'>): ConsoleKey | null {
  const p = c.priority ?? 0;
  if (p >= 10) return 'priority.fraud';
  if (c.escalated || p >= 5) return 'priority.escalated';
  return p > 0 ? 'priority.level' : null;
}

export function participantRoleKey(role: ChatParticipant['role']): ConsoleKey {
  return `participants.role.${role}`;
}

/** Whole seconds from now until `iso` (never negative; 0 for a date that cannot be read). */
export function secondsUntil(iso: string, nowMs: number): number {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 0;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** "45 s", "2 min", "1 h 5 min" for a duration in seconds; `null` is "n/a". */
export function duration(t: Translate, seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return t('board.none');
  if (seconds < 60) return t('time.seconds', { n: Math.max(0, Math.round(seconds)) });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('time.minutes', { n: minutes });
  return t('time.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}
