import { describe, expect, it } from 'vitest';
import { PatternRedactor } from '../../redaction/redactor.js';
import type { EntityType } from './engine.js';
import { extractEntities } from './entities.js';

// A Wednesday.
const TODAY = '2026-11-25';
type Pair = [EntityType, string | number];
const pairs = (text: string, lang: 'en' | 'es' = 'en'): Pair[] =>
  extractEntities(text, { lang, today: TODAY }).map((e) => [e.type, e.value]);

describe('amounts (integer cents)', () => {
  it.each<[string, Pair[]]>([
    ['I was charged $45.20', [['amount', 4520]]],
    ['$ 45', [['amount', 4500]]],
    ['45 dollars', [['amount', 4500]]],
    ['a charge of 45 bucks', [['amount', 4500]]],
    ['USD 1,200', [['amount', 120000]]],
    ['1,200.50 usd', [['amount', 120050]]],
    ['US$ 19.99', [['amount', 1999]]],
    ['it was 45$', [['amount', 4500]]],
    ['45 dollars and 20 cents', [['amount', 4520]]],
    ['only 99 cents', [['amount', 99]]],
    ['$1,234,567.89', [['amount', 123456789]]],
  ])('%s', (text, want) => expect(pairs(text)).toEqual(want));

  it.each<[string, Pair[]]>([
    ['me cobraron 45,20 dólares', [['amount', 4520]]],
    ['1.200,50 dolares', [['amount', 120050]]],
    ['1.200 dólares', [['amount', 120000]]],
    ['un cargo de $30', [['amount', 3000]]],
    ['20 dólares con 5 centavos', [['amount', 2005]]],
  ])('%s', (text, want) => expect(pairs(text, 'es')).toEqual(want));

  it('leaves shorthand and other currencies alone rather than guess', () => {
    expect(pairs('about $1.5k')).toEqual([]);
    expect(pairs('45 euros')).toEqual([['number', 45]]);
  });
});

describe('dates (YYYY-MM-DD against today)', () => {
  it.each<[string, string]>([
    ['on march 3', '2026-03-03'],
    ['March 3rd, 2025', '2025-03-03'],
    ['the 3rd of March', '2026-03-03'],
    ['3 march', '2026-03-03'],
    ['Dec. 24', '2026-12-24'],
    ['3/15', '2026-03-15'],
    ['3/15/2025', '2025-03-15'],
    ['03/15/25', '2025-03-15'],
    ['15/3', '2026-03-15'], // only one reading is a date
    ['2025-03-15', '2025-03-15'],
    ['today', '2026-11-25'],
    ['tomorrow', '2026-11-26'],
    ['yesterday', '2026-11-24'],
    ['the day before yesterday', '2026-11-23'],
    ['last tuesday', '2026-11-24'],
    ['last wednesday', '2026-11-18'], // strictly before today
    ['next friday', '2026-11-27'],
    ['next wednesday', '2026-12-02'], // strictly after today
    ['this friday', '2026-11-27'],
    ['in 2 weeks', '2026-12-09'],
    ['in three days', '2026-11-28'],
    ['a week ago', '2026-11-18'],
  ])('%s', (text, date) => expect(pairs(text)).toEqual([['date', date]]));

  it.each<[string, string]>([
    ['el 15 de mayo', '2026-05-15'],
    ['15 de mayo de 2025', '2025-05-15'],
    ['primero de enero', '2026-01-01'],
    ['15/3', '2026-03-15'],
    ['3/4', '2026-04-03'], // day/month in Spanish
    ['mañana', '2026-11-26'],
    ['manana', '2026-11-26'],
    ['pasado mañana', '2026-11-27'],
    ['ayer', '2026-11-24'],
    ['anteayer', '2026-11-23'],
    ['hoy', '2026-11-25'],
    ['el martes pasado', '2026-11-24'],
    ['el próximo viernes', '2026-11-27'],
    ['el viernes que viene', '2026-11-27'],
    ['este viernes', '2026-11-27'],
    ['hace 2 días', '2026-11-23'],
    ['dentro de una semana', '2026-12-02'],
    ['en 3 dias', '2026-11-28'],
  ])('%s (es)', (text, date) => expect(pairs(text, 'es')).toEqual([['date', date]]));

  it('reads "mañana" as morning after an article ("por la mañana")', () => {
    expect(pairs('mañana por la mañana', 'es')).toEqual([['date', '2026-11-26']]);
    expect(pairs('esta mañana me cobraron', 'es')).toEqual([]);
  });

  it('takes no date from round-the-clock hours, bare weekdays or impossible days', () => {
    expect(pairs('is chat open 24/7?')).toEqual([]);
    expect(pairs('on tuesday')).toEqual([]);
    expect(pairs('february 30')).toEqual([['number', 30]]);
  });

  it('uses the system clock when no today is given', () => {
    const [e] = extractEntities('today');
    const now = new Date();
    const local = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
    expect(e?.value).toBe(local);
  });

  it('rejects a malformed today', () => {
    expect(() => extractEntities('today', { today: '25/11/2026' })).toThrow(/YYYY-MM-DD/);
  });
});

