import { type Static, Type } from 'typebox'

/** Kinds of department (部门类别), the vocabulary items and license types are owned by. */
export const DEPARTMENT_KINDS = {
  government_services: { zh: '政务服务管理', en: 'Government services administration' },
  market_regulation: { zh: '市场监管', en: 'Market regulation' },
  public_security: { zh: '公安', en: 'Public security' },
  human_resources: { zh: '人力资源和社会保障', en: 'Human resources and social security' },
  health: { zh: '卫生健康', en: 'Health' },
  medical_insurance: { zh: '医疗保障', en: 'Medical insurance' },
  civil_affairs: { zh: '民政', en: 'Civil affairs' },
  taxation: { zh: '税务', en: 'Taxation' },
  housing: { zh: '住房和城乡建设', en: 'Housing and urban-rural development' },
  housing_fund: { zh: '住房公积金', en: 'Housing provident fund' },
  natural_resources: { zh: '自然资源', en: 'Natural resources' },
  education: { zh: '教育', en: 'Education' },
  transport: { zh: '交通运输', en: 'Transport' },
  ecology: { zh: '生态环境', en: 'Ecology and environment' },
  commerce: { zh: '商务', en: 'Commerce' },
  culture_tourism: { zh: '文化和旅游', en: 'Culture and tourism' },
  justice: { zh: '司法行政', en: 'Justice' },
  veterans: { zh: '退役军人事务', en: 'Veterans affairs' },
  agriculture: { zh: '农业农村', en: 'Agriculture and rural affairs' },
  water: { zh: '水利', en: 'Water resources' },
  emergency: { zh: '应急管理', en: 'Emergency management' },
  development_reform: { zh: '发展和改革', en: 'Development and reform' },
  finance: { zh: '财政', en: 'Finance' },
  disabled_persons: { zh: '残疾人联合会', en: "Disabled persons' federation" },
} as const
export type DepartmentKind = keyof typeof DEPARTMENT_KINDS
export const DepartmentKind = Type.Union(
  Object.keys(DEPARTMENT_KINDS).map((k) => Type.Literal(k)),
  { description: 'Department kind (部门类别)' },
) as unknown as ReturnType<typeof Type.String>

export const RegionCode = Type.String({
  pattern: '^(\\d{6}|\\d{12})$',
  description: 'GB/T 2260 region code: 6 digits, or 12 for township/village',
})

/** 行政区划 as the API shows it. */
export const RegionView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String({ description: 'province, prefecture, county, township or village' }),
  parentCode: Type.Union([Type.String(), Type.Null()]),
})
export type RegionView = Static<typeof RegionView>

export const RegionParams = Type.Object({ code: RegionCode })

/** Adds a township or village (12-digit code) under a county or township. */
export const CreateRegion = Type.Object(
  {
    code: Type.String({ pattern: '^\\d{12}$' }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    parentCode: RegionCode,
  },
  { additionalProperties: false },
)
export type CreateRegion = Static<typeof CreateRegion>

/** 部门 as the API shows it. */
export const DepartmentView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  shortName: Type.String(),
  kind: Type.String(),
  kindName: Type.Object({ zh: Type.String(), en: Type.String() }),
  regionCode: Type.String(),
  regionName: Type.String(),
  uscc: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
})
export type DepartmentView = Static<typeof DepartmentView>

export const DepartmentList = Type.Object({ items: Type.Array(DepartmentView), total: Type.Integer() })

export const DepartmentQuery = Type.Object(
  {
    region: Type.Optional(RegionCode),
    within: Type.Optional(Type.Boolean({ description: 'Include departments of the whole region subtree' })),
    kind: Type.Optional(Type.String({ maxLength: 40 })),
    q: Type.Optional(Type.String({ maxLength: 50 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
  },
  { additionalProperties: false },
)
export type DepartmentQuery = Static<typeof DepartmentQuery>

export const CreateDepartment = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 60 }),
    shortName: Type.String({ minLength: 1, maxLength: 20 }),
    kind: DepartmentKind,
    regionCode: RegionCode,
    uscc: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'The department’s own 统一社会信用代码 (GB 32100)',
    }),
    phone: Type.Optional(Type.String({ maxLength: 30 })),
    address: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)
export type CreateDepartment = Static<typeof CreateDepartment>

export const UpdateDepartment = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version being changed (optimistic concurrency)' }),
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 60 })),
    shortName: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    phone: Type.Optional(Type.String({ maxLength: 30 })),
    address: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)
export type UpdateDepartment = Static<typeof UpdateDepartment>

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
