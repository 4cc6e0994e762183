import {
  APPLICANT_MOVES,
  type ApplicantMove,
  type CaseEventType,
  type CaseMove,
  type CaseStatus,
} from '@tongban/contracts'

/** Types of case event (办件环节), in the order a case usually meets them; each is published as `case.<type>`. */
export type { CaseEventType } from '@tongban/contracts'

/** The facts of an event the state depends on. Dates are Asia/Shanghai calendar dates. */
export interface CaseEventFacts {
  type: CaseEventType
  /** The Asia/Shanghai date the event happened. */
  day: string
  data?: {
    /** submitted: number of review steps of the workflow; bundle: the case is a bundle's parent. */
    reviewSteps?: number
    bundle?: boolean
    /** resumed / resubmitted: working days the clock stood still, computed with the calendar. */
    pausedWorkingDays?: number
  }
}

/** The state of a case: a pure projection of its events. */
export interface CaseState {
  status: CaseStatus | null
  reviewSteps: number
  reviewsDone: number
  isBundle: boolean
  /** Where suspension or a correction after acceptance returns to. */
  resumeTo: CaseStatus | null
  acceptedOn: string | null
  pausedSince: string | null
  pausedWorkingDays: number
  decision: 'approved' | 'denied' | null
  completedOn: string | null
}

export const initialState: CaseState = {
  status: null,
  reviewSteps: 1,
  reviewsDone: 0,
  isBundle: false,
  resumeTo: null,
  acceptedOn: null,
  pausedSince: null,
  pausedWorkingDays: 0,
  decision: null,
  completedOn: null,
}

const BEFORE_DECISION: CaseStatus[] = [
  'submitted',
  'pre_review',
  'correction_requested',
  'accepted',
  'reviewed',
  'suspended',
]

/**
 * The statuses in which a case's work is over (办结, 出件, 不予受理, 撤回): the cases table derives its
 * generated `closed` column from the same list (checked by cases.state.test.ts against the database).
 */
export const CLOSED_STATUSES = [
  'completed',
  'delivered',
  'refused',
  'withdrawn',
] as const satisfies CaseStatus[]

/**
 * 电子监察 watches accepted cases not yet decided in these statuses (with their acceptance date set: a
 * correction asked before acceptance has none).
 */
export const SUPERVISED_STATUSES = [
  'accepted',
  'reviewed',
  'suspended',
  'correction_requested',
] as const satisfies CaseStatus[]

/** The statuses in which the time limit no longer runs: decided (准予 / 不予许可) or closed. */
export const FINISHED_STATUSES: readonly CaseStatus[] = ['approved', 'denied', ...CLOSED_STATUSES]

/** Whether a status is one of the given list (a typed `includes` for status lists of this file). */
export function isStatusIn(status: CaseStatus | null, statuses: readonly CaseStatus[]): boolean {
  return status !== null && statuses.includes(status)
}

/** Which move appends which event, and from which statuses it may be made. */
export const MOVES: Record<CaseMove, { event: CaseEventType; from: readonly CaseStatus[] }> = {
  startPreReview: { event: 'pre_review_started', from: ['submitted'] },
  accept: { event: 'accepted', from: ['submitted', 'pre_review'] },
  refuse: { event: 'refused', from: ['submitted', 'pre_review'] },
  requestCorrection: { event: 'correction_requested', from: ['submitted', 'pre_review', 'accepted'] },
  resubmit: { event: 'resubmitted', from: ['correction_requested'] },
  review: { event: 'reviewed', from: ['accepted'] },
  approve: { event: 'approved', from: ['reviewed'] },
  deny: { event: 'denied', from: ['reviewed'] },
  complete: { event: 'completed', from: ['approved', 'denied'] },
  deliver: { event: 'delivered', from: ['completed'] },
  withdraw: { event: 'withdrawn', from: BEFORE_DECISION },
  suspend: { event: 'suspended', from: ['accepted', 'reviewed'] },
  resume: { event: 'resumed', from: ['suspended'] },
}

/** Whether the applicant makes the move (resubmit, withdraw); staff make every other. */
export function isApplicantMove(move: CaseMove): move is ApplicantMove {
  return (APPLICANT_MOVES as readonly CaseMove[]).includes(move)
}

/** The moves that are possible in a state, whoever makes them. A bundle's parent moves only by its parts. */
export function allowedMoves(state: CaseState): CaseMove[] {
  if (state.status === null) return []
  if (state.isBundle) return state.status === 'submitted' ? ['withdraw'] : []
  return (Object.keys(MOVES) as CaseMove[]).filter((move) => MOVES[move].from.includes(state.status!))
}

