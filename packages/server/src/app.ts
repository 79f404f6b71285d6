/**
 * The composition root: config -> store -> bus -> services -> transports. Services receive only the
 * dependencies they use. Nothing else constructs long-lived objects.
 */
import type { FastifyInstance } from 'fastify';
import { accountActionRoutes } from './accounts/account-actions.routes.js';
import { AccountActionsService } from './accounts/account-actions.service.js';
import type { AccountsPort } from './accounts/accounts.port.js';
import { accountsRoutes } from './accounts/accounts.routes.js';
import { CustomerContextService } from './accounts/customer-context.service.js';
import { EmbeddedAccounts } from './accounts/embedded/embedded-accounts.js';
import { PanVault } from './accounts/embedded/pan-vault.js';
import { ensureProducts } from './accounts/embedded/products.js';
import { AgentsService } from './agents/agents.service.js';
import { agentRoutes } from './agents/agents.routes.js';
import { AgentsStore } from './agents/agents.store.js';
import type { Assistant } from './assistant/assistant.js';
import { RulesAssistant } from './assistant/rules-assistant.js';
import { InProcessBus, type Bus } from './bus/bus.js';
import { CardmembersStore } from './cardmembers/cardmembers.store.js';
import type { Config } from './config.js';
import { ConversationService } from './conversations/conversations.service.js';
import { ConversationsStore } from './conversations/conversations.store.js';
import { staffConversationRoutes } from './conversations/staff.routes.js';
import { widgetRoutes } from './conversations/widget.routes.js';
import { IdentityService } from './identity/identity.service.js';
import { SecretBox } from './identity/secret-box.js';
import { SessionsStore } from './identity/sessions.store.js';
import { PatternRedactor, type Redactor } from './redaction/redactor.js';
import { registerInputGuard } from './security/input-guard.js';
import { RateLimits, registerHttpRateLimits, type LimiterFactory } from './security/rate-limits.js';
import { stepUpRoutes } from './security/stepup.routes.js';
import { StepUpService } from './security/stepup.service.js';
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
  services: {
    conversations: ConversationService;
    identity: IdentityService;
    agents: AgentsService;
    accounts: AccountsPort;
    stepup: StepUpService;
    /** Account changes for a chat (assistant and agents), with the step-up policy enforced. */
    accountActions: AccountActionsService;
  };
  gateway: WsGateway;
  /** Listens on config.host:config.port; returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createApp(config: Config, o: AppOverrides = {}): Promise<App> {
  const logger = o.logger ?? createLogger(config.logLevel);
  const clock = o.clock ?? systemClock;
  const store = await openStore(config.database);
  const vault = new PanVault(config.accounts.encryptionKey);
  const totpSecrets = new SecretBox(config.accounts.encryptionKey, 'carechat totp');
  await ensureProducts(store.db);
  if (o.seed ?? config.site.enabled) await seedDemo(store.db, clock.now(), vault, totpSecrets);
  const accounts: AccountsPort = o.accounts ?? new EmbeddedAccounts({ db: store.db, clock, vault });
  const bus = o.bus ?? new InProcessBus();
  const redactor = o.redactor ?? new PatternRedactor();

  const sessions = new SessionsStore(store.db, clock, { staffIdleSeconds: config.staffSessionIdleSeconds });
  const agentsStore = new AgentsStore(store.db);
  const cardmembers = new CardmembersStore(store.db);
  const conversations = new ConversationService({
    store: new ConversationsStore(store.db),
    agents: agentsStore,
    bus,
    assistant: o.assistant ?? new RulesAssistant(),
    redactor,
    clock,
    logger,
    averageHandleSeconds: config.averageHandleSeconds,
  });
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
  const agents = new AgentsService({ agents: agentsStore, conversations, clock });
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
    conversationsStore: new ConversationsStore(store.db),
    stepup,
    stepupStore,
    bus,
    clock,
    redactor,
  });

  const http = await createHttp({ logger, secureCookies: config.secureCookies });
  // Before any route or plugin, so the per-IP limits cover the site's sign-in too.
  const rateLimits = new RateLimits(config.rateLimits, o.rateLimiters);
  registerHttpRateLimits(http, rateLimits);
  registerInputGuard(http);
  widgetRoutes(http, { identity, conversations, sessions, bus });
  staffConversationRoutes(http, { identity, conversations });
  accountsRoutes(http, { identity, context: new CustomerContextService({ accounts, conversations }) });
  stepUpRoutes(http, { identity, stepup });
  accountActionRoutes(http, { identity, actions: accountActions });
  agentRoutes(http, { identity, agents, sessions, bus, secureCookies: config.secureCookies, now: () => clock.now() });
  http.get('/healthz', async () => ({ ok: true }));
  await serveClients(http);
  if (config.site.enabled) {
    const { sitePlugin } = await import('@carechat/site');
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
      devicePrompts: {
        view: (token: string, cardmemberId: string) => stepup.devicePrompt(token, cardmemberId),
        answer: (token: string, cardmemberId: string, decision: 'approve' | 'deny') =>
          stepup.answerDevicePrompt(token, cardmemberId, decision),
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
    services: { conversations, identity, agents, accounts, stepup, accountActions },
    gateway,
    async listen() {
      return http.listen({ host: config.host, port: config.port });
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      await gateway.close();
      await http.close();
      await conversations.idle();
      await bus.close();
      await store.close();
    },
  };
}
