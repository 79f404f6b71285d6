/**
 * The supervisor's "Case deadlines" screen in real Chromium: Sofía opens it from the nav with the
 * keyboard, focus lands on its heading, the table lists her teams' cases with the nearest deadline first,
 * days left and the SLA state in words; Refresh shows a case opened meanwhile; axe finds nothing. An agent
 * has no such screen.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate } from '../packages/server/src/accounts/rules/dates.js';
import type { CaseActor } from '../packages/server/src/cases/cases.service.js';
import { storeUnavailable } from '../packages/server/test/helpers.js';
import { browserUnavailable, expectNoAxeViolations, tabTo } from './browser.js';
import { consoleSignIn, useBrowserStory } from './kit.js';

const skip = browserUnavailable() ?? (await storeUnavailable());
const BEN: CaseActor = { type: 'agent', id: 'agent_ben', name: 'Ben' };

describe.skipIf(skip)('case deadlines in Chromium', () => {
  const story = useBrowserStory();
  const { errors } = story;
  let page: Page;
  const today = formatDate(new Date());
  const open = (title: string, ack: string | null, res: string | null) =>
    story.server().app.services.cases.open({
      type: ack ? 'dispute' : 'general',
      title,
      cardmemberId: 'cm_jose',
      language: 'es',
      ownerTeamId: 'disputes',
      acknowledgeBy: ack,
      resolveBy: res,
      actor: BEN,
    });

  beforeAll(async () => {
    page = await story.newPage();
  });

  it('lists the teams’ cases by nearest deadline, with days left and the state in words', async () => {
    const later = await open('Later', addDays(today, 20), addDays(today, 60));
    const overdue = await open('Overdue', addDays(today, -2), addDays(today, 30));
    const near = await open('Near', addDays(today, 3), addDays(today, 40));
    await consoleSignIn(page, story.server().url, 'sofia@carechat.test');
    const nav = page.getByTestId('console-nav-deadlines');
    await nav.waitFor();
    await tabTo(page, nav);
    await page.keyboard.press('Enter');
    const table = page.getByTestId('console-deadlines-table');
    await table.waitFor();
    // The screen change is heard: focus is on the new screen's heading.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Case deadlines');
    const refs = await table.locator('tbody th[scope="row"]').allInnerTexts();
    expect(refs).toEqual([overdue.reference, near.reference, later.reference]);
    const overdueRow = page.getByTestId(`deadline-${overdue.reference}`);
    expect(await overdueRow.innerText()).toContain('2 days overdue');
    expect(await overdueRow.innerText()).toContain('Deadline missed');
    expect(await overdueRow.innerText()).toContain('Disputes');
    expect(await page.getByTestId(`deadline-${near.reference}`).innerText()).toContain('Deadline approaching');
    expect(await page.getByTestId(`deadline-${later.reference}`).innerText()).toContain('On time');
    expect(await page.getByTestId('console-deadlines-summary').innerText()).toBe(
      'Deadlines missed: 1. Deadlines approaching: 1.',
    );
    await expectNoAxeViolations(page, 'case deadlines');
  });

  it('shows a case opened meanwhile on Refresh', async () => {
    const fresh = await open('Question', null, null);
    expect(await page.getByTestId(`deadline-${fresh.reference}`).count()).toBe(0);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.getByTestId(`deadline-${fresh.reference}`);
    await row.waitFor();
    expect(await row.innerText()).toContain('No deadline');
    expect(errors).toEqual([]);
  });

  it('is not offered to agents', async () => {
    const ana = await story.newPage();
    await consoleSignIn(ana, story.server().url, 'ana@carechat.test');
    await ana.getByTestId('console-nav-queues').waitFor();
    expect(await ana.getByTestId('console-nav-deadlines').count()).toBe(0);
  });
});
