/**
 * Canned responses: templates agents insert with one click, per language and optionally per team,
 * with `{{variables}}` filled in for the chat. None asks for a card number, security code, SSN,
 * one-time code or password: identity is checked with the secure verification prompt.
 */
import type { CannedResponseView, Language } from '@carechat/protocol';
import type { Db } from '../store/db.js';

export interface CannedTemplate {
  id: string;
  teamId: string | null;
  language: Language;
  title: string;
  template: string;
}

/** The variables a template may use; anything else is left out of the text. */
export type CannedVariables = Partial<
  Record<'firstName' | 'cardLast4' | 'agentName' | 'teamName' | 'reference', string>
>;

/** Fills `{{name}}` from `vars`; unknown or empty variables vanish (never shown raw), spacing tidied. */
export function fillTemplate(template: string, vars: CannedVariables): string {
  return template
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) =>
      Object.prototype.hasOwnProperty.call(vars, name) ? (vars[name as keyof CannedVariables] ?? '') : '',
    )
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/\s+([,.!?])/g, '$1')
    .trim();
}

/** The chat's reference for the cardmember: the first 8 characters of its id, upper-case. */
export const chatReference = (conversationId: string): string =>
  conversationId.replace(/-/g, '').slice(0, 8).toUpperCase();

/** Templates for a chat: its language, the chat's team first, then the general ones. */
export async function cannedFor(
  db: Db,
  chat: { language: Language; teamId: string | null },
  vars: CannedVariables,
): Promise<CannedResponseView[]> {
  const rows = await db
    .selectFrom('canned_responses')
    .selectAll()
    .where('language', '=', chat.language)
    .where((eb) =>
      chat.teamId ? eb.or([eb('team_id', 'is', null), eb('team_id', '=', chat.teamId)]) : eb('team_id', 'is', null),
    )
    .orderBy('title')
    .execute();
  const ranked = [...rows.filter((r) => r.team_id !== null), ...rows.filter((r) => r.team_id === null)];
  return ranked.map((r) => ({
    id: r.id,
    title: r.title,
    language: r.language,
    template: r.template,
    text: fillTemplate(r.template, vars),
  }));
}

