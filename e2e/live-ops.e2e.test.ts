/**
 * Live operations in real Chromium, one browser context per person, all on one chat: a cardmember
 * (Maria) asks for a live agent; the chat is offered to Ana (longest idle), who accepts, writes an
 * internal note and uses a canned response; she invites Ben into a conference (he accepts, writes,
 * leaves); she escalates, and the supervisor Sofía sees it on her board, monitors, whispers to Ana and
 * barges in; Ana transfers the chat to the Disputes team, where it is offered to Ben, who reads her
 * note; Ben transfers it back to Ana with a note; Ana ends it and records the disposition. Every
 * console screen and dialog passed through is checked with axe; the widget's log is checked for what
 * the cardmember must and must not see. The steps run in order and build on each other.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { storeUnavailable } from '../packages/server/test/helpers.js';
import { browserUnavailable, expectNoAxeViolations, tabTo } from './browser.js';
import { consoleSignIn, useBrowserStory } from './kit.js';

const skip = browserUnavailable() ?? (await storeUnavailable());

const NOTE = 'Maria sounded worried, card last seen at lunch';
const WHISPER = 'Offer the replacement card with express delivery';
const ESCALATION = 'Customer asks for a fee waiver above my limit';
const BACK = 'Dispute opened, customer asked for Ana again';
const HANDOFF = 'Customer also disputes a double charge at the cafe';

describe.skipIf(skip)('live operations in Chromium', () => {
  // A roomy offer timeout: axe runs on the offer card before it is accepted.
  const story = useBrowserStory({ ROUTING_OFFER_TIMEOUT_SECONDS: '120', ROUTING_SWEEP_MS: '250' });
  const { newPage, errors } = story;
  // One page per person, opened in order by the steps below (they share the one chat).
  let cm: Page;
  let ana: Page;
  let ben: Page;
  let sofia: Page;

  /** Signs a demo staff member in; waits for the workspace. */
  async function staffSignIn(email: string): Promise<Page> {
    const page = await newPage();
    await consoleSignIn(page, story.server().url, email);
    await page.getByTestId('console-status').waitFor();
    return page;
  }

  async function setAvailable(page: Page): Promise<void> {
    await page.getByTestId('console-status').selectOption('available');
    await poll(() => page.locator('#agent-status-text').textContent()).toMatch(/available/i);
  }

  async function say(page: Page, text: string): Promise<void> {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
  }

  /** Writes in the console composer in the given mode (reply, note or whisper). */
  async function write(page: Page, mode: 'reply' | 'note' | 'whisper', text: string): Promise<void> {
    const radio = page.getByTestId(`console-mode-${mode}`);
    if (await radio.count()) await radio.check();
    const composer = page.getByTestId('console-composer');
    await composer.locator('textarea').fill(text);
    await composer.locator('button[type="submit"]').click();
  }

  const widgetLog = () => cm.getByTestId('cc-log');
  const consoleLog = (page: Page) => page.getByTestId('console-log');
  const dialog = (page: Page) => page.locator('dialog[open]');
  // Most waits cover a server round trip or a socket frame: roomier than the 1 s default under load.
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });
  /** Waits until the console's polite live region has said `text` (what a screen reader hears). */
  const announced = (page: Page, text: string) =>
    expect.poll(() => page.getByTestId('console-announcements').innerText(), { timeout: 10_000 }).toContain(text);

  async function offerAccept(page: Page): Promise<Locator> {
    const button = page.getByTestId('console-offer').getByTestId('console-offer-accept');
    // Roomy: the multi-node pass runs this beside three-node cluster tests on two cores (an assistant
    // turn, a handoff, a routing sweep and a pushed offer in a row).
    await button.first().waitFor({ timeout: 40_000 });
    return button.first();
  }

  it('offers the chat to an available agent, who accepts; the cardmember sees her join', async () => {
    ana = await staffSignIn('ana@carechat.test');
    ben = await staffSignIn('ben@carechat.test');
    // Ana first: the longest-idle agent gets the next chat.
    await setAvailable(ana);
    await setAvailable(ben);

    cm = await newPage();
    await cm.goto(story.server().url + '/');
    await cm.getByLabel('Username').fill('maria');
    await cm.getByLabel('Password').fill('demo-maria-2024');
    await cm.getByRole('button', { name: 'Sign in' }).click();
    await cm.waitForURL('**/account');
    await cm.getByRole('link', { name: /Gold/ }).first().click();
    await cm.waitForURL('**/account/cards/**');
    await cm.getByRole('button', { name: 'Chat with us' }).click();
    await widgetLog()
      .getByText(/Hi Maria/)
      .waitFor();
    await say(cm, 'I would like a live agent please');

    const accept = await offerAccept(ana);
    const offer = ana.getByTestId('console-offer');
    expect(await offer.innerText()).toMatch(/New chat/);
    expect(await offer.innerText()).toMatch(/Maria, card ending 1005/);
    expect(await ben.getByTestId('console-offer').count()).toBe(0);
    await announced(ana, 'Chat offered to you: Maria, Customer Care team. Accept or decline.');
    await expectNoAxeViolations(ana, 'console inbox with an offer');

    // The queues screen lists the chat while it is offered.
    await ben.getByTestId('console-nav-queues').click();
    await ben.getByTestId('console-queues').getByRole('row', { name: /Maria/ }).waitFor();
    await expectNoAxeViolations(ben, 'console queues');
    await ben.getByTestId('console-nav-chats').click();

    await accept.click();
    await consoleLog(ana).getByText('I would like a live agent please').waitFor();
    await widgetLog().getByText('Ana joined the chat.').waitFor();
    await poll(() => ana.getByTestId('console-offer').count()).toBe(0);
  }, 120_000);

  it('keeps an internal note from the cardmember; canned responses fill the composer', async () => {
    await expectNoAxeViolations(ana, 'console conversation');
    await write(ana, 'note', NOTE);
    const note = consoleLog(ana).locator('li.msg--note', { hasText: NOTE });
    await note.waitFor();
    expect(await note.innerText()).toContain('Internal note — the customer does not see this');
    await write(ana, 'reply', 'Hi Maria, I am looking at your card now.');
    await widgetLog().getByText('Hi Maria, I am looking at your card now.').waitFor();
    expect(await widgetLog().innerText()).not.toContain(NOTE);
    await expectNoAxeViolations(ana, 'console conversation with a note');

    // Canned responses: searchable, filled in for the chat, inserted into the composer (not sent).
    await ana.getByTestId('console-canned-open').click();
    const canned = ana.getByTestId('console-canned');
    await canned
      .getByRole('button', { name: /^Insert/ })
      .first()
      .waitFor();
    await expectNoAxeViolations(ana, 'console canned responses dialog');
    await canned.getByLabel('Search responses').fill('moment');
    await poll(() => canned.getByRole('button', { name: /^Insert/ }).count()).toBe(1);
    await canned.getByRole('button', { name: 'Insert “One moment” into the message' }).click();
    await poll(() => dialog(ana).count()).toBe(0);
    const box = ana.getByTestId('console-composer').locator('textarea');
    expect(await box.inputValue()).toBe('Thanks, Maria. Give me a moment while I look into this for you.');
    await ana.getByTestId('console-composer').locator('button[type="submit"]').click();
    await widgetLog().getByText('Thanks, Maria. Give me a moment while I look into this for you.').waitFor();
  }, 60_000);

  it('conferences in a second agent, who writes and leaves', async () => {
    // Keyboard: the dialog takes focus, Escape closes it and gives focus back to its button.
    const inviteButton = ana.getByRole('button', { name: 'Invite to conference' });
    await inviteButton.focus();
    await ana.keyboard.press('Enter');
    await dialog(ana).waitFor();
    expect(await dialog(ana).evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await ana.keyboard.press('Escape');
    await poll(() => dialog(ana).count()).toBe(0);
    expect(await inviteButton.evaluate((el) => el === document.activeElement)).toBe(true);

    await inviteButton.click();
    const invite = dialog(ana);
    const select = invite.getByLabel('Agent or supervisor');
    await poll(() => select.locator('option', { hasText: 'Ben Carter' }).count()).toBe(1);
    await expectNoAxeViolations(ana, 'console conference dialog');
    const benValue = await select.locator('option', { hasText: 'Ben Carter' }).getAttribute('value');
    await select.selectOption(benValue!);
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await poll(() => dialog(ana).count()).toBe(0);

    const accept = await offerAccept(ben);
    expect(await ben.getByTestId('console-offer').innerText()).toMatch(/Conference invitation/);
    await announced(ben, 'Invitation to join the chat with Maria. Accept or decline.');
    // Keyboard alone: Tab to Accept, Enter; the cursor lands in the reply box.
    await tabTo(ben, accept);
    await ben.keyboard.press('Enter');
    const reply = ben.getByTestId('console-composer').locator('textarea');
    await reply.waitFor();
    await poll(() => reply.evaluate((el) => el === document.activeElement)).toBe(true);
    await consoleLog(ben).getByText('I would like a live agent please').waitFor();
    // Internal notes are for everyone on staff in the chat.
    await consoleLog(ben).getByText(NOTE).waitFor();
    await widgetLog().getByText('Ben joined the chat to help.').waitFor();
    await write(ben, 'reply', 'Ben here from the card team.');
    await widgetLog().getByText('Ben here from the card team.').waitFor();
    await consoleLog(ana).getByText('Ben here from the card team.').waitFor();
    // The cardmember sees both agents, each by name.
    const seen = await widgetLog().innerText();
    expect(seen).toMatch(/Ana[\s\S]*Hi Maria, I am looking at your card now\./);
    expect(seen).toMatch(/Ben[\s\S]*Ben here from the card team\./);
    await expectNoAxeViolations(ben, 'console conversation as conference agent');

    await ben.getByTestId('console-leave').click();
    await widgetLog().getByText('Ben left the chat.').waitFor();
    await ben.getByText('You left the chat.').waitFor();
    await poll(() => ben.getByTestId('console-log').count()).toBe(0);
  }, 90_000);

  it('escalates; the supervisor sees it on the board, monitors, whispers and barges in', async () => {
    sofia = await staffSignIn('sofia@carechat.test');
    await sofia.getByTestId('console-nav-board').click();
    await sofia.getByTestId('console-board').waitFor();
    await sofia.getByText('No open escalations.').waitFor();
    await expectNoAxeViolations(sofia, 'console supervisor board');

    await ana.getByRole('button', { name: 'Escalate to supervisor' }).click();
    const esc = dialog(ana);
    await esc.getByLabel('What does the supervisor need to know?').fill(ESCALATION);
    await expectNoAxeViolations(ana, 'console escalate dialog');
    await esc.getByRole('button', { name: 'Escalate', exact: true }).click();
    await poll(() => dialog(ana).count()).toBe(0);
    await widgetLog().getByText('A supervisor has been asked to join the chat.').waitFor();

    // The open board updates live.
    const escalations = sofia.getByTestId('console-board-escalations');
    await escalations.getByText(/Maria, card ending 1005/).waitFor({ timeout: 15_000 });
    await expect
      .poll(() => sofia.getByTestId('console-announcements').innerText(), { timeout: 10_000 })
      .toMatch(/Board update\. Chats over target: 0\. Escalations waiting: 1\./);
    await expectNoAxeViolations(sofia, 'console supervisor board with an escalation');

    await escalations.getByRole('button', { name: /^Monitor/ }).click();
    await sofia.getByTestId('console-monitoring').waitFor();
    await consoleLog(sofia).getByText('I would like a live agent please').waitFor();
    await consoleLog(sofia).getByText(ESCALATION).waitFor();
    await expectNoAxeViolations(sofia, 'console monitor view');

    await write(sofia, 'whisper', WHISPER);
    const whisper = consoleLog(ana).locator('li.msg--whisper', { hasText: WHISPER });
    await whisper.waitFor();
    expect(await whisper.innerText()).toContain('Whisper from Sofía');
    await announced(ana, `Whisper from Sofía: ${WHISPER}`);
    // A message after the whisper proves the widget is up to date when it is checked.
    await write(ana, 'reply', 'One more moment please.');
    await widgetLog().getByText('One more moment please.').waitFor();
    const cmSees = await widgetLog().innerText();
    expect(cmSees).not.toContain(WHISPER);
    expect(cmSees).not.toContain(ESCALATION);
    expect(cmSees).not.toMatch(/Sofía/);
    await expectNoAxeViolations(ana, 'console conversation with a whisper');

    await sofia.getByTestId('console-barge').click();
    await dialog(sofia).getByRole('button', { name: 'Yes, join the chat' }).waitFor();
    await expectNoAxeViolations(sofia, 'console barge-in dialog');
    await dialog(sofia).getByRole('button', { name: 'Yes, join the chat' }).click();
    await widgetLog().getByText('Sofía, a supervisor, joined the chat.').waitFor();
    await poll(() => sofia.getByTestId('console-monitoring').count()).toBe(0);
    await write(sofia, 'reply', 'Hello Maria, I am the supervisor on duty.');
    await widgetLog().getByText('Hello Maria, I am the supervisor on duty.').waitFor();
    await consoleLog(ana).getByText('Hello Maria, I am the supervisor on duty.').waitFor();
    await expectNoAxeViolations(sofia, 'console conversation as barged-in supervisor');
    await expectNoAxeViolations(cm, 'widget with agents, conference and supervisor notices');
  }, 120_000);

  it('transfers to the Disputes team with a note; it is offered to Ben, who takes it and reads the note', async () => {
    await ana.getByTestId('console-transfer-open').click();
    const transfer = ana.getByTestId('console-transfer');
    const team = transfer.getByLabel('Team', { exact: true });
    await poll(() => team.locator('option', { hasText: 'Disputes' }).count()).toBe(1);
    await expectNoAxeViolations(ana, 'console transfer dialog (to a team)');
    await team.selectOption({ label: 'Disputes' });
    await transfer.getByLabel('Note for the next agent (optional)').fill(HANDOFF);
    await transfer.getByRole('button', { name: 'Transfer chat' }).click();
    await poll(() => dialog(ana).count()).toBe(0);
    await ana.getByText('Chat transferred.').waitFor();
    await widgetLog()
      .getByText(/You are being transferred to the Disputes team/)
      .waitFor();

    // Ben is the one available Disputes agent (Sofía is offline).
    const accept = await offerAccept(ben);
    expect(await ben.getByTestId('console-offer').innerText()).toMatch(
      /Maria, card ending 1005\s+English, Disputes team/,
    );
    await accept.click();
    const note = consoleLog(ben).locator('li.msg--note', { hasText: HANDOFF });
    await note.waitFor();
    expect(await note.innerText()).toMatch(/Internal note[\s\S]*Ana/);
    await widgetLog().getByText('Ben joined the chat.').waitFor();
    await write(ben, 'reply', 'Hi Maria, Ben from Disputes, I have your case.');
    await widgetLog().getByText('Hi Maria, Ben from Disputes, I have your case.').waitFor();
    const cmSees = await widgetLog().innerText();
    expect(cmSees).not.toContain(HANDOFF);
    // Everyone on staff left with the transfer, the barged-in supervisor too.
    await poll(() => sofia.getByTestId('console-composer').count()).toBe(0);
  }, 90_000);

  it('transfers to one agent with a note on the offer; she accepts', async () => {
    await ben.getByTestId('console-transfer-open').click();
    const transfer = ben.getByTestId('console-transfer');
    await transfer.getByRole('radio', { name: 'A specific agent' }).check();
    const agent = transfer.getByLabel('Agent', { exact: true });
    await poll(() => agent.locator('option', { hasText: 'Ana Ruiz' }).count()).toBe(1);
    await expectNoAxeViolations(ben, 'console transfer dialog (to an agent)');
    await agent.selectOption((await agent.locator('option', { hasText: 'Ana Ruiz' }).getAttribute('value'))!);
    await transfer.getByLabel('Note for the agent (required)').fill(BACK);
    await transfer.getByRole('button', { name: 'Transfer chat' }).click();
    await poll(() => dialog(ben).count()).toBe(0);

    const accept = await offerAccept(ana);
    const offer = ana.getByTestId('console-offer');
    expect(await offer.innerText()).toMatch(/Transfer/);
    expect(await offer.innerText()).toContain(`Note: ${BACK}`);
    await announced(ana, 'Chat transferred to you: Maria, card ending 1005. Accept or decline.');
    await expectNoAxeViolations(ana, 'console transfer offer');
    await accept.click();
    await consoleLog(ana).getByText('Hi Maria, Ben from Disputes, I have your case.').waitFor();
    // The note stays in the chat for her, as an internal note from Ben.
    const note = consoleLog(ana).locator('li.msg--note', { hasText: BACK });
    await note.waitFor();
    expect(await note.innerText()).toMatch(/Internal note[\s\S]*Ben/);
    await widgetLog().getByText('Ben left the chat.').nth(1).waitFor();
    await widgetLog().getByText('Ana joined the chat.').nth(1).waitFor();
    expect(await widgetLog().innerText()).not.toContain(BACK);
  }, 90_000);

  it('ends with a wrap-up and its disposition', async () => {
    await ana.getByTestId('console-end').click();
    await ana.getByTestId('console-end-confirm').click();
    await widgetLog().getByText('Ana ended the chat.').waitFor();
    // Ending opens the wrap-up at once: the disposition is the second half of finishing a chat.
    const wrap = ana.getByTestId('console-wrapup');
    await wrap.getByRole('radio', { name: 'Resolved', exact: true }).waitFor();
    await expectNoAxeViolations(ana, 'console wrap-up dialog');
    await wrap.getByRole('radio', { name: 'Resolved', exact: true }).check();
    await wrap.getByRole('button', { name: 'Save and finish' }).click();
    await poll(() => dialog(ana).count()).toBe(0);
    await ana.getByText('Outcome: Resolved').waitFor();
    await poll(() => ana.locator('#agent-status-text').textContent()).toMatch(/available/i);
    expect(errors).toEqual([]);
  }, 60_000);
});
