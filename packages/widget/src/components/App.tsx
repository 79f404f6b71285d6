import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { WidgetConfig } from '../config.js';
import type { ChatController } from '../controller.js';
import { widgetT } from '../i18n.js';
import type { ViewState } from '../state.js';
import { ChatIcon } from './icons.js';
import { LiveRegion } from './LiveRegion.js';
import { Panel } from './Panel.js';

function useViewState(controller: ChatController): ViewState {
  const [state, setState] = useState(controller.state);
  useEffect(() => {
    setState(controller.state);
    return controller.subscribe(setState);
  }, [controller]);
  return state;
}

/** The widget: a landmark holding the launcher, the panel (once opened) and the live region. */
export function App({ controller, config }: { controller: ChatController; config: WidgetConfig }) {
  const state = useViewState(controller);
  const t = widgetT(state.pageLang);
  const launcher = useRef<HTMLButtonElement>(null);
  const focusOnOpen = useRef(false);
  const returnFocus = useRef(false);
  const everOpened = state.open || state.phase !== 'idle';

  useLayoutEffect(() => {
    if (!state.open && returnFocus.current) {
      returnFocus.current = false;
      launcher.current?.focus();
    }
  }, [state.open]);

  return (
    <aside class="cc-root" aria-label={t('landmark')} lang={state.pageLang}>
      <LiveRegion announcements={state.announcements} />
      <button
        ref={launcher}
        type="button"
        class="cc-launcher"
        data-testid="cc-launcher"
        hidden={state.open}
        onClick={() => {
          focusOnOpen.current = true;
          controller.open();
        }}
      >
        <ChatIcon />
        <span>{t('launcher')}</span>
      </button>
      {everOpened && (
        <Panel
          state={state}
          config={config}
          controller={controller}
          focusOnOpen={focusOnOpen}
          onClose={() => {
            returnFocus.current = true;
            controller.close();
          }}
        />
      )}
    </aside>
  );
}
