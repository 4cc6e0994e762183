import type { LocalizedText } from '@tongban/contracts'

const text = (zh: string, en: string): LocalizedText => ({ zh, en })

/** The labels of the fields 四级四同 keeps identical at every level. */
const FOUR_SAME_LABELS: Record<'code' | 'name' | 'type' | 'legalBasis', LocalizedText> = {
  code: text('事项编码', 'item code'),
  name: text('事项名称', 'item name'),
  type: text('事项类型', 'item type'),
  legalBasis: text('设定依据', 'legal basis'),
}

/** The catalog's bilingual problem details and field messages. */
export const messages = {
  // base items and implementations
  itemNotFound: (code: string) => text(`事项 ${code} 不存在`, `Item ${code} does not exist`),
  itemCodeTaken: text('该事项编码已存在', 'An item has this code'),
  itemMovedOn: (version: number) =>
    text(`事项已更新到第 ${version} 版`, `The item is now at version ${version}`),
  implementationNotFound: text('实施清单条目不存在', 'The implementation does not exist'),
  implementationMovedOn: (version: number) =>
    text(`实施清单已更新到第 ${version} 版`, `The implementation is now at version ${version}`),
  noSuchBaseItem: text('基本目录中没有该事项', 'No such base item'),
  alreadyImplemented: text('该部门已实施此事项', 'The department already implements this item'),
  unknownDepartment: text('部门不存在', 'Unknown department'),
  regionOfDepartment: text(
    '实施区划须为实施部门所在区划',
    "The region must be the implementing department's region",
  ),
  departmentKind: (kind: string) =>
    text(`该事项应由 ${kind} 类部门实施`, `This item is implemented by ${kind} departments`),
  fourSame: (field: keyof typeof FOUR_SAME_LABELS, expected: string) => {
    const label = FOUR_SAME_LABELS[field]
    return text(
      `四级四同：${label.zh}须与基本目录一致（应为“${expected}”）`,
      `Four-level consistency: the ${label.en} must equal the base catalog's ("${expected}")`,
    )
  },

  // guides
  promisedAboveLegal: (promised: number, legal: number) =>
    text(
      `承诺时限（${promised} 个工作日）不能超过法定时限（${legal} 个工作日）`,
      `The promised limit (${promised} working days) may not exceed the legal limit (${legal})`,
    ),
  immediateLimit: text(
    '即办件的承诺时限为 0 个工作日',
    'An immediate item (即办件) has a promised limit of 0',
  ),
  promisedLimit: text(
    '承诺件的承诺时限至少为 1 个工作日',
    'A promised item (承诺件) needs at least 1 working day',
  ),
  freeWithFees: text('不收费的事项不能列收费项目', 'A free item lists no fees'),
  feesMissing: text('收费事项须列明收费项目及依据', 'List the fees and their basis'),
  materialKeyRepeated: (name: string) => text(`材料“${name}”的键重复`, `Material "${name}" repeats a key`),
  unknownLicenseType: (name: string, licenseType: string | undefined) =>
    text(
      `材料“${name}”引用的证照类型 ${licenseType ?? '（未填）'} 不存在`,
      `Material "${name}" names an unknown license type ${licenseType ?? '(none)'}`,
    ),
  unknownResultLicenseType: (code: string) =>
    text(`办理结果引用的证照类型 ${code} 不存在`, `The result names an unknown license type ${code}`),
  sharedResourceMissing: (name: string) =>
    text(`材料“${name}”须写明共享数据资源`, `Material "${name}" needs its shared data resource`),
  noGuideDraft: text('没有正在编辑的办事指南草稿', 'There is no guide draft'),
  guideVersionNotFound: (version: number) =>
    text(`办事指南第 ${version} 版不存在`, `Guide version ${version} does not exist`),
  noPublishedGuide: text('该事项尚未发布办事指南', 'No guide has been published for this implementation'),

  // the review flow (guides and bundles)
  draftMovedOn: (revision: number) =>
    text(`草稿已更新到第 ${revision} 稿`, `The draft is now at revision ${revision}`),
  alreadySubmitted: text('草稿已送审', 'The draft is already submitted'),
  submitFirst: text('草稿须先送审再发布', 'Submit the draft for review before publishing'),
  ownDraft: text(
    '四眼原则：不能审核发布自己编写或送审的草稿，请由另一位管理员审核',
    'Four-eyes rule: you cannot approve your own draft; another administrator must approve it',
  ),

  // bundles
  bundleNotFound: (code: string) => text(`一件事 ${code} 不存在`, `Bundle ${code} does not exist`),
  noBundleDraft: (code: string) => text(`一件事 ${code} 没有正在编辑的草稿`, `Bundle ${code} has no draft`),
  bundleVersionNotFound: (code: string, version: number) =>
    text(`一件事 ${code} 没有第 ${version} 版`, `Bundle ${code} has no version ${version}`),
  leadDepartmentMissing: text('牵头部门不存在', 'The lead department does not exist'),
  noBaseItemCode: (code: string) => text(`基本目录中没有事项 ${code}`, `There is no base item ${code}`),
  unpublishedNearLead: (code: string, name: string, region: string) =>
    text(
      `事项“${name}”（${code}）在${region}及其上下级区划没有已发布的办事指南`,
      `Item ${code} (${name}) has no published guide in ${region} or the regions above or below it`,
    ),
  sharedFieldType: (field: { key: string; title: string }, types: string[]) =>
    text(
      `共用字段“${field.title}”（${field.key}）在各事项表单中的类型不一致（${types.join('；')}），无法合并为一张表`,
      `The shared field "${field.title}" (${field.key}) has different types in the items' forms (${types.join('; ')}), so they cannot be merged into one form`,
    ),

  // import rows
  required: text('此项为必填项', 'This field is required'),
  notText: text('类型应为文本', 'Must be a string'),
  tooLong: (max: number) => text(`长度不能超过 ${max} 个字符`, `At most ${max} characters`),
  notTextList: text('应为文本列表', 'Must be a list of strings'),
  listEmpty: text('至少需要 1 项', 'Needs at least one value'),
  notAllowed: (value: string) => text(`取值 ${value} 不在允许范围内`, `${value} is not an allowed value`),
  unknownRecord: text(
    'record 列须为 item 或 implementation',
    'The record column must be item or implementation',
  ),
  itemCodePattern: text(
    '事项编码须为 4–24 位大写字母或数字',
    'The code is 4–24 upper-case letters or digits',
  ),
  unknownItemType: (type: string) => text(`未知的事项类型 ${type}`, `Unknown item type ${type}`),
  unknownDepartmentKind: (kind: string) => text(`未知的部门类别 ${kind}`, `Unknown department kind ${kind}`),
  itemCodeRepeated: text('文件中重复的事项编码', 'The code repeats in the file'),
  noItemAnywhere: (code: string) =>
    text(`基本目录和文件中都没有事项 ${code}`, `No base item ${code} in the catalog or the file`),
  unknownRegion: (code: string) => text(`行政区划 ${code} 不存在`, `Unknown region ${code}`),
  noDepartmentWithUscc: text('没有该统一社会信用代码的部门', 'No department has this credit code'),
  importRegionOfDepartment: text(
    '实施区划须为实施部门所在区划',
    "The region must be the department's region",
  ),
  implementationRepeated: text('文件中重复的实施清单条目', 'The implementation repeats in the file'),
} as const
