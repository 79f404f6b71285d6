/**
 * Secure upload links and the documents cardmembers send through them (docs/cases.md).
 *
 * - A link is a random 32-byte token (base64url) in a URL on the issuer's site; only its SHA-256 is
 *   stored. It is bound to one case and that case's cardmember, expires (`UPLOAD_LINK_TTL_MINUTES`) and
 *   is used once: marking it used and storing the upload are one transaction, so a double submit
 *   stores one file.
 * - Checks, in this order: unknown token 404, expired 410, used 410, another cardmember's 403 (which
 *   leaves the link unused), too large 413, type not allowed by content 415 (cases/magic.ts).
 * - Files live under `<DATA_DIR>/uploads/<caseId>/<uploadId>`, never under their own name; the name
 *   the cardmember gave and their note are redacted before they are stored.
 * - Staff who may read the case download a document as an attachment; cardmembers never do.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Language, UploadLinkView, UploadView } from '@carechat/protocol';
import type { Transaction } from 'kysely';
import type { FlowUploads } from '../assistant/dialogue/flow.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import { presentMessage } from '../conversations/conversations.presenter.js';
import type { ConversationsStore } from '../conversations/conversations.store.js';
import type { Redactor } from '../redaction/redactor.js';
import { decideCase, type Actor, type CaseResource } from '../security/access.js';
import { iso, type Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { Db } from '../store/db.js';
import type { CasesTable, Database, UploadLinksTable, UploadsTable } from '../store/schema.js';
import type { CaseActor, CasesService } from './cases.service.js';
import { ACCEPTED_TYPES, detectType, type UploadType } from './magic.js';

type Tx = Transaction<Database>;

export const UPLOAD_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const MAX_FILENAME = 120;

/** The secure-messages seam (cases/secure-messages.service.ts); absent until that service is wired. */
export interface DocumentRequestMessages {
  send(
    input: {
      cardmemberId: string;
      caseId?: string | null;
      conversationId?: string | null;
      kind: 'document_request';
      language: Language;
      subject: string;
      body: string;
      dedupeKey?: string | null;
    },
    tx?: Tx,
  ): Promise<unknown>;
}

export interface UploadsDeps {
  db: Db;
  clock: Clock;
  redactor: Redactor;
  cases: CasesService;
  conversations: ConversationService;
  conversationsStore: ConversationsStore;
  /** `<DATA_DIR>/uploads`: outside anything served over HTTP. */
  dir: string;
  ttlMinutes: number;
  maxBytes: number;
  /** The site's origin for links (config PUBLIC_URL, else the listening URL); null: a path only. */
  siteBase: () => string | null;
  /** `app.services.secureMessages` when it exists (the `document_request` notice). */
  secureMessages?: () => DocumentRequestMessages | undefined;
  random?: (n: number) => Uint8Array;
}

/** Why a link cannot be used, with the status each check answers. */
export type LinkRefusal = 'not_found' | 'expired' | 'used' | 'forbidden' | 'too_large' | 'unsupported_type';
export const REFUSAL_STATUS: Record<LinkRefusal, number> = {
  not_found: 404,
  expired: 410,
  used: 410,
  forbidden: 403,
  too_large: 413,
  unsupported_type: 415,
};

export type LinkCheck = { ok: true; link: UploadLinksTable; view: UploadLinkView } | { ok: false; reason: LinkRefusal };

export interface CreatedLink {
  url: string;
  expiresAt: string;
  linkId: string;
}

const sha256 = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');

const STRINGS = {
  en: {
    requestDefault: 'Please send any receipts or other documents that support your case.',
    chat: 'You can send documents for case {ref} here (secure link, valid until {expires}, one upload): {url}',
    subject: 'Documents requested for case {ref}',
    body: '{request}\n\nUse this secure link to send them (valid until {expires}, one upload): {url}',
  },
  es: {
    requestDefault: 'Envíenos los recibos u otros documentos que respalden su caso.',
    chat: 'Puede enviar documentos para el caso {ref} aquí (enlace seguro, válido hasta {expires}, un envío): {url}',
    subject: 'Documentos solicitados para el caso {ref}',
    body: '{request}\n\nUse este enlace seguro para enviarlos (válido hasta {expires}, un envío): {url}',
  },
} as const;

