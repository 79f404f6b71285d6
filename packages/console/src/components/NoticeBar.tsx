import { useEffect } from 'preact/hooks';
import type { Notice } from '../state.js';
import { useConsole } from './context.js';

const NOTICE_MS = 10_000;

/** Brief, polite notices (a lost accept race, a refused message...). They dismiss themselves. */
export function NoticeBar({ notice }: { notice: Notice | null }) {
  const { controller, t } = useConsole();

  useEffect(() => {
    if (!notice) return;
    const h = setTimeout(() => controller.dismissNotice(notice.id), NOTICE_MS);
    return () => clearTimeout(h);
  }, [notice?.id]);

  return (
    <div class="notice-bar" role="status">
      {notice && (
        <div class="notice">
          <p>{t(notice.key)}</p>
          <button type="button" class="button button--small" onClick={() => controller.dismissNotice(notice.id)}>
            {t('notice.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}
