/**
 * The composition root: config -> store -> bus -> services -> transports. Services receive only the
 * dependencies they use. Nothing else constructs long-lived objects.
 */
import type { FastifyInstance } from 'fastify';
import { accountActionRoutes } from './accounts/account-actions.routes.js';
import { adminRoutes } from './admin/admin.routes.js';
import { AdminService } from './admin/admin.service.js';
import { AccountActionsService } from './accounts/account-actions.service.js';
import type { AccountsPort } from './accounts/accounts.port.js';
import { accountsRoutes } from './accounts/accounts.routes.js';
import { CustomerContextService } from './accounts/customer-context.service.js';
import { EmbeddedAccounts } from './accounts/embedded/embedded-accounts.js';
import { PanVault } from './accounts/embedded/pan-vault.js';
import { ensureProducts } from './accounts/embedded/products.js';
import { AgentsService } from './agents/agents.service.js';
import { agentRoutes, STAFF_THROTTLE } from './agents/agents.routes.js';
import { CounterLoginThrottle } from './agents/login-throttle.js';
import { PresenceService } from './agents/presence.js';
import { AgentsStore } from './agents/agents.store.js';
import type { Assistant } from './assistant/assistant.js';
import { AssistantStateStore } from './assistant/dialogue/state.js';
import { ALL_FLOWS } from './assistant/flows/index.js';
import { knowledgeBase } from './assistant/knowledge/knowledge-base.js';
import type { NluEngine } from './assistant/nlu/engine.js';
import { defaultNluEngine } from './assistant/nlu/default-engine.js';
import { detectLanguage } from './assistant/nlu/language.js';
import { VirtualAssistant } from './assistant/virtual-assistant.js';
import { InProcessBus, type Bus } from './bus/bus.js';
import { RedisBus } from './bus/redis-bus.js';
import { accommodationRoutes, AccommodationService } from './live/accommodation.js';
import { BoardService } from './live/board.service.js';
import { staffOpsRoutes } from './live/staff-ops.routes.js';
import { StaffOpsService } from './live/staff-ops.service.js';
import { CardmembersStore } from './cardmembers/cardmembers.store.js';
import type { Config } from './config.js';
import { CasesService } from './cases/cases.service.js';
import { registerCaseNotices } from './cases/notices.js';
import { SecureMessagesService, siteInbox } from './cases/secure-messages.service.js';
import { chatSummaries, SummaryBuilder } from './cases/summary.js';
import { uploadRoutes } from './cases/uploads.routes.js';
import { UploadsService, type DocumentRequestMessages } from './cases/uploads.service.js';
import { casesRoutes, flowCases } from './cases/cases.routes.js';
import { CsatService, csatRoutes } from './cases/csat.js';
import { CaseActions } from './cases/case-actions.js';
import { slaRoutes } from './cases/sla.routes.js';
import { CaseTimers } from './cases/timers.js';
import { QueueModel } from './routing/queue-model.js';
import { RoutingService } from './routing/routing.service.js';
import { routingRoutes } from './routing/routing.routes.js';
import { ConversationService } from './conversations/conversations.service.js';
import { ConversationsStore } from './conversations/conversations.store.js';
import { staffConversationRoutes } from './conversations/staff.routes.js';
import { widgetRoutes } from './conversations/widget.routes.js';
import { IdentityService } from './identity/identity.service.js';
import { SecretBox } from './identity/secret-box.js';
import { SessionsStore } from './identity/sessions.store.js';
import { readinessRoutes } from './ops/health.js';
import { Drain } from './ops/shutdown.js';
import { Metrics } from './ops/metrics.js';
import { PatternRedactor, type Redactor } from './redaction/redactor.js';
import { registerInputGuard } from './security/input-guard.js';
import { RateLimits, registerHttpRateLimits, type LimiterFactory } from './security/rate-limits.js';
import { redisCounters } from './security/shared-counters.js';
import { stepUpRoutes } from './security/stepup.routes.js';
import { StepUpService } from './security/stepup.service.js';
import type { Actor } from './security/access.js';
import { StepUpStore } from './security/stepup.store.js';
import { demoLoginsForSite, seedDemo } from './seed/demo.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createLogger, type Logger } from './shared/logger.js';
import { openStore, type Store } from './store/db.js';
import { createHttp, serveClients } from './transport/http.js';
import { WsGateway } from './transport/ws.gateway.js';