const fill = (s: string, p: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => p[k] ?? '');

export class UploadsService {
  private readonly random: (n: number) => Uint8Array;

  constructor(private readonly d: UploadsDeps) {
    this.random = d.random ?? ((n) => randomBytes(n));
  }

  get maxBytes(): number {
    return this.d.maxBytes;
  }

  /** A new single-use link for the case's cardmember. The token exists only in the returned URL. */
  async createLink(
    input: {
      caseId: string;
      by: CaseActor & { type: 'agent' | 'assistant' };
      request?: string | null;
      base?: string | null;
    },
    tx?: Tx,
  ): Promise<CreatedLink> {
    const write = async (t: Tx) => {
      const c = await t.selectFrom('cases').selectAll().where('id', '=', input.caseId).executeTakeFirst();
      if (!c) throw new AppError('not_found', 404, 'That case does not exist.');
      const token = Buffer.from(this.random(32)).toString('base64url');
      const now = this.d.clock.now();
      const expiresAt = iso(new Date(now.getTime() + this.d.ttlMinutes * 60_000));
      const request = input.request?.trim() ? this.d.redactor.redact(input.request.trim()).text : null;
      const row: UploadLinksTable = {
        id: randomUUID(),
        token_hash: sha256(token),
        case_id: c.id,
        cardmember_id: c.cardmember_id,
        request,
        created_by_type: input.by.type,
        created_by_id: input.by.id,
        max_bytes: this.d.maxBytes,
        expires_at: expiresAt,
        used_at: null,
        created_at: iso(now),
      };
      await t.insertInto('upload_links').values(row).execute();
      await this.d.cases.note(
        c.id,
        {
          type: 'document_requested',
          actor: input.by,
          text: request ?? STRINGS[c.language].requestDefault,
          visible: true,
        },
        t,
      );
      const base = (input.base ?? this.d.siteBase() ?? '').replace(/\/$/, '');
      return { c, link: { url: `${base}/upload/${token}`, expiresAt, linkId: row.id } };
    };
    const { c, link } = tx ? await write(tx) : await this.d.db.transaction().execute(write);
    if (!tx) await this.d.cases.publish(c, 'document_requested');
    return link;
  }

  /**
   * Staff ask for documents: a link, posted in the case's latest open chat as the agent's message, and a
   * `document_request` secure message when the inbox exists.
   */
  async requestDocuments(actor: Actor, caseId: string, request: string | undefined, base: string | null) {
    const c = await this.staffCase(actor, caseId, 'case.update');
    if (actor.role === 'cardmember') throw new AppError('forbidden', 403, 'You are not allowed to do that.');
    const by = { type: 'agent' as const, id: actor.agentId, name: actor.firstName };
    const link = await this.createLink({ caseId: c.id, by, request: request ?? null, base });
    const s = STRINGS[c.language];
    const expires = link.expiresAt.slice(0, 16).replace('T', ' ') + ' UTC';
    const conversationId = await this.latestOpenConversation(c.id);
    if (conversationId) {
      const body = fill(s.chat, { ref: c.reference, expires, url: link.url });
      const stored = await this.d.conversationsStore.transaction(async (tx) => {
        const { row } = await this.d.conversationsStore.append(
          tx,
          conversationId,
          {
            clientMsgId: null,
            authorType: 'agent',
            authorId: actor.agentId,
            authorName: actor.firstName,
            kind: 'text',
            body,
            meta: {},
          },
          iso(this.d.clock.now()),
        );
        return row;
      });
      await this.d.conversations.publishMessage(presentMessage(stored));
    }
    const inbox = this.d.secureMessages?.();
    if (inbox) {
      await inbox.send({
        cardmemberId: c.cardmember_id,
        caseId: c.id,
        conversationId,
        kind: 'document_request',
        language: c.language,
        subject: fill(s.subject, { ref: c.reference }),
        body: fill(s.body, {
          request: request?.trim() ? request.trim() : s.requestDefault,
          expires,
          url: link.url,
        }),
        dedupeKey: `document_request:${link.linkId}`,
      });
    }
    return { url: link.url, expiresAt: link.expiresAt };
  }

