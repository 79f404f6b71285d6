/** The contract between the carechat server (which owns the store) and the demo site plugin. */
import type { CaseView, SecureMessageView } from '@carechat/protocol';
import type { SiteLoginThrottle } from './login-throttle.js';

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
  /** carechat's secure document links; when set, `/upload/:token` lets the cardmember send a document. */
  uploads?: UploadLinks;
  /** carechat's secure messages and cases; when set, `/account/messages` and `/account/cases` are served. */
  inbox?: SiteInbox;
  /** Failed sign-ins per username + IP; default in this process's memory (one node only). */
  loginThrottle?: SiteLoginThrottle;
}

/** The signed-in cardmember's secure inbox and cases, as carechat answers them (never another's). */
export interface SiteInbox {
  unreadCount(cardmemberId: string): Promise<number>;
  /** Newest first. */
  messages(cardmemberId: string): Promise<SecureMessageView[]>;
  /** Marks the message read and returns it; null when unknown or another cardmember's. */
  openMessage(cardmemberId: string, id: string): Promise<SecureMessageView | null>;
  /** Cardmember views (timeline: visible entries only), newest first. */
  cases(cardmemberId: string): Promise<CaseView[]>;
  /** Null when unknown or another cardmember's. */
  caseByReference(cardmemberId: string, reference: string): Promise<CaseView | null>;
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

/** Why a document link cannot be used (checked in this order), or why a document was refused. */
export type UploadRefusal = 'not_found' | 'expired' | 'used' | 'forbidden' | 'too_large' | 'unsupported_type';

/** What the upload page shows for a link of the signed-in cardmember. */
export type UploadLinkPage =
  | { status: Exclude<UploadRefusal, 'too_large' | 'unsupported_type'> }
  | {
      status: 'ok';
      caseReference: string;
      caseTitle: string;
      /** What the agent asked for (redacted), if they said. */
      request: string | null;
      expiresAt: string;
      maxBytes: number;
      /** MIME types accepted (detected from the file's content, not its name). */
      accepted: string[];
    };

export type UploadOutcome = { status: UploadRefusal } | { status: 'stored'; caseReference: string; filename: string };

/** Secure document upload links, as carechat answers them for the signed-in cardmember. */
export interface UploadLinks {
  /** The size cap of every link: the site stops reading a request body a little past it. */
  maxBytes: number;
  view(token: string, cardmemberId: string): Promise<UploadLinkPage>;
  submit(
    token: string,
    cardmemberId: string,
    file: { filename: string; data: Uint8Array },
    note: string | null,
  ): Promise<UploadOutcome>;
}
