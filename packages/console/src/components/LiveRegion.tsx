import { announcementText } from '../format.js';
import type { Announcement } from '../state.js';
import { useConsole } from './context.js';

/**
 * Visually hidden polite live region. Each announcement is its own node appended at the end, so
 * assistive technology reads only the addition; history loaded over HTTP never becomes an announcement.
 */
export function LiveRegion({ announcements, selfId }: { announcements: Announcement[]; selfId: string }) {
  const { t, lang } = useConsole();
  return (
    <div
      class="visually-hidden"
      aria-live="polite"
      aria-atomic="false"
      aria-relevant="additions text"
      data-testid="console-announcements"
    >
      {announcements.map((a) => (
        <p key={a.id}>{announcementText(t, a, lang, selfId)}</p>
      ))}
    </div>
  );
}
