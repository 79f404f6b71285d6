/**
 * The browser entry point: constants, translation helpers and types only — no zod schemas, so the
 * widget and console bundles stay small. Servers import the full package.
 */
export * from './constants.js';
export * from './i18n.js';
export type * from './wire.js';
export type * from './api.js';
export type * from './accounts.js';
export type * from './live.js';
export type * from './cases.js';
