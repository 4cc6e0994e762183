import { type Static, Type } from 'typebox'
import { missing, Nullable, Text } from './fields.ts'
import { TimeLimitSummary } from './views.ts'

/** 办理任务: one step of one case waiting in a department's queue. */
export const TaskView = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  caseNo: Type.String(),
  itemName: Type.String(),
  step: Type.String(),
  role: Type.String(),
  departmentId: Type.String(),
  regionCode: Type.String(),
  status: Type.String(),
  claimedBy: Nullable(Type.String()),
  version: Type.Integer(),
  caseVersion: Type.Integer(),
  caseStatus: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  timeLimit: TimeLimitSummary,
})
export type TaskView = Static<typeof TaskView>
export const TaskList = Type.Object({ items: Type.Array(TaskView), total: Type.Integer() })
export type TaskList = Static<typeof TaskList>
export const TaskQuery = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('open'), Type.Literal('claimed'), Type.Literal('done'), Type.Literal('mine')]),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
})
export const TaskParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/** The statuses of a task. */
export const TASK_STATUSES = ['open', 'claimed', 'done', 'cancelled'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

/** What can be done with a task: 签收, 退回, 转交. */
export const TASK_ACTIONS = ['claim', 'release', 'handOver'] as const
export type TaskActionName = (typeof TASK_ACTIONS)[number]

/** What a task status is called, in both languages. */
export const TASK_STATUS_LABELS: Record<TaskStatus, { zh: string; en: string }> = {
  open: { zh: '待签收', en: 'Open' },
  claimed: { zh: '已签收', en: 'Claimed' },
  done: { zh: '已完成', en: 'Done' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
}

/** What a task action is called, in both languages. */
export const TASK_ACTION_LABELS: Record<TaskActionName, { zh: string; en: string }> = {
  claim: { zh: '签收', en: 'Claim' },
  release: { zh: '退回', en: 'Release' },
  handOver: { zh: '转交', en: 'Hand over' },
}

/** 签收: the task becomes the caller's. `version` is the task version the caller saw. */
export const ClaimTaskBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
)
export type ClaimTaskBody = Static<typeof ClaimTaskBody>

/** 退回: the caller gives back a task they claimed. */
export const ReleaseTaskBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
)
export type ReleaseTaskBody = Static<typeof ReleaseTaskBody>

/** 转交: the task goes to a colleague holding its role in its department (`to`, a staff account id). */
export const HandOverTaskBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    to: Text(100, missing({ zh: '请指定接收人', en: 'Name the colleague' })),
  },
  { additionalProperties: false },
)
export type HandOverTaskBody = Static<typeof HandOverTaskBody>

/** The body schema of each task action. */
export const TASK_ACTION_BODIES = {
  claim: ClaimTaskBody,
  release: ReleaseTaskBody,
  handOver: HandOverTaskBody,
} as const satisfies Record<TaskActionName, unknown>

/** Task action → the type of its body. */
export type TaskActionBodies = { [A in TaskActionName]: Static<(typeof TASK_ACTION_BODIES)[A]> }
