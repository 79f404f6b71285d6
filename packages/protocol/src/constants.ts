/** Protocol constants, free of runtime dependencies so browser bundles can import them cheaply. */

/** Bumped on any breaking change to a frame's shape; negotiated in `hello`. */
export const PROTOCOL_VERSION = 1;
/** WebSocket subprotocol carrying the version; the server echoes it on upgrade. */
export const SUBPROTOCOL = `carechat.v${PROTOCOL_VERSION}`;
/** Prefix of the subprotocol entry that carries a widget session token at upgrade. */
export const AUTH_SUBPROTOCOL_PREFIX = 'carechat.auth.';
/** Largest frame the server accepts, in bytes (UTF-8). */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Largest message body, in characters, after trimming. */
export const MAX_BODY_CHARS = 4000;
/** Longest accommodation note a cardmember may leave for agents, in characters, after trimming. */
export const MAX_ACCOMMODATION_CHARS = 300;

/** WebSocket close codes the server uses (4000-4999 are application codes). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  /** The node is draining (shutdown or deploy): reconnect, after the `reconnect` frame's `retryAfterMs`. */
  serviceRestart: 1012,
  policy: 1008,
  tooBig: 1009,
  unauthorized: 4401,
  sessionExpired: 4403,
  rateLimited: 4429,
  unsupportedProtocol: 4400,
} as const;
