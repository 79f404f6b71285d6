import { createContext } from 'preact';
import { useContext, useEffect, useReducer, useState } from 'preact/hooks';
import type { Language } from '@carechat/protocol/client';
import type { Controller } from '../controller.js';
import type { Translate } from '../i18n.js';
import type { State, Store } from '../state.js';

export interface ConsoleContext {
  controller: Controller;
  store: Store;
  t: Translate;
  lang: Language;
}

export const Ctx = createContext<ConsoleContext | null>(null);

/** The console context; throws if a component is rendered outside <App>. */
export function useConsole(): ConsoleContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('console context missing');
  return ctx;
}

/** Re-renders on every store change and returns the current state. */
export function useStoreState(store: Store): State {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const off = store.subscribe(() => bump(undefined));
    bump(undefined); // catch a change made between render and subscribe
    return off;
  }, [store]);
  return store.getState();
}

/** Current time, refreshed every `everyMs`, for "waiting 2 min" labels. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(h);
  }, [everyMs]);
  return now;
}