export interface AppOverrides {
  clock?: Clock;
  bus?: Bus;
  assistant?: Assistant;
  /** The NLU engine of the virtual assistant (default: the shipped model). */
  nlu?: NluEngine;
  redactor?: Redactor;
  logger?: Logger;
  /** A bank's own core instead of the embedded one. */
  accounts?: AccountsPort;
  /** Rate-limit counters: in memory by default; the scale-out issue passes a Redis-backed factory. */
  rateLimiters?: LimiterFactory;
  /** Seed demo data (default: when the demo site is enabled). */
  seed?: boolean;
}

export interface App {
  config: Config;
  http: FastifyInstance;
  store: Store;
  /** Events between this node's parts and, with Redis, the other nodes. */
  bus: Bus;
  services: {
    conversations: ConversationService;
    identity: IdentityService;
    agents: AgentsService;
    accounts: AccountsPort;
    stepup: StepUpService;
    /** Account changes for a chat (assistant and agents), with the step-up policy enforced. */
    accountActions: AccountActionsService;
    /** Offers waiting chats to agents (docs/routing.md). */
    routing: RoutingService;
    queues: QueueModel;
    /** Case numbers, status history, links (docs/cases.md). */
    cases: CasesService;
    /** Secure document upload links and the documents sent through them. */
    uploads: UploadsService;
    /** Case deadline timers (docs/disputes.md#timers); `sweep()` fires what is due now. */
    caseTimers: CaseTimers;
    /** Staff consoles open on any node, and the away rule (agents/presence.ts). */
    presence: PresenceService;
  };
  gateway: WsGateway;
  /** Listens on config.host:config.port; returns the base URL. */
  listen(): Promise<string>;
  /** Graceful shutdown, first half (ops/shutdown.ts): /readyz 503 at once, then sockets asked to move. */
  drain(): Promise<void>;
  /** True once drain() has started. */
  readonly draining: boolean;
  close(): Promise<void>;
}

