/**
 * The composition root: config -> store -> bus -> services -> transports. Services receive only the
 * dependencies they use. Nothing else constructs long-lived objects.
 */
import type { FastifyInstance } from 'fastify';
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
import { SessionsStore } from './identity/sessions.store.js';
import { PatternRedactor, type Redactor } from './redaction/redactor.js';
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
  await ensureProducts(store.db);
  if (o.seed ?? config.site.enabled) await seedDemo(store.db, clock.now(), vault);
  const accounts: AccountsPort = o.accounts ?? new EmbeddedAccounts({ db: store.db, clock, vault });
  const bus = o.bus ?? new InProcessBus();

  const sessions = new SessionsStore(store.db, clock);
  const agentsStore = new AgentsStore(store.db);
  const cardmembers = new CardmembersStore(store.db);
  const conversations = new ConversationService({
    store: new ConversationsStore(store.db),
    agents: agentsStore,
    bus,
    assistant: o.assistant ?? new RulesAssistant(),
    redactor: o.redactor ?? new PatternRedactor(),
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
  });
  const agents = new AgentsService({ agents: agentsStore, conversations, clock });

  const http = await createHttp({ logger, secureCookies: config.secureCookies });
  widgetRoutes(http, { identity, conversations });
  staffConversationRoutes(http, { identity, conversations });
  accountsRoutes(http, { identity, context: new CustomerContextService({ accounts, conversations }) });
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
    services: { conversations, identity, agents, accounts },
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
