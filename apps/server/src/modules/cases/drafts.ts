import type { SaveDraft } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import { notFound } from '../../platform/errors.ts'
import type { CasesContext } from './cases.context.ts'
import { invalidField, messages, staleVersion } from './cases.messages.ts'
import { encryptFormData } from './form-data.ts'
import type { DraftRecord } from './repository/records.ts'
import { checkOwnFiles, fileRefs } from './uploads.ts'

/**
 * 草稿: saves an application unsubmitted, as a new draft or over the caller's draft `draftId` at the
 * version they saw (409 when saved since); its files must be the caller's own uploads.
 */
export async function saveDraft(
  ctx: CasesContext,
  input: SaveDraft,
  actor: AuthenticatedActor,
  draftId?: string,
): Promise<DraftRecord> {
  await checkOwnFiles(ctx, actor, fileRefs(input.materials, '/materials'))
  const fields = {
    implementation_id: input.implementationId ?? null,
    guide_version: input.guideVersion ?? null,
    bundle_id: input.bundleId ?? null,
    form_data_enc: encryptFormData(ctx.platform.vault, input.formData),
    materials: input.materials,
    updated_at: ctx.platform.clock.now(),
  }
  if (!draftId)
    return ctx.repositories.drafts.insert(ctx.platform.db, {
      ...fields,
      account_id: actor.accountId,
      acting_for_id: actor.actingFor?.accountId ?? null,
    })
  const draft = await getOwnDraft(ctx, draftId, actor)
  if (input.version === undefined) throw invalidField('/version', 'required', messages.draftVersion)
  const updated = await ctx.repositories.drafts.update(draftId, input.version, fields)
  if (!updated) throw staleVersion(draft.version)
  return updated
}

/** A draft of the caller's; 404 for anyone else's. */
export async function getOwnDraft(
  ctx: CasesContext,
  id: string,
  actor: AuthenticatedActor,
): Promise<DraftRecord> {
  const draft = await ctx.repositories.drafts.findById(id)
  if (!draft || draft.account_id !== actor.accountId) throw notFound(messages.noSuchDraft)
  return draft
}

/** The caller's drafts, last saved first. */
export function listDrafts(ctx: CasesContext, actor: AuthenticatedActor): Promise<DraftRecord[]> {
  return ctx.repositories.drafts.findByAccount(actor.accountId)
}
