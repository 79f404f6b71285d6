/**
 * complaint.file: what the complaint is about and what happened; then the complaint is registered as a
 * `complaint` case (docs/cases.md: category, the cardmember's words as the first entry of its
 * timeline, redacted), the cardmember gets its reference and the promise of an answer within 15
 * business days, and a person of Customer Care takes the chat with the category and the cardmember's
 * own words in the summary. Without a cases service (tests of other parts), an agent registers it.
 */
import type { ComplaintCategory, Table } from '@carechat/protocol';
import { ask, choose, handoff, type Flow, type FlowContext, type Option, type Slots } from '../../dialogue/flow.js';
import { fold } from '../../dialogue/slots.js';

const CATEGORIES = ['fees', 'service', 'charge', 'fraud', 'other'] as const;
type Category = (typeof CATEGORIES)[number];

/** How the agent's summary names each category. */
const FOR_AGENTS: Record<Category, string> = {
  fees: 'fees',
  service: 'the service received',
  charge: 'a charge',
  fraud: 'how fraud was handled',
  other: 'another matter',
};

/** Words in the first message that name the category, so it is not asked again. Checked on folded text. */
const CUES: Record<Exclude<Category, 'other'>, RegExp> = {
  fees: /\b(fees?|interest|comision(es)?|cuotas?|intereses)\b/,
  service:
    /\b(agents?|reps?|representatives?|staff|rude|treated|service|agentes?|representantes?|trato|atencion|groser[oa]s?)\b/,
  charge: /\b(charges?|purchases?|transactions?|cargos?|compras?|cobros?)\b/,
  fraud: /\b(fraud|fraudulent|scam|fraude|estafa)\b/,
};

/** The case's category for each of the flow's (docs/cases.md). */
const CASE_CATEGORY: Record<Category, ComplaintCategory> = {
  fees: 'fees',
  service: 'service',
  charge: 'other',
  fraud: 'fraud_handling',
  other: 'other',
};

/** Business days within which a complaint is answered (docs/cases.md). */
export const COMPLAINT_ANSWER_BUSINESS_DAYS = 15;

/** A first message this long is taken as the description itself ("I want to complain: the agent…"). */
const DESCRIPTIVE_WORDS = 12;

type Key =
  | 'ask.category'
  | 'ask.description'
  | 'done'
  | 'registered'
  | 'category.fees'
  | 'category.service'
  | 'category.charge'
  | 'category.fraud'
  | 'category.other';

const s: Table<Key> = {
  en: {
    'ask.category': "I'm sorry you've had a bad experience. What is your complaint about?",
    'ask.description': 'Please tell me briefly what happened, in your own words.',
    done: 'Thank you for telling us. An agent will register your complaint formally and give you its reference number.',
    registered:
      "Thank you for telling us. I've registered your complaint with reference {reference}. We'll answer it within {days} business days.",
    'category.fees': 'Fees',
    'category.service': 'The service I received',
    'category.charge': 'A charge on my account',
    'category.fraud': 'How fraud was handled',
    'category.other': 'Something else',
  },
  es: {
    'ask.category': 'Lamento que haya tenido una mala experiencia. ¿Sobre qué es su queja?',
    'ask.description': 'Por favor, cuénteme brevemente qué pasó, con sus propias palabras.',
    done: 'Gracias por informarnos. Un agente registrará su queja formalmente y le dará su número de referencia.',
    registered:
      'Gracias por informarnos. Registré su queja con la referencia {reference}. Le responderemos en un plazo de {days} días hábiles.',
    'category.fees': 'Comisiones o cuotas',
    'category.service': 'La atención que recibí',
    'category.charge': 'Un cargo en mi cuenta',
    'category.fraud': 'El manejo de un fraude',
    'category.other': 'Otro tema',
  },
};

/** Other ways people name a category when they type instead of clicking. */
const ALIASES: Record<Category, string[]> = {
  fees: ['fee', 'fees', 'comisiones', 'comision', 'cuota', 'cuotas'],
  service: ['service', 'the service', 'agent', 'servicio', 'atencion', 'agente'],
  charge: ['charge', 'a charge', 'cargo', 'un cargo', 'compra'],
  fraud: ['fraud', 'fraude'],
  other: ['other', 'otro', 'otra cosa', 'something else'],
};

function categoryIn(text: string): Category | undefined {
  const f = fold(text);
  const hits = (Object.keys(CUES) as Array<keyof typeof CUES>).filter((c) => CUES[c].test(f));
  // Two categories named ("the agent refused to remove the fee"): let the cardmember choose.
  return hits.length === 1 ? hits[0] : undefined;
}

export const complaintFile: Flow = {
  intent: 'complaint.file',
  init(ctx: FlowContext): Slots {
    const slots: Slots = {};
    const category = categoryIn(ctx.text);
    if (category) slots.category = category;
    const text = ctx.text.trim();
    if (text.split(/\s+/).length >= DESCRIPTIVE_WORDS) slots.description = text.slice(0, 500);
    return slots;
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const category = CATEGORIES.find((c) => c === slots.category);
    if (!category) {
      const options: Option[] = CATEGORIES.map((c) => ({
        label: t(`category.${c}`),
        value: c,
        aliases: ALIASES[c],
      }));
      return choose('category', t('ask.category'), options);
    }
    if (typeof slots.description !== 'string')
      return ask('description', 'text', t('ask.description'), undefined, undefined, true);
    const words = `Complaint about ${FOR_AGENTS[category]}, in the cardmember's words: "${slots.description}".`;
    if (!ctx.cases) {
      return handoff(
        [t('done')],
        {
          team: 'general',
          reason: 'complaint.file',
          priority: 1,
          summary: `${words} Please register it formally and give the cardmember its reference number.`,
        },
        {
          intent: 'complaint.file',
          description: `Complaint about ${FOR_AGENTS[category]} passed to Customer Care for formal registration`,
        },
      );
    }
    const { reference } = await ctx.cases.openComplaint({
      category: CASE_CATEGORY[category],
      title: `Complaint about ${FOR_AGENTS[category]}`,
      description: slots.description,
    });
    return handoff(
      [t('registered', { reference, days: COMPLAINT_ANSWER_BUSINESS_DAYS })],
      {
        team: 'general',
        reason: 'complaint.file',
        priority: 1,
        summary: `${words} Registered as complaint ${reference} (answer due within ${COMPLAINT_ANSWER_BUSINESS_DAYS} business days); please follow up with the cardmember.`,
      },
      {
        intent: 'complaint.file',
        description: `Complaint about ${FOR_AGENTS[category]} registered and passed to Customer Care`,
        reference,
      },
    );
  },
};
