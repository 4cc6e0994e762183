import { type Static, Type } from 'typebox'

const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max })
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])
const Localized = Type.Object({ zh: Type.String(), en: Type.String() })

/** Statuses of a 办件 (the projection of its events). */
export const CASE_STATUSES = [
  'submitted',
  'pre_review',
  'correction_requested',
  'accepted',
  'reviewed',
  'suspended',
  'approved',
  'denied',
  'refused',
  'withdrawn',
  'completed',
  'delivered',
] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

/** The moves that can be made on a case (each appends one event). */
export const CASE_MOVES = [
  'startPreReview',
  'accept',
  'refuse',
  'requestCorrection',
  'resubmit',
  'review',
  'approve',
  'deny',
  'complete',
  'deliver',
  'withdraw',
  'suspend',
  'resume',
] as const
export type CaseMove = (typeof CASE_MOVES)[number]

/** What a status is called, in both languages (problem details name statuses this way, never by code). */
export const CASE_STATUS_LABELS: Record<CaseStatus, { zh: string; en: string }> = {
  submitted: { zh: '已提交', en: 'Submitted' },
  pre_review: { zh: '预审中', en: 'In pre-review' },
  correction_requested: { zh: '待补正', en: 'Correction requested' },
  accepted: { zh: '已受理', en: 'Accepted' },
  reviewed: { zh: '已审查', en: 'Reviewed' },
  suspended: { zh: '已中止', en: 'Suspended' },
  approved: { zh: '准予许可', en: 'Approved' },
  denied: { zh: '不予许可', en: 'Denied' },
  refused: { zh: '不予受理', en: 'Refused' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  completed: { zh: '已办结', en: 'Completed' },
  delivered: { zh: '已出件', en: 'Delivered' },
}

/** What a move is called, in both languages (the 409 of an invalid move names the allowed ones this way). */
export const CASE_MOVE_LABELS: Record<CaseMove, { zh: string; en: string }> = {
  startPreReview: { zh: '开始预审', en: 'Start pre-review' },
  accept: { zh: '受理', en: 'Accept' },
  refuse: { zh: '不予受理', en: 'Refuse' },
  requestCorrection: { zh: '一次性告知补正', en: 'Request correction' },
  resubmit: { zh: '补正后重新提交', en: 'Resubmit' },
  review: { zh: '审查', en: 'Review' },
  approve: { zh: '准予许可', en: 'Approve' },
  deny: { zh: '不予许可', en: 'Deny' },
  complete: { zh: '办结', en: 'Complete' },
  deliver: { zh: '出件', en: 'Deliver' },
  withdraw: { zh: '撤回申请', en: 'Withdraw' },
  suspend: { zh: '中止办理', en: 'Suspend' },
  resume: { zh: '恢复办理', en: 'Resume' },
}

/** Time-limit warning levels (电子监察). `unknown`: the calendar lacks a year, the deadline is not known. */
export const WARNING_LEVELS = ['green', 'yellow', 'red', 'paused', 'unknown', 'none'] as const
export type WarningLevel = (typeof WARNING_LEVELS)[number]

/** A material attached to an application: a file uploaded before, or a license the applicant authorizes. */
export const MaterialRef = Type.Union([
  Type.Object(
    {
      key: Text(64),
      fileSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      name: Text(120),
    },
    { additionalProperties: false },
  ),
  Type.Object({ key: Text(64), licenseGrantId: Text(100), name: Text(120) }, { additionalProperties: false }),
])
export type MaterialRef = Static<typeof MaterialRef>

/** 申请: files a case for a published item version, or for a bundle (一件事). */
export const SubmitCase = Type.Object(
  {
    implementationId: Type.Optional(Text(100)),
    guideVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    bundleId: Type.Optional(Text(100)),
    /** For a bundle: the region applied in (its parts resolve to the implementations nearest to it). */
    regionCode: Type.Optional(Type.String({ pattern: '^(\\d{6}|\\d{12})$' })),
    formData: Type.Record(Type.String(), Type.Unknown()),
    materials: Type.Array(MaterialRef, { maxItems: 100 }),
    /** 承诺: the applicant declares the information true. Must be true. */
    declaration: Type.Boolean(),
    draftId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
)
export type SubmitCase = Static<typeof SubmitCase>

export const SubmitCaseHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' }),
})

/** The answer to a submission; the query code is shown only here, once. */
export const SubmittedCase = Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  queryCode: Type.String({ description: 'Shown once: with the case number it lets anyone see progress.' }),
  status: Type.String(),
  version: Type.Integer(),
  children: Type.Array(
    Type.Object({ id: Type.String(), caseNo: Type.String(), departmentId: Type.String() }),
  ),
})
export type SubmittedCase = Static<typeof SubmittedCase>

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
  warning: Type.Union([Localized, Type.Null()]),
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
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
})

