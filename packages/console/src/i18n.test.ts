import { describe, expect, it } from 'vitest';
import { Disposition, SystemCode } from '@carechat/protocol';
import { DISPOSITIONS } from './format.js';
import { makeT, strings, systemText, type ConsoleKey } from './i18n.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('console strings', () => {
  const en = strings.en as Record<string, string>;
  const es = strings.es as Record<string, string>;

  it('has exactly the same keys in English and Spanish', () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(en).length).toBeGreaterThan(50);
  });

  it('has a non-empty text for every key in both languages', () => {
    for (const table of [en, es]) {
      for (const [key, value] of Object.entries(table)) {
        expect(value.trim(), key).not.toBe('');
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of Object.keys(en)) {
      expect(placeholders(es[key]!), key).toEqual(placeholders(en[key]!));
    }
  });

  it('really is translated (Spanish differs from English for most keys)', () => {
    const same = Object.keys(en).filter((k) => en[k] === es[k]);
    expect(same.length / Object.keys(en).length).toBeLessThan(0.15);
  });

  it('has the exact labels the tests and agents rely on', () => {
    const t = makeT('en');
    expect(t('composer.label')).toBe('Message');
    expect(t('composer.send')).toBe('Send');
    expect(t('end.confirm')).toBe('Yes, end chat');
    expect(t('waiting.empty')).toBe('No one is waiting.');
    expect(t('mine.empty')).toBe('No open chats.');
    expect(t('signin.sessionEnded')).toBe('Your session has ended. Please sign in again.');
    expect(t('signin.code')).toBe('Authentication code');
    expect(makeT('es')('signin.code')).toBe('Código de autenticación');
    expect(t('waiting.acceptLabel', { name: 'Maria', last4: '1005' })).toBe('Accept chat with Maria, card ending 1005');
    expect(t('waiting.new', { name: 'Maria', team: 'General' })).toBe('New chat waiting: Maria, General team');
    expect(makeT('es')('composer.send')).toBe('Enviar');
  });

  it('has the customer panel wording', () => {
    const t = makeT('en');
    expect(t('context.heading')).toBe('Customer');
    expect(t('context.card.heading')).toBe('Card the chat started from');
    expect(t('context.cardEnding', { last4: '1005' })).toBe('Card ending 1005');
    expect(t('context.card.notActivated')).toBe('Not activated yet');
    expect(t('context.unavailable.card')).toBe('Card details are unavailable right now.');
    expect(['date', 'merchant', 'amount', 'status'].map((c) => t(`context.transactions.${c}` as ConsoleKey))).toEqual([
      'Date',
      'Merchant',
      'Amount',
      'Status',
    ]);
    expect(makeT('es')('context.heading')).toBe('Cliente');
  });
});

describe('live-operation strings', () => {
  it('has the exact wording agents are told about', () => {
    const t = makeT('en');
    expect(t('composer.mode.reply')).toBe('Reply to customer');
    expect(t('composer.mode.note')).toBe('Internal note');
    expect(t('composer.noteLabel')).toBe('Internal note — the customer does not see this');
    expect(t('whisper.from', { name: 'Sofía' })).toBe('Whisper from Sofía');
    expect(t('offer.gone.expired')).toBe('The chat went to the next agent.');
    expect(t('monitor.banner')).toBe('Monitoring — the customer does not see you');
    expect(t('accommodation.badge')).toBe('Accommodation');
    expect(t('status.current.wrap_up')).toBe('Wrapping up — pick a disposition to take new chats');
    const es = makeT('es');
    expect(es('composer.mode.note')).toBe('Nota interna');
    expect(es('offer.gone.expired')).toBe('El chat pasó al siguiente agente.');
  });

  it('names every agent state and disposition in both languages', () => {
    for (const lang of ['en', 'es'] as const) {
      const t = makeT(lang);
      for (const state of ['available', 'busy', 'away', 'wrap_up', 'offline']) {
        expect(t(`status.${state}` as ConsoleKey), `${lang} ${state}`).not.toMatch(/^status\./);
      }
      for (const d of Disposition.options) {
        expect(t(`disposition.${d}` as ConsoleKey), `${lang} ${d}`).not.toMatch(/^disposition\./);
      }
    }
    expect(DISPOSITIONS).toEqual(Disposition.options);
  });
});

describe('systemText', () => {
  it('renders every system code in both languages without leftover placeholders', () => {
    for (const lang of ['en', 'es'] as const) {
      for (const code of SystemCode.options) {
        const text = systemText(code, {}, lang, { name: 'Maria', team: 'General', language: 'Spanish' });
        expect(text, `${lang} ${code}`).not.toMatch(/\{\w+\}/);
        expect(text.length).toBeGreaterThan(3);
      }
    }
  });

  it('words cardmember notices from the agent’s side', () => {
    expect(systemText('conversation.closed_by_cardmember', {}, 'en', { name: 'Maria' })).toBe('Maria ended the chat.');
    expect(systemText('conversation.queued', { team: 'Disputes' }, 'en', { name: 'Maria', team: 'General' })).toBe(
      'Maria is waiting for the Disputes team.',
    );
    expect(systemText('agent.joined', { name: 'Ana' }, 'es')).toBe('Ana se unió al chat.');
  });
});
