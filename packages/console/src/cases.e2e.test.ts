/**
 * Cases and CSAT in real Chromium, against the real server and built clients: the agent who accepts a
 * chat sees its CHT- reference in the header; opens a complaint from the case panel (dialog, labelled
 * fields), sees it listed as this chat's with its timeline (the internal note marked), changes its
 * status with a radio group limited to the lifecycle's next statuses; axe-clean throughout. When the
 * chat ends, the cardmember's widget asks "How was your chat with Ana?" (1–5 radio group), sends a
 * rating with a comment and is thanked; the response is stored once, redacted.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserUnavailable, expectNoAxeViolations } from '../../../e2e/browser.js';
import { consoleSignIn, useBrowserStory } from '../../../e2e/kit.js';
import { storeUnavailable } from '../../server/test/helpers.js';

const skip = browserUnavailable() ?? (await storeUnavailable());

describe.skipIf(skip)('cases and CSAT in Chromium', () => {
  const story = useBrowserStory({ ROUTING_OFFER_TIMEOUT_SECONDS: '120', ROUTING_SWEEP_MS: '250' });
  const { newPage, errors } = story;
  let cm: Page;
  let ana: Page;
  let conversationId = '';
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });
  const panel = () => ana.getByTestId('console-cases');

  it('the agent who accepts the chat sees its reference in the header', async () => {
    ana = await newPage();
    await consoleSignIn(ana, story.server().url, 'ana@carechat.test');
    await ana.getByTestId('console-status').waitFor();
    await ana.getByTestId('console-status').selectOption('available');
    await poll(() => ana.locator('#agent-status-text').textContent()).toMatch(/available/i);

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
    await cm.getByRole('textbox', { name: 'Message' }).fill('I would like a live agent please');
    await cm.getByRole('button', { name: 'Send', exact: true }).click();

    const accept = ana.getByTestId('console-offer').getByTestId('console-offer-accept').first();
    await accept.waitFor({ timeout: 15_000 });
    await accept.click();
    const ref = ana.getByTestId('console-chat-reference');
    await ref.waitFor();
    const text = await ref.innerText();
    expect(text).toMatch(/^Chat reference CHT-[0-9A-Z]{8}$/);
    const row = await story
      .server()
      .app.store.db.selectFrom('conversations')
      .select(['id', 'reference'])
      .where('cardmember_id', '=', 'cm_maria')
      .where('status', '=', 'assigned')
      .executeTakeFirstOrThrow();
    conversationId = row.id;
    expect(text).toBe(`Chat reference ${row.reference}`);
    await panel().getByText('No cases for this customer yet.').waitFor();
  }, 120_000);

  it('opens a complaint from the case panel and changes its status', async () => {
    await panel().getByRole('button', { name: 'Open case' }).click();
    const dialog = ana.getByTestId('console-case-open-dialog');
    await dialog.getByLabel('Case type').waitFor();
    await expectNoAxeViolations(ana, 'console open-case dialog');
    await dialog.getByLabel('Case type').selectOption('complaint');
    await dialog.getByLabel('Title').fill('Fee not explained at account opening');
    await dialog.getByLabel('Internal note (optional)').fill('Customer upset; card 4111 1111 1111 1111 read out');
    // No category yet: the form says so and stays open.
    await dialog.getByRole('button', { name: 'Open case' }).click();
    await dialog.getByText('Choose the complaint category.').waitFor();
    await dialog.getByLabel('Complaint category').selectOption('fees');
    await dialog.getByRole('button', { name: 'Open case' }).click();
    await poll(() => ana.locator('dialog[open]').count()).toBe(0);

    const item = panel().getByTestId('console-case');
    await item.first().waitFor();
    const itemText = await item.first().innerText();
    expect(itemText).toMatch(/CMP-[0-9A-Z]{8} · Complaint · Open/);
    expect(itemText).toContain('This chat');
    expect(itemText).toContain('Fee not explained at account opening (Fees)');
    await poll(() => ana.getByTestId('console-cases-status').innerText()).toMatch(/^Case CMP-[0-9A-Z]{8} opened\.$/);

    // The timeline opens with a disclosure button; the agent's note is marked internal and redacted.
    const show = item.first().getByRole('button', { name: /^Show details of CMP-/ });
    expect(await show.getAttribute('aria-expanded')).toBe('false');
    await show.click();
    expect(await show.getAttribute('aria-expanded')).toBe('true');
    const details = item.first().locator('.case-details');
    await details.getByText('Timeline').waitFor();
    const internal = details.locator('li[data-internal="true"]');
    expect(await internal.innerText()).toMatch(/Internal[\s\S]*Note[\s\S]*Customer upset/);
    expect(await details.innerText()).not.toMatch(/4111 ?1111 ?1111 ?1111/);
    expect(await details.innerText()).toContain('No documents yet.');
    await expectNoAxeViolations(ana, 'console case panel with a timeline');

    await item.first().getByRole('button', { name: 'Change status' }).click();
    const status = ana.getByTestId('console-case-status-dialog');
    await status.getByRole('radiogroup').or(status.locator('fieldset')).first().waitFor();
    const radios = status.getByRole('radio');
    const labels = await radios.evaluateAll((els) =>
      els.map((e) => (e.closest('label') as HTMLLabelElement).innerText.trim()),
    );
    expect(labels).toEqual(['Acknowledged', 'In progress', 'Waiting for the customer', 'Resolved']);
    await expectNoAxeViolations(ana, 'console change-status dialog');
    await status.getByRole('radio', { name: 'Acknowledged' }).check();
    await status.getByLabel('Note for the customer (optional)').fill('We have your complaint and are looking into it.');
    await status.getByRole('button', { name: 'Change status' }).click();
    await poll(() => ana.locator('dialog[open]').count()).toBe(0);
    await poll(() => panel().getByTestId('console-case').first().innerText()).toMatch(/Complaint · Acknowledged/);
    await poll(() => ana.getByTestId('console-cases-status').innerText()).toMatch(/is now: Acknowledged\.$/);
    const stored = await story
      .server()
      .app.store.db.selectFrom('cases')
      .select(['type', 'status', 'complaint_category'])
      .where('cardmember_id', '=', 'cm_maria')
      .execute();
    expect(stored).toEqual([{ type: 'complaint', status: 'acknowledged', complaint_category: 'fees' }]);
  }, 90_000);

  it('after the agent ends the chat, the cardmember rates it in the widget', async () => {
    await ana.getByTestId('console-end').click();
    await ana.getByTestId('console-end-confirm').click();
    await cm.getByTestId('cc-log').getByText('Ana ended the chat.').waitFor();

    const survey = cm.getByTestId('cc-csat');
    await survey.getByText('How was your chat with Ana?').waitFor();
    expect(await survey.getByRole('radio').count()).toBe(5);
    await expectNoAxeViolations(cm, 'widget CSAT survey', '#carechat-root');
    // Send without a rating: told what is missing.
    await survey.getByRole('button', { name: 'Send' }).click();
    await survey.getByText('Please choose a rating from 1 to 5, or skip.').waitFor();
    await survey.getByRole('radio', { name: '4 – Good' }).check();
    await survey
      .getByLabel('Anything you would like to add? (optional)')
      .fill('Ana fixed it; my card 4111 1111 1111 1111');
    await survey.getByRole('button', { name: 'Send' }).click();
    await poll(() => cm.getByTestId('cc-csat-status').innerText()).toBe('Thank you for your feedback.');
    expect(await survey.getByRole('radio').count()).toBe(0);

    const rows = await story
      .server()
      .app.store.db.selectFrom('csat_responses')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ score: 4, agent_id: 'agent_ana', team_id: 'general' });
    expect(rows[0]!.comment).toContain('Ana fixed it');
    expect(rows[0]!.comment).not.toMatch(/4111 ?1111 ?1111 ?1111/);
    expect(errors).toEqual([]);
  }, 90_000);
});