/** The moves possible on a case: a part of a bundle is withdrawn only with its whole bundle. */
export function movesOf(state: CaseState, part: boolean): CaseMove[] {
  const moves = allowedMoves(state)
  return part ? moves.filter((move) => move !== 'withdraw') : moves
}

/** Thrown by the reducer for an event that cannot follow the state; the service checks moves first. */
export class InvalidTransitionError extends Error {
  constructor(
    readonly from: CaseStatus | null,
    readonly eventType: CaseEventType,
  ) {
    super(`A ${eventType} event cannot follow status ${from ?? 'none'}`)
    this.name = 'InvalidTransitionError'
  }
}

function moveOf(type: CaseEventType): CaseMove | undefined {
  return (Object.keys(MOVES) as CaseMove[]).find((move) => MOVES[move].event === type)
}

/** After acceptance: review steps left, or waiting for the decision. */
function inReview(state: CaseState): CaseStatus {
  return state.reviewsDone >= state.reviewSteps ? 'reviewed' : 'accepted'
}

/**
 * The state after an event: the one place the lifecycle is defined. Pure, so the whole history of a case
 * can be replayed (`replay`) and tested without a database.
 */
export function applyEvent(state: CaseState, event: CaseEventFacts): CaseState {
  if (event.type === 'submitted') {
    if (state.status !== null) throw new InvalidTransitionError(state.status, event.type)
    return {
      ...initialState,
      status: 'submitted',
      reviewSteps: event.data?.reviewSteps ?? 1,
      isBundle: event.data?.bundle === true,
    }
  }
  // a bundle's parent is decided by its parts: all approve, or one denies
  if (state.isBundle) {
    if (state.status === 'submitted' && (event.type === 'approved' || event.type === 'denied'))
      return { ...state, status: event.type, decision: event.type }
    if ((state.status === 'approved' || state.status === 'denied') && event.type === 'completed')
      return { ...state, status: 'completed', completedOn: event.day }
    if (state.status === 'submitted' && event.type === 'withdrawn') return { ...state, status: 'withdrawn' }
    throw new InvalidTransitionError(state.status, event.type)
  }
  const move = moveOf(event.type)
  if (!move || state.status === null || !MOVES[move].from.includes(state.status))
    throw new InvalidTransitionError(state.status, event.type)
  const paused = event.data?.pausedWorkingDays ?? 0
  switch (event.type) {
    case 'pre_review_started':
      return { ...state, status: 'pre_review' }
    case 'accepted': {
      const next = { ...state, acceptedOn: event.day, reviewsDone: 0 }
      return { ...next, status: inReview(next) }
    }
    case 'refused':
      return { ...state, status: 'refused', completedOn: event.day }
    case 'correction_requested':
      // after acceptance the clock stops until the applicant resubmits
      return state.acceptedOn
        ? { ...state, status: 'correction_requested', resumeTo: state.status, pausedSince: event.day }
        : { ...state, status: 'correction_requested', resumeTo: 'pre_review' }
    case 'resubmitted':
      return {
        ...state,
        status: state.resumeTo ?? 'pre_review',
        resumeTo: null,
        pausedSince: null,
        pausedWorkingDays: state.pausedWorkingDays + paused,
      }
    case 'reviewed': {
      const next = { ...state, reviewsDone: state.reviewsDone + 1 }
      return { ...next, status: inReview(next) }
    }
    case 'approved':
    case 'denied':
      return { ...state, status: event.type, decision: event.type }
    case 'completed':
      return { ...state, status: 'completed', completedOn: event.day }
    case 'delivered':
      return { ...state, status: 'delivered' }
    case 'withdrawn':
      return { ...state, status: 'withdrawn', pausedSince: null }
    case 'suspended':
      return { ...state, status: 'suspended', resumeTo: state.status, pausedSince: event.day }
    case 'resumed':
      return {
        ...state,
        status: state.resumeTo ?? 'accepted',
        resumeTo: null,
        pausedSince: null,
        pausedWorkingDays: state.pausedWorkingDays + paused,
      }
    default:
      throw new InvalidTransitionError(state.status, event.type)
  }
}

/** The state after a whole history. */
export function replay(events: readonly CaseEventFacts[]): CaseState {
  return events.reduce(applyEvent, initialState)
}

/** Whether the time limit's clock is running (accepted, not paused, not finished). */
export function clockRunning(state: CaseState): boolean {
  return (
    state.acceptedOn !== null &&
    state.pausedSince === null &&
    state.completedOn === null &&
    !isStatusIn(state.status, FINISHED_STATUSES)
  )
}
