/**
 * @carechat/site: the demo card-issuer website ("Meridian Bank"). The server mounts it with
 *
 *   await app.register(fastifyCookie);
 *   await app.register(fastifyFormbody);
 *   await app.register(sitePlugin, deps);
 */
export type { SiteCard, SiteCardmember, SiteDeps } from './site.types.js';
export { sitePlugin } from './site.plugin.js';
export { DEFAULT_THROTTLE as SITE_LOGIN_THROTTLE, type SiteLoginThrottle } from './login-throttle.js';
export { signChatToken, MAX_CHAT_TOKEN_TTL_SECONDS } from './chat-token.js';
export { escapeHtml } from './html.js';
