/**
 * One turn of the assistant: understand the message, then either answer the question a task is
 * waiting on, switch topic, run a global command (cancel, start over, agent), or start the flow of
 * the recognised intent. Flows are pure functions of their slots (`flow.ts`); everything that must
 * survive the turn is in `DialogueState`, stored by the caller.
 */
import { randomUUID } from 'node:crypto';
import { formatWait, translator, type Language } from '@carechat/protocol';
import { AccountsError } from '../../accounts/accounts.port.js';
import { AppError } from '../../shared/errors.js';
import { isIntent, teamFor, type IntentId, type TeamId } from '../intents.js';
import type { Prediction } from '../nlu/engine.js';
import { common } from './common.strings.js';
import type { Flow, FlowContext, HandoffRequest, Reply, Slots, Step } from './flow.js';
import { fillSlot, fold } from './slots.js';
import type { DialogueState, Task } from './state.js';

/** Below this, a prediction is treated as "not understood". */
export const MIN_CONFIDENCE = 0.35;
/** To abandon a task's question for another topic, the new intent must be at least this sure. */
export const SWITCH_CONFIDENCE = 0.6;
/** Failed understandings (or failed answers to one question) before a person takes over. */
export const MAX_FAILURES = 2;
/** A handoff at this priority or above re-queues a chat that is already waiting (fraud in progress). */
export const URGENT_PRIORITY = 10;

/** Intents that answer a question or are chit-chat: never a reason to leave the current task. */
const NON_TOPICS = new Set<string>(['affirm', 'deny', 'out_of_scope', 'greeting', 'thanks', 'goodbye', 'help']);

export interface TurnInput {
  conversationId: string;
  language: Language;
  status: 'bot' | 'queued' | 'assigned' | 'closed';
  queue?: { position: number; estimatedWaitSeconds: number; teamId?: string; priority?: number } | null;
  text: string;
  prediction: Prediction;
  /** Flow context minus what the manager fills per run (`text`, `prediction`, `entities`, `lang`, `t`, `records`). */
  base: Omit<FlowContext, 'text' | 'prediction' | 'entities' | 'lang' | 't' | 'records' | 'accounts'>;
  /** Accounts access for a run (its idempotency keys derive from the run id). */
  accountsFor(runId: string): FlowContext['accounts'];
  /** Sends a step-up prompt to the cardmember's device; the device's name, or null if there is none. */
  requestStepUp(): Promise<string | null>;
  now: string;
}

export interface TurnResult {
  replies: Reply[];
  handoff?: HandoffRequest;
  language?: Language;
}

export class DialogueManager {
  constructor(private readonly flows: ReadonlyMap<string, Flow>) {}

  async turn(state: DialogueState, input: TurnInput): Promise<TurnResult> {
    const out: TurnResult = { replies: [] };
    const lang = input.language;
    const c = translator(common, lang);
    const p = input.prediction;
    const confident = p.intent !== 'out_of_scope' && p.confidence >= MIN_CONFIDENCE;
    const task = state.task;

    // Global commands first: they apply whatever the task is waiting for.
    if (confident && (p.intent === 'cancel' || isCancel(input.text))) {
      state.task = null;
      out.replies.push({
        text: task ? stopped(c('cancelled'), task) : c('nothing_to_cancel'),
        quickReplies: this.menu(lang),
      });
      return out;
    }
    if (confident && p.intent === 'start_over') {
      if (task) out.replies.push(...partial(task));
      state.task = null;
      state.failures = 0;
      out.replies.push({ text: c('start_over'), quickReplies: this.menu(lang) });
      return out;
    }

    // Asking for a person wins over any question: the task's details go into the agent's summary.
    if (confident && (p.intent === 'agent.request' || p.intent === 'agent.supervisor')) {
      await this.start(state, p.intent, input, out);
      return out;
    }

    if (task?.awaiting) {
      const a = task.awaiting;
      const fill = fillSlot(a.expect, input.text, p, a.options);
      // A confident request for something else wins over a free-text or "any" answer.
      const otherTopic =
        confident &&
        !a.keep &&
        p.confidence >= SWITCH_CONFIDENCE &&
        !NON_TOPICS.has(p.intent) &&
        p.intent !== task.intent &&
        isIntent(p.intent);
      const weakFill = a.expect === 'text' || a.expect === 'any';
      // "Done" after a step-up prompt fills an `any` slot unless another request is very clear.
      const override = otherTopic && weakFill && (a.expect === 'text' || p.confidence >= 0.9);
      if (fill.ok && !override) {
        if (a.confirm && fill.value === false) {
          state.task = null;
          out.replies.push({ text: stopped(c('confirm.declined'), task) });
          return out;
        }
        task.slots[a.slot] = fill.value;
        task.awaiting = null;
        await this.run(state, task, input, out);
        return out;
      }
      if (otherTopic) {
        state.task = null;
        out.replies.push({ text: stopped(c('topic_switch'), task) });
        await this.start(state, p.intent as IntentId, input, out);
        return out;
      }
      // "hi", "thanks", "what can you do?" in the middle of a question: ask it again, no harm done.
      const chitChat = confident && (p.intent === 'greeting' || p.intent === 'thanks' || p.intent === 'help');
      if (!chitChat) a.tries += 1;
      if (a.tries >= MAX_FAILURES) {
        state.task = null;
        out.replies.push({ text: c('reprompt.handoff') });
        this.handoff(state, out, input, {
          team: teamFor(task.intent),
          reason: `${task.intent}:not_understood`,
          summary: `The assistant could not complete "${task.intent}": the cardmember's answers did not fit the question "${a.prompt}".`,
        });
        return out;
      }
      out.replies.push({
        text: c('reprompt', { prompt: a.prompt }),
        quickReplies: [...(a.options?.map((o) => o.label) ?? []), ...(a.quickReplies ?? [])],
      });
      return out;
    }

    if (!confident) {
      // The knowledge base answers what the model was unsure about, not what it knows is off-topic
      // (a checking account's routing number shares words with "where to mail a payment").
      const offTopic = p.intent === 'out_of_scope' && p.ranking[0]?.intent === 'out_of_scope' && p.confidence >= 0.5;
      const hit = offTopic ? null : input.base.knowledge(input.text);
      if (hit) {
        state.failures = 0;
        out.replies.push({ text: hit.body });
        return out;
      }
      state.failures += 1;
      if (state.failures >= MAX_FAILURES) {
        state.failures = 0;
        out.replies.push({ text: c('fallback.handoff') });
        this.handoff(state, out, input, {
          team: 'general',
          reason: 'not_understood',
          summary: 'The assistant did not understand the cardmember twice in a row.',
        });
        return out;
      }
      out.replies.push({ text: c('fallback'), quickReplies: [...this.menu(lang), c('qr.agent')] });
      return out;
    }
    state.failures = 0;
    await this.start(state, p.intent as IntentId, input, out);
    return out;
  }

