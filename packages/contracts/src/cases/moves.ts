import { type Static, type TProperties, Type } from 'typebox'
import { Attachment, MaterialRef, missing, Text } from './fields.ts'
import type { CaseMove } from './vocabulary.ts'

/*
 * One body per move on a case (POST /api/v1/cases/:id/<move>), so that the API document says what each
 * move takes. Every body carries `version`, the case version the caller saw (optimistic concurrency), and
 * may carry a comment and attachments (files the caller uploaded).
 */

/** A move's body: the version, a comment, attachments, and what the move itself takes. */
function MoveBody<T extends TProperties>(properties: T) {
  return Type.Object(
    {
      version: Type.Integer({ minimum: 1 }),
      comment: Type.Optional(Text(2000)),
      attachments: Type.Optional(Type.Array(Attachment, { maxItems: 20 })),
      ...properties,
    },
    { additionalProperties: false },
  )
}

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

/** 开始预审. */
export const StartPreReviewBody = MoveBody({})
export type StartPreReviewBody = Static<typeof StartPreReviewBody>

/** 受理. */
export const AcceptBody = MoveBody({})
export type AcceptBody = Static<typeof AcceptBody>

/** 不予受理: with its reason and its legal basis. */
export const RefuseBody = MoveBody({
  reason: Text(2000, missing({ zh: '不予受理须说明理由', en: 'A refusal needs a reason' })),
  legalBasis: Text(500, missing({ zh: '不予受理须写明法律依据', en: 'A refusal needs its legal basis' })),
})
export type RefuseBody = Static<typeof RefuseBody>

/** 一次性告知补正: everything the applicant must supply or fix, listed at once. */
export const RequestCorrectionBody = MoveBody({
  items: Type.Array(CorrectionItem, {
    minItems: 1,
    maxItems: 200,
    ...missing({ zh: '须一次性告知全部需补正的材料和内容', en: 'List everything to correct, at once' }),
  }),
})
export type RequestCorrectionBody = Static<typeof RequestCorrectionBody>

/** 补正后重新提交: the corrected form, and the materials asked for. */
export const ResubmitBody = MoveBody({
  formData: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  materials: Type.Optional(Type.Array(MaterialRef, { maxItems: 100 })),
})
export type ResubmitBody = Static<typeof ResubmitBody>

/** 审查 (one review step). */
export const ReviewBody = MoveBody({})
export type ReviewBody = Static<typeof ReviewBody>

/** 准予许可. */
export const ApproveBody = MoveBody({})
export type ApproveBody = Static<typeof ApproveBody>

/** 不予许可: with its reason. */
export const DenyBody = MoveBody({
  reason: Text(2000, missing({ zh: '不予许可须说明理由', en: 'A denial needs a reason' })),
})
export type DenyBody = Static<typeof DenyBody>

/** 办结. */
export const CompleteBody = MoveBody({})
export type CompleteBody = Static<typeof CompleteBody>

const DELIVERY_METHODS = ['license', 'window_pickup', 'post'] as const
const DeliverAsLicense = MoveBody({ method: Type.Literal('license'), licenseId: Type.Optional(Text(200)) })
const DeliverAtWindow = MoveBody({ method: Type.Literal('window_pickup') })
const DeliverByPost = MoveBody({
  method: Type.Literal('post'),
  trackingNumber: Text(
    60,
    missing({ zh: '邮寄须填写运单号', en: 'Delivery by post needs a tracking number' }),
  ),
})

/**
 * 出件: how the result reaches the applicant, told apart by `method` (an OpenAPI discriminator): as an
 * electronic license, picked up at the window, or by post with its tracking number.
 */
export const DeliverBody = Type.Unsafe<
  Static<typeof DeliverAsLicense> | Static<typeof DeliverAtWindow> | Static<typeof DeliverByPost>
>({
  type: 'object',
  required: ['method'],
  properties: {
    method: {
      type: 'string',
      enum: [...DELIVERY_METHODS],
      ...missing({ zh: '请选择出件方式', en: 'Choose how the result is delivered' }),
    },
  },
  discriminator: { propertyName: 'method' },
  oneOf: [DeliverAsLicense, DeliverAtWindow, DeliverByPost],
})
export type DeliverBody = Static<typeof DeliverBody>

/** 撤回申请 (the applicant; a bundle takes its undecided parts with it). */
export const WithdrawBody = MoveBody({})
export type WithdrawBody = Static<typeof WithdrawBody>

/** 中止办理: with its reason; the time limit's clock stops. */
export const SuspendBody = MoveBody({
  reason: Text(
    2000,
    missing({
      zh: '中止须说明理由（如现场核查、听证）',
      en: 'A suspension needs a reason (e.g. inspection, hearing)',
    }),
  ),
})
export type SuspendBody = Static<typeof SuspendBody>

/** 恢复办理. */
export const ResumeBody = MoveBody({})
export type ResumeBody = Static<typeof ResumeBody>

/** The body schema of each move, for routes and for clients that validate before sending. */
export const CASE_MOVE_BODIES = {
  startPreReview: StartPreReviewBody,
  accept: AcceptBody,
  refuse: RefuseBody,
  requestCorrection: RequestCorrectionBody,
  resubmit: ResubmitBody,
  review: ReviewBody,
  approve: ApproveBody,
  deny: DenyBody,
  complete: CompleteBody,
  deliver: DeliverBody,
  withdraw: WithdrawBody,
  suspend: SuspendBody,
  resume: ResumeBody,
} as const satisfies Record<CaseMove, unknown>

/** Move → the type of its body. */
export type CaseMoveBodies = { [M in CaseMove]: Static<(typeof CASE_MOVE_BODIES)[M]> }
/** The body of any move. */
export type AnyMoveBody = CaseMoveBodies[CaseMove]
