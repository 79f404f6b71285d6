/**
 * Step-up verification: raises a conversation from `session` to `verified` for 15 minutes, by a
 * prompt approved on a registered device or by a last-4 + billing-ZIP challenge. Everything is in the
 * store (prompts, assurance, lockouts), so any node can answer any step; `conversation.updated` is
 * published after each commit so the widget and console update live.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DevicePromptView, StepUpMethod, StepUpResponse } from '@carechat/protocol';
import type { AccountsPort, Caller } from '../accounts/accounts.port.js';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import type { Actor } from '../conversations/conversations.policy.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { ConversationRow } from '../conversations/conversations.store.js';
import { iso, type Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { StepupPromptsTable } from '../store/schema.js';
import { authorize } from './access.js';
import {
  CHALLENGE_LOCKOUT_MS,
  CHALLENGE_MAX_FAILURES,
  DEVICE_PROMPT_TTL_MS,
  MAX_PROMPTS_PER_WINDOW,
  PROMPT_WINDOW_MS,
  VERIFIED_FOR_MS,
} from './stepup.policy.js';
import type { StepUpStore } from './stepup.store.js';

export interface StepUpDeps {
  store: StepUpStore;
  conversations: ConversationService;
  accounts: AccountsPort;
  bus: Bus;
  clock: Clock;
  /** Server secret the device links are derived from (never the link itself in the store). */
  secret: Uint8Array;
  /** Demo only: hand the cardmember's widget the device page link (the demo site is the "device"). */
  demoDeviceLinks: boolean;
}

/** What the device page shows for a link, as the demo site renders it (see @carechat/site). */
export type DevicePromptPage =
  | { status: 'not_found' }
  | {
      status: 'pending' | 'approved' | 'denied' | 'expired';
      /** True when this request is the one that just approved or denied it. */
      justAnswered: boolean;
      cardLast4: string;
      productName: string;
      deviceName: string;
      expiresAt: string;
      requestedBy: 'cardmember' | 'agent';
    };

/** A device link token: 43 base64url characters. */
export const DEVICE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function promptView(p: StepupPromptsTable, now: Date): DevicePromptView {
  return {
    id: p.id,
    status: p.status === 'pending' && p.expires_at <= iso(now) ? 'expired' : p.status,
    deviceName: p.device_name,
    expiresAt: p.expires_at,
    requestedBy: p.requested_by_type,
  };
}

const refusedPrompt = () => new AppError('device_unavailable', 409, 'No registered device can receive a prompt.');

export class StepUpService {
  private readonly linkKey: Buffer;

  constructor(private readonly d: StepUpDeps) {
    // A key of its own, so a device link can never be confused with any other use of the secret.
    this.linkKey = createHmac('sha256', d.secret).update('carechat/step-up/device-link/v1').digest();
  }

  /**
   * The secret in a prompt's device link. Derived from the prompt id with a server key, so the demo
   * can show the link again (GET .../stepup) while the store keeps only its SHA-256.
   */
  private tokenFor(promptId: string): string {
    return createHmac('sha256', this.linkKey).update(promptId).digest('base64url');
  }

  // ------------------------------------------------------------------ state

  /** The chat's step-up state; the widget's own demo link for a pending prompt. */
  async state(actor: Actor, conversationId: string): Promise<StepUpResponse> {
    const row = await this.d.conversations.getReadable(actor, conversationId);
    const prompt = row.stepup_prompt_id ? await this.d.store.promptById(row.stepup_prompt_id) : undefined;
    return this.response(actor, row.id, prompt);
  }

  /** Which step-up methods the cardmember can use: a device prompt needs a push-enabled device. */
  async methodsFor(row: Pick<ConversationRow, 'cardmember_id' | 'id'>): Promise<StepUpMethod[]> {
    try {
      const profile = await this.d.accounts.getProfile(this.systemCaller(row));
      return profile.devices.some((d) => d.pushEnabled) ? ['device', 'challenge'] : ['challenge'];
    } catch {
      // The core is down: still say both; asking for a prompt will explain if it cannot be sent.
      return ['device', 'challenge'];
    }
  }

  // ------------------------------------------------------------------ method 1: device prompt

