/**
 * "End chat and sign out" in real Chromium: a cardmember has the chat open in two tabs of one browser,
 * signs out of chat in one, and both panels end in the signed-out state (no silent new session), the
 * server holds no socket of either widget session any more, and the signed-out panel passes axe.
 * The confirm step is driven with the keyboard alone.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientDist } from '../packages/server/src/transport/http.js';
import { startServer, storeUnavailable, type TestServer } from '../packages/server/test/helpers.js';
import { browserUnavailable, expectNoAxeViolations, launch, tabTo } from './browser.js';

const skip = browserUnavailable() ?? (await storeUnavailable());

describe.skipIf(skip)('end chat and sign out in Chromium', () => {
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

  async function openChat(page: Page, cardUrl: string): Promise<void> {
    await page.goto(cardUrl);
    const launcher = page.getByRole('button', { name: 'Chat with us' });
    await expect.poll(() => launcher.count(), { timeout: 10_000 }).toBe(1);
    await launcher.click();
    await page
      .getByTestId('cc-log')
      .getByText(/Hi Maria/)
      .waitFor();
    // Online: the socket is subscribed (the sign-out control shows only in a live session).
    await page.getByTestId('cc-signout').waitFor();
  }

  it('signs out of chat in one tab; both tabs end signed out, every socket closes, no new session', async () => {
    const ctx = await browser.newContext();
    const errors: string[] = [];
    const sessionCreates: string[] = [];
    const a = await ctx.newPage();
    const b = await ctx.newPage();
    for (const p of [a, b]) {
      p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      p.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/widget/session') sessionCreates.push(r.url());
      });
    }

    await a.goto(s.url + '/');
    await a.getByLabel('Username').fill('maria');
    await a.getByLabel('Password').fill('demo-maria-2024');
    await a.getByRole('button', { name: 'Sign in' }).click();
    await a.waitForURL('**/account');
    await a.getByRole('link', { name: /Gold/ }).first().click();
    await a.waitForURL('**/account/cards/**');
    const cardUrl = a.url();

    const before = s.app.gateway.size;
    await openChat(a, cardUrl);
    await openChat(b, cardUrl);
    await expect.poll(() => s.app.gateway.size, { timeout: 10_000 }).toBe(before + 2);
    expect(sessionCreates).toHaveLength(2);

    // The control is separate from "End chat" and clearly labelled.
    const signOut = a.getByRole('button', { name: 'End chat and sign out' });
    expect(await signOut.count()).toBe(1);
    expect(await a.getByRole('button', { name: 'End chat', exact: true }).count()).toBe(1);

    // Keyboard only: reach it, open the confirm step, read what happens, Escape backs out.
    await tabTo(a, signOut);
    await a.keyboard.press('Enter');
    const dialog = a.getByTestId('cc-signout-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(
      'This ends the chat and signs this chat session out everywhere it is open. To chat again, reload the page from the official site.',
    );
    const yes = a.getByRole('button', { name: 'Yes, end chat and sign out' });
    expect(await yes.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectNoAxeViolations(a, 'widget sign-out confirm', '#carechat-root');
    await a.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await signOut.evaluate((el) => el === document.activeElement)).toBe(true);
    await a.keyboard.press('Enter');
    await dialog.waitFor();
    await a.keyboard.press('Enter');

    // Both tabs: signed out, no transcript, no retry, the message box off.
    const doneA = a.getByTestId('cc-signed-out');
    const doneB = b.getByTestId('cc-signed-out');
    await doneA.waitFor({ timeout: 10_000 });
    await doneB.waitFor({ timeout: 10_000 });
    expect(await doneA.textContent()).toContain('You ended the chat and signed out of this chat session.');
    expect(await doneA.textContent()).toContain('Reload the page from the official site to start a new chat.');
    expect(await doneB.textContent()).toContain('This chat session was ended. Reload the page to start again.');
    for (const p of [a, b]) {
      expect(await p.getByTestId('cc-transcript').count()).toBe(0);
      expect(await p.getByTestId('cc-new-chat').count()).toBe(0);
      expect(await p.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      expect(await p.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true);
    }
    // Focus lands on what explains it in the tab that signed out.
    expect(await a.evaluate(() => document.activeElement?.textContent ?? '')).toContain('You ended the chat');

    // The server holds no socket of either session, and no widget minted a new one.
    await expect.poll(() => s.app.gateway.size, { timeout: 10_000 }).toBe(before);
    await b.waitForTimeout(1_500);
    expect(sessionCreates).toHaveLength(2);
    expect(s.app.gateway.size).toBe(before);

    await expectNoAxeViolations(a, 'widget signed out (this tab)', '#carechat-root');
    await expectNoAxeViolations(b, 'widget signed out (other tab)', '#carechat-root');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
