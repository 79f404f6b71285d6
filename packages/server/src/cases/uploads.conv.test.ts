/**
 * The assistant offers a secure upload link right after it opens a dispute: the link is for the
 * dispute's case and its cardmember, single-use and unused until the cardmember sends something.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useChatHarness } from '../assistant/flows/testing.js';

const h = useChatHarness();

describe('dispute.start offers an upload link', () => {
  it('omar: after the dispute opens, a link to send receipts for its case', async () => {
    const chat = await h.open('omar');
    await chat.say("I don't recognize a charge from NovaByte Online");
    await chat.say('NovaByte Online $129.99 on November 6, 2026');
    const turn = await chat.say('yes');
    expect(turn.replies[0]).toMatch(/^Your dispute is open\. Reference: DSP-/);
    const offer = turn.replies.find((r) => r.startsWith('You can send a receipt or other documents here: '));
    expect(offer).toBeDefined();
    const token = /\/upload\/([A-Za-z0-9_-]{43})$/.exec(offer!)![1]!;
    // The fraud path's quick replies stay on the last reply.
    expect(turn.quickReplies).toEqual(['Lock my card', 'Report fraud']);

    const [dispute] = await h.app.services.accounts.listDisputes(chat.caller);
    const c = await h.app.services.cases.byDispute(dispute!.id);
    const link = await h.app.store.db
      .selectFrom('upload_links')
      .selectAll()
      .where('token_hash', '=', createHash('sha256').update(token).digest('hex'))
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({
      case_id: c!.id,
      cardmember_id: 'cm_omar',
      created_by_type: 'assistant',
      used_at: null,
    });
    const check = await h.app.services.uploads.check(token, 'cm_omar');
    expect(check.ok).toBe(true);
    expect((await h.app.services.uploads.check(token, 'cm_sam')).ok).toBe(false);
  });
});
