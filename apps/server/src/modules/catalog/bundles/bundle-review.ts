import type { BundleContent, BundleDraftView, BundleSummary, PublishDraft } from '@tongban/contracts'
import { invalid, notFound } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { AuditWho, Department } from '../catalog.ports.ts'
import type { DraftRecord } from '../repositories/drafts.repository.ts'
import * as flow from '../review/review-flow.ts'
import { writeBundleVersion } from './bundle-publication.ts'
import { checkBundle } from './check-bundle.ts'
import { getBundleSummary } from './read-bundles.ts'

/** The outbox topic announcing a new published bundle version. */
export const BUNDLE_PUBLISHED = 'catalog.bundle-published'

/** 一件事 in the review flow: drafts keyed by the bundle's code. */
function bundles(ctx: CatalogContext): flow.ReviewSubject<BundleContent, typeof BUNDLE_PUBLISHED> {
  return {
    name: 'bundle',
    resourceType: 'catalog_bundle',
    topic: BUNDLE_PUBLISHED,
    drafts: ctx.repositories.bundleDrafts,
    noDraft: (code) => messages.noBundleDraft(code),
  }
}

/**
 * The departments whose admins may maintain a bundle: its current lead (the draft's, else the published
 * bundle's; null when catalog administrators maintain it) and a proposed new lead. An unknown department
 * is left out: the draft's checks report it.
 */
export async function bundleLeads(
  ctx: CatalogContext,
  code: string,
  proposed?: string,
): Promise<(Department | null)[]> {
  const [draft, bundle] = await Promise.all([
    ctx.repositories.bundleDrafts.findByKey(code),
    ctx.repositories.bundles.findByCode(code),
  ])
  const current = draft ? draft.content.leadDepartmentId : bundle ? bundle.lead_department_id : undefined
  const leads: (Department | null)[] = []
  if (current === null) leads.push(null)
  for (const id of new Set([current, proposed])) {
    if (!id) continue
    const department = await ctx.directory.department(id)
    if (department) leads.push(department)
  }
  return leads
}

async function getBundleDraft(ctx: CatalogContext, code: string): Promise<DraftRecord<BundleContent>> {
  const draft = await ctx.repositories.bundleDrafts.findByKey(code)
  if (!draft) throw notFound(messages.noBundleDraft(code))
  return draft
}

/** The draft with what it would publish: the merged form, the merged materials, the shared fields. */
export async function bundleDraftView(ctx: CatalogContext, code: string): Promise<BundleDraftView> {
  const [draft, bundle] = await Promise.all([
    getBundleDraft(ctx, code),
    ctx.repositories.bundles.findByCode(code),
  ])
  const { preview } = await checkBundle(ctx, draft.content)
  return {
    code: draft.key,
    status: draft.status,
    revision: draft.revision,
    content: draft.content,
    publishedVersion: bundle?.version ?? null,
    updatedAt: draft.updated_at.toISOString(),
    preview,
  }
}

/** Saves a bundle draft (creating it) once its content passes the bundle's checks. */
export async function saveBundleDraft(
  ctx: CatalogContext,
  code: string,
  content: BundleContent,
  revision: number | undefined,
  who: AuditWho,
): Promise<BundleDraftView> {
  const { errors } = await checkBundle(ctx, content)
  if (errors.length > 0) throw invalid(errors)
  const lead = (await ctx.directory.department(content.leadDepartmentId))!
  await flow.saveDraft(ctx, bundles(ctx), { key: code, content, revision }, who, {
    regionCode: lead.regionCode,
    details: { itemCodes: content.itemCodes, leadDepartmentId: content.leadDepartmentId },
  })
  return bundleDraftView(ctx, code)
}

/** Submits the bundle draft for review (送审). */
export async function submitBundleDraft(
  ctx: CatalogContext,
  code: string,
  revision: number,
  who: AuditWho,
): Promise<BundleDraftView> {
  await flow.submitDraft(ctx, bundles(ctx), code, revision, who, null)
  return bundleDraftView(ctx, code)
}

/**
 * Publishes the reviewed bundle draft as the bundle's next version, checked again (an item may have been
 * withdrawn or a form changed since the draft was saved).
 */
export async function publishBundle(
  ctx: CatalogContext,
  code: string,
  input: PublishDraft,
  who: AuditWho,
): Promise<BundleSummary> {
  const draft = await getBundleDraft(ctx, code)
  const { errors } = await checkBundle(ctx, draft.content)
  if (errors.length > 0) throw invalid(errors)
  await flow.publishDraft(ctx, bundles(ctx), code, input, who, (trx, content, review) =>
    writeBundleVersion(ctx, trx, code, content, review, who),
  )
  return getBundleSummary(ctx, code)
}

/**
 * Publishes a bundle reviewed outside this platform (the demo catalog, a province's existing list) as
 * its next version, with the same checks as a draft.
 */
export async function publishReviewedBundle(
  ctx: CatalogContext,
  code: string,
  content: BundleContent,
  who: AuditWho,
): Promise<BundleSummary> {
  const { errors } = await checkBundle(ctx, content)
  if (errors.length > 0) throw invalid(errors)
  await flow.publishReviewed(ctx, bundles(ctx), code, content, who, (trx, content, review) =>
    writeBundleVersion(ctx, trx, code, content, review, who),
  )
  return getBundleSummary(ctx, code)
}
