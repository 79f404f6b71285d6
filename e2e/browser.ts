/**
 * Real Chromium for end-to-end tests (Debian's /usr/bin/chromium driven by playwright-core).
 * Missing browser: tests skip with a message on a laptop, and fail under CI=true.
 */
import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const msg = `Chromium not found at ${CHROMIUM}; skipping browser tests (apt-get install -y chromium).`;
  if (process.env.CI === 'true') throw new Error(`${msg} Under CI=true the browser is required.`);
  console.warn(msg);
  return msg;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Runs axe (WCAG 2.x A/AA rules) and fails with a readable list of violations. */
export async function expectNoAxeViolations(page: Page, label: string, include?: string): Promise<void> {
  // Judge the settled page: a fade-in caught half-way reads as low contrast (seen under load).
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, {
      timeout: 3000,
    })
    .catch(() => undefined);
  let builder = new AxeBuilder({ page }).withTags([
    'wcag2a',
    'wcag2aa',
    'wcag21a',
    'wcag21aa',
    'wcag22aa',
    'best-practice',
  ]);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const summary = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe violations on ${label}`).toEqual([]);
}

/**
 * Keyboard only: presses Tab (at most `max` times) until `target` has focus. Fails if it never does,
 * which is exactly the bug a keyboard user would hit.
 */
export async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  const handle = await target.elementHandle();
  if (!handle) throw new Error('tabTo: target not found');
  for (let i = 0; i < max; i++) {
    if (
      await handle.evaluate(
        (el) => el === document.activeElement || (el.contains(document.activeElement) && el.tagName !== 'FORM'),
      )
    )
      return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`tabTo: could not reach ${String(target)} with Tab`);
}
