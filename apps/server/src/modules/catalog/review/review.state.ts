import type { DraftStatus, LocalizedText } from '@tongban/contracts'
import { AppError, notFound } from '../../../platform/errors.ts'
import { messages } from '../catalog.messages.ts'

/** The moves of a draft under review: 送审 (submit) and 审核发布 (publish); saving starts a new revision. */
export type ReviewMove = 'submit' | 'publish'

/**
 * The review state machine of guides and bundles: each move, the status it starts from, and what a
 * draft in the other status is told (the move it may make instead). Publishing removes the draft.
 */
export const REVIEW_MOVES: Record<
  ReviewMove,
  { from: DraftStatus; instead: ReviewMove; refusal: LocalizedText }
> = {
  submit: { from: 'draft', instead: 'publish', refusal: messages.alreadySubmitted },
  publish: { from: 'submitted', instead: 'submit', refusal: messages.submitFirst },
}

/** Throws the invalid-transition problem unless the move starts from the draft's status. */
export function assertMoveFrom(move: ReviewMove, status: DraftStatus): void {
  const rule = REVIEW_MOVES[move]
  if (status !== rule.from)
    throw new AppError('invalid-transition', { allowed: [rule.instead], detail: rule.refusal })
}

/** A draft at the revision its editor last saw: 404 when there is none, 409 when it moved on. */
export function draftAt<T extends { revision: number }>(
  draft: T | undefined,
  revision: number,
  missing: LocalizedText,
): T {
  if (!draft) throw notFound(missing)
  assertRevision(draft, revision)
  return draft
}

/** Throws stale-version when someone saved the draft since the revision the caller names. */
export function assertRevision(draft: { revision: number }, revision: number | undefined): void {
  if (revision !== undefined && draft.revision !== revision)
    throw new AppError('stale-version', { detail: messages.draftMovedOn(draft.revision) })
}
