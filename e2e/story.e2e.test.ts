/**
 * The whole story in real Chromium, two browser contexts: a cardmember signs in on the issuer's site,
 * opens chat from a card, greets the assistant, asks for a live agent and sees the queue; an agent
 * signs in to the console, accepts, replies; the cardmember answers; the agent ends the chat; the
 * cardmember downloads the transcript. Run once with the mouse and once with the keyboard alone,
 * with axe checks on the site, the widget and the console.
 */
import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../packages/server/src/identity/totp.js';
import { DEMO_AGENTS } from '../packages/server/src/seed/demo.js';
import { clientDist } from '../packages/server/src/transport/http.js';
import { startServer, storeUnavailable, type TestServer } from '../packages/server/test/helpers.js';
import { browserUnavailable, expectNoAxeViolations, launch, tabTo } from './browser.js';

const skip = browserUnavailable() ?? (await storeUnavailable());

describe.skipIf(skip)('end-to-end story in Chromium', () => {
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

  async function contexts(): Promise<[BrowserContext, BrowserContext]> {
    return [await browser.newContext({ acceptDownloads: true }), await browser.newContext()];
  }

  /** Fails the test on any page error or CSP violation (console error) in either app. */
  function watchErrors(page: Page, errors: string[]) {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource.*40[14]/.test(m.text()))
        errors.push(`console: ${m.text()}`);
    });
  }

  async function runStory(
    mode: 'mouse' | 'keyboard',
    cardmember: { user: string; password: string; card: RegExp; first: string },
    agentLogin: { email: string; password: string; first: string },
  ) {
    const [cmCtx, agCtx] = await contexts();
    const cm = await cmCtx.newPage();
    const ag = await agCtx.newPage();
    const errors: string[] = [];
    watchErrors(cm, errors);
    watchErrors(ag, errors);
    const kb = mode === 'keyboard';

    // Helpers that act either with the mouse or with the keyboard alone.
    const activate = async (page: Page, loc: ReturnType<Page['locator']>) => {
      if (kb) {
        await tabTo(page, loc);
        await page.keyboard.press('Enter');
      } else await loc.click();
    };
    const fill = async (page: Page, loc: ReturnType<Page['locator']>, text: string) => {
      if (kb) {
        await tabTo(page, loc);
        await page.keyboard.type(text);
      } else await loc.fill(text);
    };

    // --- Cardmember signs in on the issuer's site.
    await cm.goto(s.url + '/');
    if (mode === 'mouse') await expectNoAxeViolations(cm, 'site sign-in');
    await fill(cm, cm.getByLabel('Username'), cardmember.user);
    await fill(cm, cm.getByLabel('Password'), cardmember.password);
    await activate(cm, cm.getByRole('button', { name: 'Sign in' }));
    await cm.waitForURL('**/account');
    if (mode === 'mouse') await expectNoAxeViolations(cm, 'site account overview');
    await activate(cm, cm.getByRole('link', { name: cardmember.card }).first());
    await cm.waitForURL('**/account/cards/**');

    // --- Opens chat from the card and greets the assistant.
    const launcher = cm.getByRole('button', { name: 'Chat with us' });
    await expect.poll(() => launcher.count(), { timeout: 10_000 }).toBe(1);
    if (mode === 'mouse') await expectNoAxeViolations(cm, 'site card page with launcher');
    await activate(cm, launcher);
    const panel = cm.getByTestId('cc-panel');
    await panel.waitFor();
    const log = cm.getByTestId('cc-log');
    await log.getByText(new RegExp(`Hi ${cardmember.first}`)).waitFor();
    const messageBox = cm.getByRole('textbox', { name: 'Message' });
    // Opening the chat puts focus in the message box.
    await expect.poll(() => messageBox.evaluate((el) => el === document.activeElement)).toBe(true);
    if (mode === 'mouse') await expectNoAxeViolations(cm, 'widget open');

    const say = async (page: Page, text: string) => {
      const box = page.getByRole('textbox', { name: 'Message' });
      if (kb) {
        await tabTo(page, box);
        await page.keyboard.type(text);
        await page.keyboard.press('Enter');
      } else {
        await box.fill(text);
        await page.getByRole('button', { name: 'Send', exact: true }).click();
      }
    };

    await say(cm, 'Hello there');
    await log.getByText('How can I help you today?').waitFor();
    await say(cm, 'I would like a live agent please');
    const queueStatus = cm.getByTestId('cc-queue-status');
    await expect
      .poll(async () => (await queueStatus.textContent()) ?? '', { timeout: 10_000 })
      .toMatch(/number 1|#1|1st/i);
    // With nobody signed in (first run) the widget says so instead of inventing an estimate; the
    // keyboard run finds the first run's agent still available, and gets an estimate.
    expect(await queueStatus.textContent()).toMatch(
      /No one on our Customer Care team can take your chat right now|Estimated wait: about \d+ minutes?/,
    );
    // The live region announces new messages (not the history).
    const live = cm.locator('[aria-live="polite"]');
    expect(await live.count()).toBeGreaterThan(0);

    // --- Agent signs in to the console and accepts.
    await ag.goto(s.url + '/console/');
    await ag.getByLabel('Email').waitFor();
    if (mode === 'mouse') await expectNoAxeViolations(ag, 'console sign-in');
    await fill(ag, ag.getByLabel('Email'), agentLogin.email);
    await fill(ag, ag.getByLabel('Password'), agentLogin.password);
    await activate(ag, ag.getByRole('button', { name: 'Sign in' }));
    // Second step: the code the agent's authenticator app shows now (demo agents have known secrets).
    const codeField = ag.getByLabel('Authentication code');
    await codeField.waitFor();
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeField.getAttribute('inputmode')).toBe('numeric');
    if (kb) expect(await codeField.evaluate((el) => el === document.activeElement)).toBe(true);
    if (mode === 'mouse') await expectNoAxeViolations(ag, 'console sign-in code step');
    const secret = DEMO_AGENTS.find((a) => a.email === agentLogin.email)!.totpSecret;
    await fill(ag, codeField, totpCode(secret, new Date()));
    await activate(ag, ag.getByRole('button', { name: 'Verify' }));
    const status = ag.getByTestId('console-status');
    await status.waitFor();
    const tag = await status.evaluate((el) => el.tagName);
    if (tag === 'SELECT') {
      if (kb) {
        await tabTo(ag, status);
        // Arrow keys change a closed <select> and fire change, as for a keyboard user.
        for (let i = 0; i < 3 && (await status.inputValue()) !== 'available'; i++) await ag.keyboard.press('ArrowUp');
        expect(await status.inputValue()).toBe('available');
      } else await status.selectOption('available');
    } else {
      await activate(ag, status);
    }
    const accept = ag.getByRole('button', { name: new RegExp(`Accept.*${cardmember.first}`) });
    await accept.first().waitFor({ timeout: 10_000 });
    if (mode === 'mouse') await expectNoAxeViolations(ag, 'console workspace with waiting chat');
    await activate(ag, accept.first());
    const agLog = ag.getByTestId('console-log');
    await agLog.getByText('I would like a live agent please').waitFor();
    // The assistant's part of the transcript is there above.
    await agLog.getByText('How can I help you today?', { exact: false }).first().waitFor();
    if (mode === 'mouse') {
      // The customer panel beside the chat names the card the chat came from, by its last 4 only.
      const context = ag.getByTestId('console-context');
      await context.getByText('Card ending 1005').first().waitFor();
      await expect.poll(() => context.getAttribute('aria-busy')).toBe('false');
      expect(await context.innerText()).not.toMatch(/\d{5,}/);
      await expectNoAxeViolations(ag, 'console with the customer panel');
    }

    // --- The cardmember sees the agent join by first name; they talk.
    await log.getByText(`${agentLogin.first} joined the chat.`).waitFor();
    await say(ag, `Hi ${cardmember.first}, I can help with that.`);
    await log.getByText(`Hi ${cardmember.first}, I can help with that.`).waitFor();
    await say(cm, 'Thank you, my card was declined at a store');
    await agLog.getByText('Thank you, my card was declined at a store').waitFor();
    if (mode === 'mouse') {
      await expectNoAxeViolations(ag, 'console conversation');
      await expectNoAxeViolations(cm, 'widget in conversation with agent');
    }

    // --- The agent ends the chat; the cardmember downloads the transcript.
    await activate(ag, ag.getByTestId('console-end'));
    await activate(ag, ag.getByTestId('console-end-confirm'));
    await log.getByText(`${agentLogin.first} ended the chat.`).waitFor();
    const download = cm.waitForEvent('download');
    await activate(cm, cm.getByTestId('cc-transcript'));
    const file = await (await download).path();
    const transcript = readFileSync(file, 'utf8');
    expect(transcript).toContain('You: Hello there');
    expect(transcript).toContain(`${agentLogin.first}: Hi ${cardmember.first}, I can help with that.`);
    expect(transcript).toContain('You: Thank you, my card was declined at a store');
    expect(transcript).toContain(`${agentLogin.first} ended the chat.`);
    if (mode === 'mouse') await expectNoAxeViolations(cm, 'widget after the chat ended');

    expect(errors).toEqual([]);
    await cmCtx.close();
    await agCtx.close();
  }

  it('runs with the mouse, with zero axe violations on site, widget and console', async () => {
    await runStory(
      'mouse',
      { user: 'maria', password: 'demo-maria-2024', card: /Gold/, first: 'Maria' },
      { email: 'ana@carechat.test', password: 'demo-ana-2024', first: 'Ana' },
    );
  }, 120_000);

  it('runs with the keyboard alone', async () => {
    await runStory(
      'keyboard',
      { user: 'sam', password: 'demo-sam-2024', card: /Blue Cash/, first: 'Sam' },
      { email: 'ben@carechat.test', password: 'demo-ben-2024', first: 'Ben' },
    );
  }, 120_000);
});
