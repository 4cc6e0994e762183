import { DRAFT_STATUSES, type DraftStatus } from '@tongban/contracts'
import type { Selectable } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Database } from '../../../platform/db/schema.ts'
import { AppError } from '../../../platform/errors.ts'
import { assertMoveFrom, draftAt, REVIEW_MOVES, type ReviewMove } from './review.state.ts'

/** The error a call throws, or undefined. */
function thrown(run: () => unknown): AppError | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
}

describe('the review state machine of guides and bundles', () => {
  const cases: [ReviewMove, 'draft' | 'submitted', string | undefined, string[] | undefined][] = [
    // move, the draft's status, the problem, the move it may make instead
    ['submit', 'draft', undefined, undefined],
    ['submit', 'submitted', 'invalid-transition', ['publish']],
    ['publish', 'submitted', undefined, undefined],
    ['publish', 'draft', 'invalid-transition', ['submit']],
  ]
  for (const [move, status, problem, allowed] of cases)
    it(`${move} from ${status}: ${problem ?? 'allowed'}`, () => {
      const error = thrown(() => assertMoveFrom(move, status))
      expect(error?.code).toBe(problem)
      expect(error?.allowed).toEqual(allowed)
    })

  it('answers 404 without a draft and 409 when the draft moved on since the revision named', () => {
    const missing = { zh: '没有草稿', en: 'No draft' }
    expect(thrown(() => draftAt(undefined, 1, missing))?.code).toBe('not-found')
    expect(thrown(() => draftAt({ revision: 3 }, 2, missing))?.code).toBe('stale-version')
    expect(thrown(() => draftAt({ revision: 3 }, 2, missing))?.detail?.en).toBe(
      'The draft is now at revision 3',
    )
    expect(draftAt({ revision: 3 }, 3, missing)).toEqual({ revision: 3 })
  })
})

/** True when two types are the same. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

describe('the draft statuses', () => {
  it('are those the draft tables’ CHECK constraints allow (as the generated types say)', () => {
    const guides: Same<DraftStatus, Selectable<Database['catalog_guide_drafts']>['status']> = true
    const bundles: Same<DraftStatus, Selectable<Database['catalog_bundle_drafts']>['status']> = true
    expect([guides, bundles]).toEqual([true, true])
    expect(Object.values(REVIEW_MOVES).map((m) => m.from)).toEqual([...DRAFT_STATUSES])
  })
})
