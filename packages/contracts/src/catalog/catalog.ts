import { type Static, Type } from 'typebox'
import { FieldError, LocalizedText } from '../common/problem.ts'
import { DepartmentKind, RegionCode } from '../org/org.ts'

/** 事项类型: the kinds of government power and public service an item can be. */
export const ITEM_TYPES = {
  administrative_license: { zh: '行政许可', en: 'Administrative license' },
  administrative_confirmation: { zh: '行政确认', en: 'Administrative confirmation' },
  administrative_payment: { zh: '行政给付', en: 'Administrative payment' },
  administrative_ruling: { zh: '行政裁决', en: 'Administrative ruling' },
  administrative_reward: { zh: '行政奖励', en: 'Administrative reward' },
  administrative_levy: { zh: '行政征收', en: 'Administrative levy' },
  administrative_inspection: { zh: '行政检查', en: 'Administrative inspection' },
  administrative_penalty: { zh: '行政处罚', en: 'Administrative penalty' },
  administrative_enforcement: { zh: '行政强制', en: 'Administrative enforcement' },
  other_power: { zh: '其他行政权力', en: 'Other administrative power' },
  public_service: { zh: '公共服务', en: 'Public service' },
} as const
export type ItemType = keyof typeof ITEM_TYPES

/** Whether a code is one of the item types. */
export const isItemType = (code: string): code is ItemType => Object.hasOwn(ITEM_TYPES, code)

/** 主题/人生事件: what a citizen or company is going through when they look for a service. */
export const THEMES = {
  birth: { zh: '生育', en: 'Having a child' },
  schooling: { zh: '入学', en: 'Going to school' },
  employment: { zh: '就业', en: 'Employment' },
  marriage: { zh: '婚姻', en: 'Marriage' },
  retirement: { zh: '退休', en: 'Retirement' },
  business_startup: { zh: '开办企业', en: 'Starting a business' },
  construction: { zh: '工程建设', en: 'Construction projects' },
  social_insurance: { zh: '社保', en: 'Social insurance' },
  medical: { zh: '医疗', en: 'Medical care' },
  housing: { zh: '住房', en: 'Housing' },
  travel: { zh: '出行', en: 'Travel and transport' },
  elderly_care: { zh: '养老', en: 'Elderly care' },
  disability: { zh: '残疾人', en: 'Persons with disabilities' },
  identity: { zh: '户籍证件', en: 'Residence and ID documents' },
  social_assistance: { zh: '社会救助', en: 'Social assistance' },
  business_operation: { zh: '企业经营', en: 'Running a business' },
  environment: { zh: '生态环境', en: 'Environment' },
  education_career: { zh: '教育职业', en: 'Teaching and qualifications' },
} as const
export type Theme = keyof typeof THEMES

/** Levels at which an item is implemented (实施层级). */
export const ITEM_LEVELS = ['province', 'prefecture', 'county', 'township'] as const
export type ItemLevel = (typeof ITEM_LEVELS)[number]

/** Who an item serves: 自然人 and/or 法人. */
export const AUDIENCES = ['person', 'company'] as const
export type Audience = (typeof AUDIENCES)[number]

/** The fields 四级四同 requires to be identical at every level. */
export const FOUR_SAME_FIELDS = ['code', 'name', 'type', 'legalBasis'] as const

/** Where a material comes from: uploaded, or taken from a license, shared data or the department (免提交). */
export const MATERIAL_SOURCES = ['upload', 'license', 'shared', 'department'] as const
export const MATERIAL_FORMS = ['original', 'copy', 'electronic'] as const
export const CHANNEL_KINDS = ['online', 'mobile', 'window', 'self_service'] as const

/** Prefill sources a form field may declare now; `shared:<resource>` and `license:<type>` are reserved for later modules. */
export const PREFILL_SOURCES = {
  'profile.name': { zh: '姓名', en: 'Name' },
  'profile.idNumber': { zh: '公民身份号码', en: 'ID number' },
  'profile.phone': { zh: '手机号码', en: 'Mobile phone' },
  'profile.email': { zh: '电子邮箱', en: 'Email' },
  'profile.address': { zh: '住址', en: 'Address' },
  'profile.gender': { zh: '性别', en: 'Gender' },
  'profile.birthDate': { zh: '出生日期', en: 'Date of birth' },
  'company.uscc': { zh: '统一社会信用代码', en: 'Unified social credit code' },
  'company.name': { zh: '企业名称', en: 'Company name' },
  'company.legalRepresentative': { zh: '法定代表人', en: 'Legal representative' },
  'company.address': { zh: '住所', en: 'Registered address' },
} as const

