/**
 * What the cardmember is told while waiting for an agent (the waiting card): place in line and wait,
 * or, when nobody can take the chat (no agent signed in, or outside the team's hours), when the team
 * opens and the phone line. Pure functions of the conversation, the language and (for "today" /
 * "tomorrow") the current time, so the reducer, the card and the tests share them.
 */
import { formatWait, type ConversationView, type Language } from '@carechat/protocol/client';
import { widgetT, type T } from './i18n.js';

/** `waiting`: agents serve the queue, the estimate means something. `unavailable`: open, nobody signed in. */
export type WaitingMode = 'waiting' | 'unavailable' | 'closed';

/** The fraud team's id (the seed's and the assistant's): long waits there get the phone number up front. */
export const FRAUD_TEAM_ID = 'fraud';
/** A fraud wait longer than this shows the "call us now" notice. */
export const FRAUD_CALL_AFTER_SECONDS = 120;

export interface WaitingView {
  mode: WaitingMode;
  teamId: string | null;
  teamName: string | null;
  /** Null until the server has placed the chat (a `queued` view without queue details). */
  position: number | null;
  /** "about 4 minutes" when the estimate means something (mode `waiting`). */
  wait: string | null;
  /** When a closed team opens, in the viewer's language and local time ("Monday at 8:00 AM"). */
  opensAt: string | null;
  phone: string | null;
  /** `tel:` URL of `phone`, or null when it holds no dialable number. */
  telHref: string | null;
  /** Whether the fraud "call us now" notice applies. */
  fraud: boolean;
}

export interface TimeOptions {
  /** Defaults to the browser's time zone (the cardmember's local time). */
  timeZone?: string;
  now?: Date;
}

/** A `tel:` URL for a displayed phone number, or null when it has too few digits to dial. */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 3 || digits.length > 15) return null;
  return `tel:${phone.trim().startsWith('+') ? '+' : ''}${digits}`;
}

const LOCALES: Record<Language, string> = { en: 'en-US', es: 'es-US' };

function dayKey(date: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** "today at 8:00 AM", "tomorrow at…", "Monday at…" within a week, else "Monday, March 3 at…"; null if unparsable. */
export function formatOpening(iso: string, lang: Language, options: TimeOptions = {}): string | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  const { timeZone } = options;
  const now = options.now ?? new Date();
  const t = widgetT(lang);
  const locale = LOCALES[lang];
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: 'numeric', minute: '2-digit' }).format(at);
  const hour = Number(
    new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hour12: true })
      .formatToParts(at)
      .find((p) => p.type === 'hour')?.value,
  );
  // Spanish says "a la 1:00" but "a las 8:00".
  const atTime = t(hour === 1 ? 'atTimeOne' : 'atTime', { time });
  const day = dayKey(at, timeZone);
  if (day === dayKey(now, timeZone)) return t('openToday', { at: atTime });
  if (day === dayKey(new Date(now.getTime() + 86_400_000), timeZone)) return t('openTomorrow', { at: atTime });
  const withinWeek = at.getTime() - now.getTime() < 6.5 * 86_400_000;
  const date = new Intl.DateTimeFormat(
    locale,
    withinWeek ? { timeZone, weekday: 'long' } : { timeZone, weekday: 'long', month: 'long', day: 'numeric' },
  ).format(at);
  return t('openDay', { day: date, at: atTime });
}

/** The waiting card's content, or null when the chat is not waiting for an agent. */
export function waitingView(
  conversation: ConversationView | null,
  lang: Language,
  options: TimeOptions = {},
): WaitingView | null {
  if (!conversation || conversation.status !== 'queued') return null;
  const q = conversation.queue;
  const mode: WaitingMode = q?.open === false ? 'closed' : q?.serving === false ? 'unavailable' : 'waiting';
  const teamId = q?.teamId ?? conversation.teamId;
  const phone = q?.phone?.trim() || null;
  const wait = q && mode === 'waiting' ? formatWait(q.estimatedWaitSeconds, lang) : null;
  return {
    mode,
    teamId,
    teamName: q?.teamName ?? null,
    position: q?.position ?? null,
    wait,
    opensAt: mode === 'closed' && q?.opensAt ? formatOpening(q.opensAt, lang, options) : null,
    phone,
    telHref: telHref(phone),
    fraud: teamId === FRAUD_TEAM_ID && !!q && (mode !== 'waiting' || q.estimatedWaitSeconds > FRAUD_CALL_AFTER_SECONDS),
  };
}

/** The headline: "You are number 3 in line for the Business team." or why nobody can answer now. */
export function waitingHeadline(view: WaitingView, t: T): string {
  const team = view.teamName;
  switch (view.mode) {
    case 'closed':
      if (!team) return t('queueClosedNoTeam');
      // "8:00 a.m." already ends the sentence: no second period.
      return view.opensAt
        ? t('queueOpens', { team, when: view.opensAt }).replace(/\.\.$/, '.')
        : t('queueClosed', { team });
    case 'unavailable':
      return team ? t('queueUnavailable', { team }) : t('queueUnavailableNoTeam');
    default:
      return view.position !== null && team ? t('queuePosition', { position: view.position, team }) : t('statusQueued');
  }
}

/** One line for the live region: the headline, plus the estimate or the place in line. */
export function waitingAnnouncement(view: WaitingView, t: T): string {
  const headline = waitingHeadline(view, t);
  if (view.mode === 'waiting') return view.wait ? `${headline} ${t('queueWait', { wait: view.wait })}` : headline;
  return view.position !== null ? `${headline} ${t('queueStillInLine', { position: view.position })}` : headline;
}
