import { type Static, Type } from 'typebox'
import { RegionCode } from '../org/org.ts'
import { FormDocument } from './forms.ts'
import { draftView, PublishDraft, saveDraft } from './review.ts'
import { AudienceCode, ItemCode, ThemeCode } from './vocabulary.ts'

// ---------------------------------------------------------------- bundles (一件事)

export const BundleCode = Type.String({
  pattern: '^[a-z0-9-]{2,40}$',
  description: 'Bundle code: lower-case letters, digits and hyphens, e.g. business-startup',
})
export const BundleParams = Type.Object({ code: BundleCode })
export const BundleQuery = Type.Object({ region: RegionCode }, { additionalProperties: false })
export const BundleVersionParams = Type.Object({ code: BundleCode, version: Type.Integer({ minimum: 1 }) })

export const BundleSummary = Type.Object({
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  audience: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  itemCodes: Type.Array(Type.String()),
  leadDepartmentId: Type.Union([Type.String(), Type.Null()], {
    description: '牵头部门: maintains the bundle (null: catalog administrators)',
  }),
  version: Type.Integer({ description: 'Latest published version' }),
})
export type BundleSummary = Static<typeof BundleSummary>
export const BundleList = Type.Object({ items: Type.Array(BundleSummary) })

export const MergedMaterial = Type.Object({
  key: Type.String(),
  name: Type.String(),
  form: Type.String(),
  copies: Type.Integer(),
  required: Type.Boolean(),
  source: Type.String(),
  licenseType: Type.Optional(Type.String()),
  sharedResource: Type.Optional(Type.String()),
  usedBy: Type.Array(Type.String(), { description: 'Item codes needing this material' }),
})

/** Where each part of a bundle application goes, for the cases module. */
export const FanOutEntry = Type.Object({
  itemCode: Type.String(),
  implementationId: Type.String(),
  version: Type.Integer(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  regionCode: Type.String(),
  fields: Type.Record(Type.String(), Type.String(), {
    description: 'This item’s own field key → key in the merged form',
  }),
  materials: Type.Record(Type.String(), Type.String(), {
    description: 'This item’s own material key → key in the merged materials list',
  }),
})
export type FanOutEntry = Static<typeof FanOutEntry>

export const BundleView = Type.Object({
  ...BundleSummary.properties,
  regionCode: Type.String(),
  available: Type.Boolean(),
  missing: Type.Array(Type.String(), { description: 'Item codes with no published implementation here' }),
  form: FormDocument,
  materials: Type.Array(MergedMaterial),
  fanOut: Type.Array(FanOutEntry),
})
export type BundleView = Static<typeof BundleView>

/** What a bundle consists of, as edited in a draft and published as a version. */
export const BundleContent = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 100 }),
    description: Type.String({ maxLength: 2000 }),
    audience: Type.Array(AudienceCode, { minItems: 1, maxItems: 2, uniqueItems: true }),
    themes: Type.Array(ThemeCode, { maxItems: 10, uniqueItems: true }),
    itemCodes: Type.Array(ItemCode, {
      minItems: 2,
      maxItems: 20,
      uniqueItems: true,
      description: 'Member base items, in the order the merged form asks them',
    }),
    leadDepartmentId: Type.String({ format: 'uuid', description: '牵头部门' }),
  },
  { additionalProperties: false },
)
export type BundleContent = Static<typeof BundleContent>

export const SaveBundleDraft = saveDraft(BundleContent)
export type SaveBundleDraft = Static<typeof SaveBundleDraft>

/** A field asked once for several member items. */
export const SharedField = Type.Object({
  field: Type.String({ description: 'Key in the merged form' }),
  type: Type.String({ description: 'JSON type (and format), the same in every member' }),
  itemCodes: Type.Array(Type.String()),
})

export const BundleDraftView = Type.Object({
  code: Type.String(),
  ...draftView(BundleContent).properties,
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
  preview: Type.Object(
    {
      form: FormDocument,
      materials: Type.Array(MergedMaterial),
      sharedFields: Type.Array(SharedField),
    },
    { description: 'The merged form and materials list, from a published guide of each member item' },
  ),
})
export type BundleDraftView = Static<typeof BundleDraftView>

/** Approves the submitted bundle draft and publishes it (审核发布). */
export const PublishBundle = PublishDraft
export type PublishBundle = Static<typeof PublishBundle>

/** A published, immutable bundle version. */
export const BundleVersionView = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  publishedAt: Type.String(),
  comment: Type.String(),
  content: Type.Object({
    ...BundleContent.properties,
    leadDepartmentId: Type.Union([Type.String(), Type.Null()]),
  }),
})
export type BundleVersionView = Static<typeof BundleVersionView>
