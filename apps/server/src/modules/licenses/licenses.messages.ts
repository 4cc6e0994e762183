import type { LocalizedText } from '@tongban/contracts'

const text = (zh: string, en: string): LocalizedText => ({ zh, en })

/** The licenses module's bilingual problem details and field messages. */
export const messages = {
  // license types
  typeNotFound: (code: string) => text(`证照类型 ${code} 不存在`, `License type ${code} does not exist`),
  schemaNotObject: text(
    '字段定义必须是 type 为 object 的 JSON Schema',
    'The fields schema must be an object schema',
  ),
  schemaInvalid: (why: string) =>
    text(`字段定义不是有效的 JSON Schema：${why}`, `The fields schema is not a valid JSON Schema: ${why}`),
  unknownDisclosableField: (field: string) =>
    text(`可公开字段 ${field} 不在字段定义中`, `Disclosable field ${field} is not in the schema`),
  validityMonths: text(
    '固定有效期须填写月数，其他有效期规则不填',
    'Months are given exactly for a fixed validity',
  ),
  staleType: text('证照类型已被他人修改，请刷新后重试', 'The license type was changed; reload and retry'),

  // departments and keys
  departmentNotFound: text('部门不存在', 'The department does not exist'),
  noSigningKey: text(
    '发证部门尚无签名密钥，请安全管理员先生成',
    'The issuing department has no signing key yet; the security administrator must generate one',
  ),

  // issuing
  fieldInvalid: (why: string | undefined) =>
    text(`照面信息不符合证照类型的要求：${why ?? ''}`, `Field ${why ?? 'is invalid'}`),
  fieldsInvalid: text('照面信息不符合证照类型的字段定义', 'The fields do not match the license type'),
  endDateRequired: text('该类证照须填写有效期截止日期', 'This license type needs an end date'),
  endBeforeStart: text('有效期截止日期早于起始日期', 'The end date is before the start date'),
  typeRetired: text('该证照类型已停用', 'This license type is retired'),
  notIssuedByDepartment: text('该部门不签发此类证照', 'This department does not issue licenses of this type'),
  holderKind: (holder: string) =>
    text(
      `此类证照的持证主体应为${holder === 'person' ? '自然人' : '法人'}`,
      `Licenses of this type are held by a ${holder}`,
    ),
  notReissuable: text(
    '只能对现行有效或暂停的证照变更或补发',
    'Only a current license can be changed or replaced',
  ),
  statusIs: (status: string) => text(`证照当前状态为 ${status}`, `The license is ${status}`),

  // 亮证, download and export
  notShowable: text('证照不在有效状态，不能亮证', 'Only a valid license can be shown'),
  notDownloadable: text('证照不在有效状态，不能下载', 'Only a valid license can be downloaded'),
  notExportable: text('证照不在有效状态，不能导出', 'Only a valid license can be exported'),
  noCjkFont: text(
    '服务器未安装中文字体（Debian 软件包 fonts-noto-cjk），暂时无法生成 PDF，请联系系统管理员',
    'No CJK font is installed on the server (Debian package fonts-noto-cjk), so the PDF cannot be made; ask the system administrator',
  ),

  // verification
  codeExpired: text(
    '亮证码已过期，请持证人刷新后重新出示',
    'The code has expired; ask the holder to refresh it',
  ),
  expired: text('已过期', 'Expired'),
  codeForged: text('亮证码无效：不是本平台签发或已被篡改', 'The code is not genuine: forged or altered'),
  codeNotGenuine: text('亮证码无效', 'The code is not genuine'),
  notGenuine: text('无效', 'Not genuine'),
  codeReplayed: text(
    '该亮证码已被核验过，不能重复使用，请持证人刷新后重新出示',
    'The code was already used; ask the holder to show a fresh one',
  ),
  replayed: text('重复使用', 'Replayed'),

  // 用证授权
  granteeEither: text('请指定一个部门或一个办件', 'Name either a department or a case'),
  grantInPast: text('授权截止时间须晚于现在', 'The grant must end in the future'),
  noSuchDepartment: text('部门不存在', 'No such department'),
  noSuchCase: text('办件不存在', 'No such case of yours'),
  grantWithdrawn: text('授权已撤回', 'The grant is already withdrawn'),

  // automatic issuance (办理结果) and why it failed
  notApproved: text('办件未获批准，不产生办理结果', 'The case was not approved: it yields no result'),
  notOneItem: text(
    '一件事的主件不产生证照，由各部门的子件各自出证',
    "A bundle's parent yields no license; its parts do",
  ),
  noLicenseResult: text('该事项的办理结果不是电子证照', "The item's result is not an electronic license"),
  resultTypeUnavailable: (code: string) =>
    text(`证照类型 ${code} 不存在或已停用`, `License type ${code} does not exist or is retired`),
  noIssuanceMap: (name: string) =>
    text(
      `证照类型“${name}”尚未配置出证字段映射，请由部门管理员配置后重试`,
      `License type ${name} has no issuance map yet; configure it, then retry`,
    ),
  noCompanyHolder: (name: string) =>
    text(
      `${name}须颁发给企业，但申请人未代表企业办理`,
      `A ${name} is issued to a company, but the applicant did not act for one`,
    ),
  wrongIssuer: (name: string) =>
    text(`办理部门不是${name}的发证部门`, `The case department does not issue the ${name}`),
  holderNotFound: text('持证人账户不存在', 'The holder account does not exist'),
  fieldsMismatch: (name: string, problems: string) =>
    text(
      `${name}的照面信息不完整或不符合规定：${problems}`,
      `The ${name}'s fields are incomplete or invalid: ${problems}`,
    ),
  nothingToChange: (name: string) =>
    text(`持证人没有现行有效的${name}，无法变更`, `The holder has no current ${name} to change`),
  completionLost: text('出证所依据的办结事件未能保留', 'The completion it was queued with was not kept'),
  issueNotFound: text('该办件没有出证记录', 'This case has no issuance record'),
  issueNotRetryable: text('该办件的出证不能重试', "This case's issuance cannot be retried"),
} as const