  /** The assistant's seam (FlowContext.uploads): a link for the case of a dispute it just opened. */
  forFlow(ctx: { conversationId: string; cardmemberId: string }): FlowUploads {
    return {
      linkForDispute: async (disputeId) => {
        const c = await this.d.cases.byDispute(disputeId);
        if (!c || c.cardmember_id !== ctx.cardmemberId) return null;
        const by = { type: 'assistant' as const, id: null, name: 'Assistant' };
        return (await this.createLink({ caseId: c.id, by })).url;
      },
    };
  }

  /** The link as the signed-in cardmember may use it (the checks in order; nothing is changed). */
  async check(token: string, cardmemberId: string): Promise<LinkCheck> {
    if (!UPLOAD_TOKEN.test(token)) return { ok: false, reason: 'not_found' };
    const link = await this.d.db
      .selectFrom('upload_links')
      .selectAll()
      .where('token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!link) return { ok: false, reason: 'not_found' };
    if (link.expires_at <= iso(this.d.clock.now())) return { ok: false, reason: 'expired' };
    if (link.used_at) return { ok: false, reason: 'used' };
    if (link.cardmember_id !== cardmemberId) return { ok: false, reason: 'forbidden' };
    const c = (await this.d.cases.get(link.case_id))!;
    return {
      ok: true,
      link,
      view: {
        caseReference: c.reference,
        caseTitle: c.title,
        expiresAt: link.expires_at,
        maxBytes: link.max_bytes,
        accepted: [...ACCEPTED_TYPES],
        language: c.language,
        ...(link.request ? { request: link.request } : {}),
      } as UploadLinkView,
    };
  }

  /**
   * Stores one document sent through a link. `data` is the whole file (the transport stops reading at
   * the limit); the checks run again here, then the link is spent and the upload recorded together.
   */
  async accept(input: {
    token: string;
    cardmemberId: string;
    filename: string;
    note?: string | null;
    data: Uint8Array;
  }): Promise<{ ok: true; upload: UploadView; caseReference: string } | { ok: false; reason: LinkRefusal }> {
    const checked = await this.check(input.token, input.cardmemberId);
    if (!checked.ok) return checked;
    const { link } = checked;
    if (input.data.byteLength > link.max_bytes) return { ok: false, reason: 'too_large' };
    const type = detectType(input.data);
    if (!type) return { ok: false, reason: 'unsupported_type' };

    const id = randomUUID();
    const dir = path.join(this.d.dir, safeSegment(link.case_id));
    const file = path.join(dir, id);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(file, input.data, { flag: 'wx', mode: 0o600 });
    const filename = this.cleanName(input.filename, type);
    const note = input.note?.trim() ? this.d.redactor.redact(input.note.trim().slice(0, 1000)).text : null;
    const now = iso(this.d.clock.now());
    const row: UploadsTable = {
      id,
      case_id: link.case_id,
      cardmember_id: link.cardmember_id,
      link_id: link.id,
      filename,
      content_type: type,
      size_bytes: input.data.byteLength,
      sha256: sha256(input.data),
      storage_key: `${link.case_id}/${id}`,
      note,
      created_at: now,
    };
    let won = false;
    try {
      won = await this.d.db.transaction().execute(async (tx) => {
        // Conditional on "not used, not expired": of two racing submits exactly one spends the link.
        const spent = await tx
          .updateTable('upload_links')
          .set({ used_at: now })
          .where('id', '=', link.id)
          .where('used_at', 'is', null)
          .where('expires_at', '>', now)
          .executeTakeFirst();
        if (Number(spent.numUpdatedRows) !== 1) return false;
        await tx.insertInto('uploads').values(row).execute();
        const cm = await tx
          .selectFrom('cardmembers')
          .select('first_name')
          .where('id', '=', link.cardmember_id)
          .executeTakeFirst();
        await this.d.cases.note(
          link.case_id,
          {
            type: 'document_uploaded',
            actor: { type: 'cardmember', id: link.cardmember_id, name: cm?.first_name ?? null },
            text: filename,
            visible: true,
            payload: { uploadId: id },
          },
          tx,
        );
        return true;
      });
    } finally {
      if (!won) await rm(file, { force: true });
    }
    if (!won) {
      const again = await this.check(input.token, input.cardmemberId);
      return { ok: false, reason: again.ok ? 'used' : again.reason };
    }
    const c = (await this.d.cases.get(link.case_id))!;
    await this.d.cases.publish(c, 'document_uploaded');
    return { ok: true, upload: presentUpload(row), caseReference: c.reference };
  }

  /** The documents of a case, oldest first (staff views). */
  async documents(caseId: string): Promise<UploadView[]> {
    const rows = await this.d.db
      .selectFrom('uploads')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(presentUpload);
  }

  /** One document for staff who may read the case: its record and a stream of the stored bytes. */
  async download(actor: Actor, caseId: string, uploadId: string): Promise<{ upload: UploadView; stream: Readable }> {
    const c = await this.staffCase(actor, caseId, 'case.read');
    const row = await this.d.db
      .selectFrom('uploads')
      .selectAll()
      .where('id', '=', uploadId)
      .where('case_id', '=', c.id)
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 404, 'That document does not exist.');
    const [caseDir, file] = row.storage_key.split('/') as [string, string];
    return {
      upload: presentUpload(row),
      stream: createReadStream(path.join(this.d.dir, safeSegment(caseDir), safeSegment(file))),
    };
  }

