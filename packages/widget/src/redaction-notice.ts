/**
 * The short notice a cardmember sees under their own message when the server removed something
 * sensitive from it ("For your security we removed a card number from your message."). The kinds come
 * from the `ack` frame (`redacted`); the values never reach the widget back.
 */
import type { Language, RedactedType } from '@carechat/protocol/client';
import { widgetT, type WidgetKey } from './i18n.js';

const ITEM_KEYS: Record<RedactedType, WidgetKey> = {
  card_number: 'redacted.card_number',
  security_code: 'redacted.security_code',
  ssn: 'redacted.ssn',
  one_time_code: 'redacted.one_time_code',
  password: 'redacted.password',
};

/** The notice for these kinds in the viewer's language, or null when there is nothing to say. */
export function redactionNotice(types: readonly RedactedType[] | undefined, lang: Language): string | null {
  const known = [...new Set(types ?? [])].filter((t) => t in ITEM_KEYS);
  if (known.length === 0) return null;
  const t = widgetT(lang);
  const items = new Intl.ListFormat(lang, { type: 'conjunction' }).format(known.map((k) => t(ITEM_KEYS[k])));
  return t('redactedNotice', { items });
}