describe('days of the month', () => {
  it.each<[string, number, 'en' | 'es']>([
    ['move my due date to the 15th', 15, 'en'],
    ['on the 3rd', 3, 'en'],
    ['21st please', 21, 'en'],
    ['the 20th of every month', 20, 'en'],
    ['el día 20', 20, 'es'],
    ['día 5', 5, 'es'],
    ['el 20 de cada mes', 20, 'es'],
  ])('%s', (text, day, lang) => expect(pairs(text, lang)).toEqual([['day_of_month', day]]));

  it('is not a day past 31, nor a choice ("the 2nd one")', () => {
    expect(pairs('the 32nd')).toEqual([]);
    expect(pairs('the 2nd one')).toEqual([['number', 2]]);
  });
});

describe('card last 4', () => {
  it.each<[string, 'en' | 'es']>([
    ['the card ending in 1005', 'en'],
    ['ending 1005', 'en'],
    ['ends with 1005', 'en'],
    ['the one that ends with 1005', 'en'],
    ['last four 1005', 'en'],
    ['last 4 digits are 1005', 'en'],
    ['my card 1005 was declined', 'en'],
    ['card #1005', 'en'],
    ['xxxx1005', 'en'],
    ['terminada en 1005', 'es'],
    ['la que termina en 1005', 'es'],
    ['últimos cuatro dígitos 1005', 'es'],
    ['tarjeta 1005', 'es'],
  ])('%s', (text, lang) => expect(pairs(text, lang)).toEqual([['card_last4', '1005']]));

  it('reads the card the redactor masked, and nothing from its other placeholders', () => {
    const redacted = new PatternRedactor().redact(
      'my card 4539 1488 0343 6467 cvv 123, ssn 123-45-6789, password is Lantern#8 and the code 482913',
    ).text;
    expect(redacted).toContain('•••• 6467');
    expect(pairs(redacted)).toEqual([['card_last4', '6467']]);
    expect(pairs('[card ending 1234] and [redacted 5678]')).toEqual([['card_last4', '1234']]);
  });

  it('takes no last 4 from longer digit runs or phone numbers', () => {
    expect(pairs('card 10052')).toEqual([['number', 10052]]);
    expect(pairs('call 1-800-555-0134')).toEqual([]);
    expect(pairs('call me at (212) 555-0142')).toEqual([]);
  });
});

describe('merchants', () => {
  it.each<[string, string, 'en' | 'es']>([
    ['a charge at Amazon', 'Amazon', 'en'],
    ['amazon charged me twice', 'Amazon', 'en'],
    ['bought it on amazon.com', 'Amazon', 'en'],
    ['my doordash order', 'DoorDash', 'en'],
    ['flight from Delta', 'Delta', 'en'],
    ['i was charged at target', 'Target', 'en'],
    ['a charge from Best Buy', 'Best Buy', 'en'],
    ['bestbuy', 'Best Buy', 'en'],
    ['mcdonalds', "McDonald's", 'en'],
    ['American Airlines lost my bag', 'American Airlines', 'en'],
    ['a charge from Blue Fern Bakery. Then I called', 'Blue Fern Bakery', 'en'],
    ['at The Corner Deli', 'Corner Deli', 'en'],
    ['a charge from AT&T', 'AT&T', 'en'],
    ['I WAS CHARGED AT WALMART', 'Walmart', 'en'],
    ['una compra en Walmart', 'Walmart', 'es'],
    ['un cargo de Netflix', 'Netflix', 'es'],
    ['un cobro de Farmacia Luna', 'Farmacia Luna', 'es'],
  ])('%s', (text, name, lang) => expect(pairs(text, lang)).toEqual([['merchant', name]]));

  it('keeps the text as written for a known merchant in another spelling', () => {
    expect(extractEntities('AMAZON.COM charge', { today: TODAY })[0]).toMatchObject({
      text: 'AMAZON.COM',
      value: 'Amazon',
    });
  });

  it('takes no merchant from wallets, countries, people and teams, languages, months or common words', () => {
    for (const text of [
      'add it to apple pay',
      'Add my card to Apple Pay',
      'I live in the United States',
      'I want to talk to Agent',
      'let me speak to Customer Service',
      'switch to Spanish',
      'cámbiame a Español',
      'from March to May',
      'my target is to pay it off',
      'the shell of my phone',
      'a letter from Meridian Bank',
    ])
      expect(
        pairs(text).filter(([type]) => type === 'merchant'),
        text,
      ).toEqual([]);
  });
});