  /** Sends an Approve / Deny prompt to one of the cardmember's registered devices (2 minutes, single use). */
  async requestDevicePrompt(actor: Actor, conversationId: string, input: { deviceId?: string }) {
    const row = await this.d.conversations.getReadable(actor, conversationId);
    authorize(actor, 'conversation.write', { conversation: row });
    const profile = await this.d.accounts.getProfile(this.callerFor(actor, row));
    const devices = profile.devices.filter((dv) => dv.pushEnabled);
    const device = input.deviceId ? devices.find((dv) => dv.id === input.deviceId) : devices[0];
    if (!device) throw refusedPrompt();

    const now = this.d.clock.now();
    const nowIso = iso(now);
    if (
      (await this.d.store.countSince(row.id, iso(new Date(now.getTime() - PROMPT_WINDOW_MS)))) >= MAX_PROMPTS_PER_WINDOW
    ) {
      throw new AppError('rate_limited', 429, 'Too many verification requests. Please wait a few minutes.');
    }
    const id = randomUUID();
    const prompt: StepupPromptsTable = {
      id,
      token_hash: sha256(this.tokenFor(id)),
      conversation_id: row.id,
      cardmember_id: row.cardmember_id,
      device_id: device.id,
      device_name: device.name,
      requested_by_type: actor.role === 'cardmember' ? 'cardmember' : 'agent',
      requested_by_id: actor.role === 'cardmember' ? actor.cardmemberId : actor.agentId,
      status: 'pending',
      created_at: nowIso,
      expires_at: iso(new Date(now.getTime() + DEVICE_PROMPT_TTL_MS)),
      decided_at: null,
    };
    await this.d.store.transaction(async (tx) => {
      await this.d.store.supersedePending(tx, row.id, nowIso);
      await this.d.store.insertPrompt(tx, prompt);
      await this.d.store.pointAtPrompt(tx, row.id, id, nowIso);
      await this.d.store.recordEvent(tx, {
        type: 'stepup.requested',
        conversationId: row.id,
        actorType: prompt.requested_by_type,
        actorId: prompt.requested_by_id,
        payload: { promptId: id, method: 'device', deviceId: device.id },
        now: nowIso,
      });
    });
    // A real issuer would push the prompt to the device here; in the demo the device is a site page.
    await this.publish(row.id);
    return this.response(actor, row.id, prompt);
  }

  /** The device page's view of a link; another cardmember's link reads as not found. */
  async devicePrompt(token: string, cardmemberId: string): Promise<DevicePromptPage> {
    const prompt = await this.promptForLink(token, cardmemberId);
    if (!prompt) return { status: 'not_found' };
    const now = this.d.clock.now();
    if (prompt.status === 'pending' && prompt.expires_at <= iso(now)) {
      await this.d.store.markExpired(prompt.id, iso(now));
      await this.publish(prompt.conversation_id);
    }
    return this.page(prompt, now, false);
  }

  /**
   * Approves or denies a prompt from its device page. Only a pending, unexpired prompt can be
   * answered, once; approving makes the chat `verified` for 15 minutes.
   */
  async answerDevicePrompt(
    token: string,
    cardmemberId: string,
    decision: 'approve' | 'deny',
  ): Promise<DevicePromptPage> {
    const prompt = await this.promptForLink(token, cardmemberId);
    if (!prompt) return { status: 'not_found' };
    const now = this.d.clock.now();
    const nowIso = iso(now);
    const status = decision === 'approve' ? 'approved' : 'denied';
    const answered = await this.d.store.transaction(async (tx) => {
      if (!(await this.d.store.answer(tx, prompt.id, status, nowIso))) return false;
      const verified =
        status === 'approved' &&
        (await this.d.store.verify(
          tx,
          prompt.conversation_id,
          'device',
          iso(new Date(now.getTime() + VERIFIED_FOR_MS)),
          nowIso,
        ));
      await this.d.store.recordEvent(tx, {
        type: status === 'approved' ? 'stepup.approved' : 'stepup.denied',
        conversationId: prompt.conversation_id,
        actorType: 'cardmember',
        actorId: cardmemberId,
        payload: { promptId: prompt.id, method: 'device', deviceId: prompt.device_id, verified },
        now: nowIso,
      });
      return true;
    });
    if (!answered) {
      // Already answered, or out of time: show what it is now.
      await this.d.store.markExpired(prompt.id, nowIso);
      const current = (await this.d.store.promptById(prompt.id)) ?? prompt;
      if (current.status !== prompt.status) await this.publish(prompt.conversation_id);
      return this.page(current, now, false);
    }
    await this.publish(prompt.conversation_id);
    return this.page({ ...prompt, status, decided_at: nowIso }, now, true);
  }

  // ------------------------------------------------------------------ method 2: last 4 + ZIP

