/**
 * Staff routes for case documents: ask the cardmember for documents through a secure link, and
 * download what they sent. Thin: the service decides who may (security/access.ts `decideCase`).
 */
import { UploadLinkRequest } from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { IdentityService } from '../identity/identity.service.js';
import { staff } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import type { UploadsService } from './uploads.service.js';

const CaseParams = z.object({ id: z.string().min(1).max(64) });
const DocumentParams = z.object({ id: z.string().min(1).max(64), uploadId: z.string().min(1).max(64) });

export function uploadRoutes(
  app: FastifyInstance,
  d: { identity: IdentityService; uploads: UploadsService; publicUrl: string | null },
) {
  app.post('/api/cases/:id/upload-links', { bodyLimit: 4096 }, async (req, reply) => {
    const { actor } = await staff(d.identity, req);
    const { id } = parse(CaseParams, req.params);
    const body = parse(UploadLinkRequest, req.body ?? {});
    // The link opens the issuer's site: its public URL, else the origin this console reached us on.
    const base = d.publicUrl ?? `${req.protocol}://${req.host}`;
    const link = await d.uploads.requestDocuments(actor, id, body.request, base);
    return reply.code(201).header('cache-control', 'no-store').send(link);
  });

  app.get('/api/cases/:id/documents/:uploadId', async (req, reply) => {
    const { actor } = await staff(d.identity, req);
    const { id, uploadId } = parse(DocumentParams, req.params);
    const { upload, stream } = await d.uploads.download(actor, id, uploadId);
    const ascii = upload.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply
      .header('content-type', upload.contentType)
      .header('content-length', String(upload.sizeBytes))
      .header(
        'content-disposition',
        `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(upload.filename)}`,
      )
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(stream);
  });
}
