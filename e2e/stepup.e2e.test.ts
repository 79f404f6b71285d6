/**
 * Step-up verification in real Chromium: the cardmember verifies from the widget (a wrong last-4 +
 * ZIP answer, then a prompt approved on the demo device page); an agent presses "Verify customer" and
 * sees the customer's approval arrive live. Axe checks the widget's step-up panel and the console.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../packages/server/src/identity/totp.js';
import { DEMO_AGENTS } from '../packages/server/src/seed/demo.js';
import { clientDist } from '../packages/server/src/transport/http.js';
import { startServer, storeUnavailable, type TestServer } from '../packages/server/test/helpers.js';
import { browserUnavailable, expectNoAxeViolations, launch } from './browser.js';

const skip = browserUnavailable() ?? (await storeUnavailable());

describe.skipIf(skip)('step-up verification in Chromium', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    for (const dir of Object.values(clientDist)) {
      if (!existsSync(dir)) throw new Error(`${dir} is missing: run "npm run build" first (npm test does).`);
    }
    s = await startServer();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  function watchErrors(page: Page, errors: string[]) {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // 4xx answers are the point of some steps (a wrong answer is a 403).
      if (m.type() === 'error' && !/Failed to load resource.*4\d\d/.test(m.text())) errors.push(`console: ${m.text()}`);
    });
  }

  /** Signs in on the demo site and opens the chat from the card's page. */
  async function openChat(page: Page, user: string, password: string, card: RegExp, first: string) {
    await page.goto(s.url + '/');
    await page.getByLabel('Username').fill(user);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/account');
    await page.getByRole('link', { name: card }).first().click();
    await page.waitForURL('**/account/cards/**');
    await page.getByRole('button', { name: 'Chat with us' }).click();
    await page.getByTestId('cc-panel').waitFor();
    await page
      .getByTestId('cc-log')
      .getByText(new RegExp(`Hi ${first}`))
      .waitFor();
  }

  /** Follows the widget's "Open the demo device" link (a new tab) and answers there. */
  async function approveOnDemoDevice(page: Page, expectQuestion: RegExp) {
    const link = page.getByRole('link', { name: /Open the demo device/ });
    await link.waitFor();
    const [devicePage] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await devicePage.waitForLoadState();
    await devicePage.getByRole('heading', { name: expectQuestion }).waitFor();
    await expectNoAxeViolations(devicePage, 'demo device page');
    await devicePage.getByRole('button', { name: 'Approve' }).click();
    await devicePage.getByRole('heading', { name: 'Approved' }).waitFor();
    await devicePage.close();
  }

  it('the cardmember verifies from the widget: a wrong answer, then a prompt approved on the device', async () => {
    const ctx = await browser.newContext();
    const cm = await ctx.newPage();
    const errors: string[] = [];
    watchErrors(cm, errors);
    await openChat(cm, 'maria', 'demo-maria-2024', /Gold Card/, 'Maria');

    await cm.getByRole('button', { name: 'Verify your identity' }).click();
    const section = cm.getByTestId('cc-stepup');
    await section.getByRole('heading', { name: "Verify it's you" }).waitFor();
    // Opening the panel moves focus to its heading.
    await expect.poll(() => section.getByRole('heading').evaluate((el) => el === document.activeElement)).toBe(true);

    // The challenge: labelled numeric fields; a wrong answer says how many tries are left, linked to the fields.
    await section.getByRole('button', { name: 'Use card details instead' }).click();
    const last4 = cm.getByLabel('Last 4 digits of your card');
    const zip = cm.getByLabel('Billing ZIP code');
    expect(await last4.getAttribute('inputmode')).toBe('numeric');
    expect(await zip.getAttribute('inputmode')).toBe('numeric');
    expect(await last4.evaluate((el) => el === document.activeElement)).toBe(true);
    await last4.fill('9999');
    await zip.fill('33145');
    await cm.getByRole('button', { name: 'Verify', exact: true }).click();
    const error = cm.getByTestId('cc-stepup-error');
    await error.getByText("Those details don't match our records. 2 attempts left.").waitFor();
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await last4.getAttribute('aria-invalid')).toBe('true');
    expect(await last4.getAttribute('aria-describedby')).toContain('carechat-stepup-error');
    // The answers were not left in the form, nor sent as chat text.
    expect(await last4.inputValue()).toBe('');
    expect(await cm.getByTestId('cc-log').innerText()).not.toContain('9999');
    await expectNoAxeViolations(cm, 'widget step-up challenge with an error', '#carechat-root');

    // The device prompt, approved on the demo device page; the widget updates by itself.
    await section.getByRole('button', { name: 'Send a request to my phone instead' }).click();
    await section.getByRole('button', { name: 'Send request to my phone' }).click();
    await section.getByText('We sent a request to your iPhone 15. Approve it to continue.').waitFor();
    await expectNoAxeViolations(cm, 'widget step-up waiting for the device', '#carechat-root');
    await approveOnDemoDevice(cm, /Approve sign-in to chat on card ending 1005\?/);
    await cm.getByTestId('cc-verified').getByText('Identity verified for this chat.').waitFor();
    expect(await section.count()).toBe(0);

    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('an agent presses "Verify customer" and sees the approval arrive live', async () => {
    const cmCtx = await browser.newContext();
    const agCtx = await browser.newContext();
    const cm = await cmCtx.newPage();
    const ag = await agCtx.newPage();
    const errors: string[] = [];
    watchErrors(cm, errors);
    watchErrors(ag, errors);

    await openChat(cm, 'sam', 'demo-sam-2024', /Blue Cash/, 'Sam');
    await cm.getByRole('textbox', { name: 'Message' }).fill('I would like a live agent please');
    await cm.getByRole('button', { name: 'Send', exact: true }).click();
    await cm.getByTestId('cc-queue-status').waitFor();

    await ag.goto(s.url + '/console/');
    await ag.getByLabel('Email').fill('ana@carechat.test');
    await ag.getByLabel('Password').fill('demo-ana-2024');
    await ag.getByRole('button', { name: 'Sign in' }).click();
    const code = ag.getByLabel('Authentication code');
    await code.waitFor();
    await code.fill(totpCode(DEMO_AGENTS.find((a) => a.id === 'agent_ana')!.totpSecret, new Date()));
    await ag.getByRole('button', { name: 'Verify' }).click();
    const status = ag.getByTestId('console-status');
    await status.waitFor();
    if ((await status.evaluate((el) => el.tagName)) === 'SELECT') await status.selectOption('available');
    else await status.click();
    const accept = ag.getByRole('button', { name: /Accept.*Sam/ });
    await accept.first().waitFor({ timeout: 10_000 });
    await accept.first().click();
    await ag.getByTestId('console-log').getByText('I would like a live agent please').waitFor();

    const identity = ag.getByTestId('console-assurance-status');
    await identity.getByText('Signed in, not verified').waitFor();
    await ag.getByTestId('console-verify').click();
    await identity.getByText('Request sent to their Pixel 8, waiting for approval').waitFor();
    expect(await ag.getByTestId('console-verify').isDisabled()).toBe(true);
    await expectNoAxeViolations(ag, 'console with a pending verification');

    // The customer's widget shows the request the agent sent, with the demo device link.
    await cm.getByText('We sent a request to your Pixel 8. Approve it to continue.').waitFor();
    await approveOnDemoDevice(cm, /Approve sign-in to chat on card ending 4001\?/);
    await cm.getByTestId('cc-verified').waitFor();
    await identity.getByText(/^Verified on their device until /).waitFor();
    expect(await ag.getByTestId('console-verify').count()).toBe(0);

    expect(errors).toEqual([]);
    await cmCtx.close();
    await agCtx.close();
  });
});