  /**
   * The case if this staff member may read it (`case.read`) or change it (`case.update`), by the one
   * policy (security/access.ts `decideCase`): unknown and not-yours are both 404.
   */
  async staffCase(actor: Actor, caseId: string, action: 'case.read' | 'case.update'): Promise<CasesTable> {
    const c = await this.d.cases.get(caseId);
    const decision = decideCase(actor, action, c ? await this.caseResource(c) : undefined);
    if (!decision.allowed) throw decision.error;
    return c!;
  }

  /** The chats that relate staff to a case: those linked to it and the cardmember's chats still open. */
  private async caseResource(c: CasesTable): Promise<CaseResource> {
    const db = this.d.db;
    const rows = await db
      .selectFrom('conversations')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb(
            'id',
            'in',
            db
              .selectFrom('case_links')
              .select('target_id')
              .where('case_id', '=', c.id)
              .where('kind', '=', 'conversation'),
          ),
          eb.and([eb('cardmember_id', '=', c.cardmember_id), eb('status', '!=', 'closed')]),
        ]),
      )
      .execute();
    return { case: c, conversations: rows.map((conversation) => ({ conversation })) };
  }

  private async latestOpenConversation(caseId: string): Promise<string | null> {
    const row = await this.d.db
      .selectFrom('case_links as l')
      .innerJoin('conversations as v', 'v.id', 'l.target_id')
      .select('v.id')
      .where('l.case_id', '=', caseId)
      .where('l.kind', '=', 'conversation')
      .where('v.status', '!=', 'closed')
      .orderBy('v.created_at', 'desc')
      .orderBy('v.id', 'desc')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** The name as shown to staff: its last path segment, printable, short, redacted; never used on disk. */
  private cleanName(name: string, type: UploadType): string {
    const base = (name.split(/[\\/]/).pop() ?? '')
      .normalize('NFC')
      .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
      .trim()
      .slice(0, MAX_FILENAME);
    const redacted = this.d.redactor.redact(base).text.trim();
    return redacted || `document.${EXTENSION[type]}`;
  }
}

const EXTENSION: Record<UploadType, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/heic': 'heic',
};

/** Ids are ours, but a path segment is checked anyway. */
function safeSegment(s: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(s)) throw new AppError('not_found', 404, 'That document does not exist.');
  return s;
}

export function presentUpload(row: UploadsTable): UploadView {
  return {
    id: row.id,
    caseId: row.case_id,
    filename: row.filename,
    contentType: row.content_type as UploadView['contentType'],
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    note: row.note,
    createdAt: row.created_at,
  };
}