describe('languages, numbers and points', () => {
  it.each<[string, Pair[]]>([
    ['can we continue in spanish', [['language', 'es']]],
    ['en español por favor', [['language', 'es']]],
    ['espanol', [['language', 'es']]],
    ['English please', [['language', 'en']]],
    ['prefiero inglés', [['language', 'en']]],
  ])('%s', (text, want) => expect(pairs(text)).toEqual(want));

  it.each<[string, number]>([
    ['2', 2],
    ['option 3', 3],
    ['I have 2 cards', 2],
    ['the second one', 2],
    ['the first card', 1],
    ['the 2nd card', 2],
    ['second', 2],
    ['two', 2],
    ['number three', 3],
    ['el segundo', 2],
    ['la tercera tarjeta', 3],
    ['opción dos', 2],
    ['la primera', 1],
    ['1005', 1005],
  ])('%s', (text, n) => expect(pairs(text)).toEqual([['number', n]]));

  it('leaves ordinals that are not choices alone', () => {
    expect(pairs('wait a second')).toEqual([]);
    expect(pairs('first, I want to say thanks')).toEqual([]);
    expect(pairs('dame un segundo')).toEqual([]);
  });

  it.each<[string, number]>([
    ['redeem 5,000 points', 5000],
    ['5000 puntos', 5000],
    ['5.000 puntos', 5000],
    ['2.5k points', 2500],
    ['50 mil puntos', 50000],
    ['10000 pts', 10000],
  ])('%s', (text, n) => expect(pairs(text)).toEqual([['points', n]]));
});

describe('whole messages', () => {
  it('finds every entity, in order, with spans into the text', () => {
    const text = 'I was charged $45.20 at Amazon on march 3 on my card ending in 1005';
    const found = extractEntities(text, { today: TODAY });
    expect(found.map((e) => [e.type, e.value])).toEqual([
      ['amount', 4520],
      ['merchant', 'Amazon'],
      ['date', '2026-03-03'],
      ['card_last4', '1005'],
    ]);
    for (const e of found) expect(text.slice(e.start, e.end)).toBe(e.text);
  });

  it('in Spanish too', () => {
    expect(pairs('me cobraron 45,20 dólares en Walmart el 15 de mayo con la tarjeta terminada en 1005', 'es')).toEqual([
      ['amount', 4520],
      ['merchant', 'Walmart'],
      ['date', '2026-05-15'],
      ['card_last4', '1005'],
    ]);
  });

  it('finds nothing in plain talk', () => {
    expect(pairs('hi, I need some help with my account please')).toEqual([]);
    expect(pairs('')).toEqual([]);
  });

  it('is fast: under 50 µs for a typical message', () => {
    const messages = [
      'I was charged $45.20 at Amazon on march 3 on my card ending in 1005',
      'hi, I need some help with my account please',
      'me cobraron dos veces en Walmart ayer',
      'can you move my due date to the 15th?',
    ];
    const batch = () => {
      const start = performance.now();
      for (let i = 0; i < 25; i++) for (const m of messages) extractEntities(m, { today: TODAY });
      return ((performance.now() - start) * 1000) / (25 * messages.length);
    };
    for (let i = 0; i < 20; i++) batch(); // warm up
    // The best of many short batches: a busy machine (CI runs two workers on two cores) only adds time,
    // and a batch of about a millisecond often runs on a core of its own even then.
    const micros = Math.min(...Array.from({ length: 60 }, batch));
    expect(micros).toBeLessThan(50);
  });

  it('stays linear on long and hostile input', () => {
    const long = 'at Amazon on march 3 ending in 1005 $45.20 '.repeat(50) + '1'.repeat(500) + ' a'.repeat(500);
    const start = performance.now();
    extractEntities(long, { today: TODAY });
    expect(performance.now() - start).toBeLessThan(200);
  });
});
