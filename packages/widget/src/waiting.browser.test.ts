/// <reference types="node" />
/**
 * The waiting card in real Chromium: the real widget (App, Panel, controller, reducer) bundled with a
 * fake server (test-pages/waiting.harness.tsx), frames and clock driven from here. Checks what is
 * shown, what the polite live region says and how often, the keyboard path to the message box, and axe.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ConversationView, Message, QueueInfo } from '@carechat/protocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, expectNoAxeViolations, launch, tabTo } from '../../../e2e/browser.js';
import { buildConversation, buildMessage } from './test-support.js';

const skip = browserUnavailable();
const NY = 'America/New_York';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

function queued(queue: Partial<QueueInfo> = {}, teamId = 'general', language: 'en' | 'es' = 'en'): ConversationView {
  return buildConversation({
    status: 'queued',
    language,
    teamId,
    queue: {
      teamId,
      teamName: 'General',
      position: 3,
      estimatedWaitSeconds: 240,
      agentsAvailable: 1,
      serving: true,
      open: true,
      opensAt: null,
      phone: '+1 800-555-0134',
      ...queue,
    },
  });
}

describe.skipIf(skip)('waiting card in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let script = '';
  let css = '';

  beforeAll(async () => {
    const out = await build({
      entryPoints: [here('./test-pages/waiting.harness.tsx')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      logLevel: 'silent',
    });
    script = out.outputFiles[0]!.text;
    css = readFileSync(here('./styles.css'), 'utf8');
    browser = await launch();
    context = await browser.newContext({ timezoneId: NY, locale: 'en-US' });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  async function open(lang: 'en' | 'es' = 'en'): Promise<Page> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent(
      `<!doctype html><html lang="${lang}"><head><title>Card</title></head><body><main><h1>Your card</h1></main></body></html>`,
    );
    await page.addStyleTag({ content: css });
    await page.addScriptTag({ content: script });
    await page.evaluate((l) => window.__cc.start(l), lang);
    await page.getByTestId('cc-log').getByText('Hello, how can I help?').waitFor();
    expect(errors).toEqual([]);
    return page;
  }
  const send = (page: Page, conversation: ConversationView) =>
    page.evaluate((c) => window.__cc.receive({ type: 'conversation', conversation: c }), conversation);
  const advance = (page: Page, ms: number) => page.evaluate((n) => window.__cc.advance(n), ms);
  const spoken = (page: Page) => page.locator('[aria-live="polite"] p').allTextContents();

  it('shows place, team and estimate live, keeps the message box on, and paces the live region', async () => {
    const page = await open();
    await send(page, queued({ position: 5 }));
    const status = page.getByTestId('cc-queue-status');
    await expect
      .poll(() => status.textContent())
      .toBe('You are number 5 in line for the General team.Estimated wait: about 4 minutes.');
    const card = page.getByRole('group', { name: 'Waiting for an agent' });
    await card.getByText('You can keep chatting with the assistant while you wait.').waitFor();
    // No "nobody here" actions while agents serve the queue; the header does not repeat the card.
    expect(await page.getByTestId('cc-keep-chatting').count()).toBe(0);
    expect(await page.getByTestId('cc-status').count()).toBe(0);

    // The message box stays on: the assistant keeps answering while the chat waits.
    const box = page.getByRole('textbox', { name: 'Message' });
    expect(await box.isDisabled()).toBe(false);
    await box.fill('What is my balance?');
    await box.press('Enter');
    expect(await page.evaluate(() => window.__cc.sent())).toEqual(['What is my balance?']);

    // Three moves within the minute: the card follows each, the live region says only the first…
    await advance(page, 5_000);
    await send(page, queued({ position: 4 }));
    await advance(page, 5_000);
    await send(page, queued({ position: 3, estimatedWaitSeconds: 150 }));
    await expect.poll(() => status.textContent()).toMatch(/^You are number 3 in line.*about 3 minutes\.$/);
    expect((await spoken(page)).filter((x) => x.includes('in line'))).toEqual([
      'You are number 5 in line for the General team. Estimated wait: about 4 minutes.',
    ]);
    // …and the newest place once the minute is up.
    await advance(page, 50_000);
    await expect
      .poll(async () => (await spoken(page)).filter((x) => x.includes('in line')))
      .toEqual([
        'You are number 5 in line for the General team. Estimated wait: about 4 minutes.',
        'You are number 3 in line for the General team. Estimated wait: about 3 minutes.',
      ]);
    await expectNoAxeViolations(page, 'waiting card', '.cc-panel');
    await page.close();
  });

  it('nobody serving or closed: says so, when it opens in local time, the phone as a tel: link, and a way back to the box', async () => {
    const page = await open();
    await send(page, queued({ serving: false, agentsAvailable: 0 }));
    const status = page.getByTestId('cc-queue-status');
    await expect
      .poll(() => status.textContent())
      .toBe('No one on our General team can take your chat right now.You keep your place in line (number 3).');
    expect(await status.textContent()).not.toMatch(/minute/);
    const tel = page.getByRole('link', { name: '+1 800-555-0134' });
    expect(await tel.getAttribute('href')).toBe('tel:+18005550134');
    expect(await page.getByTestId('cc-queue-phone').textContent()).toBe('You can also call us at +1 800-555-0134.');
    await expect
      .poll(() => spoken(page))
      .toContain('No one on our General team can take your chat right now. You keep your place in line (number 3).');

    // Closed until a day more than two days ahead, 13:00 UTC: the card says it in New York time.
    const opens = new Date(Date.now() + 3 * 86_400_000);
    opens.setUTCHours(13, 0, 0, 0);
    await send(page, { ...queued({ open: false, serving: false, opensAt: opens.toISOString() }), teamId: 'general' });
    const day = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: NY }).format(opens);
    // 13:00 UTC is 8 or 9 AM in New York, depending on daylight saving time.
    const hour = Number(
      new Intl.DateTimeFormat('en-US', { hour: 'numeric', hour12: false, timeZone: NY }).format(opens),
    );
    await expect
      .poll(() => page.locator('.cc-waiting-headline').textContent())
      .toMatch(new RegExp(`^Our General team opens ${day} at ${hour}:00\\sAM\\.$`));

    // Keyboard only: Tab to the button, Enter, and the cursor is in the message box.
    const keep = page.getByRole('button', { name: 'Keep chatting with the assistant' });
    await page.getByRole('textbox', { name: 'Message' }).focus();
    await tabTo(page, keep);
    await page.keyboard.press('Enter');
    expect(await page.getByRole('textbox', { name: 'Message' }).evaluate((el) => el === document.activeElement)).toBe(
      true,
    );
    await expectNoAxeViolations(page, 'closed queue', '.cc-panel');

    // On the button when agents come back: it goes, and focus goes to the message box, not the page.
    await keep.focus();
    await send(page, queued({ position: 2 }));
    await expect.poll(() => page.getByTestId('cc-keep-chatting').count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Message' }).evaluate((el) => el === document.activeElement)).toBe(
      true,
    );
    await page.close();
  });

  it('fraud: a long wait shows the call-us notice prominently, as one alert that stays', async () => {
    const page = await open();
    const fraud = (seconds: number) =>
      queued({ teamName: 'Fraud', estimatedWaitSeconds: seconds, phone: '1-800-555-0199' }, 'fraud');
    await send(page, fraud(90));
    await page
      .getByTestId('cc-queue-status')
      .getByText(/Fraud team/)
      .waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await send(page, fraud(300));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'If you think someone is using your card right now, call us at 1-800-555-0199 — the number is also on the back of your card.',
    );
    expect(await alert.getByRole('link', { name: '1-800-555-0199' }).getAttribute('href')).toBe('tel:18005550199');
    // The estimate drops back: the same element stays, so screen readers are not alerted again.
    await alert.evaluate((el) => el.setAttribute('data-seen', '1'));
    await send(page, fraud(60));
    await send(page, fraud(400));
    await expect.poll(() => page.locator('[role="alert"][data-seen="1"]').count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(1);
    await expectNoAxeViolations(page, 'fraud notice', '.cc-panel');
    // An agent takes the chat: the waiting card and the notice go.
    await send(page, buildConversation({ status: 'assigned', teamId: 'fraud', agent: { id: 'a1', firstName: 'Ana' } }));
    await expect.poll(() => page.getByTestId('cc-waiting').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.close();
  });

  it("never shows a staff note, and shows the new notices in the viewer's language", async () => {
    const page = await open('es');
    const msg = (m: Message) => page.evaluate((message) => window.__cc.receive({ type: 'message', message }), m);
    await msg(
      buildMessage(2, {
        kind: 'note',
        whisper: true,
        author: { role: 'agent', id: 's1', name: 'Sofia' },
        body: 'SECRET-NOTE offer the fee waiver',
      }),
    );
    await msg(
      buildMessage(3, {
        kind: 'system',
        author: { role: 'system', id: null, name: null },
        body: 'Sofía, a supervisor, joined the chat.',
        system: { code: 'supervisor.joined', params: { name: 'Sofía' } },
      }),
    );
    const log = page.getByTestId('cc-log');
    await log.getByText('Sofía, supervisor, se unió al chat.').waitFor();
    expect(await page.locator('.cc-root').textContent()).not.toContain('SECRET-NOTE');
    expect(await spoken(page)).toEqual(['Sofía, supervisor, se unió al chat.']);

    await send(page, queued({ serving: false }, 'general', 'es'));
    await page
      .getByTestId('cc-queue-status')
      .getByText('En este momento nadie del equipo General puede atender su chat.')
      .waitFor();
    await page.getByRole('button', { name: 'Seguir chateando con el asistente' }).click();
    expect(await page.getByRole('textbox', { name: 'Mensaje' }).evaluate((el) => el === document.activeElement)).toBe(
      true,
    );
    expect(await page.getByTestId('cc-queue-phone').textContent()).toBe('También puede llamarnos al +1 800-555-0134.');
    await page.close();
  });
});