export async function createApp(config: Config, o: AppOverrides = {}): Promise<App> {
  const logger = o.logger ?? createLogger(config.logLevel, undefined, { node: config.nodeId });
  const clock = o.clock ?? systemClock;
  const metrics = new Metrics({ nodeId: config.nodeId, logger });
  const store = await openStore(config.database, metrics.observeQuery);
  const vault = new PanVault(config.accounts.encryptionKey);
  const totpSecrets = new SecretBox(config.accounts.encryptionKey, 'carechat totp');
  await ensureProducts(store.db);
  if (o.seed ?? config.site.enabled) await seedDemo(store.db, clock.now(), vault, totpSecrets);
  const accounts: AccountsPort = o.accounts ?? new EmbeddedAccounts({ db: store.db, clock, vault });
  let bus: Bus;
  if (o.bus) bus = o.bus;
  else if (config.redis) {
    const redisBus = new RedisBus({ ...config.redis, nodeId: config.nodeId, logger });
    try {
      await redisBus.connected();
    } catch (err) {
      await redisBus.close();
      await store.close();
      throw err;
    }
    bus = redisBus;
  } else bus = new InProcessBus();
  // Several nodes: rate limits and sign-in throttles count in Redis (memory fallback while it is away).
  const counters = config.redis ? redisCounters({ ...config.redis, nodeId: config.nodeId, logger }) : null;
  if (counters && !(await counters.ready())) logger.warn('redis counters not ready at boot: counting in memory');
  // Which staff members have a console open, on any node; the away rule (agents/presence.ts).
  const presence = new PresenceService({
    db: store.db,
    bus,
    logger,
    clock,
    nodeId: config.nodeId,
    heartbeatMs: config.presence.heartbeatMs,
    awayAfterSeconds: config.presence.awayAfterSeconds,
  });
  await presence.start();
  if (bus instanceof RedisBus) metrics.watchBus(bus);
  // Counted by finding type (ops/metrics.ts); the values are never looked at.
  const redactor = metrics.countRedactions(o.redactor ?? new PatternRedactor());

  const sessions = new SessionsStore(store.db, clock, { staffIdleSeconds: config.staffSessionIdleSeconds });
  const agentsStore = new AgentsStore(store.db);
  const cardmembers = new CardmembersStore(store.db);
  // The assistant acts through the actions service and asks for step-up through its service; both
  // need the conversation service, which needs the assistant: they are bound once built, below.
  const late: {
    actions?: AccountActionsService;
    stepup?: StepUpService;
    cases?: CasesService;
    uploads?: UploadsService;
    summaries?: ReturnType<typeof chatSummaries>;
  } = {};
  const conversationsStore = new ConversationsStore(store.db);
  const assistantStates = new AssistantStateStore(store.db);
  const assistant =
    o.assistant ??
    new VirtualAssistant({
      nlu: o.nlu ?? (await defaultNluEngine()),
      flows: ALL_FLOWS,
      states: assistantStates,
      accounts,
      actions: () => late.actions!,
      cases: (ctx) => flowCases(late.cases!, ctx),
      uploads: (ctx) => late.uploads!.forFlow(ctx),
      summary: (ctx) => ({ store: (text) => late.summaries!.asked(ctx, text) }),
      requestStepUp: async (conversationId) => {
        const row = await conversationsStore.get(conversationId);
        const stepup = late.stepup;
        if (!row || !stepup || !(await stepup.methodsFor(row)).includes('device')) return null;
        // The cardmember asked for the action that needs it: the prompt is theirs.
        const actor: Actor = {
          role: 'cardmember',
          cardmemberId: row.cardmember_id,
          cardId: row.card_id,
          sessionHash: 'assistant',
          firstName: row.cm_first_name,
          language: row.language,
        };
        const r = await stepup.requestDevicePrompt(actor, conversationId, {});
        return r.prompt?.deviceName ?? null;
      },
      knowledge: (query, lang) => knowledgeBase().search(query, lang, 1)[0] ?? null,
      detectLanguage: (text) => detectLanguage(text),
      clock,
      logger,
    });
  const queues = new QueueModel(store.db, config.averageHandleSeconds);
  metrics.watchQueues({ db: store.db, queues, now: () => clock.now() });
  const cases = new CasesService({ db: store.db, bus, clock, redactor });
  // The cardmember's secure inbox: case notices (in the case's transaction) and chat summaries.
  const secureMessages = new SecureMessagesService({ db: store.db, bus, clock, redactor });
  registerCaseNotices({ cases, messages: secureMessages, bus });
  const summaries = chatSummaries({
    builder: new SummaryBuilder({ db: store.db, today: () => clock.now().toISOString().slice(0, 10) }),
    messages: secureMessages,
    db: store.db,
  });
  late.cases = cases;
  late.summaries = summaries;
  // Deadline timers of cases (FCBA): written when a case opens, fired by every node's sweep.
  const caseTimers = new CaseTimers({ db: store.db, bus, cases, clock, logger, sweepMs: config.caseTimers.sweepMs });
  caseTimers.start();
  const conversations = new ConversationService({
    // SQLite has one writer: concurrent sends share commits (store/group-commit.ts). PostgreSQL: one
    // statement each, committed on its own (ConversationsStore.appendOnce).
    store: new ConversationsStore(store.db, { groupCommit: store.kind === 'sqlite', kind: store.kind }),
    agents: agentsStore,
    bus,
    assistant: metrics.timeAssistant(assistant),
    redactor,
    clock,
    logger,
    queues,
    conversationReference: (id) => cases.conversationReference(id),
    summaries,
    assistantJobs: { nodeId: config.nodeId, kind: store.kind, ...config.assistantJobs },
  });
  // The assistant's turns are stored jobs: every node sweeps for those a dead or failing node left.
  conversations.startAssistantJobs();
  const routing = new RoutingService({
    db: store.db,
    kind: store.kind,
    bus,
    clock,
    logger,
    queues,
    offerTimeoutSeconds: config.routing.offerTimeoutSeconds,
    sweepMs: config.routing.sweepMs,
    view: (id) => conversations.viewById(id, 'staff'),
    handlers: { queue: (actor, offer) => conversations.accept(actor, offer.conversation_id) },
  });
  routing.start();
  // Registers the transfer and conference offer handlers with routing.
  const staffOps = new StaffOpsService({
    conversations,
    store: conversationsStore,
    routing,
    queues,
    bus,
    clock,
    redactor,
  });
  const csat = new CsatService({ db: store.db, conversations, redactor, clock });
  const board = new BoardService({ db: store.db, queues, conversations, clock, csat, presence });
  const identity = new IdentityService({
    db: store.db,
    sessions,
    agents: agentsStore,
    clock,
    siteToken: config.identity,
    widgetSessionTtlSeconds: config.widgetSessionTtlSeconds,
    staffSessionTtlSeconds: config.staffSessionTtlSeconds,
    totpSecrets,
    logger,
  });
  const agents = new AgentsService({ agents: agentsStore, conversations, clock, bus });
  const stepupStore = new StepUpStore(store.db);
  const stepup = new StepUpService({
    store: stepupStore,
    conversations,
    accounts,
    bus,
    clock,
    secret: config.accounts.encryptionKey,
    demoDeviceLinks: config.site.enabled,
  });
  const accountActions = new AccountActionsService({
    accounts,
    conversations,
    conversationsStore,
    stepup,
    stepupStore,
    bus,
    clock,
    redactor,
    caseActions: new CaseActions(cases, store.db, logger),
  });
  late.stepup = stepup;
  late.actions = accountActions;

  // Secure document links of cases. The link's origin: PUBLIC_URL, else the URL this node listens on.
  // `uploadSeams.secureMessages` sends the `document_request` notice (cases/secure-messages.service.ts).
  let listening: string | null = null;
  const uploadSeams: { secureMessages?: DocumentRequestMessages } = { secureMessages };
  const uploads = new UploadsService({
    db: store.db,
    clock,
    redactor,
    cases,
    conversations,
    conversationsStore,
    dir: config.uploads.dir,
    ttlMinutes: config.uploads.linkTtlMinutes,
    maxBytes: config.uploads.maxBytes,
    siteBase: () => config.publicUrl ?? listening,
    secureMessages: () => uploadSeams.secureMessages,
  });
  late.uploads = uploads;

  const http = await createHttp({ logger, secureCookies: config.secureCookies, trustProxy: config.trustProxy });
  // First, so every route is timed; GET /metrics (bearer token when METRICS_TOKEN is set).
  metrics.registerHttp(http, config.metricsToken);
  if (config.env === 'production' && !config.metricsToken) {
    logger.warn('METRICS_TOKEN is not set: /metrics is open; set it or block the path at the load balancer');
  }
  // Before any route or plugin, so the per-IP limits cover the site's sign-in too.
  const rateLimits = new RateLimits(config.rateLimits, o.rateLimiters ?? counters?.limiters);
  registerHttpRateLimits(http, rateLimits);
  registerInputGuard(http);
  widgetRoutes(http, { identity, conversations, sessions, bus });
  staffConversationRoutes(http, { identity, conversations });
  accountsRoutes(http, {
    identity,
    context: new CustomerContextService({ accounts, conversations, assistantBrief: (id) => assistantStates.brief(id) }),
  });
  stepUpRoutes(http, { identity, stepup });
  routingRoutes(http, { identity, routing });
  staffOpsRoutes(http, { identity, ops: staffOps, board });
  adminRoutes(http, { identity, admin: new AdminService({ db: store.db, clock, bus }) });
  accommodationRoutes(http, {
    identity,
    service: new AccommodationService({ conversations, store: conversationsStore, bus, clock, redactor }),
  });
  accountActionRoutes(http, { identity, actions: accountActions });
  uploadRoutes(http, { identity, uploads, publicUrl: config.publicUrl });
  casesRoutes(http, { identity, cases, conversations, conversationsStore, db: store.db });
  csatRoutes(http, { identity, csat });
  slaRoutes(http, { identity, db: store.db, cases, clock });
  agentRoutes(http, {
    identity,
    agents,
    sessions,
    bus,
    secureCookies: config.secureCookies,
    now: () => clock.now(),
    ...(counters ? { throttle: new CounterLoginThrottle(counters.limiters, STAFF_THROTTLE) } : {}),
  });
  http.get('/healthz', async () => ({ ok: true }));
  const drain = new Drain({ waitMs: config.shutdownDrainMs, logger });
  readinessRoutes(http, { store, bus, nodeId: config.nodeId, draining: () => drain.draining, logger });
  await serveClients(http);
  if (config.site.enabled) {
    const { sitePlugin, SITE_LOGIN_THROTTLE } = await import('@carechat/site');
    await http.register(sitePlugin, {
      authenticate: (u: string, p: string) => cardmembers.authenticate(u, p),
      getAccount: (id: string) => cardmembers.account(id),
      chatTokenSecret: config.identity.secrets[0]!,
      chatTokenIssuer: config.identity.issuer,
      chatTokenAudience: config.identity.audience,
      chatTokenTtlSeconds: config.site.chatTokenTtlSeconds,
      sessionSecret: config.site.sessionSecret,
      sessionTtlSeconds: 1800,
      secureCookies: config.secureCookies,
      demoLogins: demoLoginsForSite(),
      ...(counters
        ? {
            loginThrottle: new CounterLoginThrottle(counters.limiters, {
              ...SITE_LOGIN_THROTTLE,
              keyPrefix: 'cc_lt_site',
            }),
          }
        : {}),
      devicePrompts: {
        view: (token: string, cardmemberId: string) => stepup.devicePrompt(token, cardmemberId),
        answer: (token: string, cardmemberId: string, decision: 'approve' | 'deny') =>
          stepup.answerDevicePrompt(token, cardmemberId, decision),
      },
      inbox: siteInbox({ messages: secureMessages, cases }),
      uploads: {
        maxBytes: config.uploads.maxBytes,
        view: async (token: string, cardmemberId: string) => {
          const r = await uploads.check(token, cardmemberId);
          if (!r.ok) return { status: r.reason as 'not_found' | 'expired' | 'used' | 'forbidden' };
          return { status: 'ok' as const, ...r.view, request: r.view.request ?? null };
        },
        submit: async (
          token: string,
          cardmemberId: string,
          file: { filename: string; data: Uint8Array },
          note: string | null,
        ) => {
          const r = await uploads.accept({ token, cardmemberId, filename: file.filename, data: file.data, note });
          if (!r.ok) return { status: r.reason };
          return { status: 'stored' as const, caseReference: r.caseReference, filename: r.upload.filename };
        },
      },
    });
  }

  const gateway = new WsGateway({
    identity,
    sessions,
    conversations,
    bus,
    logger,
    allowedOrigins: config.allowedOrigins,
    parseCookie: (h) => http.parseCookie(h),
    limits: config.ws,
    rateLimits,
    offers: (agentId) => routing.openOffers(agentId),
    board: (actor) => board.board(actor),
    presence,
    metrics,
  });
  http.server.on('upgrade', (req, socket, head) => {
    if (req.url?.split('?')[0] !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    void gateway.handleUpgrade(req, socket, head);
  });

  // Expired sessions and used site-token ids are dead weight; any node may sweep them (idempotent).
  const sweeper = setInterval(() => {
    sessions.purgeExpired().catch((err: unknown) => logger.warn({ err }, 'session sweep failed'));
  }, 10 * 60_000);
  sweeper.unref();

  let closed = false;
  return {
    config,
    http,
    store,
    bus,
    services: {
      conversations,
      identity,
      agents,
      accounts,
      stepup,
      accountActions,
      routing,
      queues,
      cases,
      caseTimers,
      presence,
      uploads,
    },
    gateway,
    async listen() {
      listening = await http.listen({ host: config.host, port: config.port });
      return listening;
    },
    drain: () => drain.run(gateway),
    get draining() {
      return drain.draining;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      await gateway.close();
      await presence.stop();
      await http.close();
      await routing.stop();
      await caseTimers.stop();
      await conversations.stopAssistantJobs();
      await conversations.idle();
      await bus.close();
      await counters?.close();
      await store.close();
    },
  };
}
