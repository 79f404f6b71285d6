/** The contract between the carechat server (which owns the store) and the demo site plugin. */

export interface SiteCard {
  id: string;
  last4: string;
  productName: string;
  status: string;
}

export interface SiteCardmember {
  id: string;
  firstName: string;
  lastName: string;
  language: 'en' | 'es';
}

export interface SiteDeps {
  /** Verifies demo credentials (argon2 in the store); null when wrong. */
  authenticate(username: string, password: string): Promise<SiteCardmember | null>;
  /** The cardmember and their cards; null if unknown. */
  getAccount(cardmemberId: string): Promise<{ cardmember: SiteCardmember; cards: SiteCard[] } | null>;
  /** Secret for the chat JWT (HS256) — shared with carechat's identity config. */
  chatTokenSecret: Uint8Array;
  chatTokenIssuer: string; // 'carechat-demo-site'
  chatTokenAudience: string; // 'carechat'
  chatTokenTtlSeconds: number; // e.g. 300
  /** Secret for the site's own session cookie (separate from the chat secret). */
  sessionSecret: Uint8Array;
  sessionTtlSeconds: number; // e.g. 1800
  secureCookies: boolean; // true behind https
  /** Demo logins to show on the sign-in page (username + password); empty in production. */
  demoLogins: Array<{ username: string; password: string; description: string }>;
  /** carechat's step-up prompts; when set, `/device/prompts/:token` plays the cardmember's device. */
  devicePrompts?: DevicePrompts;
}

/** What the device page shows for a prompt link (another cardmember's link is `not_found`). */
export type DevicePromptPage =
  | { status: 'not_found' }
  | {
      status: 'pending' | 'approved' | 'denied' | 'expired';
      /** True when this request is the one that just approved or denied it. */
      justAnswered: boolean;
      cardLast4: string;
      productName: string;
      deviceName: string;
      expiresAt: string;
      requestedBy: 'cardmember' | 'agent';
    };

/** Step-up device prompts, as carechat answers them for the signed-in cardmember. */
export interface DevicePrompts {
  view(token: string, cardmemberId: string): Promise<DevicePromptPage>;
  answer(token: string, cardmemberId: string, decision: 'approve' | 'deny'): Promise<DevicePromptPage>;
}