/** One of a list of codes: a union of literals in the schema, the union of the codes as its type. */
const literals = <const T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      { description },
    ),
  )

export const ItemTypeCode = literals(Object.keys(ITEM_TYPES) as ItemType[], 'Item type (事项类型)')
export const ThemeCode = literals(
  Object.keys(THEMES) as (keyof typeof THEMES)[],
  'Theme or life event (主题)',
)
export const ItemLevelCode = literals(ITEM_LEVELS, 'Implementation level (实施层级)')
export const AudienceCode = literals(AUDIENCES, 'person (自然人) or company (法人)')

export const ItemCode = Type.String({
  pattern: '^[0-9A-Z]{4,24}$',
  description: 'Standard item code (事项基本编码): upper-case letters and digits',
})
export const ItemCodeParams = Type.Object({ code: ItemCode })
export const UuidParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
export const GuideVersionParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  version: Type.Integer({ minimum: 1 }),
})

// ---------------------------------------------------------------- base items (基本目录)

const itemFields = {
  name: Type.String({ minLength: 2, maxLength: 100 }),
  type: ItemTypeCode,
  legalBasis: Type.String({ minLength: 2, maxLength: 4000, description: '设定依据' }),
  departmentKind: DepartmentKind,
  levels: Type.Array(ItemLevelCode, { minItems: 1, maxItems: 4, uniqueItems: true }),
  audience: Type.Array(AudienceCode, { minItems: 1, maxItems: 2, uniqueItems: true }),
  themes: Type.Array(ThemeCode, { maxItems: 10, uniqueItems: true }),
  keywords: Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 30, uniqueItems: true }),
  description: Type.String({ maxLength: 2000 }),
}

/** 基本目录事项 as the API shows it. */
export const ItemView = Type.Object({
  code: Type.String(),
  ...itemFields,
  typeName: LocalizedText,
  departmentKindName: LocalizedText,
  version: Type.Integer(),
})
export type ItemView = Static<typeof ItemView>
export const ItemList = Type.Object({ items: Type.Array(ItemView), total: Type.Integer() })
export type ItemList = Static<typeof ItemList>

export const ItemQuery = Type.Object(
  {
    type: Type.Optional(ItemTypeCode),
    departmentKind: Type.Optional(Type.String({ maxLength: 40 })),
    theme: Type.Optional(ThemeCode),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
)
export type ItemQuery = Static<typeof ItemQuery>

/** Adds an item to the base catalog (system administrator). */
export const CreateItem = Type.Object(
  {
    code: ItemCode,
    ...itemFields,
    themes: Type.Optional(itemFields.themes),
    keywords: Type.Optional(itemFields.keywords),
    description: Type.Optional(itemFields.description),
  },
  { additionalProperties: false },
)
export type CreateItem = Static<typeof CreateItem>

/** Changes a base item; the code never changes. Implementations that then differ show in the consistency report. */
export const UpdateItem = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(itemFields.name),
    type: Type.Optional(ItemTypeCode),
    legalBasis: Type.Optional(itemFields.legalBasis),
    levels: Type.Optional(itemFields.levels),
    audience: Type.Optional(itemFields.audience),
    themes: Type.Optional(itemFields.themes),
    keywords: Type.Optional(itemFields.keywords),
    description: Type.Optional(itemFields.description),
  },
  { additionalProperties: false },
)
export type UpdateItem = Static<typeof UpdateItem>

// ---------------------------------------------------------------- implementations (实施清单)

/** 实施清单条目: one region's and department's implementation of a base item. */
export const ImplementationView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  itemCode: Type.String(),
  implementationCode: Type.String({
    description: '实施编码: the department’s USCC followed by the item code',
  }),
  name: Type.String(),
  type: Type.String(),
  typeName: LocalizedText,
  legalBasis: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  localNotes: Type.String({ description: 'Local details of this implementation (办理地点补充说明 …)' }),
  status: Type.String({ description: 'active or suspended' }),
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
  version: Type.Integer(),
})
export type ImplementationView = Static<typeof ImplementationView>
export const ImplementationList = Type.Object({
  items: Type.Array(ImplementationView),
  total: Type.Integer(),
})

