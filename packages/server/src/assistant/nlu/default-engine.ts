/**
 * The engine the server uses unless `createApp` is given another: the shipped linear model (built
 * ahead of time from the project corpus, `shipped.ts`), loaded once per process.
 */
import type { NluEngine } from './engine.js';
import { shippedEngine } from './shipped.js';

let cached: NluEngine | undefined;

export async function defaultNluEngine(): Promise<NluEngine> {
  cached ??= shippedEngine();
  return cached;
}
