import type { QueueInfo } from '@carechat/protocol/client';
import { describe, expect, it } from 'vitest';
import { widgetT } from './i18n.js';
import { buildConversation } from './test-support.js';
import { formatOpening, telHref, waitingAnnouncement, waitingHeadline, waitingView } from './waiting.js';

const NY = 'America/New_York';
// Friday 2025-02-28, 6:30 PM in New York.
const NOW = new Date('2025-02-28T23:30:00Z');
// Monday 2025-03-03, 8:00 AM in New York.
const MONDAY_8 = '2025-03-03T13:00:00.000Z';

function queued(queue: Partial<QueueInfo>, teamId = 'business') {
  return buildConversation({
    status: 'queued',
    teamId,
    queue: {
      teamId,
      teamName: 'Business',
      position: 3,
      estimatedWaitSeconds: 240,
      agentsAvailable: 2,
      serving: true,
      open: true,
      opensAt: null,
      phone: '+1 800-555-0134',
      ...queue,
    },
  });
}

describe('waitingView', () => {
  it('is null unless the chat waits for an agent', () => {
    expect(waitingView(null, 'en')).toBeNull();
    expect(waitingView(buildConversation(), 'en')).toBeNull();
    expect(waitingView(buildConversation({ status: 'assigned' }), 'en')).toBeNull();
  });

  it('gives place in line and estimate while agents serve the queue', () => {
    const view = waitingView(queued({}), 'en')!;
    expect(view).toMatchObject({ mode: 'waiting', position: 3, wait: 'about 4 minutes', fraud: false });
    const t = widgetT('en');
    expect(waitingHeadline(view, t)).toBe('You are number 3 in line for the Business team.');
    expect(waitingAnnouncement(view, t)).toBe(
      'You are number 3 in line for the Business team. Estimated wait: about 4 minutes.',
    );
  });

  it('treats servers that predate serving/open as serving and open', () => {
    const c = queued({});
    delete c.queue!.serving;
    delete c.queue!.open;
    expect(waitingView(c, 'en')!.mode).toBe('waiting');
  });

  it('says plainly when nobody can take the chat, with no estimate', () => {
    const view = waitingView(queued({ serving: false, agentsAvailable: 0 }), 'en')!;
    expect(view).toMatchObject({ mode: 'unavailable', wait: null, telHref: 'tel:+18005550134' });
    const t = widgetT('en');
    expect(waitingAnnouncement(view, t)).toBe(
      'No one on our Business team can take your chat right now. You keep your place in line (number 3).',
    );
  });

  it('says when a closed team opens, in the local time of the viewer', () => {
    const c = queued({ open: false, serving: false, opensAt: MONDAY_8 });
    const en = waitingView(c, 'en', { timeZone: NY, now: NOW })!;
    expect(en.mode).toBe('closed');
    expect(waitingHeadline(en, widgetT('en'))).toMatch(/^Our Business team opens Monday at 8:00\sAM\.$/);
    const es = waitingView(c, 'es', { timeZone: NY, now: NOW })!;
    expect(waitingHeadline(es, widgetT('es'))).toMatch(/^Nuestro equipo Business abre el lunes a las 8:00\sa\.\s?m\.$/);
    // The same instant seen from Los Angeles is 5:00 AM.
    const la = waitingView(c, 'en', { timeZone: 'America/Los_Angeles', now: NOW })!;
    expect(la.opensAt).toMatch(/^Monday at 5:00\sAM$/);
    // No opening known: still closed, said without a time.
    expect(waitingHeadline(waitingView(queued({ open: false, opensAt: null }), 'en')!, widgetT('en'))).toBe(
      'Our Business team is closed right now.',
    );
  });
});

describe('formatOpening', () => {
  it('says today and tomorrow, a weekday within the week, a date beyond', () => {
    const o = { timeZone: NY, now: NOW };
    expect(formatOpening('2025-02-28T23:45:00Z', 'en', o)).toMatch(/^today at 6:45\sPM$/);
    expect(formatOpening('2025-03-01T14:00:00Z', 'en', o)).toMatch(/^tomorrow at 9:00\sAM$/);
    expect(formatOpening('2025-03-01T14:00:00Z', 'es', o)).toMatch(/^mañana a las 9:00\sa\.\s?m\.$/);
    expect(formatOpening('2025-03-10T13:00:00Z', 'en', o)).toMatch(/^Monday, March 10 at 9:00\sAM$/);
    expect(formatOpening('2025-03-10T13:00:00Z', 'es', o)).toMatch(/^el lunes, 10 de marzo a las 9:00\sa\.\s?m\.$/);
  });

  it('says "a la 1" in Spanish, and gives up on a bad date', () => {
    expect(formatOpening('2025-03-03T18:00:00Z', 'es', { timeZone: NY, now: NOW })).toMatch(
      /^el lunes a la 1:00\sp\.\s?m\.$/,
    );
    expect(formatOpening('not a date', 'en')).toBeNull();
  });
});

describe('telHref', () => {
  it('keeps the digits and a leading plus, and refuses what cannot be dialled', () => {
    expect(telHref('1-800-555-0134')).toBe('tel:18005550134');
    expect(telHref(' +44 20 7946 0958 ')).toBe('tel:+442079460958');
    expect(telHref('call us')).toBeNull();
    expect(telHref(null)).toBeNull();
    expect(telHref('javascript:alert(1)')).toBeNull();
  });
});

describe('fraud', () => {
  it('applies on the fraud team when the wait passes 2 minutes or nobody serves', () => {
    expect(waitingView(queued({ estimatedWaitSeconds: 120 }, 'fraud'), 'en')!.fraud).toBe(false);
    expect(waitingView(queued({ estimatedWaitSeconds: 121 }, 'fraud'), 'en')!.fraud).toBe(true);
    expect(waitingView(queued({ estimatedWaitSeconds: 30, serving: false }, 'fraud'), 'en')!.fraud).toBe(true);
    expect(waitingView(queued({ estimatedWaitSeconds: 600 }, 'disputes'), 'en')!.fraud).toBe(false);
  });
});
