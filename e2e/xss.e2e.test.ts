/**
 * XSS in real Chromium: a cardmember whose name is markup signs in on the issuer's site and sends
 * script payloads; an agent whose name is markup answers with the same. In the site, the widget and
 * the console every payload must show as literal text: no element created from it, no script run,
 * no dialog opened, no CSP violation, no page error.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientDist } from '../packages/server/src/transport/http.js';
import { freshTotpCode, startServer, storeUnavailable, type TestServer } from '../packages/server/test/helpers.js';
import { browserUnavailable, launch } from './browser.js';

const skip = browserUnavailable() ?? (await storeUnavailable());

const CARDMEMBER_NAME = `<img src=x onerror="window.__xss='cardmember-name'">`;
const AGENT_NAME = `<svg onload="window.__xss='agent-name'">`;
const PAYLOADS = [
  `<img src=x onerror=alert(1)>`,
  `<script>window.__xss='script';alert(2)</script>`,
  `"><img src=x onerror="window.__xss='attr-break'">`,
  `<a href="javascript:alert(3)">click me</a>`,
  `javascript:alert(4)`,
  `[open](javascript:alert(5))`,
  `<iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  `<svg><animate onbegin=alert(6) attributeName=x dur=1s>`,
  `{{constructor.constructor('alert(7)')()}} \${alert(8)}`,
];

/** What a successful injection would leave behind, looked for in the document and every open shadow root. */
function injectionTraces(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        const tag = el.tagName.toLowerCase();
        for (const a of Array.from(el.attributes)) {
          if (a.name.toLowerCase().startsWith('on')) found.push(`<${tag} ${a.name}>`);
          if (/^\s*javascript:/i.test(a.value)) found.push(`<${tag} ${a.name}="${a.value}">`);
        }
        if (tag === 'img' && el.getAttribute('src') === 'x') found.push('<img src=x>');
        if (tag === 'iframe') found.push('<iframe>');
        if (tag === 'script' && /alert|__xss/.test(el.textContent ?? '')) found.push('<script>…</script>');
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    const w = window as unknown as { __xss?: string };
    if (w.__xss) found.push(`script ran: ${w.__xss}`);
    return found;
  });
}

describe.skipIf(skip)('XSS payloads render as text in Chromium', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    for (const dir of Object.values(clientDist)) {
      if (!existsSync(dir)) throw new Error(`${dir} is missing: run "npm run build" first (npm test does).`);
    }
    s = await startServer();
    // Names are data too: a cardmember and an agent whose names are markup.
    await s.app.store.db
      .updateTable('cardmembers')
      .set({ first_name: CARDMEMBER_NAME })
      .where('id', '=', 'cm_maria')
      .execute();
    await s.app.store.db.updateTable('agents').set({ first_name: AGENT_NAME }).where('id', '=', 'agent_ben').execute();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  /** Collects everything that would mean a payload escaped: dialogs, page errors, console errors (CSP). */
  function watch(page: Page, problems: string[]) {
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource.*40[14]/.test(m.text()))
        problems.push(`console: ${m.text()}`);
    });
  }

  it('in the site, the widget and the console, from both sides', async () => {
    const cmCtx = await browser.newContext();
    const agCtx = await browser.newContext();
    const cm = await cmCtx.newPage();
    const ag = await agCtx.newPage();
    const problems: string[] = [];
    watch(cm, problems);
    watch(ag, problems);

    // --- The site shows the cardmember's markup name as text.
    await cm.goto(s.url + '/');
    await cm.getByLabel('Username').fill('maria');
    await cm.getByLabel('Password').fill('demo-maria-2024');
    await cm.getByRole('button', { name: 'Sign in' }).click();
    await cm.waitForURL('**/account');
    await cm.getByText(CARDMEMBER_NAME, { exact: false }).first().waitFor();
    expect(await injectionTraces(cm)).toEqual([]);

    // --- The widget greets by that name, as text; the cardmember sends every payload.
    await cm.getByRole('link', { name: /Gold/ }).first().click();
    await cm.waitForURL('**/account/cards/**');
    await cm.getByRole('button', { name: 'Chat with us' }).click();
    const log = cm.getByTestId('cc-log');
    await log.getByText(CARDMEMBER_NAME, { exact: false }).first().waitFor();
    const say = async (page: Page, text: string) => {
      await page.getByRole('textbox', { name: 'Message' }).fill(text);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
    };
    for (const p of PAYLOADS) {
      await say(cm, p);
      await log.getByText(p, { exact: true }).first().waitFor();
    }
    await say(cm, 'I would like a live agent please');
    await cm.getByTestId('cc-queue-status').waitFor();

    // --- The console lists the chat under the markup name and shows every payload as text.
    await ag.goto(s.url + '/console/');
    await ag.getByLabel('Email').fill('ben@carechat.test');
    await ag.getByLabel('Password').fill('demo-ben-2024');
    await ag.getByRole('button', { name: 'Sign in' }).click();
    const code = ag.getByLabel('Authentication code');
    await code.waitFor();
    await code.fill(await freshTotpCode(s, 'ben@carechat.test'));
    await ag.getByRole('button', { name: 'Verify' }).click();
    const status = ag.getByTestId('console-status');
    await status.waitFor();
    if ((await status.evaluate((el) => el.tagName)) === 'SELECT') await status.selectOption('available');
    else await status.click();
    const waiting = ag.getByTestId('console-waiting');
    await waiting.getByText(CARDMEMBER_NAME, { exact: true }).first().waitFor({ timeout: 10_000 });
    await ag.getByTestId('console-accept').first().click();
    const agLog = ag.getByTestId('console-log');
    for (const p of PAYLOADS) await agLog.getByText(p, { exact: true }).first().waitFor();

    // --- The agent answers with the same payloads; the cardmember sees the agent's markup name as text.
    await log.getByText(`${AGENT_NAME} joined the chat.`).waitFor();
    for (const p of PAYLOADS) {
      const mine = `agent says ${p}`;
      await say(ag, mine);
      await agLog.getByText(mine, { exact: true }).first().waitFor();
      await log.getByText(mine, { exact: true }).first().waitFor();
    }

    // Give any deferred handler (onload, onerror, animation begin) a moment to fire.
    await cm.waitForTimeout(500);
    expect(await injectionTraces(cm)).toEqual([]);
    expect(await injectionTraces(ag)).toEqual([]);
    // Each payload is one text node's worth of characters in the message list, not markup.
    for (const [page, testId] of [
      [cm, 'cc-log'],
      [ag, 'console-log'],
    ] as const) {
      const html = await page.getByTestId(testId).innerHTML();
      expect(html).not.toMatch(/<(img|script|svg|iframe|animate)\b/i);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
    expect(problems).toEqual([]);
    await cmCtx.close();
    await agCtx.close();
  }, 120_000);
});