/** 一次性告知: one item the applicant must supply or fix. */
export const CorrectionItem = Type.Object(
  {
    kind: Type.Union([Type.Literal('material'), Type.Literal('field')]),
    key: Text(100),
    problem: Type.Union([Type.Literal('missing'), Type.Literal('defective')]),
    note: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
)
export type CorrectionItem = Static<typeof CorrectionItem>

/** A move on a case. `version` is the case version the caller saw (optimistic concurrency). */
export const CaseMoveBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    comment: Type.Optional(Text(2000)),
    reason: Type.Optional(Text(2000)),
    legalBasis: Type.Optional(Text(500)),
    items: Type.Optional(Type.Array(CorrectionItem, { minItems: 1, maxItems: 200 })),
    method: Type.Optional(
      Type.Union([Type.Literal('license'), Type.Literal('window_pickup'), Type.Literal('post')]),
    ),
    trackingNumber: Type.Optional(Text(60)),
    licenseId: Type.Optional(Text(200)),
    formData: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    materials: Type.Optional(Type.Array(MaterialRef, { maxItems: 100 })),
    attachments: Type.Optional(
      Type.Array(
        Type.Object(
          { fileSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }), name: Text(120) },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
)
export type CaseMoveBody = Static<typeof CaseMoveBody>

export const CaseMoveParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  move: Type.Union(CASE_MOVES.map((m) => Type.Literal(m))),
})

/** A saved, unsubmitted application (草稿). */
export const SaveDraft = Type.Object(
  {
    implementationId: Type.Optional(Text(100)),
    guideVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    bundleId: Type.Optional(Text(100)),
    formData: Type.Record(Type.String(), Type.Unknown()),
    materials: Type.Array(MaterialRef, { maxItems: 100 }),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export type SaveDraft = Static<typeof SaveDraft>
export const DraftView = Type.Object({
  id: Type.String(),
  implementationId: Nullable(Type.String()),
  guideVersion: Type.Union([Type.Integer(), Type.Null()]),
  bundleId: Nullable(Type.String()),
  formData: Type.Record(Type.String(), Type.Unknown()),
  materials: Type.Array(Type.Unknown()),
  version: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
})
export type DraftView = Static<typeof DraftView>

export const UploadView = Type.Object({
  sha256: Type.String(),
  sizeBytes: Type.Integer(),
  mediaType: Type.String(),
  name: Type.String(),
})
export type UploadView = Static<typeof UploadView>

/** Public progress (办件进度查询): status and milestones only, no personal data. */
/** The query as a form body (POST), so the query code stays out of URLs, logs and browser history. */
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
export const TaskQuery = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('open'), Type.Literal('claimed'), Type.Literal('done'), Type.Literal('mine')]),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
})
export const TaskParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
export const TaskAction = Type.Object(
  { version: Type.Integer({ minimum: 1 }), to: Type.Optional(Text(100)) },
  { additionalProperties: false },
)
export type TaskAction = Static<typeof TaskAction>

/** 节假日补充: an administrator's addition to the working-day calendar. */
export const CalendarAdditionBody = Type.Union([
  Type.Object(
    {
      kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]),
      date: Type.String({ format: 'date' }),
      name: Type.Optional(Text(60)),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('year'), year: Type.Integer({ minimum: 2000, maximum: 2100 }) },
    { additionalProperties: false },
  ),
])
export type CalendarAdditionBody = Static<typeof CalendarAdditionBody>
export const CalendarAdditionView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  date: Nullable(Type.String()),
  year: Type.Union([Type.Integer(), Type.Null()]),
  name: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
})
export type CalendarAdditionView = Static<typeof CalendarAdditionView>
export const CalendarAdditionList = Type.Object({
  items: Type.Array(CalendarAdditionView),
  coveredYears: Type.Array(Type.Integer()),
})

export const SupervisionQuery = Type.Object({
  level: Type.Optional(Type.Union(WARNING_LEVELS.map((l) => Type.Literal(l)))),
  region: Type.Optional(Type.String({ pattern: '^(\\d{6}|\\d{12})$' })),
  department: Type.Optional(Type.String({ format: 'uuid' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})
export const SupervisionCase = Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  itemName: Type.String(),
  status: Type.String(),
  regionCode: Type.String(),
  departmentId: Nullable(Type.String()),
  level: Type.String(),
  promisedDeadline: Nullable(Type.String()),
  legalDeadline: Nullable(Type.String()),
  workingDaysLeft: Type.Union([Type.Integer(), Type.Null()]),
  flag: Nullable(Type.String()),
  warning: Type.Union([Localized, Type.Null()]),
})
export const SupervisionCaseList = Type.Object({
  items: Type.Array(SupervisionCase),
  counts: Type.Record(Type.String(), Type.Integer()),
})
export const ItemProcessingTime = Type.Object({
  implementationId: Type.String(),
  itemName: Type.String(),
  completed: Type.Integer(),
  averageWorkingDays: Type.Number(),
})
export const ItemProcessingTimeList = Type.Object({ items: Type.Array(ItemProcessingTime) })

/** A material file of a case: the case and the file's SHA-256 as listed in the case's materials. */
export const CaseMaterialParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
})
export type CaseMaterialParams = Static<typeof CaseMaterialParams>

const day = (description: string) => Type.String({ format: 'date', description })