  /**
   * Checks the card's last 4 digits and the billing ZIP (the primary address). Three wrong answers
   * lock the challenge for 15 minutes, counted per cardmember across chats. The submitted values are
   * compared and dropped: never stored, logged or put in an event.
   */
  async answerChallenge(actor: Actor, conversationId: string, input: { last4: string; zip: string }) {
    if (actor.role !== 'cardmember') throw new AppError('forbidden', 403, 'Only the cardmember can answer this.');
    const row = await this.d.conversations.getReadable(actor, conversationId);
    authorize(actor, 'conversation.write', { conversation: row });
    const profile = await this.d.accounts.getProfile(this.callerFor(actor, row));
    const billing = profile.addresses.find((a) => a.primary) ?? profile.addresses[0];
    const zip5 = (z: string) => z.replace(/\D/g, '').slice(0, 5);
    // Both compared every time, so the answer's timing does not tell which part was wrong.
    const last4Ok = sameText(input.last4, row.card_last4);
    const zipOk = sameText(zip5(input.zip), billing ? zip5(billing.zip) : '');
    const correct = last4Ok && zipOk;

    const now = this.d.clock.now();
    const nowIso = iso(now);
    const outcome = await this.d.store.transaction(async (tx) => {
      const lock = await this.d.store.lockLockout(tx, row.cardmember_id, nowIso);
      if (lock.locked_until && lock.locked_until > nowIso) return { kind: 'locked' as const, until: lock.locked_until };
      // A lock that has run out starts a fresh count.
      const failedBefore = lock.locked_until ? 0 : lock.failed_attempts;
      const event = (type: string, payload: Record<string, unknown>) =>
        this.d.store.recordEvent(tx, {
          type,
          conversationId: row.id,
          actorType: 'cardmember',
          actorId: row.cardmember_id,
          payload: { method: 'challenge', ...payload },
          now: nowIso,
        });
      if (correct) {
        await this.d.store.setLockout(tx, row.cardmember_id, { failedAttempts: 0, lockedUntil: null }, nowIso);
        const verified = await this.d.store.verify(
          tx,
          row.id,
          'challenge',
          iso(new Date(now.getTime() + VERIFIED_FOR_MS)),
          nowIso,
        );
        await event('stepup.verified', { verified });
        return { kind: 'verified' as const };
      }
      const failed = failedBefore + 1;
      if (failed >= CHALLENGE_MAX_FAILURES) {
        const until = iso(new Date(now.getTime() + CHALLENGE_LOCKOUT_MS));
        await this.d.store.setLockout(tx, row.cardmember_id, { failedAttempts: failed, lockedUntil: until }, nowIso);
        await event('stepup.locked', { failedAttempts: failed, lockedUntil: until });
        return { kind: 'locked' as const, until };
      }
      await this.d.store.setLockout(tx, row.cardmember_id, { failedAttempts: failed, lockedUntil: null }, nowIso);
      await event('stepup.failed', { failedAttempts: failed });
      return { kind: 'failed' as const, attemptsLeft: CHALLENGE_MAX_FAILURES - failed };
    });

    if (outcome.kind === 'locked') {
      throw new AppError(
        'verification_locked',
        429,
        'Too many incorrect answers. For your security, try again in 15 minutes or ask for a prompt on your device.',
        { lockedUntil: outcome.until },
      );
    }
    if (outcome.kind === 'failed') {
      throw new AppError(
        'verification_failed',
        403,
        `Those details don't match our records. ${outcome.attemptsLeft} attempt${outcome.attemptsLeft === 1 ? '' : 's'} left.`,
        { attemptsLeft: outcome.attemptsLeft },
      );
    }
    await this.publish(row.id);
    return this.state(actor, row.id);
  }

  // ------------------------------------------------------------------ helpers

  private async promptForLink(token: string, cardmemberId: string): Promise<StepupPromptsTable | undefined> {
    if (!DEVICE_TOKEN.test(token)) return undefined;
    const prompt = await this.d.store.promptByTokenHash(sha256(token));
    // Someone else's link looks exactly like an unknown one.
    return prompt && prompt.cardmember_id === cardmemberId ? prompt : undefined;
  }

  private async page(prompt: StepupPromptsTable, now: Date, justAnswered: boolean): Promise<DevicePromptPage> {
    const view = await this.d.conversations.viewById(prompt.conversation_id);
    return {
      status: promptView(prompt, now).status,
      justAnswered,
      cardLast4: view?.card.last4 ?? '',
      productName: view?.card.productName ?? '',
      deviceName: prompt.device_name,
      expiresAt: prompt.expires_at,
      requestedBy: prompt.requested_by_type,
    };
  }

  private async response(
    actor: Actor,
    conversationId: string,
    prompt: StepupPromptsTable | undefined,
  ): Promise<StepUpResponse> {
    const now = this.d.clock.now();
    const conversation = (await this.d.conversations.viewById(conversationId))!;
    const view = prompt ? promptView(prompt, now) : null;
    // Only the cardmember's own widget, only in the demo, only while it can still be answered.
    const link =
      this.d.demoDeviceLinks && actor.role === 'cardmember' && prompt && view?.status === 'pending'
        ? `/device/prompts/${this.tokenFor(prompt.id)}`
        : undefined;
    return { conversation, prompt: view, ...(link ? { demoDeviceUrl: link } : {}) };
  }

  /** After commit: the chat's new state to everyone watching it. */
  private async publish(conversationId: string): Promise<void> {
    const conversation = await this.d.conversations.viewById(conversationId);
    if (conversation) {
      await this.d.bus.publish(channels.conversation(conversationId), {
        name: 'conversation.updated',
        payload: { conversation },
      });
    }
  }

  private callerFor(actor: Actor, row: Pick<ConversationRow, 'cardmember_id' | 'id'>): Caller {
    return actor.role === 'cardmember'
      ? { actorType: 'cardmember', actorId: actor.cardmemberId, onBehalfOf: row.cardmember_id, conversationId: row.id }
      : { actorType: 'agent', actorId: actor.agentId, onBehalfOf: row.cardmember_id, conversationId: row.id };
  }

  private systemCaller(row: Pick<ConversationRow, 'cardmember_id' | 'id'>): Caller {
    return { actorType: 'system', actorId: null, onBehalfOf: row.cardmember_id, conversationId: row.id };
  }
}
