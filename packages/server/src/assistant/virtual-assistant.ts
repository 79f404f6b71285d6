/**
 * The virtual assistant behind the `Assistant` seam: NLU (any `NluEngine`), the dialogue manager
 * and the flows, with the dialogue state in the store. The conversation service calls it after the
 * cardmember's message is stored; it answers with replies and, when a person is needed, a handoff.
 */
import { translator, type Language } from '@carechat/protocol';
import type { Logger } from 'pino';
import type { AccountsPort, Caller } from '../accounts/accounts.port.js';
import type { AccountActionsService } from '../accounts/account-actions.service.js';
import { iso, type Clock } from '../shared/clock.js';
import type { Assistant, AssistantContext, AssistantDecision } from './assistant.js';
import { common } from './dialogue/common.strings.js';
import type { Flow, FlowAccounts, FlowCases, FlowSummary, FlowUploads } from './dialogue/flow.js';
import { DialogueManager } from './dialogue/manager.js';
import type { AssistantStateStore } from './dialogue/state.js';
import type { NluEngine } from './nlu/engine.js';

export interface KnowledgeHit {
  id: string;
  title: string;
  body: string;
}

export interface VirtualAssistantDeps {
  nlu: NluEngine;
  flows: readonly Flow[];
  states: AssistantStateStore;
  accounts: AccountsPort;
  /** Late-bound: the actions service needs the conversation service, which needs this assistant. */
  actions: () => Pick<AccountActionsService, 'perform'>;
  /** Sends a step-up device prompt for the chat; the device's name, or null when none can be sent. */
  requestStepUp: (conversationId: string) => Promise<string | null>;
  knowledge: (query: string, lang: Language) => KnowledgeHit | null;
  /** Cases for a chat's flows (case numbers, complaints); late-bound like `actions`. */
  cases?: (ctx: { conversationId: string; cardmemberId: string; cardId: string; language: Language }) => FlowCases;
  /** Document upload links for a chat's flows (after a dispute opens); late-bound like `actions`. */
  uploads?: (ctx: { conversationId: string; cardmemberId: string }) => FlowUploads;
  /** The secure inbox for summaries a cardmember asks for; late-bound like `actions`. */
  summary?: (ctx: { conversationId: string; cardmemberId: string; language: Language }) => FlowSummary;
  /** Notices a cardmember writing in the other language. */
  detectLanguage?: (text: string) => { lang: Language; confidence: number };
  clock: Clock;
  logger: Logger;
}

/** How sure language detection must be before the assistant switches language on its own. */
const SWITCH_LANGUAGE_CONFIDENCE = 0.85;

export class VirtualAssistant implements Assistant {
  private readonly manager: DialogueManager;

  constructor(private readonly d: VirtualAssistantDeps) {
    this.manager = new DialogueManager(new Map(d.flows.map((f) => [f.intent, f])));
  }

  greet(ctx: Omit<AssistantContext, 'text'>): AssistantDecision {
    const c = translator(common, ctx.language);
    return {
      replies: [
        {
          text: c('greeting', { name: ctx.cardmemberFirstName, last4: ctx.cardLast4 }),
          quickReplies: [...this.manager.menu(ctx.language), c('qr.agent')],
        },
      ],
    };
  }

  async respond(ctx: AssistantContext): Promise<AssistantDecision> {
    const now = this.d.clock.now();
    const state = await this.d.states.load(ctx.conversationId);
    let language = ctx.language;
    const replies: AssistantDecision['replies'] = [];
    const today = iso(now).slice(0, 10);
    const detected = this.d.detectLanguage?.(ctx.text);
    const switching = !!detected && detected.lang !== language && detected.confidence >= SWITCH_LANGUAGE_CONFIDENCE;
    const prediction = await this.d.nlu.classify(ctx.text, { lang: switching ? detected.lang : language, today });
    // "¿Podemos hablar en español?" is the language flow's to answer; anything else written in the
    // other language switches the chat here, with a notice.
    if (switching && !prediction.intent.startsWith('language.')) {
      language = detected.lang;
      replies.push({ text: translator(common, language)('language.switched') });
    }
    const caller: Caller = {
      actorType: 'assistant',
      actorId: null,
      onBehalfOf: ctx.cardmemberId,
      conversationId: ctx.conversationId,
    };
    const result = await this.manager.turn(state, {
      conversationId: ctx.conversationId,
      language,
      status: ctx.status,
      queue: ctx.queue,
      text: ctx.text,
      prediction,
      now: iso(now),
      base: {
        today,
        now,
        conversationId: ctx.conversationId,
        cardmember: { id: ctx.cardmemberId, firstName: ctx.cardmemberFirstName },
        card: { id: ctx.cardId, last4: ctx.cardLast4 },
        assurance: ctx.assurance,
        knowledge: (q) => this.d.knowledge(q, language),
        ...(this.d.cases
          ? {
              cases: this.d.cases({
                conversationId: ctx.conversationId,
                cardmemberId: ctx.cardmemberId,
                cardId: ctx.cardId,
                language,
              }),
            }
          : {}),
        ...(this.d.uploads
          ? { uploads: this.d.uploads({ conversationId: ctx.conversationId, cardmemberId: ctx.cardmemberId }) }
          : {}),
        ...(this.d.summary
          ? {
              summary: this.d.summary({ conversationId: ctx.conversationId, cardmemberId: ctx.cardmemberId, language }),
            }
          : {}),
      },
      accountsFor: (runId) => this.accountsFor(ctx.conversationId, caller, runId),
      requestStepUp: () => this.d.requestStepUp(ctx.conversationId),
    });
    this.d.logger.debug(
      { conversationId: ctx.conversationId, intent: prediction.intent, confidence: prediction.confidence },
      'assistant turn',
    );
    const finalLanguage = result.language ?? (language !== ctx.language ? language : undefined);
    return {
      replies: [...replies, ...result.replies],
      language: finalLanguage,
      handoff: result.handoff && {
        teamId: result.handoff.team,
        reason: result.handoff.reason,
        priority: result.handoff.priority,
        summary: result.handoff.summary,
      },
      commit: (tx) => this.d.states.save(ctx.conversationId, state, iso(this.d.clock.now()), tx),
    };
  }

  private accountsFor(conversationId: string, caller: Caller, runId: string): FlowAccounts {
    return {
      port: this.d.accounts,
      caller,
      act: <T>(operation: Parameters<FlowAccounts['act']>[0], input: Record<string, unknown>, discriminator?: string) =>
        this.d
          .actions()
          .perform(
            { role: 'assistant' },
            conversationId,
            operation,
            input,
            `assistant:${runId}:${operation}${discriminator ? `:${discriminator}` : ''}`,
          ) as Promise<T>,
    };
  }
}
