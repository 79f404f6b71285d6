/**
 * Secure document upload in real Chromium: a cardmember opens the link an agent sent, signs in on the
 * demo site, comes back to the upload page, sends a small PDF with the keyboard-usable form and sees
 * the confirmation; another cardmember opening a link meant for someone else gets a clear refusal and
 * the link stays usable. Axe checks every page on the way.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { storeUnavailable } from '../packages/server/test/helpers.js';
import { browserUnavailable, expectNoAxeViolations, tabTo } from './browser.js';
import { useBrowserStory } from './kit.js';

const skip = browserUnavailable() ?? (await storeUnavailable());
/** Refusal pages answer 403 and 410 on purpose; Chromium logs those navigations as failed loads. */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource.*(403|410)/.test(e));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe.skipIf(skip)('secure document upload in Chromium', () => {
  const story = useBrowserStory();

  /** A case of Maria's and a fresh link to it, as an agent would send it. */
  async function mariasLink() {
    const s = story.server();
    const c = await s.app.services.cases.open({
      type: 'dispute',
      title: 'Duplicate dinner charge',
      cardmemberId: 'cm_maria',
      language: 'en',
      actor: { type: 'agent', id: 'agent_ben', name: 'Ben' },
    });
    const link = await s.app.services.uploads.createLink({
      caseId: c.id,
      by: { type: 'agent', id: 'agent_ben', name: 'Ben' },
      request: 'The restaurant receipt',
    });
    return { c, url: link.url };
  }

  async function signIn(page: Page, user: string, password: string) {
    await page.getByLabel('Username').fill(user);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('the cardmember signs in from the link, sends a PDF and sees the confirmation', async () => {
    const { c, url } = await mariasLink();
    const page = await story.newPage();
    const first = await page.goto(url);
    expect(first!.status()).toBe(401);
    await signIn(page, 'maria', 'demo-maria-2024');
    await page.waitForURL(url);

    await page.getByRole('heading', { name: `Send documents for case ${c.reference}` }).waitFor();
    await page.getByText('The restaurant receipt').waitFor();
    await expectNoAxeViolations(page, 'upload page');

    const file = page.getByLabel('Document', { exact: true });
    // The accepted types and the size limit are part of the field's description.
    expect(await file.getAttribute('aria-describedby')).toBe('upload-file-hint');
    await expect(page.locator('#upload-file-hint').textContent()).resolves.toMatch(
      /PDF, PNG, JPEG or HEIC, up to 10 MB/,
    );
    await file.setInputFiles({ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByLabel('Note (optional)').fill('Charged twice on the same night');
    // Keyboard only from here: the Send button is reachable and works with Enter.
    const send = page.getByRole('button', { name: 'Send' });
    await tabTo(page, send);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.keyboard.press('Enter'),
    ]);
    expect(response.status()).toBe(200);
    await page.getByRole('heading', { name: 'Document received' }).waitFor();
    await page.getByText(`for case ${c.reference}`).waitFor();
    await expectNoAxeViolations(page, 'upload confirmation');

    const uploads = await story
      .server()
      .app.store.db.selectFrom('uploads')
      .selectAll()
      .where('case_id', '=', c.id)
      .execute();
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({
      filename: 'receipt.pdf',
      content_type: 'application/pdf',
      note: 'Charged twice on the same night',
    });

    // The link is spent: opening it again says so.
    const again = await page.goto(url);
    expect(again!.status()).toBe(410);
    await page.getByRole('heading', { name: 'This link was already used' }).waitFor();
    expect(unexpected(story.errors)).toEqual([]);
  });

  it('another cardmember gets a clear refusal, and the link is not used up', async () => {
    const { c, url } = await mariasLink();
    const page = await story.newPage();
    await page.goto(story.server().url + '/');
    await signIn(page, 'sam', 'demo-sam-2024');
    await page.waitForURL('**/account');
    const res = await page.goto(url);
    expect(res!.status()).toBe(403);
    await page.getByRole('heading', { name: 'This link is for another cardmember' }).waitFor();
    await expectNoAxeViolations(page, 'upload refusal (another cardmember)');
    const link = await story
      .server()
      .app.store.db.selectFrom('upload_links')
      .select('used_at')
      .where('case_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(link.used_at).toBeNull();
    expect(unexpected(story.errors)).toEqual([]);
  });
});
