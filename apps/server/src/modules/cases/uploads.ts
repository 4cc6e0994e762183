import type { Readable } from 'node:stream'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import { notFound } from '../../platform/errors.ts'
import { MATERIAL_MEDIA_TYPES, type StoredFile } from '../../platform/files.ts'
import type { CasesContext } from './cases.context.ts'
import { messages } from './cases.messages.ts'

/**
 * Streams an uploaded material into the file store (only documents and photos, judged by content) and
 * records that this account uploaded it: the store is shared and content-addressed, so the record is
 * what lets the account, and only it, attach the file to its applications.
 */
export async function storeUpload(
  ctx: CasesContext,
  content: Readable | Buffer,
  name: string,
  actor: AuthenticatedActor,
): Promise<StoredFile> {
  const stored = await ctx.platform.files.put(content, {
    maxBytes: ctx.platform.config.uploadLimit,
    allowedMediaTypes: MATERIAL_MEDIA_TYPES,
  })
  await ctx.repositories.uploads.insert({
    account_id: actor.accountId,
    sha256: stored.sha256,
    name,
    uploaded_at: ctx.platform.clock.now(),
  })
  return stored
}

/**
 * 404 unless every file is one this account uploaded. A file someone else uploaded is answered exactly
 * like a file that does not exist, so nobody learns what others have uploaded.
 */
export async function checkOwnFiles(
  ctx: CasesContext,
  actor: AuthenticatedActor,
  files: { path: string; sha256: string }[],
): Promise<void> {
  if (files.length === 0) return
  const owned = await ctx.repositories.uploads.findUploadedBy(
    actor.accountId,
    files.map((f) => f.sha256),
  )
  const foreign = files.find((f) => !owned.has(f.sha256))
  if (foreign) throw notFound(messages.notYourFile(foreign.path))
}

/** The file references of materials or attachments, with the JSON Pointer of each. */
export function fileRefs(refs: readonly object[], base: string): { path: string; sha256: string }[] {
  return refs.flatMap((ref, i) =>
    'fileSha256' in ref && typeof ref.fileSha256 === 'string'
      ? [{ path: `${base}/${i}/fileSha256`, sha256: ref.fileSha256 }]
      : [],
  )
}
