/**
 * Filling the slot a flow asked for from the cardmember's answer: a quick reply's label, "the second
 * one", a card's last 4, yes/no, an amount or a date (from entities), or free text.
 */
import type { Entity, Prediction } from '../nlu/engine.js';
import type { Option, SlotKind, SlotValue } from './flow.js';

export type Fill = { ok: true; value: SlotValue } | { ok: false };

/** Lower case, no accents, no punctuation at the ends, single spaces. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[¿¡?!.,;:"'()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const ORDINALS: Record<string, number> = {
  first: 1,
  '1st': 1,
  one: 1,
  second: 2,
  '2nd': 2,
  two: 2,
  third: 3,
  '3rd': 3,
  three: 3,
  fourth: 4,
  '4th': 4,
  four: 4,
  fifth: 5,
  five: 5,
  primero: 1,
  primera: 1,
  uno: 1,
  una: 1,
  segundo: 2,
  segunda: 2,
  dos: 2,
  tercero: 3,
  tercera: 3,
  tres: 3,
  cuarto: 4,
  cuarta: 4,
  cuatro: 4,
  quinto: 5,
  quinta: 5,
  cinco: 5,
};

const YES =
  /^(y|ya|yes|yeah|yea|yep|yup|sure|ok|okay|k|correct|right|confirm(ed)?|do it|go ahead|please do|please|absolutely|si|claro|dale|de acuerdo|correcto|confirmo|adelante|hazlo|por favor|esta bien|perfecto|exacto|asi es)( please| por favor| thanks| gracias| do it| go ahead| adelante)*$/;
const NO =
  /^(n|no|nope|nah|not really|no thanks|no thank you|don ?t|do not|negative|cancel|stop|no gracias|todavia no|not yet|mejor no|para nada|nunca|ninguno|ninguna)( thanks| gracias| please| por favor)*$/;

export function yesNo(text: string, prediction?: Prediction): boolean | null {
  const f = fold(text);
  if (YES.test(f)) return true;
  if (NO.test(f)) return false;
  if (prediction?.intent === 'affirm' && prediction.confidence >= 0.5) return true;
  if (prediction?.intent === 'deny' && prediction.confidence >= 0.5) return false;
  return null;
}

function matchOption(options: Option[], text: string, entities: Entity[]): SlotValue | undefined {
  const f = fold(text);
  if (!f) return undefined;
  const keys = (o: Option) => [o.label, ...(o.aliases ?? [])].map(fold).filter(Boolean);
  // 1. The whole answer is a label or an alias (a clicked quick reply, or typed).
  const exact = options.filter((o) => keys(o).includes(f));
  if (exact.length === 1) return exact[0]!.value;
  // 2. A card's last 4.
  const last4 = entities.find((e) => e.type === 'card_last4')?.value;
  const bare4 = /^\d{4}$/.test(f) ? f : undefined;
  for (const digits of [last4, bare4]) {
    if (typeof digits !== 'string') continue;
    const hit = options.filter((o) => keys(o).some((k) => k === digits || k.endsWith(` ${digits}`)));
    if (hit.length === 1) return hit[0]!.value;
  }
  // 3. A position: "2", "the second one", "el segundo".
  const words = f.split(' ');
  if (words.length <= 4) {
    for (const w of words) {
      const n = /^\d{1,2}$/.test(w) ? Number(w) : ORDINALS[w];
      if (n && n >= 1 && n <= options.length && !(bare4 && w === bare4)) return options[n - 1]!.value;
    }
    if (/\b(last|ultimo|ultima)\b/.test(f)) return options[options.length - 1]!.value;
  }
  // 4. A label or alias inside a longer answer, when only one option matches.
  const within = options.filter((o) =>
    keys(o).some((k) => k.length >= 3 && new RegExp(`(^| )${escape(k)}( |$)`).test(f)),
  );
  if (within.length === 1) return within[0]!.value;
  return undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function entityValue(entities: Entity[], type: Entity['type']): Entity['value'] | undefined {
  return entities.find((e) => e.type === type)?.value;
}

export function fillSlot(expect: SlotKind, text: string, prediction: Prediction, options: Option[] | undefined): Fill {
  const entities = prediction.entities;
  const trimmed = text.trim();
  const bareNumber = /^\$?\s*(\d{1,7}(?:[.,]\d{1,2})?)\s*$/.exec(trimmed)?.[1];
  switch (expect) {
    case 'option': {
      const v = matchOption(options ?? [], trimmed, entities);
      return v === undefined ? { ok: false } : { ok: true, value: v };
    }
    case 'yesno': {
      const v = yesNo(trimmed, prediction);
      return v === null ? { ok: false } : { ok: true, value: v };
    }
    case 'amount': {
      const v = entityValue(entities, 'amount');
      if (typeof v === 'number') return { ok: true, value: v };
      if (bareNumber) return { ok: true, value: Math.round(Number(bareNumber.replace(',', '.')) * 100) };
      return { ok: false };
    }
    case 'date': {
      const v = entityValue(entities, 'date');
      return typeof v === 'string' ? { ok: true, value: v } : { ok: false };
    }
    case 'day_of_month': {
      const v =
        entityValue(entities, 'day_of_month') ??
        (bareNumber && /^\d{1,2}$/.test(bareNumber) ? Number(bareNumber) : undefined);
      const n = Number(v);
      return Number.isInteger(n) && n >= 1 && n <= 31 ? { ok: true, value: n } : { ok: false };
    }
    case 'number':
    case 'points': {
      const v =
        entityValue(entities, expect) ??
        entityValue(entities, 'number') ??
        (bareNumber ? Number(bareNumber.replace(/[.,]/g, '')) : undefined);
      return typeof v === 'number' && Number.isFinite(v) ? { ok: true, value: v } : { ok: false };
    }
    case 'text':
      return trimmed ? { ok: true, value: trimmed.slice(0, 500) } : { ok: false };
    case 'any':
      return { ok: true, value: true };
  }
}
