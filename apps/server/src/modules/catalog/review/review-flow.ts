import type { DomainEvents, LocalizedText, PublishDraft } from '@tongban/contracts'
import type { Transaction } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import { AppError } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import { isAuthorOf, mayMakeReviewMove } from '../catalog.policy.ts'
import type { AuditWho } from '../catalog.ports.ts'
import type { DraftRecord, DraftsRepository } from '../repositories/drafts.repository.ts'
import { assertMoveFrom, assertRevision, draftAt, type ReviewMove } from './review.state.ts'

/** The topics announcing a publication. */
export type PublicationTopic = 'catalog.guide-published' | 'catalog.bundle-published'

/**
 * What is reviewed and published: a guide (办事指南) of an implementation, or a bundle (一件事). Each kind
 * supplies where its drafts are kept, how its audit entries and event are named, and (per call) what
 * publishing writes; the flow owns the rest: revisions, the state machine, the policy, audit and event.
 */
export interface ReviewSubject<C, T extends PublicationTopic> {
  /** Audit actions are `catalog.<name>.save-draft`, `.submit` and `.publish`. */
  name: 'guide' | 'bundle'
  resourceType: 'catalog_implementation' | 'catalog_bundle'
  topic: T
  drafts: DraftsRepository<C>
  noDraft(key: string): LocalizedText
}

/** Who reviewed a publication: the submitter, the reviewer's comment, the revision approved. */
export interface Review {
  submittedBy: string | null
  comment: string
  revision: number
}

/** What publishing wrote, for the event and the audit entry the flow adds. */
export interface Publication<T extends PublicationTopic> {
  version: number
  event: { payload: DomainEvents[T]; aggregateId: string }
  audit: { regionCode: string | null; details: Record<string, unknown> }
}

/** A publication of reviewed content, written in the caller's transaction. */
export type Publish<C, T extends PublicationTopic, R extends Publication<T>> = (
  trx: Transaction<Database>,
  content: C,
  review: Review,
) => Promise<R>

/** A review made outside this platform (the demo catalog, a province's existing published lists). */
export const REVIEWED_OUTSIDE: Review = {
  submittedBy: null,
  comment: 'reviewed outside the platform',
  revision: 0,
}

/** Saves a draft (creating it) as its next revision; `revision` guards against overwriting another save. */
export async function saveDraft<C, T extends PublicationTopic>(
  ctx: CatalogContext,
  subject: ReviewSubject<C, T>,
  draft: { key: string; content: C; revision: number | undefined },
  who: AuditWho,
  audit: { regionCode: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await ctx.platform.db.transaction().execute(async (trx) => {
    const current = await subject.drafts.lockByKey(trx, draft.key)
    if (current) assertRevision(current, draft.revision)
    const saved = await subject.drafts.upsert(trx, draft.key, draft.content, who.actorId)
    await appendAudit(ctx, trx, subject, 'save-draft', draft.key, who, {
      regionCode: audit.regionCode,
      details: { revision: saved, ...audit.details },
    })
  })
}

/** Submits the draft at `revision` for review (送审). */
export async function submitDraft<C, T extends PublicationTopic>(
  ctx: CatalogContext,
  subject: ReviewSubject<C, T>,
  key: string,
  revision: number,
  who: AuditWho,
  regionCode: string | null,
): Promise<void> {
  await ctx.platform.db.transaction().execute(async (trx) => {
    await lockedFor(trx, subject, 'submit', key, revision, who)
    await subject.drafts.updateStatus(trx, key, 'submitted', who.actorId)
    await appendAudit(ctx, trx, subject, 'submit', key, who, { regionCode, details: { revision } })
  })
}

/**
 * Approves the submitted draft at `input.revision` and publishes it (审核发布): what `publish` writes, the
 * outbox event and the audit entry commit together; the draft is removed.
 */
export async function publishDraft<C, T extends PublicationTopic, R extends Publication<T>>(
  ctx: CatalogContext,
  subject: ReviewSubject<C, T>,
  key: string,
  input: PublishDraft,
  who: AuditWho,
  publish: Publish<C, T, R>,
): Promise<R> {
  const published = await ctx.platform.db.transaction().execute(async (trx) => {
    const draft = await lockedFor(trx, subject, 'publish', key, input.revision, who)
    await subject.drafts.delete(trx, key)
    const review = { submittedBy: draft.submitted_by, comment: input.comment ?? '', revision: input.revision }
    return announce(ctx, trx, subject, key, who, review, await publish(trx, draft.content, review))
  })
  ctx.platform.events.nudge()
  return published
}

/** Publishes content reviewed outside this platform as the next version: what `publish` writes, event, audit. */
export async function publishReviewed<C, T extends PublicationTopic, R extends Publication<T>>(
  ctx: CatalogContext,
  subject: ReviewSubject<C, T>,
  key: string,
  content: C,
  who: AuditWho,
  publish: Publish<C, T, R>,
): Promise<R> {
  return ctx.platform.db
    .transaction()
    .execute(async (trx) =>
      announce(ctx, trx, subject, key, who, REVIEWED_OUTSIDE, await publish(trx, content, REVIEWED_OUTSIDE)),
    )
}

/** The locked draft at `revision`, once the state machine and the policy allow the move. */
async function lockedFor<C, T extends PublicationTopic>(
  trx: Transaction<Database>,
  subject: ReviewSubject<C, T>,
  move: ReviewMove,
  key: string,
  revision: number,
  who: AuditWho,
): Promise<DraftRecord<C>> {
  const draft = draftAt(await subject.drafts.lockByKey(trx, key), revision, subject.noDraft(key))
  assertMoveFrom(move, draft.status)
  if (!mayMakeReviewMove(who.actorId, move, draft))
    throw new AppError('forbidden', isAuthorOf(who.actorId, draft) ? { detail: messages.ownDraft } : {})
  return draft
}

/** The outbox event and the audit entry of a publication. */
async function announce<C, T extends PublicationTopic, R extends Publication<T>>(
  ctx: CatalogContext,
  trx: Transaction<Database>,
  subject: ReviewSubject<C, T>,
  key: string,
  who: AuditWho,
  review: Review,
  publication: R,
): Promise<R> {
  const { event, audit } = publication
  await ctx.platform.events.publish(trx, subject.topic, event.payload, event.aggregateId)
  await appendAudit(ctx, trx, subject, 'publish', key, who, {
    regionCode: audit.regionCode,
    details: { version: publication.version, revision: review.revision, ...audit.details },
  })
  return publication
}

async function appendAudit<C, T extends PublicationTopic>(
  ctx: CatalogContext,
  trx: Transaction<Database>,
  subject: ReviewSubject<C, T>,
  step: 'save-draft' | 'submit' | 'publish',
  key: string,
  who: AuditWho,
  entry: { regionCode: string | null; details: Record<string, unknown> },
): Promise<void> {
  await ctx.platform.audit.append(trx, {
    ...who,
    action: `catalog.${subject.name}.${step}`,
    resourceType: subject.resourceType,
    resourceId: key,
    regionCode: entry.regionCode,
    outcome: 'success',
    details: entry.details,
  })
}