  /** Quick replies offered when the cardmember can ask anything. */
  menu(lang: Language): string[] {
    const c = translator(common, lang);
    return [c('qr.lost'), c('qr.balance'), c('qr.dispute')];
  }

  private async start(state: DialogueState, intent: IntentId, input: TurnInput, out: TurnResult): Promise<void> {
    if (!state.topics.includes(intent)) state.topics.push(intent);
    const c = translator(common, input.language);
    // Asking for a person is handled here: it needs the whole state for the agent's summary.
    if (intent === 'agent.request' || intent === 'agent.supervisor') {
      const previous = state.task;
      state.task = null;
      if (input.status === 'queued' && input.queue) {
        state.task = previous; // still waiting in line: the task can carry on
        out.replies.push({
          text: c('handoff.already', {
            position: input.queue.position,
            wait: formatWait(input.queue.estimatedWaitSeconds, input.language),
          }),
        });
        return;
      }
      if (intent === 'agent.supervisor') out.replies.push({ text: c('handoff.supervisor') });
      this.handoff(state, out, input, {
        team: previous
          ? teamFor(previous.intent)
          : teamFor([...state.topics].reverse().find((t) => teamFor(t) !== 'general')),
        reason: intent,
        priority: intent === 'agent.supervisor' ? 5 : 0,
        summary: previous
          ? `Asked for a person in the middle of "${previous.intent}" (${describeSlots(previous.slots)}).`
          : 'Asked for a person.',
      });
      return;
    }
    const flow = this.flows.get(intent);
    if (!flow) {
      out.replies.push({ text: c('fallback'), quickReplies: [...this.menu(input.language), c('qr.agent')] });
      return;
    }
    const task: Task = { intent, runId: randomUUID(), slots: {}, awaiting: null, startedAt: input.now };
    state.task = task;
    try {
      task.slots = { ...(await flow.init?.(this.context(state, task, input))) };
    } catch {
      task.slots = {};
    }
    await this.run(state, task, input, out);
  }

  /** Runs the task's flow until it asks something or finishes. */
  private async run(state: DialogueState, task: Task, input: TurnInput, out: TurnResult): Promise<void> {
    const flow = this.flows.get(task.intent)!;
    const c = translator(common, input.language);
    let step: Step;
    try {
      step = await flow.step(this.context(state, task, input), task.slots);
    } catch (err) {
      await this.failed(err, state, task, input, out);
      return;
    }
    switch (step.kind) {
      case 'ask':
        task.awaiting = {
          slot: step.slot,
          expect: step.expect,
          prompt: step.prompt,
          options: step.options,
          quickReplies: step.quickReplies,
          keep: step.keep,
          tries: 0,
        };
        out.replies.push({
          text: step.prompt,
          quickReplies: [...(step.options?.map((o) => o.label) ?? []), ...(step.quickReplies ?? [])],
        });
        return;
      case 'confirm':
        task.awaiting = {
          slot: step.slot ?? 'confirmed',
          expect: 'yesno',
          prompt: step.prompt,
          confirm: true,
          tries: 0,
        };
        out.replies.push({ text: step.prompt, quickReplies: [c('qr.yes'), c('qr.no')] });
        return;
      case 'done':
        state.task = null;
        out.replies.push(...step.replies);
        if (step.record) state.records.push({ ...step.record, at: step.record.at ?? input.now });
        if (step.language) out.language = step.language;
        if (step.handoff) this.handoff(state, out, input, step.handoff);
        return;
    }
  }

