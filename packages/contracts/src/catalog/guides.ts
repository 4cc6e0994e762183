import { type Static, Type } from 'typebox'
import { LocalizedText } from '../common/problem.ts'
import { RegionCode } from '../org/org.ts'
import { FormDocument } from './forms.ts'
import { literals } from './literals.ts'
import { draftView, PublishDraft, saveDraft } from './review.ts'
import { CHANNEL_KINDS, MATERIAL_FORMS, MATERIAL_SOURCES } from './vocabulary.ts'

// ---------------------------------------------------------------- guides (办事指南)

export const GuideVersionParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  version: Type.Integer({ minimum: 1 }),
})

export const Material = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-zA-Z0-9_]{0,39}$', description: 'Stable key of the material' }),
    name: Type.String({ minLength: 2, maxLength: 100 }),
    form: literals(MATERIAL_FORMS, '原件 / 复印件 / 电子'),
    copies: Type.Integer({ minimum: 0, maximum: 20 }),
    required: Type.Boolean(),
    source: literals(MATERIAL_SOURCES, 'upload, license (免提交), shared (免提交) or department'),
    licenseType: Type.Optional(
      Type.String({ maxLength: 40, description: 'For source license: license type code' }),
    ),
    sharedResource: Type.Optional(
      Type.String({ maxLength: 100, description: 'For source shared: shared data resource name' }),
    ),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type Material = Static<typeof Material>

export const Channel = Type.Object(
  {
    kind: literals(CHANNEL_KINDS, 'online, mobile, window or self_service'),
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Window, app or site name' }),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    hours: Type.Optional(Type.String({ maxLength: 200 })),
    url: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
)

export const FeeItem = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    amount: Type.Number({ minimum: 0, maximum: 100_000_000, description: 'Yuan (元)' }),
    basis: Type.String({ minLength: 2, maxLength: 500, description: '收费依据' }),
  },
  { additionalProperties: false },
)
export const Fees = Type.Object(
  { free: Type.Boolean(), items: Type.Array(FeeItem, { maxItems: 20 }) },
  { additionalProperties: false },
)

/** How a case of the item yields its license: a new one, a 变更 of the holder's, or a 换领/换证/补领. */
export const RESULT_LICENSE_ACTIONS = ['issue', 'change', 'renew'] as const
/** The new market entity (市场主体) an item registers, which holds the license it yields. */
export const NEW_ENTITY_KINDS = ['company', 'individual_business'] as const

/**
 * 办理结果 as an electronic license, bound by the license type's code (not by its name): what an approved
 * case of the item issues. `change` makes version n+1 of the holder's current license with the changed
 * fields; `renew` does the same when the holder has one and issues a new one otherwise; `newEntity` says the
 * license goes to a market entity the case registers (企业设立, 个体工商户), with a credit code of its own.
 */
export const ResultLicense = Type.Object(
  {
    typeCode: Type.String({ minLength: 1, maxLength: 40, description: '证照类型代码' }),
    action: literals(
      RESULT_LICENSE_ACTIONS,
      'issue (新发), change (变更) or renew (换领/补领: a new version)',
    ),
    newEntity: Type.Optional(
      literals(NEW_ENTITY_KINDS, 'The market entity the case registers: company or individual_business'),
    ),
  },
  { additionalProperties: false },
)
export type ResultLicense = Static<typeof ResultLicense>

/** The editable content of a guide (办事指南). */
export const GuideContent = Type.Object(
  {
    kind: literals(['immediate', 'promised'], '即办件 (immediate) or 承诺件 (promised)'),
    legalLimit: Type.Integer({ minimum: 0, maximum: 3650, description: '法定时限, working days' }),
    promisedLimit: Type.Integer({ minimum: 0, maximum: 3650, description: '承诺时限, working days' }),
    visits: Type.Integer({ minimum: 0, maximum: 10, description: '跑动次数 (0: fully online)' }),
    onlineDepth: Type.Integer({ minimum: 1, maximum: 4, description: '网上办理深度 1–4' }),
    conditions: Type.String({ maxLength: 4000, description: '受理条件' }),
    procedure: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20, description: '办理流程' }),
    result: Type.String({ maxLength: 200, description: '办理结果 (the license or decision issued)' }),
    resultLicense: Type.Optional(ResultLicense),
    fees: Fees,
    channels: Type.Array(Channel, { minItems: 1, maxItems: 20 }),
    consultationPhone: Type.String({ maxLength: 40 }),
    complaintPhone: Type.String({ maxLength: 40 }),
    materials: Type.Array(Material, { maxItems: 60 }),
    form: FormDocument,
  },
  { additionalProperties: false },
)
export type GuideContent = Static<typeof GuideContent>

export const SaveGuideDraft = saveDraft(GuideContent)
export type SaveGuideDraft = Static<typeof SaveGuideDraft>

export const GuideDraftView = Type.Object({
  implementationId: Type.String(),
  ...draftView(GuideContent).properties,
})
export type GuideDraftView = Static<typeof GuideDraftView>

/** Approves the submitted guide draft and publishes it (审核发布). */
export const PublishGuide = PublishDraft
export type PublishGuide = Static<typeof PublishGuide>

/** A published, immutable guide version with its implementation's identity. */
export const PublishedGuideView = Type.Object({
  implementationId: Type.String(),
  version: Type.Integer(),
  publishedAt: Type.String(),
  itemCode: Type.String(),
  implementationCode: Type.String(),
  name: Type.String(),
  type: Type.String(),
  typeName: LocalizedText,
  legalBasis: Type.String(),
  audience: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  regionCode: Type.String(),
  regionName: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  localNotes: Type.String(),
  content: GuideContent,
})
export type PublishedGuideView = Static<typeof PublishedGuideView>

export const GuideRegionQuery = Type.Object(
  {
    region: RegionCode,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
  },
  { additionalProperties: false },
)