export const ImplementationQuery = Type.Object(
  {
    region: Type.Optional(RegionCode),
    department: Type.Optional(Type.String({ format: 'uuid' })),
    item: Type.Optional(ItemCode),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
)
export type ImplementationQuery = Static<typeof ImplementationQuery>

/**
 * Adds an implementation. `name`, `type` and `legalBasis` may be given to state what the department
 * believes; they must equal the base item (四级四同), otherwise 400 names the differing field.
 */
export const CreateImplementation = Type.Object(
  {
    itemCode: ItemCode,
    regionCode: RegionCode,
    departmentId: Type.String({ format: 'uuid' }),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    type: Type.Optional(Type.String({ maxLength: 40 })),
    legalBasis: Type.Optional(Type.String({ maxLength: 4000 })),
    localNotes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)
export type CreateImplementation = Static<typeof CreateImplementation>

export const UpdateImplementation = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    type: Type.Optional(Type.String({ maxLength: 40 })),
    legalBasis: Type.Optional(Type.String({ maxLength: 4000 })),
    localNotes: Type.Optional(Type.String({ maxLength: 2000 })),
    status: Type.Optional(literals(['active', 'suspended'], 'active or suspended')),
  },
  { additionalProperties: false },
)
export type UpdateImplementation = Static<typeof UpdateImplementation>

// ---------------------------------------------------------------- guides (办事指南)

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

