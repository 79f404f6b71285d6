/**
 * What the browser stories share: one server and one Chromium per describe block, a page per person
 * (each in its own browser context, so cookies and sessions never mix), page errors collected, and
 * the console's two-step staff sign-in with a demo account's password and current TOTP code.
 */
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { totpCode } from '../packages/server/src/identity/totp.js';
import { DEMO_AGENTS } from '../packages/server/src/seed/demo.js';
import { clientDist } from '../packages/server/src/transport/http.js';
import { startServer, type TestServer } from '../packages/server/test/helpers.js';
import { launch } from './browser.js';

export interface BrowserStory {
  server(): TestServer;
  /** A new page in a new context; its page errors and console errors land in `errors`. */
  newPage(): Promise<Page>;
  errors: string[];
}

/** Registers beforeAll/afterAll for the enclosing describe: built clients, a server with `env`, a browser. */
export function useBrowserStory(env: Record<string, string> = {}): BrowserStory {
  let s: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  beforeAll(async () => {
    for (const dir of Object.values(clientDist)) {
      if (!existsSync(dir)) throw new Error(`${dir} is missing: run "npm run build" first (npm test does).`);
    }
    s = await startServer({ env });
    browser = await launch();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await s?.close();
  });
  return {
    server: () => s!,
    errors,
    async newPage() {
      const ctx = await browser!.newContext();
      contexts.push(ctx);
      const page = await ctx.newPage();
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        // Failed loads are expected (the favicon 404s, the signed-out check 401s); tests judge responses.
        if (m.type() === 'error' && !/Failed to load resource.*40[14]/.test(m.text()))
          errors.push(`console: ${m.text()}`);
      });
      return page;
    },
  };
}

/** The console's sign-in with a demo account: password, then the account's current TOTP code. */
export async function consoleSignIn(page: Page, baseUrl: string, email: string): Promise<void> {
  const account = DEMO_AGENTS.find((a) => a.email === email);
  if (!account) throw new Error(`${email} is not a demo staff account`);
  await page.goto(baseUrl + '/console/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Authentication code').fill(totpCode(account.totpSecret, new Date()));
  await page.getByRole('button', { name: 'Verify' }).click();
}
