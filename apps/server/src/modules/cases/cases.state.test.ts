import { describe, expect, it } from 'vitest'
import {
  allowedMoves,
  applyEvent,
  type CaseEventFacts,
  InvalidTransitionError,
  initialState,
  replay,
} from './cases.state.ts'

const at = (
  type: CaseEventFacts['type'],
  day = '2026-03-02',
  data?: CaseEventFacts['data'],
): CaseEventFacts => ({
  type,
  day,
  ...(data ? { data } : {}),
})

describe('the case lifecycle as a projection of events', () => {
  it('walks submit → pre-review → accept → review → approve → complete → deliver', () => {
    const states = [
      at('submitted'),
      at('pre_review_started'),
      at('accepted'),
      at('reviewed'),
      at('approved'),
      at('completed', '2026-03-05'),
      at('delivered'),
    ].map((_, i, all) => replay(all.slice(0, i + 1)).status)
    expect(states).toEqual([
      'submitted',
      'pre_review',
      'accepted',
      'reviewed',
      'approved',
      'completed',
      'delivered',
    ])
    const final = replay([
      at('submitted'),
      at('accepted'),
      at('reviewed'),
      at('approved'),
      at('completed', '2026-03-05'),
    ])
    expect(final).toMatchObject({ acceptedOn: '2026-03-02', completedOn: '2026-03-05', decision: 'approved' })
  })

  it('names the moves allowed in each state', () => {
    expect(allowedMoves(replay([at('submitted')]))).toEqual([
      'startPreReview',
      'accept',
      'refuse',
      'requestCorrection',
      'withdraw',
    ])
    expect(allowedMoves(replay([at('submitted'), at('accepted')]))).toEqual([
      'requestCorrection',
      'review',
      'withdraw',
      'suspend',
    ])
    expect(allowedMoves(replay([at('submitted'), at('refused')]))).toEqual([])
    expect(allowedMoves(replay([at('submitted'), at('accepted'), at('reviewed'), at('approved')]))).toEqual([
      'complete',
    ])
  })

  it('refuses an event that cannot follow the state', () => {
    expect(() => replay([at('submitted'), at('approved')])).toThrow(InvalidTransitionError)
    expect(() => applyEvent(initialState, at('accepted'))).toThrow(InvalidTransitionError)
    expect(() => replay([at('submitted'), at('submitted')])).toThrow(InvalidTransitionError)
    // withdrawal is possible only before the decision
    expect(() =>
      replay([at('submitted'), at('accepted'), at('reviewed'), at('approved'), at('withdrawn')]),
    ).toThrow(InvalidTransitionError)
  })

  it('goes through the review steps of the workflow before the decision', () => {
    const twoReviews = [at('submitted', '2026-03-02', { reviewSteps: 2 }), at('accepted')]
    expect(replay(twoReviews).status).toBe('accepted')
    expect(replay([...twoReviews, at('reviewed')]).status).toBe('accepted')
    expect(replay([...twoReviews, at('reviewed'), at('reviewed')]).status).toBe('reviewed')
    expect(replay([at('submitted', '2026-03-02', { reviewSteps: 0 }), at('accepted')]).status).toBe(
      'reviewed',
    )
  })

  it('stops the clock while suspended and returns to where it was', () => {
    const suspended = replay([at('submitted'), at('accepted'), at('reviewed'), at('suspended', '2026-03-03')])
    expect(suspended).toMatchObject({ status: 'suspended', resumeTo: 'reviewed', pausedSince: '2026-03-03' })
    const resumed = applyEvent(suspended, at('resumed', '2026-03-06', { pausedWorkingDays: 3 }))
    expect(resumed).toMatchObject({ status: 'reviewed', pausedSince: null, pausedWorkingDays: 3 })
  })

  it('after a correction before acceptance returns to pre-review; after acceptance, to review with the clock stopped meanwhile', () => {
    const early = replay([at('submitted'), at('correction_requested'), at('resubmitted')])
    expect(early).toMatchObject({ status: 'pre_review', pausedSince: null, pausedWorkingDays: 0 })
    const late = replay([at('submitted'), at('accepted'), at('correction_requested', '2026-03-03')])
    expect(late).toMatchObject({ status: 'correction_requested', pausedSince: '2026-03-03' })
    expect(applyEvent(late, at('resubmitted', '2026-03-04', { pausedWorkingDays: 1 }))).toMatchObject({
      status: 'accepted',
      pausedWorkingDays: 1,
    })
  })

  it('decides a bundle parent only through its parts', () => {
    const parent = replay([at('submitted', '2026-03-02', { bundle: true })])
    expect(allowedMoves(parent)).toEqual(['withdraw'])
    expect(
      replay([at('submitted', '2026-03-02', { bundle: true }), at('denied'), at('completed')]),
    ).toMatchObject({
      status: 'completed',
      decision: 'denied',
    })
    expect(() => applyEvent(parent, at('accepted'))).toThrow(InvalidTransitionError)
  })
})
