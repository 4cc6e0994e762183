import {
  type CaseMoveBodies,
  type CorrectionItem,
  STAFF_MOVES,
  type StaffMove,
  type TaskActionName,
  type TaskView,
} from '@tongban/contracts'

/** What the form of a move asks for, beside the comment every move may carry. */
export interface MoveForm {
  /** 理由: 不予受理, 不予批准, 中止. */
  reason?: boolean
  /** 法律依据: 不予受理. */
  legalBasis?: boolean
  /** 一次性告知: every item to correct, at once. */
  items?: boolean
  /** 出件方式: e-license, window pick-up, or post with its tracking number. */
  delivery?: boolean
  /** The comment is the move's reason and must be given (恢复办理). */
  commentRequired?: boolean
  /** The move closes the door on the applicant (shown as a danger button). */
  danger?: boolean
}

/** Each staff move's form, by the move's body in @tongban/contracts. */
export const MOVE_FORMS: Record<StaffMove, MoveForm> = {
  startPreReview: {},
  accept: {},
  refuse: { reason: true, legalBasis: true, danger: true },
  requestCorrection: { items: true },
  review: {},
  approve: {},
  deny: { reason: true, danger: true },
  complete: {},
  deliver: { delivery: true },
  suspend: { reason: true },
  resume: { commentRequired: true },
}

/** A staff move as the workbench offers it: allowed now (a plain button), or not (a dashed one). */
export interface OfferedMove {
  move: StaffMove
  allowed: boolean
}

/** The staff moves in workflow order, each marked with whether the case view allows it to this caller now. */
export function offeredMoves(allowedMoves: readonly string[]): OfferedMove[] {
  const allowed = new Set(allowedMoves)
  return STAFF_MOVES.map((move) => ({ move, allowed: allowed.has(move) }))
}

/** The staff moves the case view allows now, in workflow order. */
export function allowedStaffMoves(allowedMoves: readonly string[]): StaffMove[] {
  return offeredMoves(allowedMoves)
    .filter((offered) => offered.allowed)
    .map((offered) => offered.move)
}

/** A correction item as the form holds it: `material:<key>` or `field:<key>` picked from one list. */
export interface CorrectionValue {
  key: string
  problem: CorrectionItem['problem']
  note?: string
}

/** What the move forms collect. */
export interface MoveValues {
  comment?: string
  reason?: string
  legalBasis?: string
  items?: CorrectionValue[]
  method?: 'license' | 'window_pickup' | 'post'
  trackingNumber?: string
}

/** Turns the form's correction items into the body's (`material:m2` → kind material, key m2). */
export function correctionItems(values: CorrectionValue[] = []): CorrectionItem[] {
  return values.map((item) => {
    const [kind, key = ''] = String(item.key).split(/:(.*)/s)
    const note = item.note?.trim()
    return {
      kind: kind === 'field' ? 'field' : 'material',
      key,
      problem: item.problem,
      ...(note ? { note } : {}),
    }
  })
}

const trimmed = (value: string | undefined) => value?.trim() || undefined

/** The body of a move (its schema in @tongban/contracts) from what its form collected. */
export function moveBody<M extends StaffMove>(
  move: M,
  version: number,
  values: MoveValues,
): CaseMoveBodies[M] {
  const comment = trimmed(values.comment)
  const base = { version, ...(comment ? { comment } : {}) }
  const form = MOVE_FORMS[move]
  const reason = trimmed(values.reason) ?? ''
  const body: Record<string, unknown> = { ...base }
  if (form.reason) body.reason = reason
  if (form.legalBasis) body.legalBasis = trimmed(values.legalBasis) ?? ''
  if (form.items) body.items = correctionItems(values.items)
  if (form.delivery) {
    const method = values.method ?? 'license'
    body.method = method
    if (method === 'post') body.trackingNumber = trimmed(values.trackingNumber) ?? ''
  }
  return body as CaseMoveBodies[M]
}

/** What the caller may do with a task now: 签收 an open one; 退回 or 转交 one they hold. */
export function taskActionsFor(
  task: Pick<TaskView, 'status' | 'claimedBy'>,
  accountId: string,
): TaskActionName[] {
  if (task.status === 'open') return ['claim']
  if (task.status === 'claimed' && task.claimedBy === accountId) return ['release', 'handOver']
  return []
}

/** The URL segment of a task action (`handOver` → `hand-over`). */
export function taskActionPath(action: TaskActionName): 'claim' | 'release' | 'hand-over' {
  return action === 'handOver' ? 'hand-over' : action
}
