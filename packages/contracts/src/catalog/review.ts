import { type Static, type TSchema, Type } from 'typebox'

/**
 * The review flow shared by guides (办事指南) and bundles (一件事): a draft is saved (any number of times),
 * submitted for review (送审), then approved and published (审核发布) as the next immutable version.
 */

/** Where a draft stands: being edited, or submitted and awaiting review. */
export const DRAFT_STATUSES = ['draft', 'submitted'] as const
export type DraftStatus = (typeof DRAFT_STATUSES)[number]

/** Saves a draft of `content`; `revision` names the revision being replaced (optimistic concurrency). */
export const saveDraft = <T extends TSchema>(content: T) =>
  Type.Object(
    {
      content,
      revision: Type.Optional(
        Type.Integer({
          minimum: 0,
          description: 'The draft revision being replaced (optimistic concurrency)',
        }),
      ),
    },
    { additionalProperties: false },
  )

/** The fields every draft view has: its status, revision, content and when it was last saved. */
export const draftView = <T extends TSchema>(content: T) =>
  Type.Object({
    status: Type.Unsafe<DraftStatus>(Type.String({ description: 'draft or submitted (awaiting review)' })),
    revision: Type.Integer(),
    content,
    updatedAt: Type.String(),
  })

/** Submits a draft for review (送审), naming the revision the reviewer is to see. */
export const SubmitDraft = Type.Object(
  { revision: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
)
export type SubmitDraft = Static<typeof SubmitDraft>

/** Approves the submitted draft at `revision` and publishes it as the next version (审核发布). */
export const PublishDraft = Type.Object(
  { revision: Type.Integer({ minimum: 1 }), comment: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
)
export type PublishDraft = Static<typeof PublishDraft>
