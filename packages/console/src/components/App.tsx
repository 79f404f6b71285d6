import { useEffect, useMemo } from 'preact/hooks';
import type { Language } from '@carechat/protocol/client';
import type { Controller } from '../controller.js';
import { makeT } from '../i18n.js';
import type { Store } from '../state.js';
import { Admin } from './Admin.js';
import { Ctx, useStoreState } from './context.js';
import { SignIn } from './SignIn.js';
import { Workspace } from './Workspace.js';

export interface AppProps {
  controller: Controller;
  store: Store;
  lang: Language;
}

/** Root: picks the screen and keeps the document title and language in step with the state. */
export function App({ controller, store, lang }: AppProps) {
  const state = useStoreState(store);
  const t = useMemo(() => makeT(lang), [lang]);
  const ctx = useMemo(() => ({ controller, store, t, lang }), [controller, store, t, lang]);

  const waitingCount = state.waiting.length;
  useEffect(() => {
    document.documentElement.lang = lang;
    if (state.screen === 'signin') document.title = t('app.titleSignIn');
    else if (state.screen === 'workspace' && waitingCount > 0)
      document.title = t('app.titleWaiting', { count: waitingCount });
    else document.title = t('app.title');
  }, [state.screen, waitingCount, lang, t]);

  return (
    <Ctx.Provider value={ctx}>
      {state.screen === 'loading' && (
        <main class="loading">
          <h1 class="visually-hidden">{t('app.name')}</h1>
          <p>{t('app.loading')}</p>
        </main>
      )}
      {state.screen === 'signin' && <SignIn notice={state.signInNotice} />}
      {/* Admins configure; they have no chat workspace (its calls would all be refused). */}
      {state.screen === 'workspace' && state.agent?.role === 'admin' && <Admin agent={state.agent} />}
      {state.screen === 'workspace' && state.agent?.role !== 'admin' && <Workspace state={state} />}
    </Ctx.Provider>
  );
}
