import { type Static, Type } from 'typebox'
import { MaterialRef, Nullable, Text } from './fields.ts'

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
