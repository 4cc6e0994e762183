import type { GuideContent, PublishDraft, PublishedGuideView } from '@tongban/contracts'
import { invalid, notFound } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { AuditWho } from '../catalog.ports.ts'
import { getImplementation } from '../implementations/read-implementations.ts'
import { getItem } from '../items/read-items.ts'
import type { DraftRecord } from '../repositories/drafts.repository.ts'
import * as flow from '../review/review-flow.ts'
import { afterChange } from '../search/catalog-changes.ts'
import { type GuideSubject, writeGuideVersion } from './guide-publication.ts'
import { guideErrors } from './guide-rules.ts'
import { getPublishedVersion } from './published-guides.ts'

/** The outbox topic announcing a new published guide version. */
export const GUIDE_PUBLISHED = 'catalog.guide-published'

/** 办事指南 in the review flow: drafts keyed by implementation. */
function guides(ctx: CatalogContext): flow.ReviewSubject<GuideContent, typeof GUIDE_PUBLISHED> {
  return {
    name: 'guide',
    resourceType: 'catalog_implementation',
    topic: GUIDE_PUBLISHED,
    drafts: ctx.repositories.guideDrafts,
    noDraft: () => messages.noGuideDraft,
  }
}

/** The implementation's guide draft; not found when there is none. */
export async function getGuideDraft(
  ctx: CatalogContext,
  implementationId: string,
): Promise<DraftRecord<GuideContent>> {
  const draft = await ctx.repositories.guideDrafts.findByKey(implementationId)
  if (!draft) throw notFound(messages.noGuideDraft)
  return draft
}

/** Saves the guide draft (creating it) once its content passes the guide rules. */
export async function saveGuideDraft(
  ctx: CatalogContext,
  implementationId: string,
  content: GuideContent,
  revision: number | undefined,
  who: AuditWho,
): Promise<DraftRecord<GuideContent>> {
  const implementation = await getImplementation(ctx, implementationId)
  const errors = await guideErrors(ctx, content)
  if (errors.length > 0) throw invalid(errors)
  await flow.saveDraft(ctx, guides(ctx), { key: implementationId, content, revision }, who, {
    regionCode: implementation.region_code,
  })
  return getGuideDraft(ctx, implementationId)
}

/** Submits the guide draft for review (送审). */
export async function submitGuideDraft(
  ctx: CatalogContext,
  implementationId: string,
  revision: number,
  who: AuditWho,
): Promise<DraftRecord<GuideContent>> {
  const implementation = await getImplementation(ctx, implementationId)
  await flow.submitDraft(ctx, guides(ctx), implementationId, revision, who, implementation.region_code)
  return getGuideDraft(ctx, implementationId)
}

/** Publishes the reviewed guide draft as the next immutable version (审核发布). */
export async function publishGuide(
  ctx: CatalogContext,
  implementationId: string,
  input: PublishDraft,
  who: AuditWho,
): Promise<PublishedGuideView> {
  const subject = await guideSubject(ctx, implementationId)
  const published = await flow.publishDraft(
    ctx,
    guides(ctx),
    implementationId,
    input,
    who,
    (trx, content, review) => writeGuideVersion(ctx, trx, subject, content, review, who),
  )
  await afterChange(ctx, published.changes)
  return getPublishedVersion(ctx, implementationId, published.version)
}

/**
 * Publishes a guide that was reviewed outside this platform (the demo catalog, a province's existing
 * published lists) as the next version, in one transaction, with the same checks as a draft.
 */
export async function publishReviewedGuide(
  ctx: CatalogContext,
  implementationId: string,
  content: GuideContent,
  who: AuditWho,
): Promise<number> {
  const subject = await guideSubject(ctx, implementationId)
  const errors = await guideErrors(ctx, content)
  if (errors.length > 0) throw invalid(errors)
  const published = await flow.publishReviewed(
    ctx,
    guides(ctx),
    implementationId,
    content,
    who,
    (trx, content, review) => writeGuideVersion(ctx, trx, subject, content, review, who),
  )
  await afterChange(ctx, published.changes)
  return published.version
}

/** The implementation, its base item and its department, as publishing needs them. */
async function guideSubject(ctx: CatalogContext, implementationId: string): Promise<GuideSubject> {
  const implementation = await getImplementation(ctx, implementationId)
  const item = await getItem(ctx, implementation.item_code)
  const department = await ctx.directory.department(implementation.department_id)
  return { implementation, item, department }
}
