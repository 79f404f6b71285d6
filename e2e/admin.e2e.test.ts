/**
 * The admin screen in real Chromium: the administrator signs in (password + TOTP), sees the
 * configuration instead of the chat workspace (no refused inbox calls, no errors), changes the
 * Business team's opening hours (after a refused SLA, announced and tied to its field) and an agent's
 * skills and max concurrent chats, keyboard only; the changes are visible through the staff API.
 * Every state (screen, each dialog, the error) is checked with axe.
 */
import type { Page } from 'playwright-core';
import type { AgentTarget, TeamView } from '@carechat/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { staffLogin, storeUnavailable } from '../packages/server/test/helpers.js';
import { browserUnavailable, expectNoAxeViolations, tabTo } from './browser.js';
import { consoleSignIn, useBrowserStory } from './kit.js';

const skip = browserUnavailable() ?? (await storeUnavailable());

describe.skipIf(skip)('admin configuration in Chromium', () => {
  const story = useBrowserStory();
  const { errors } = story;
  let page: Page;
  const refused: string[] = [];

  beforeAll(async () => {
    page = await story.newPage();
    page.on('response', (r) => {
      // The signed-out check answers 401 by design; any other refused API call is a bug here.
      const signedOutCheck = r.url().endsWith('/api/auth/me') && r.status() === 401;
      if (r.url().includes('/api/') && r.status() >= 400 && !signedOutCheck) refused.push(`${r.status()} ${r.url()}`);
    });
  });

  const dialog = () => page.locator('dialog[open]');
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });

  it('signs the admin in to the configuration screen, not the chat workspace', async () => {
    await consoleSignIn(page, story.server().url, 'admin@carechat.test');
    await page.getByTestId('console-admin-teams').waitFor();
    await page.getByTestId('console-admin-agents').waitFor();
    expect(await page.getByTestId('console-status').count()).toBe(0); // no availability: admins take no chats
    await expect(page.getByRole('heading', { level: 2, name: 'Configuration' }).isVisible()).resolves.toBe(true);
    expect(await page.getByTestId('console-admin-team-business').innerText()).toContain(
      'Mon–Fri 08:00–20:00 (America/New_York)',
    );
    await expectNoAxeViolations(page, 'admin screen');
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('changes the Business hours with the keyboard; a bad SLA is announced and tied to its field', async () => {
    const edit = page.getByTestId('console-admin-edit-team-business');
    await tabTo(page, edit);
    await page.keyboard.press('Enter');
    await dialog().waitFor();
    expect(await dialog().getByRole('heading').first().innerText()).toBe('Edit team Business');
    // Focus starts in the form.
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    await expectNoAxeViolations(page, 'team dialog');

    const sla = dialog().getByLabel('Answer-time target, in seconds');
    await sla.fill('5');
    await dialog().getByLabel('Time zone').fill('America/Chicago');
    await dialog().getByLabel('Monday: closes at').fill('18:00');
    await dialog().getByLabel('Open on Saturday').check();
    await dialog().getByLabel('Saturday: opens at').fill('10:00');
    await dialog().getByLabel('Saturday: closes at').fill('14:00');
    await dialog().getByTestId('console-admin-save').press('Enter');

    const alert = dialog().getByRole('alert');
    await poll(() => alert.innerText()).toContain('Enter a whole number of seconds from 10 to 86400.');
    expect(await sla.getAttribute('aria-invalid')).toBe('true');
    await poll(() => sla.evaluate((el) => el === document.activeElement)).toBe(true);
    const describedBy = (await sla.getAttribute('aria-describedby'))!.split(' ');
    const described = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()));
    expect(described.join(' ')).toContain('Enter a whole number of seconds');
    await expectNoAxeViolations(page, 'team dialog with an error');

    await sla.fill('90');
    await page.keyboard.press('Enter'); // submits the form from the field
    await dialog().waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('console-admin-status').innerText()).toBe('Team Business saved.');
    // Focus goes back to the button that opened the dialog.
    await poll(() => edit.evaluate((el) => el === document.activeElement)).toBe(true);
    await poll(() => page.getByTestId('console-admin-team-business').innerText()).toContain(
      'Mon 08:00–18:00; Tue–Fri 08:00–20:00; Sat 10:00–14:00 (America/Chicago)',
    );

    // What agents (and routing) now see.
    const ana = await staffLogin(story.server(), 'ana@carechat.test', 'demo-ana-2024');
    const business = ((await ana.call('GET', '/api/teams')).json.teams as TeamView[]).find((t) => t.id === 'business')!;
    expect(business.hours).toEqual({
      timeZone: 'America/Chicago',
      weekly: [
        [],
        [{ open: '08:00', close: '18:00' }],
        [{ open: '08:00', close: '20:00' }],
        [{ open: '08:00', close: '20:00' }],
        [{ open: '08:00', close: '20:00' }],
        [{ open: '08:00', close: '20:00' }],
        [{ open: '10:00', close: '14:00' }],
      ],
    });
    expect(await story.server().app.services.queues.team('business')).toMatchObject({ answerSlaSeconds: 90 });
  });

  it("changes an agent's skills and max concurrent chats; transfer targets reflect it", async () => {
    const edit = page.getByTestId('console-admin-edit-agent-agent_ben');
    await tabTo(page, edit);
    await page.keyboard.press('Enter');
    await dialog().waitFor();
    expect(await dialog().getByRole('heading').first().innerText()).toBe('Edit Ben Carter');
    await expectNoAxeViolations(page, 'agent dialog');

    await dialog().getByLabel('Maximum chats at the same time').fill('5');
    const businessEs = dialog().getByRole('checkbox', { name: 'Business in Spanish' });
    await tabTo(page, businessEs);
    await page.keyboard.press('Space');
    expect(await businessEs.isChecked()).toBe(true);
    await dialog().getByRole('checkbox', { name: 'Disputes in English' }).uncheck();
    await dialog().getByTestId('console-admin-save').click();
    await dialog().waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('console-admin-status').innerText()).toBe('Ben Carter saved.');
    const row = page.getByTestId('console-admin-agent-agent_ben');
    await poll(() => row.innerText()).toContain('Business (Spanish)');
    expect(await row.innerText()).not.toContain('Disputes');

    const ana = await staffLogin(story.server(), 'ana@carechat.test', 'demo-ana-2024');
    const targets = (await ana.call('GET', '/api/agents?teamId=business&language=es')).json.agents as AgentTarget[];
    expect(targets.find((a) => a.id === 'agent_ben')).toMatchObject({ maxConcurrent: 5 });
    const disputes = (await ana.call('GET', '/api/agents?teamId=disputes&language=en')).json.agents as AgentTarget[];
    expect(disputes.map((a) => a.id)).not.toContain('agent_ben');
    await expectNoAxeViolations(page, 'admin screen after the changes');
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
  });
});
