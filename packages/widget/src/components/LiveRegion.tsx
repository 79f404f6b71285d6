import type { Announcement } from '../state.js';

/**
 * The one polite live region: new incoming messages and status changes are appended here (never the
 * history), so screen readers read each once. Visually hidden; the log itself is not live.
 */
export function LiveRegion({ announcements }: { announcements: Announcement[] }) {
  return (
    <div class="cc-sr-only" aria-live="polite" aria-relevant="additions" aria-atomic="false">
      {announcements.map((a) => (
        <p key={a.id}>{a.text}</p>
      ))}
    </div>
  );
}
