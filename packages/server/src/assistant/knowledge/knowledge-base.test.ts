import { describe, expect, it } from 'vitest';
import { PRODUCTS } from '../../accounts/embedded/products.js';
import { PatternRedactor } from '../../redaction/redactor.js';
import { ARTICLE_IDS, type ArticleId } from './article.js';
import { ARTICLES_EN } from './articles-en.js';
import { ARTICLES_ES } from './articles-es.js';
import { PHONE } from './facts.js';
import { knowledgeBase, KnowledgeBase, MIN_SCORE } from './knowledge-base.js';

const kb = new KnowledgeBase();

describe('the articles', () => {
  it('are 25-35 per language, the same ids in both', () => {
    expect(ARTICLE_IDS.length).toBeGreaterThanOrEqual(25);
    expect(ARTICLE_IDS.length).toBeLessThanOrEqual(35);
    expect(Object.keys(ARTICLES_EN).sort()).toEqual([...ARTICLE_IDS].sort());
    expect(Object.keys(ARTICLES_ES).sort()).toEqual([...ARTICLE_IDS].sort());
  });

  it.each(ARTICLE_IDS.flatMap((id) => [[id, 'en'] as const, [id, 'es'] as const]))(
    '%s (%s) is 2-4 short sentences of plain text with keywords',
    (id, lang) => {
      const a = (lang === 'en' ? ARTICLES_EN : ARTICLES_ES)[id];
      const sentences = a.body.split(/(?<=[.!?])\s+(?=[A-Z¿¡ÁÉÍÓÚ"])/);
      expect(sentences.length).toBeGreaterThanOrEqual(2);
      expect(sentences.length).toBeLessThanOrEqual(4);
      expect(a.body.length).toBeLessThan(480);
      // Chat messages are plain text: no markdown, no links.
      expect(a.body).not.toMatch(/\]\(|\*\*|https?:|www\.|^#/m);
      expect(a.keywords.length).toBeGreaterThanOrEqual(5);
    },
  );

  it('quote only the demo phone numbers', () => {
    const known = new Set<string>(Object.values(PHONE));
    for (const a of [...Object.values(ARTICLES_EN), ...Object.values(ARTICLES_ES)]) {
      for (const n of a.body.match(/\+?1-\d{3}-555-\d{4}/g) ?? []) expect(known).toContain(n);
    }
  });

  it('survive redaction unchanged: nothing in them looks like a secret', () => {
    const redactor = new PatternRedactor();
    for (const a of [...Object.values(ARTICLES_EN), ...Object.values(ARTICLES_ES)]) {
      expect(redactor.redact(a.body).text).toBe(a.body);
    }
  });

  it('quote the product catalog for annual fees and lounge access', () => {
    for (const p of PRODUCTS) {
      const fee = p.annualFeeCents ? `$${(p.annualFeeCents / 100).toLocaleString('en-US')}` : '$0';
      expect(ARTICLES_EN['annual-fees'].body).toContain(`${p.name}: ${fee}`);
      expect(ARTICLES_ES['annual-fees'].body).toContain(`${p.name}: ${fee}`);
      if (p.loungeAccess) expect(ARTICLES_EN.lounge.body).toContain(p.name);
      if (p.loungeAccess) expect(ARTICLES_ES.lounge.body).toContain(p.name);
    }
    const lounge = PRODUCTS.flatMap((p) => p.benefits).find((b) => b.kind === 'lounge_access')!;
    expect(lounge.terms).toMatch(/two guests at \$50 each/);
  });
});

describe('search', () => {
  const en: Array<[string, ArticleId]> = [
    ['am i talking to a real person', 'is-bot'],
    ['is this a bot?', 'is-bot'],
    ['are you AI', 'is-bot'],
    ['who am I talking to', 'is-bot'],
    ['is chat open 24/7', 'chat-hours'],
    ['what are your chat hours', 'chat-hours'],
    ['can I chat on weekends', 'chat-hours'],
    ['when can I call you', 'phone-hours'],
    ['what hours is the phone line open', 'phone-hours'],
    ['when is the disputes team available', 'specialist-hours'],
    ['business card specialist hours', 'specialist-hours'],
    ['how do i talk to a human', 'reach-person'],
    ['I want to speak to a representative', 'reach-person'],
    ['what is your phone number', 'phone-numbers'],
    ['customer service number', 'phone-numbers'],
    ['how do I call from overseas', 'call-abroad'],
    ['calling from abroad', 'call-abroad'],
    ['I am deaf, how can I call', 'tty'],
    ['tty number', 'tty'],
    ['do you have service in spanish', 'spanish-service'],
    ['there is a charge I didnt make', 'report-fraud'],
    ['I think my card was hacked', 'report-fraud'],
    ['I lost my card', 'lost-card'],
    ['my wallet was stolen', 'lost-card'],
    ['where do I mail my payment', 'mail-payments'],
    ['address to send a check', 'mail-payments'],
    ['where do I send a billing error letter', 'mail-correspondence'],
    ['mailing address for correspondence', 'mail-correspondence'],
    ['will you ever ask for my cvv', 'never-ask'],
    ['why do you need my social security number', 'never-ask'],
    ['someone called asking for my code', 'suspicious-contact'],
    ['I got a suspicious text message', 'suspicious-contact'],
    ['I typed my full card number by mistake', 'chat-redaction'],
    ['how long do i have to dispute a charge', 'dispute-deadline'],
    ['is it too late to dispute', 'dispute-deadline'],
    ['what happens after I file a dispute', 'dispute-process'],
    ['do i have to pay the disputed amount', 'dispute-process'],
    ['do you charge foreign transaction fees', 'foreign-fees'],
    ['fees for using my card abroad', 'foreign-fees'],
    ['what is the annual fee', 'annual-fees'],
    ['how much is the yearly fee for platinum', 'annual-fees'],
    ['can you waive my late fee', 'late-fee'],
    ['I was charged a late payment fee', 'late-fee'],
    ['how long until my new card arrives', 'card-delivery'],
    ['when will i get my replacement card', 'card-delivery'],
    ['how do i activate my card', 'card-activation'],
    ['how do I change my pin', 'pin'],
    ['forgot my PIN', 'pin'],
    ['can I add my card to apple pay', 'digital-wallet'],
    ['google pay', 'digital-wallet'],
    ['how do i go paperless', 'paperless'],
    ['stop paper statements', 'paperless'],
    ['do I need to notify you before traveling', 'travel-notice'],
    ['set up a travel notice', 'travel-notice'],
    ['does my card have travel insurance', 'trip-protection'],
    ['my flight was delayed, am I covered', 'trip-protection'],
    ['do I get airport lounge access', 'lounge'],
    ['can I bring a guest to the lounge', 'lounge'],
    ['do you sell my data', 'privacy'],
    ['privacy policy', 'privacy'],
    // typos and shouting
    ['wat are ur chat hourz', 'chat-hours'],
    ['LOST MY CARD', 'lost-card'],
    ['internatonal transaction fee', 'foreign-fees'],
  ];
  const es: Array<[string, ArticleId]> = [
    ['estoy hablando con una persona real', 'is-bot'],
    ['eres un robot?', 'is-bot'],
    ['esto es inteligencia artificial', 'is-bot'],
    ['el chat esta abierto 24 horas', 'chat-hours'],
    ['cual es el horario del chat', 'chat-hours'],
    ['a que hora puedo llamar', 'phone-hours'],
    ['horario del equipo de disputas', 'specialist-hours'],
    ['quiero hablar con una persona', 'reach-person'],
    ['como hablo con un agente', 'reach-person'],
    ['cual es el numero de telefono', 'phone-numbers'],
    ['número de servicio al cliente', 'phone-numbers'],
    ['como llamo desde el extranjero', 'call-abroad'],
    ['soy sordo, como puedo llamar', 'tty'],
    ['atienden en español?', 'spanish-service'],
    ['hay un cargo que no reconozco', 'report-fraud'],
    ['creo que clonaron mi tarjeta', 'report-fraud'],
    ['perdí mi tarjeta', 'lost-card'],
    ['me robaron la tarjeta', 'lost-card'],
    ['a donde envio mi pago por correo', 'mail-payments'],
    ['dirección para mandar un cheque', 'mail-payments'],
    ['direccion para enviar una carta', 'mail-correspondence'],
    ['me van a pedir el cvv', 'never-ask'],
    ['por que necesitan mi seguro social', 'never-ask'],
    ['alguien me llamo y me pidio el codigo', 'suspicious-contact'],
    ['escribi el numero de mi tarjeta en el chat', 'chat-redaction'],
    ['cuanto tiempo tengo para disputar un cargo', 'dispute-deadline'],
    ['que pasa despues de disputar', 'dispute-process'],
    ['tengo que pagar el monto en disputa', 'dispute-process'],
    ['cobran comision por compras en el extranjero', 'foreign-fees'],
    ['cuanto es la cuota anual', 'annual-fees'],
    ['me pueden quitar el cargo por atraso', 'late-fee'],
    ['cuando llega mi tarjeta nueva', 'card-delivery'],
    ['como activo mi tarjeta', 'card-activation'],
    ['como cambio mi pin', 'pin'],
    ['olvidé mi nip', 'pin'],
    ['puedo agregar mi tarjeta a apple pay', 'digital-wallet'],
    ['quiero estados de cuenta sin papel', 'paperless'],
    ['tengo que avisar si voy a viajar', 'travel-notice'],
    ['mi vuelo se retraso, tengo cobertura', 'trip-protection'],
    ['tengo acceso a salas vip', 'lounge'],
    ['venden mis datos', 'privacy'],
  ];

  it.each(en)('en: %s -> %s', (query, id) => expect(kb.search(query, 'en')[0]?.id).toBe(id));
  it.each(es)('es: %s -> %s', (query, id) => expect(kb.search(query, 'es')[0]?.id).toBe(id));

  it.each([
    'asdf qwer zxcv',
    'lorem ipsum dolor',
    'what is the weather in paris',
    'recipe for lasagna',
    'who won the football game',
    'tell me a joke',
    'the',
    'ok',
    '1005',
    '',
  ])('finds nothing above the threshold for %j', (query) => {
    expect(kb.search(query, 'en')).toEqual([]);
    expect(kb.search(query, 'es')).toEqual([]);
  });

  it.each(['clima de hoy', 'receta de pasta', 'quién ganó el partido', 'cuéntame un chiste'])(
    'finds nothing above the threshold for %j (es)',
    (query) => expect(kb.search(query, 'es')).toEqual([]),
  );

  it('returns title, body and a score at or above MIN_SCORE, best first, at most `limit`', () => {
    const hits = kb.search('dispute a charge', 'en', 2);
    expect(hits.length).toBeLessThanOrEqual(2);
    expect(hits[0]).toMatchObject({ id: 'dispute-deadline', title: ARTICLES_EN['dispute-deadline'].title });
    for (const h of hits) expect(h.score).toBeGreaterThanOrEqual(MIN_SCORE);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('folds accents both ways', () => {
    expect(kb.search('telefono', 'es')[0]?.id).toBe(kb.search('teléfono', 'es')[0]?.id);
    expect(kb.search('espanol', 'en')[0]?.id).toBe('spanish-service');
  });
});

describe('get', () => {
  it('returns an article by id in either language', () => {
    expect(kb.get('never-ask', 'en')).toEqual({
      id: 'never-ask',
      title: ARTICLES_EN['never-ask'].title,
      body: ARTICLES_EN['never-ask'].body,
    });
    expect(kb.get('never-ask', 'es')?.title).toBe(ARTICLES_ES['never-ask'].title);
    expect(kb.get('no-such-article', 'en')).toBeUndefined();
  });

  it('the shared instance is built once', () => {
    expect(knowledgeBase()).toBe(knowledgeBase());
  });
});
