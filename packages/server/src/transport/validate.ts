import type { z } from 'zod';
import { badRequest } from '../shared/errors.js';

/** Parses input with a protocol schema or throws a 400 with the field problems (no values echoed). */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw badRequest(
      'The request is not valid.',
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return r.data;
}
