/** Test builders: fake SiteDeps with in-memory cardmembers, and a real Fastify app around sitePlugin. */
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { sitePlugin } from './site.plugin.js';
import type { SiteCard, SiteCardmember, SiteDeps } from './site.types.js';

export interface FakeMember {
  username: string;
  password: string;
  cardmember: SiteCardmember;
  cards: SiteCard[];
}

export function buildCardmember(overrides: Partial<SiteCardmember> = {}): SiteCardmember {
  return { id: 'cm_maria', firstName: 'Maria', lastName: 'Lopez', language: 'en', ...overrides };
}

export function buildCard(overrides: Partial<SiteCard> = {}): SiteCard {
  return { id: 'card_1005', last4: '1005', productName: 'Meridian Cash Rewards', status: 'active', ...overrides };
}

export const members: FakeMember[] = [
  {
    username: 'maria',
    password: 'maria-demo-pass',
    cardmember: buildCardmember(),
    cards: [
      buildCard(),
      buildCard({ id: 'card_2207', last4: '2207', productName: 'Meridian Travel Elite', status: 'locked' }),
    ],
  },
  {
    username: 'jose',
    password: 'jose-demo-pass',
    cardmember: buildCardmember({ id: 'cm_jose', firstName: 'José', lastName: 'Ramírez', language: 'es' }),
    cards: [buildCard({ id: 'card_3344', last4: '3344', productName: 'Meridian Everyday' })],
  },
  {
    username: 'mallory',
    password: 'mallory-pass',
    cardmember: buildCardmember({
      id: 'cm_mallory',
      firstName: '<img src=x onerror=alert(1)>',
      lastName: '"><script>alert(2)</script>',
    }),
    cards: [buildCard({ id: 'card_"><x', last4: '4111111111119999', productName: '<b>Bold</b> Card' })],
  },
];

export const chatSecret = new TextEncoder().encode('chat-secret-for-tests-0123456789abcdef');
export const sessionSecret = new TextEncoder().encode('session-secret-for-tests-0123456789abcd');

export function buildDeps(overrides: Partial<SiteDeps> = {}): SiteDeps {
  return {
    async authenticate(username, password) {
      const m = members.find((x) => x.username === username && x.password === password);
      return m ? m.cardmember : null;
    },
    async getAccount(id) {
      const m = members.find((x) => x.cardmember.id === id);
      return m ? { cardmember: m.cardmember, cards: m.cards } : null;
    },
    chatTokenSecret: chatSecret,
    chatTokenIssuer: 'carechat-demo-site',
    chatTokenAudience: 'carechat',
    chatTokenTtlSeconds: 300,
    sessionSecret,
    sessionTtlSeconds: 1800,
    secureCookies: false,
    demoLogins: [{ username: 'maria', password: 'maria-demo-pass', description: 'Maria <English> & two cards' }],
    ...overrides,
  };
}

/** A real Fastify app, wired the way the server wires it. */
export async function buildApp(deps: SiteDeps = buildDeps()): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(sitePlugin, deps);
  await app.ready();
  return app;
}
