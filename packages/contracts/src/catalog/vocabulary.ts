import { type Static, Type } from 'typebox'
import { LocalizedText } from '../common/problem.ts'
import { literals } from './literals.ts'

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