/** The demo templates (seed/demo.ts inserts the missing ones). */
export const DEMO_CANNED: CannedTemplate[] = [
  // ---------------------------------------------------------------- English
  {
    id: 'canned_en_greeting',
    teamId: null,
    language: 'en',
    title: 'Greeting',
    template:
      "Hi {{firstName}}, I'm {{agentName}} from {{teamName}}. I've read your conversation so far. How can I help?",
  },
  {
    id: 'canned_en_verify',
    teamId: null,
    language: 'en',
    title: 'Verify identity (secure prompt)',
    template:
      "Before I make changes to your card ending in {{cardLast4}}, I'll send you a secure verification prompt. Please approve it on your device. I will never ask for your card number, security code, SSN, one-time code or password in chat.",
  },
  {
    id: 'canned_en_hold',
    teamId: null,
    language: 'en',
    title: 'One moment',
    template: 'Thanks, {{firstName}}. Give me a moment while I look into this for you.',
  },
  {
    id: 'canned_en_closing',
    teamId: null,
    language: 'en',
    title: 'Closing with summary',
    template:
      'Is there anything else I can help you with today, {{firstName}}? If you like, I can summarize what we did. Your reference for this chat is {{reference}}.',
  },
  {
    id: 'canned_en_dispute_timeline',
    teamId: 'disputes',
    language: 'en',
    title: 'Dispute timeline',
    template:
      "I've opened the dispute (reference {{reference}}). We'll acknowledge it in writing within 30 days and resolve it within two billing cycles, at most 90 days. You don't pay the disputed amount while we investigate.",
  },
  {
    id: 'canned_en_dispute_docs',
    teamId: 'disputes',
    language: 'en',
    title: 'Dispute: documents',
    template:
      'If you have a receipt or emails with the merchant, you can upload them from your account page. Please never send card numbers in chat.',
  },
  {
    id: 'canned_en_fraud_locked',
    teamId: 'fraud',
    language: 'en',
    title: 'Card locked',
    template:
      "{{firstName}}, your card ending in {{cardLast4}} is locked, so no new charges can go through. Let's review the recent transactions together.",
  },
  {
    id: 'canned_en_replacement',
    teamId: 'fraud',
    language: 'en',
    title: 'Replacement card delivery',
    template:
      'Your replacement card is on its way and should arrive in 5 to 7 business days by standard delivery (1 to 2 with expedited), with a new number. Activate it when it arrives; digital wallets update automatically.',
  },
  // ---------------------------------------------------------------- Spanish
  {
    id: 'canned_es_greeting',
    teamId: null,
    language: 'es',
    title: 'Saludo',
    template:
      'Hola {{firstName}}, soy {{agentName}} del equipo {{teamName}}. Ya leí su conversación. ¿En qué le puedo ayudar?',
  },
  {
    id: 'canned_es_verify',
    teamId: null,
    language: 'es',
    title: 'Verificar identidad (aviso seguro)',
    template:
      'Antes de hacer cambios en su tarjeta terminada en {{cardLast4}}, le enviaré un aviso de verificación seguro. Apruébelo en su dispositivo. Nunca le pediré por chat el número de tarjeta, el código de seguridad, el SSN, un código de un solo uso ni su contraseña.',
  },
  {
    id: 'canned_es_hold',
    teamId: null,
    language: 'es',
    title: 'Un momento',
    template: 'Gracias, {{firstName}}. Deme un momento mientras reviso esto.',
  },
  {
    id: 'canned_es_closing',
    teamId: null,
    language: 'es',
    title: 'Cierre con resumen',
    template:
      '¿Hay algo más en lo que le pueda ayudar hoy, {{firstName}}? Si quiere, le resumo lo que hicimos. Su referencia de este chat es {{reference}}.',
  },
  {
    id: 'canned_es_dispute_timeline',
    teamId: 'disputes',
    language: 'es',
    title: 'Plazos de la disputa',
    template:
      'Abrí la disputa (referencia {{reference}}). Le confirmaremos por escrito en un plazo de 30 días y la resolveremos en dos ciclos de facturación, como máximo 90 días. No paga el importe disputado mientras investigamos.',
  },
  {
    id: 'canned_es_dispute_docs',
    teamId: 'disputes',
    language: 'es',
    title: 'Disputa: documentos',
    template:
      'Si tiene un recibo o correos con el comercio, puede subirlos desde la página de su cuenta. Por favor, nunca envíe números de tarjeta por chat.',
  },
  {
    id: 'canned_es_fraud_locked',
    teamId: 'fraud',
    language: 'es',
    title: 'Tarjeta bloqueada',
    template:
      '{{firstName}}, su tarjeta terminada en {{cardLast4}} está bloqueada: no puede pasar ningún cargo nuevo. Revisemos juntos los movimientos recientes.',
  },
  {
    id: 'canned_es_replacement',
    teamId: 'fraud',
    language: 'es',
    title: 'Entrega de la tarjeta de reemplazo',
    template:
      'Su tarjeta de reemplazo va en camino y debería llegar en 5 a 7 días hábiles con envío estándar (1 a 2 con envío urgente), con un número nuevo. Actívela cuando llegue; las billeteras digitales se actualizan solas.',
  },
];

/** Inserts the demo templates that are missing (idempotent). */
export async function seedCanned(db: Db, ts: string): Promise<void> {
  const have = new Set((await db.selectFrom('canned_responses').select('id').execute()).map((r) => r.id));
  for (const c of DEMO_CANNED.filter((t) => !have.has(t.id))) {
    await db
      .insertInto('canned_responses')
      .values({
        id: c.id,
        team_id: c.teamId,
        language: c.language,
        title: c.title,
        template: c.template,
        created_at: ts,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}
