/**
 * Messages typed but not yet acknowledged by the server. They live in sessionStorage as well as
 * memory, so a page reload re-sends them with the same clientMsgId (which the server de-duplicates).
 */

export interface OutboxItem {
  clientMsgId: string;
  conversationId: string;
  body: string;
  /** `pending` items are (re)sent until acked; `failed` ones wait for the user to edit or retry. */
  status: 'pending' | 'failed';
  /** Error code that made the item fail. */
  error?: string;
  createdAt: string;
}

/** The subset of the Web Storage API the outbox needs. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function isItem(value: unknown): value is OutboxItem {
  const v = value as Partial<OutboxItem> | null;
  return (
    !!v &&
    typeof v.clientMsgId === 'string' &&
    typeof v.conversationId === 'string' &&
    typeof v.body === 'string' &&
    (v.status === 'pending' || v.status === 'failed')
  );
}

/** Reads the stored outbox; a missing, corrupt or inaccessible store yields an empty list. */
export function loadOutbox(storage: KeyValueStorage | null, key: string): OutboxItem[] {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return [];
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(isItem) : [];
  } catch {
    return [];
  }
}

/** Writes the outbox (or clears the key when empty); storage errors such as quota are ignored. */
export function saveOutbox(storage: KeyValueStorage | null, key: string, items: OutboxItem[]): void {
  try {
    if (items.length === 0) storage?.removeItem(key);
    else storage?.setItem(key, JSON.stringify(items));
  } catch {
    // Private mode or a full quota: the in-memory outbox still works for this page.
  }
}

/** A random clientMsgId; randomUUID needs a secure context, so fall back to getRandomValues. */
export function newClientMsgId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