/** Display hints of one form field. */
export const FieldHint = Type.Object(
  {
    label: LocalizedText,
    help: Type.Optional(LocalizedText),
    widget: Type.Optional(Type.String({ maxLength: 30 })),
    showIf: Type.Optional(
      Type.Object(
        {
          field: Type.String({ maxLength: 60 }),
          equals: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

/**
 * A declarative application form: a JSON Schema (draft-07) of the application data, display hints, and
 * prefill declarations (field key → source such as `profile.name`, later `shared:*`, `license:*`).
 * `showIf` only hides fields; conditional requirements belong in the schema (`if`/`then`).
 */
export const FormDocument = Type.Object(
  {
    schema: Type.Record(Type.String(), Type.Unknown(), {
      description: 'JSON Schema draft-07 of the application data',
    }),
    ui: Type.Object(
      {
        sections: Type.Array(
          Type.Object(
            {
              key: Type.String({ maxLength: 40 }),
              title: LocalizedText,
              fields: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 100 }),
            },
            { additionalProperties: false },
          ),
          { maxItems: 30 },
        ),
        fields: Type.Record(Type.String(), FieldHint),
      },
      { additionalProperties: false },
    ),
    prefill: Type.Record(Type.String(), Type.String({ maxLength: 80 })),
  },
  { additionalProperties: false },
)
export type FormDocument = Static<typeof FormDocument>

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

export const SaveGuideDraft = Type.Object(
  {
    content: GuideContent,
    revision: Type.Optional(
      Type.Integer({ minimum: 0, description: 'The draft revision being replaced (optimistic concurrency)' }),
    ),
  },
  { additionalProperties: false },
)
export type SaveGuideDraft = Static<typeof SaveGuideDraft>

export const GuideDraftView = Type.Object({
  implementationId: Type.String(),
  status: Type.String({ description: 'draft or submitted (awaiting review)' }),
  revision: Type.Integer(),
  content: GuideContent,
  updatedAt: Type.String(),
})
export type GuideDraftView = Static<typeof GuideDraftView>

export const PublishGuide = Type.Object(
  { revision: Type.Integer({ minimum: 1 }), comment: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
)
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
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
)

// ---------------------------------------------------------------- search

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 10_000 })),
    region: Type.Optional(RegionCode),
    department: Type.Optional(Type.String({ format: 'uuid' })),
    audience: Type.Optional(AudienceCode),
    theme: Type.Optional(ThemeCode),
    onlineOnly: Type.Optional(Type.Boolean({ description: 'Only items needing no visit (跑零次)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 0 })),
  },
  { additionalProperties: false },
)
export type SearchQuery = Static<typeof SearchQuery>

export const SearchHit = Type.Object({
  implementationId: Type.String(),
  itemCode: Type.String(),
  name: Type.String(),
  regionCode: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  audience: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  visits: Type.Integer(),
  onlineDepth: Type.Integer(),
  publishedVersion: Type.Integer(),
  popularity: Type.Integer(),
  relevance: Type.Number(),
})
export const SearchResult = Type.Object({
  items: Type.Array(SearchHit),
  total: Type.Integer({ description: 'Matches found (capped at 1,000)' }),
  terms: Type.Array(Type.String(), { description: 'Query terms after segmentation and synonym expansion' }),
})
export type SearchResult = Static<typeof SearchResult>

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

export const SaveBundleDraft = Type.Object(
  {
    content: BundleContent,
    revision: Type.Optional(
      Type.Integer({ minimum: 0, description: 'The draft revision being replaced (optimistic concurrency)' }),
    ),
  },
  { additionalProperties: false },
)
export type SaveBundleDraft = Static<typeof SaveBundleDraft>

/** A field asked once for several member items. */
export const SharedField = Type.Object({
  field: Type.String({ description: 'Key in the merged form' }),
  type: Type.String({ description: 'JSON type (and format), the same in every member' }),
  itemCodes: Type.Array(Type.String()),
})

export const BundleDraftView = Type.Object({
  code: Type.String(),
  status: Type.String({ description: 'draft or submitted (awaiting review)' }),
  revision: Type.Integer(),
  content: BundleContent,
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
  updatedAt: Type.String(),
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

export const PublishBundle = Type.Object(
  { revision: Type.Integer({ minimum: 1 }), comment: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
)
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

// ---------------------------------------------------------------- reference lists, consistency, import

export const LicenseTypeView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  issuerKind: Type.String(),
  holder: Type.String({ description: 'person or company' }),
})
export const Vocabulary = Type.Object({
  itemTypes: Type.Array(Type.Object({ code: Type.String(), name: LocalizedText })),
  themes: Type.Array(Type.Object({ code: Type.String(), name: LocalizedText })),
  prefillSources: Type.Array(Type.Object({ code: Type.String(), name: LocalizedText })),
  licenseTypes: Type.Array(LicenseTypeView),
})
export type Vocabulary = Static<typeof Vocabulary>

export const ConsistencyViolation = Type.Object({
  implementationId: Type.String(),
  itemCode: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  field: Type.String({ description: 'code, name, type or legalBasis' }),
  expected: Type.String(),
  actual: Type.String(),
})
export const ConsistencyReport = Type.Object({
  checked: Type.Integer(),
  violations: Type.Array(ConsistencyViolation),
})
export type ConsistencyReport = Static<typeof ConsistencyReport>
export const ConsistencyQuery = Type.Object(
  { region: Type.Optional(RegionCode) },
  { additionalProperties: false },
)

export const ImportQuery = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
)
export const ExportQuery = Type.Object(
  { format: Type.Optional(literals(['json', 'csv'], 'json or csv')) },
  { additionalProperties: false },
)

/** One base item in an import file (JSON form; the CSV form has the same columns, lists joined by `|`). */
export const ImportItemRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  type: Type.String(),
  legalBasis: Type.String(),
  departmentKind: Type.String(),
  levels: Type.Array(Type.String()),
  audience: Type.Array(Type.String()),
  themes: Type.Optional(Type.Array(Type.String())),
  keywords: Type.Optional(Type.Array(Type.String())),
  description: Type.Optional(Type.String()),
})
/** One implementation in an import file; the department is named by its USCC so files travel between deployments. */
export const ImportImplementationRow = Type.Object({
  itemCode: Type.String(),
  regionCode: Type.String(),
  departmentUscc: Type.String(),
  name: Type.String(),
  type: Type.String(),
  legalBasis: Type.String(),
  localNotes: Type.Optional(Type.String()),
})
export const CatalogFile = Type.Object(
  {
    items: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100_000 })),
    implementations: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100_000 })),
  },
  { additionalProperties: false },
)
export type CatalogFile = Static<typeof CatalogFile>

export const ImportRowError = Type.Object({
  line: Type.Integer({
    description: 'CSV: the file line (header is line 1); JSON: 1-based index in its list',
  }),
  record: Type.String({ description: 'item or implementation' }),
  errors: Type.Array(FieldError),
})
export const ImportResult = Type.Object({
  ok: Type.Boolean(),
  dryRun: Type.Boolean(),
  committed: Type.Boolean(),
  items: Type.Object({ created: Type.Integer(), updated: Type.Integer() }),
  implementations: Type.Object({ created: Type.Integer(), updated: Type.Integer() }),
  errors: Type.Array(ImportRowError),
  inconsistent: Type.Array(Type.Object({ line: Type.Integer(), fields: Type.Array(Type.String()) }), {
    description: 'Implementations stored as imported but differing from their base item (四级四同 flagged)',
  }),
})
export type ImportResult = Static<typeof ImportResult>