/** 办件查询 (staff): cases within the caller's departments and regions. */
export const CaseSearchQuery = Type.Object(
  {
    caseNo: Type.Optional(
      Type.String({ minLength: 1, maxLength: 40, description: 'Case number, or its beginning' }),
    ),
    item: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Item code or implementation id (exact), or part of the item name',
      }),
    ),
    status: Type.Optional(Type.Union(CASE_STATUSES.map((s) => Type.Literal(s)))),
    applicant: Type.Optional(
      Type.String({ minLength: 1, maxLength: 50, description: 'Beginning of the applicant’s name' }),
    ),
    from: Type.Optional(day('Submitted on or after this Asia/Shanghai date')),
    to: Type.Optional(day('Submitted on or before this Asia/Shanghai date')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
)
export type CaseSearchQuery = Static<typeof CaseSearchQuery>

/** One case in a staff search: no form data, the applicant's name masked (张*), the time limit in brief. */
export const CaseSearchItem = Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  status: Type.String(),
  itemCode: Nullable(Type.String()),
  itemName: Type.String(),
  implementationId: Nullable(Type.String()),
  bundleId: Nullable(Type.String()),
  parentId: Nullable(Type.String()),
  regionCode: Type.String(),
  departmentId: Nullable(Type.String()),
  applicant: Type.Object({
    kind: Nullable(Type.String()),
    name: Nullable(Type.String({ description: 'A person’s name is masked (张*); a company’s is shown' })),
  }),
  submittedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
  timeLimit: TimeLimitSummary,
})
export type CaseSearchItem = Static<typeof CaseSearchItem>
export const CaseSearchResult = Type.Object({ items: Type.Array(CaseSearchItem), total: Type.Integer() })
export type CaseSearchResult = Static<typeof CaseSearchResult>

// ---------------------------------------------------------------- 一窗受理: walk-in applications

const WalkInPhone = Type.String({ pattern: '^1\\d{10}$', description: 'Mainland mobile number, 11 digits' })
const WalkInPerson = {
  name: Type.String({
    minLength: 1,
    maxLength: 50,
    description: 'Real name as on the ID card the clerk checked',
  }),
  idNumber: Type.String({ minLength: 1, maxLength: 40, description: '公民身份号码 (GB 11643)' }),
  phone: Type.Optional(WalkInPhone),
}

/**
 * Who applies at the window, as the clerk verified them from the documents in front of them: a person by
 * ID card, or a company by its business licence with the person (经办人) who came for it.
 */
export const WalkInApplicant = Type.Union([
  Type.Object({ kind: Type.Literal('person'), ...WalkInPerson }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('company'),
      uscc: Type.String({ minLength: 1, maxLength: 40, description: '统一社会信用代码 (GB 32100)' }),
      name: Type.String({ minLength: 2, maxLength: 100 }),
      agent: Type.Object(WalkInPerson, { additionalProperties: false }),
    },
    { additionalProperties: false },
  ),
])
export type WalkInApplicant = Static<typeof WalkInApplicant>

/**
 * POST /api/v1/walk-ins (window clerk, Idempotency-Key required): 一窗受理 — files a case for an applicant
 * at the counter, with the materials the clerk scanned (uploaded by the clerk), and accepts it at once
 * when `accept` is true and the clerk may accept for the item's department.
 */
export const WalkInCase = Type.Object(
  {
    applicant: WalkInApplicant,
    implementationId: Text(100),
    guideVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    formData: Type.Record(Type.String(), Type.Unknown()),
    materials: Type.Array(MaterialRef, { maxItems: 100 }),
    /** The applicant signed the 承诺书 at the window. Must be true. */
    declaration: Type.Boolean(),
    /** 受理 in the same step (the usual case at a window); false leaves it submitted for pre-review. */
    accept: Type.Boolean(),
    comment: Type.Optional(Text(2000)),
  },
  { additionalProperties: false },
)
export type WalkInCase = Static<typeof WalkInCase>

/** 受理回执: what the clerk prints and hands over; the query code is shown only here, once. */
export const WalkInReceipt = Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  queryCode: Type.String({ description: 'Shown once: with the case number it lets anyone see progress.' }),
  status: Type.String(),
  version: Type.Integer(),
  itemName: Type.String(),
  departmentName: Type.String(),
  applicant: Type.Object({
    kind: Type.Union([Type.Literal('person'), Type.Literal('company')]),
    name: Type.String(),
    /** Masked ID number or USCC, as printed on the receipt. */
    maskedId: Type.String(),
    /** The agent who came for a company, masked. */
    agent: Type.Union([
      Type.Object({
        name: Type.String(),
        maskedId: Type.String(),
        /** True when the window created the agent's own account (they activate it by a password reset). */
        accountCreated: Type.Optional(Type.Boolean()),
      }),
      Type.Null(),
    ]),
    /** True when the window created the applicant's account (real-name L3, counter verified). */
    accountCreated: Type.Boolean(),
  }),
  acceptedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  legalDeadline: Nullable(Type.String()),
  promisedDeadline: Nullable(Type.String()),
  materials: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
  clerk: Type.Object({ name: Type.String() }),
})
export type WalkInReceipt = Static<typeof WalkInReceipt>
