/**
 * Accommodations in real Chromium (issue 6): the cardmember notes one at the start of the chat, by
 * keyboard only (focus moves into the form and back, the outcome is announced), axe-clean with the
 * form open; the agent who takes the chat sees the badge, and sees it change live when the cardmember
 * changes it mid-chat. The steps run in order and build on each other.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { storeUnavailable } from '../packages/server/test/helpers.js';
import { browserUnavailable, expectNoAxeViolations, tabTo } from './browser.js';
import { consoleSignIn, useBrowserStory } from './kit.js';

const skip = browserUnavailable() ?? (await storeUnavailable());

const FIRST = 'I use a screen reader, please send shorter messages';
const SECOND = 'More time to reply please, I type slowly';

describe.skipIf(skip)('accommodations in Chromium', () => {
  const story = useBrowserStory({ ROUTING_OFFER_TIMEOUT_SECONDS: '120', ROUTING_SWEEP_MS: '250' });
  const { newPage, errors } = story;
  let cm: Page;
  let ana: Page;

  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });
  const focusedTestId = (page: Page) =>
    page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

  it('the cardmember notes an accommodation at the start of the chat, by keyboard only', async () => {
    cm = await newPage();
    await cm.goto(story.server().url + '/');
    await cm.getByLabel('Username').fill('maria');
    await cm.getByLabel('Password').fill('demo-maria-2024');
    await cm.getByRole('button', { name: 'Sign in' }).click();
    await cm.waitForURL('**/account');
    await cm.getByRole('link', { name: /Gold/ }).first().click();
    await cm.waitForURL('**/account/cards/**');
    await cm.getByRole('button', { name: 'Chat with us' }).click();
    await cm
      .getByTestId('cc-log')
      .getByText(/Hi Maria/)
      .waitFor();

    const toggle = cm.getByRole('button', { name: 'Need an accommodation?' });
    await toggle.waitFor();
    await poll(() => toggle.isEnabled()).toBe(true);
    await poll(() => toggle.getAttribute('aria-describedby').then((id) => cm.locator(`#${id}`).innerText())).toBe(
      'Tell us how we can help — e.g. more time, shorter messages, screen reader.',
    );
    await tabTo(cm, toggle);
    await cm.keyboard.press('Enter');
    const note = cm.getByRole('textbox', { name: 'How can we help you in this chat? (optional)' });
    await note.waitFor();
    await poll(() => focusedTestId(cm)).toBe('cc-acc-note');
    await expectNoAxeViolations(cm, 'widget with the accommodation form open', '#carechat-root');

    // Escape backs out of the form (the panel stays open) and focus returns to the button.
    await cm.keyboard.press('Escape');
    await poll(() => cm.getByTestId('cc-acc-form').count()).toBe(0);
    await poll(() => focusedTestId(cm)).toBe('cc-acc-open');
    expect(await cm.getByTestId('cc-panel').isVisible()).toBe(true);

    await cm.keyboard.press('Enter');
    await poll(() => focusedTestId(cm)).toBe('cc-acc-note');
    await cm.keyboard.type(FIRST);
    await tabTo(cm, cm.getByRole('button', { name: 'Save', exact: true }));
    await cm.keyboard.press('Enter');

    await poll(() => cm.getByTestId('cc-acc-status').innerText()).toBe('Saved. The agent will see your accommodation.');
    expect(await cm.getByTestId('cc-acc-status').getAttribute('role')).toBe('status');
    await poll(() => cm.getByTestId('cc-acc-saved').innerText()).toBe(`Your accommodation: ${FIRST}`);
    await poll(() => focusedTestId(cm)).toBe('cc-acc-open');
    expect(await cm.getByTestId('cc-acc-open').innerText()).toBe('Change accommodation');
    await expectNoAxeViolations(cm, 'widget with an accommodation saved', '#carechat-root');
  });

  it('the agent who takes the chat sees the badge, and sees it change live', async () => {
    ana = await newPage();
    await consoleSignIn(ana, story.server().url, 'ana@carechat.test');
    await ana.getByTestId('console-status').waitFor();
    await ana.getByTestId('console-status').selectOption('available');
    await poll(() => ana.locator('#agent-status-text').textContent()).toMatch(/available/i);

    await cm.getByRole('textbox', { name: 'Message' }).fill('I would like a live agent please');
    await cm.getByRole('button', { name: 'Send', exact: true }).click();
    const accept = ana.getByTestId('console-offer').getByTestId('console-offer-accept').first();
    await accept.waitFor({ timeout: 15_000 });
    await accept.click();

    const badge = ana.getByTestId('console-accommodation').first();
    await badge.waitFor();
    await poll(() => badge.innerText()).toContain(FIRST);

    // Changed mid-chat: the console updates without a reload.
    await cm.getByTestId('cc-acc-open').click();
    const field = cm.getByTestId('cc-acc-note');
    await poll(() => field.inputValue()).toBe(FIRST);
    await field.fill(SECOND);
    await cm.getByTestId('cc-acc-save').click();
    await poll(() => cm.getByTestId('cc-acc-saved').innerText()).toBe(`Your accommodation: ${SECOND}`);
    await poll(() => ana.getByTestId('console-accommodation').first().innerText()).toContain(SECOND);
    expect(await ana.getByTestId('console-accommodation').first().innerText()).not.toContain(FIRST);

    // The cardmember's page never got the staff-only field through its socket; only the form shows it.
    expect(await cm.getByTestId('cc-log').innerText()).not.toContain(SECOND);
    expect(errors).toEqual([]);
  });
});
