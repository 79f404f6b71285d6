/**
 * The console's two-step sign-in in real Chromium, keyboard only: first sign-in with authenticator
 * setup (the key and link shown as text), a wrong code, going back to the password, and zero axe
 * violations on every state of the screen.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../packages/server/src/identity/totp.js';
import { DEMO_AGENTS } from '../packages/server/src/seed/demo.js';
import { clientDist } from '../packages/server/src/transport/http.js';
import { startServer, storeUnavailable, type TestServer } from '../packages/server/test/helpers.js';
import { browserUnavailable, expectNoAxeViolations, launch, tabTo } from './browser.js';

const skip = browserUnavailable() ?? (await storeUnavailable());

describe.skipIf(skip)('console two-step sign-in in Chromium', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(clientDist.console)) {
      throw new Error(`${clientDist.console} is missing: run "npm run build" first (npm test does).`);
    }
    s = await startServer();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const focused = (page: Page, label: string) => page.getByLabel(label).evaluate((el) => el === document.activeElement);

  async function typeInto(page: Page, label: string, text: string) {
    await tabTo(page, page.getByLabel(label));
    await page.keyboard.type(text);
  }

  async function passwordStep(page: Page, email: string, password: string) {
    await page.goto(s.url + '/console/');
    await page.getByLabel('Email').waitFor();
    await typeInto(page, 'Email', email);
    await typeInto(page, 'Password', password);
    await page.keyboard.press('Enter');
    await page.getByLabel('Authentication code').waitFor();
  }

  it('first sign-in: shows the setup key and link, takes the first code, keyboard only', async () => {
    const sofia = DEMO_AGENTS.find((a) => a.id === 'agent_sofia')!;
    // Sofía has not set up an authenticator yet.
    await s.app.store.db
      .updateTable('agents')
      .set({ totp_secret_ciphertext: null, totp_enrolled_at: null, totp_last_step: null })
      .where('id', '=', sofia.id)
      .execute();
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await passwordStep(page, sofia.email, sofia.password);

    const enroll = page.getByTestId('console-enroll');
    await enroll.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const shown = (await page.getByTestId('console-enroll-secret').innerText()).trim();
    expect(shown).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const secret = shown.replace(/ /g, '');
    expect(await enroll.innerText()).toContain(
      `otpauth://totp/carechat:sofia%40carechat.test?issuer=carechat&secret=${secret}`,
    );
    expect(secret).not.toBe(sofia.totpSecret);
    expect(await focused(page, 'Authentication code')).toBe(true);
    await expectNoAxeViolations(page, 'console sign-in: authenticator setup');

    await page.keyboard.type(totpCode(secret, new Date()));
    await page.keyboard.press('Enter');
    await page.getByTestId('console-status').waitFor();
    const row = await s.app.store.db
      .selectFrom('agents')
      .select(['totp_enrolled_at'])
      .where('id', '=', sofia.id)
      .executeTakeFirstOrThrow();
    expect(row.totp_enrolled_at).not.toBeNull();
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a wrong code is announced and keeps focus in the code field; Back returns to the password', async () => {
    const ben = DEMO_AGENTS.find((a) => a.id === 'agent_ben')!;
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await passwordStep(page, ben.email, ben.password);
    expect(await page.getByTestId('console-enroll').count()).toBe(0);
    const right = totpCode(ben.totpSecret, new Date());
    await page.keyboard.type(right === '000000' ? '000001' : '000000');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.getByText('That code is not correct.', { exact: false }).waitFor();
    expect(await focused(page, 'Authentication code')).toBe(true);
    expect(await page.getByLabel('Authentication code').inputValue()).toBe('');
    await expectNoAxeViolations(page, 'console sign-in: wrong code');

    // Too short: said at once.
    await page.keyboard.type('123');
    await page.keyboard.press('Enter');
    await alert.getByText('Enter the 6-digit code', { exact: false }).waitFor();

    await tabTo(page, page.getByRole('button', { name: 'Back to email and password' }));
    await page.keyboard.press('Enter');
    await page.getByLabel('Password').waitFor();
    expect(await focused(page, 'Password')).toBe(true);
    expect(await page.getByLabel('Email').inputValue()).toBe(ben.email);
    await expectNoAxeViolations(page, 'console sign-in: back to the password');

    // And from there, a normal sign-in.
    await page.keyboard.type(ben.password);
    await page.keyboard.press('Enter');
    await page.getByLabel('Authentication code').waitFor();
    await page.keyboard.type(totpCode(ben.totpSecret, new Date()));
    await page.keyboard.press('Enter');
    await page.getByTestId('console-status').waitFor();
    await ctx.close();
  });
});
