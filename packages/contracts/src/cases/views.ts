import { type Static, Type } from 'typebox'
import { LocalizedText } from '../common/problem.ts'
import { Nullable } from './fields.ts'

/** One step of the timeline. */
export const CaseEventView = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Object({ kind: Type.String(), id: Nullable(Type.String()), name: Nullable(Type.String()) }),
  comment: Nullable(Type.String()),
  attachments: Type.Array(Type.Unknown()),
  data: Type.Record(Type.String(), Type.Unknown()),
})
export type CaseEventView = Static<typeof CaseEventView>

/** 办理时限 in brief, as task queues and case searches show it next to each case. */
export const TimeLimitSummary = Type.Object({
  acceptedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the case was accepted (受理); the time limit counts from its date',
  }),
  acceptedOn: Nullable(Type.String({ description: 'Asia/Shanghai date of acceptance' })),
  legalDeadline: Nullable(Type.String({ description: '法定时限: the date the law allows until' })),
  promisedDeadline: Nullable(Type.String({ description: '承诺时限: the date the department promises' })),
  workingDaysLeft: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Working days until the promised deadline (negative when overdue); null when not running',
  }),
  level: Type.String({
    description:
      'green, yellow (one working day or 20% left), red (overdue); paused while the clock is stopped; none before acceptance or when finished; unknown when the calendar lacks a year',
  }),
  clockStopped: Type.Boolean({
    description: 'The clock stands still (suspension, or correction after acceptance)',
  }),
  warning: Type.Union([LocalizedText, Type.Null()]),
})
export type TimeLimitSummary = Static<typeof TimeLimitSummary>

export const TimeLimitView = Type.Object({
  ...TimeLimitSummary.properties,
  legalLimitDays: Type.Integer(),
  promisedLimitDays: Type.Integer(),
  pausedWorkingDays: Type.Integer(),
  pausedSince: Nullable(Type.String({ description: 'Asia/Shanghai date the clock stopped' })),
})
export type TimeLimitView = Static<typeof TimeLimitView>

/** 办件 as its applicant and the staff see it. */
export const CaseView = Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  status: Type.String(),
  version: Type.Integer(),
  implementationId: Nullable(Type.String()),
  guideVersion: Type.Union([Type.Integer(), Type.Null()]),
  itemCode: Nullable(Type.String()),
  itemName: Type.String(),
  bundleId: Nullable(Type.String()),
  parentId: Nullable(Type.String()),
  regionCode: Type.String(),
  departmentId: Nullable(Type.String()),
  applicantId: Type.String(),
  actingForId: Nullable(Type.String()),
  formData: Type.Record(Type.String(), Type.Unknown()),
  materials: Type.Array(Type.Unknown()),
  submittedAt: Type.String({ format: 'date-time' }),
  timeLimit: TimeLimitView,
  allowedMoves: Type.Array(Type.String()),
  children: Type.Array(Type.Object({ id: Type.String(), caseNo: Type.String(), status: Type.String() })),
  timeline: Type.Array(CaseEventView),
  /** How the case was filed, when its submission says: online by the applicant, or at a window (一窗受理). */
  channel: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('window')])),
})
export type CaseView = Static<typeof CaseView>

export const CaseSummary = Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  status: Type.String(),
  itemName: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }),
  regionCode: Type.String(),
  departmentId: Nullable(Type.String()),
  level: Type.String(),
  promisedDeadline: Nullable(Type.String()),
})
export type CaseSummary = Static<typeof CaseSummary>
export const CaseList = Type.Object({ items: Type.Array(CaseSummary), total: Type.Integer() })
export type CaseList = Static<typeof CaseList>

export const CaseIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

export const ListQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 40 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
})

/** A material file of a case: the case and the file's SHA-256 as listed in the case's materials. */
export const CaseMaterialParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
})
export type CaseMaterialParams = Static<typeof CaseMaterialParams>

/**
 * Public progress (办件进度查询): status and milestones only, no personal data. The query is a form body
 * (POST), so the query code stays out of URLs, logs and browser history.
 */
export const ProgressBody = Type.Object(
  {
    caseNo: Type.String({ minLength: 1, maxLength: 40 }),
    queryCode: Type.String({ minLength: 1, maxLength: 40 }),
  },
  { additionalProperties: false },
)
export type ProgressBody = Static<typeof ProgressBody>
export const ProgressView = Type.Object({
  caseNo: Type.String(),
  itemName: Type.String(),
  status: Type.String(),
  promisedDeadline: Nullable(Type.String()),
  milestones: Type.Array(Type.Object({ type: Type.String(), at: Type.String({ format: 'date-time' }) })),
})
export type ProgressView = Static<typeof ProgressView>