  /** A flow threw: step-up needed, the account system refused or is down, or a bug. */
  private async failed(err: unknown, state: DialogueState, task: Task, input: TurnInput, out: TurnResult) {
    const c = translator(common, input.language);
    if (err instanceof AppError && err.code === 'step_up_required') {
      const alreadyAsked = task.slots.__stepup === true;
      task.slots.__stepup = true;
      task.awaiting = { slot: '__stepup_done', expect: 'any', prompt: c('stepup.still'), tries: 0 };
      if (alreadyAsked) {
        out.replies.push({ text: c('stepup.still'), quickReplies: [c('qr.done'), c('qr.cancel')] });
        return;
      }
      const device = await input.requestStepUp().catch(() => null);
      out.replies.push({
        text: device ? c('stepup.device', { device }) : c('stepup.challenge'),
        quickReplies: [c('qr.done'), c('qr.cancel')],
      });
      return;
    }
    state.task = null;
    if (err instanceof AccountsError && err.code === 'unavailable') {
      out.replies.push({ text: c('error.unavailable'), quickReplies: [c('qr.agent')] });
      return;
    }
    if (err instanceof AccountsError || err instanceof AppError) {
      // A rule the flow did not expect: explain plainly and let a person take it from here.
      out.replies.push({ text: c('error.generic'), quickReplies: [c('qr.agent')] });
      return;
    }
    throw err;
  }

  private handoff(state: DialogueState, out: TurnResult, input: TurnInput, request: HandoffRequest): void {
    const c = translator(common, input.language);
    // Already waiting: an urgent request (fraud in progress) moves the chat up and to its team.
    const priority = request.priority ?? 0;
    const urgent =
      input.status === 'queued' &&
      priority >= URGENT_PRIORITY &&
      (priority > (input.queue?.priority ?? 0) || request.team !== input.queue?.teamId);
    if (input.status !== 'bot' && !urgent) {
      if (input.status === 'queued' && input.queue) {
        out.replies.push({
          text: c('handoff.already', {
            position: input.queue.position,
            wait: formatWait(input.queue.estimatedWaitSeconds, input.language),
          }),
        });
      }
      return;
    }
    out.handoff = { ...request, summary: summarize(state, request) };
    state.handoff = { team: request.team, reason: request.reason, at: input.now };
    out.replies.push({ text: c('handoff', { team: c(`team.${request.team}` as const) }) });
  }

  private context(state: DialogueState, task: Task, input: TurnInput): FlowContext {
    return {
      ...input.base,
      lang: input.language,
      text: input.text,
      prediction: input.prediction,
      entities: input.prediction.entities,
      records: state.records,
      accounts: input.accountsFor(task.runId),
      t: (table) => translator(table, input.language),
    };
  }
}

/**
 * A flow that changed something before its last question (the lost-card flow locks the card first)
 * leaves a note in the `__done` slot, in the cardmember's language; "nothing was changed" would then be
 * false, so the note replaces it.
 */
function stopped(message: string, task: Task): string {
  const note = task.slots.__done;
  if (typeof note !== 'string' || !note) return message;
  return message.replace(/(Nothing was changed\.|No se cambió nada\.)/, note);
}

const partial = (task: Task): Reply[] =>
  typeof task.slots.__done === 'string' && task.slots.__done ? [{ text: task.slots.__done }] : [];

const CANCEL =
  /^(cancel|cancel that|cancel it|never ?mind|nevermind|forget it|stop|cancelar|cancela|olvidalo|dejalo|olvida eso|no importa)$/;
const isCancel = (text: string) => CANCEL.test(fold(text));

function describeSlots(slots: Slots): string {
  const shown = Object.entries(slots).filter(([k]) => !k.startsWith('__'));
  return shown.length
    ? shown.map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`).join('; ')
    : 'no details yet';
}

/** What the agent reads first: the reason, the topics raised and what was already done. */
function summarize(state: DialogueState, request: HandoffRequest): string {
  const parts = [request.summary];
  if (state.topics.length) parts.push(`Topics: ${state.topics.join(', ')}.`);
  if (state.records.length) {
    parts.push(
      `Done by the assistant: ${state.records.map((r) => r.description + (r.reference ? ` (${r.reference})` : '')).join('; ')}.`,
    );
  }
  return parts.join(' ');
}

export type { TeamId };
