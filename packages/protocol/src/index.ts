export * from './wire.js';
export * from './api.js';
export * from './i18n.js';
export * from './accounts.js';
export * from './live.js';
export * from './cases.js';
