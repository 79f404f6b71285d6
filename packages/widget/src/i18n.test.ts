import { describe, expect, it } from 'vitest';
import { errorKey, widgetStrings, widgetT } from './i18n.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('widget strings', () => {
  it('has the same keys, all non-empty, in English and Spanish', () => {
    const en = Object.keys(widgetStrings.en).sort();
    expect(Object.keys(widgetStrings.es).sort()).toEqual(en);
    for (const lang of ['en', 'es'] as const) {
      for (const key of en)
        expect(widgetStrings[lang][key as keyof typeof widgetStrings.en].trim(), `${lang}.${key}`).not.toBe('');
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of Object.keys(widgetStrings.en) as (keyof typeof widgetStrings.en)[]) {
      expect(placeholders(widgetStrings.es[key]), key).toEqual(placeholders(widgetStrings.en[key]));
    }
  });

  it('has the exact accessible names the tests and the spec rely on', () => {
    const t = widgetT('en');
    expect(t('launcher')).toBe('Chat with us');
    expect(t('messageLabel')).toBe('Message');
    expect(t('send')).toBe('Send');
    expect(t('close')).toBe('Close chat');
    expect(t('endConfirm')).toBe('Yes, end chat');
    expect(t('endCancel')).toBe('Keep chatting');
    expect(widgetT('es')('launcher')).toBe('Chatear con nosotros');
  });

  it('explains session errors and falls back to a generic line for unknown codes', () => {
    const t = widgetT('en');
    expect(t(errorKey('session_expired'))).toBe('Your session has expired. Please sign in again.');
    expect(t(errorKey('token_expired'))).toBe('Your session has expired. Please sign in again.');
    expect(t(errorKey('something_new'))).toBe('Something went wrong. Please try again.');
    expect(widgetT('es')(errorKey('session_expired'))).toBe('Su sesión ha expirado. Inicie sesión de nuevo.');
  });

  it('has the waiting-card lines in both languages', () => {
    const en = widgetT('en');
    const es = widgetT('es');
    expect(en('queuePosition', { position: 3, team: 'Business' })).toBe(
      'You are number 3 in line for the Business team.',
    );
    expect(es('queuePosition', { position: 3, team: 'Business' })).toBe(
      'Usted es el número 3 en la fila del equipo Business.',
    );
    expect(en('keepChatting')).toBe('Keep chatting with the assistant');
    expect(es('keepChatting')).toBe('Seguir chateando con el asistente');
    expect(en('fraudNotice', { phone: '1-800-555-0199' })).toBe(
      'If you think someone is using your card right now, call us at 1-800-555-0199 — the number is also on the back of your card.',
    );
    expect(es('fraudNotice', { phone: '1-800-555-0199' })).toBe(
      'Si cree que alguien está usando su tarjeta en este momento, llámenos al 1-800-555-0199; el número también está en el reverso de su tarjeta.',
    );
    expect(es('queueOpens', { team: 'Negocios', when: 'el lunes a las 8:00' })).toBe(
      'Nuestro equipo Negocios abre el lunes a las 8:00.',
    );
  });
});
