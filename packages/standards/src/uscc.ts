import { getRegion, type Region } from './regions.ts'
import { invalid, type Validation, valid } from './result.ts'

/** Characters of a 统一社会信用代码 (GB 32100-2015): digits and upper-case letters without I O S V Z. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

/** Value of each char code in the USCC charset, -1 outside it. */
const USCC_VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < USCC_CHARSET.length; i++) USCC_VALUE[USCC_CHARSET.charCodeAt(i)] = i

/** GB 11714 value of an organization-code body character: 0–9, A=10 … Z=35 (any Latin capital). */
const orgValue = (code: number): number =>
  code >= 48 && code <= 57 ? code - 48 : code >= 65 && code <= 90 ? code - 55 : -1

/**
 * 登记管理部门 and their 机构类别 codes (GB 32100-2015 table 1, with codes later allocated: A 中央军委改革和
 * 编制办公室, N 农业农村 — see README for what could not be confirmed).
 */
export const USCC_AUTHORITIES: Record<string, { name: string; types: Record<string, string> }> = {
  '1': {
    name: '机构编制',
    types: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' },
  },
  '2': { name: '外交', types: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    types: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { name: '文化', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': {
    name: '旅游',
    types: {
      '1': '外国旅游部门常驻代表机构',
      '2': '港澳台地区旅游部门常驻内地（大陆）代表机构',
      '9': '其他',
    },
  },
  '7': { name: '宗教', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', types: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商（市场监管）', types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', types: { '1': '军队事业单位', '9': '其他' } },
  N: {
    name: '农业农村',
    types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  },
  Y: { name: '其他', types: { '1': '其他' } },
}

/** The rules of GB 32100-2015 a refusal names. */
export const GB32100_RULES = {
  structure: 'GB 32100-2015 代码结构（18 位）',
  charset: 'GB 32100-2015 代码字符集（数字与除 I、O、S、V、Z 外的大写字母）',
  codeSet: 'GB 32100-2015 登记管理部门代码与机构类别代码',
  region: 'GB 32100-2015 登记管理机关行政区划码（6 位数字）',
  organizationCode: 'GB 32100-2015 主体标识码（GB 11714 组织机构代码校验码）',
  checkCharacter: 'GB 32100-2015 校验码（MOD 31）',
} as const

/** Parsed 统一社会信用代码. */
export type UsccInfo = {
  uscc: string
  /** 登记管理部门代码 (1st character). */
  registrationAuthority: { code: string; name: string }
  /** 机构类别代码 (2nd character). */
  entityType: { code: string; name: string }
  /** 登记管理机关行政区划码 (characters 3–8); 100000 for central registrations. */
  regionCode: string
  region?: Region
  /** 主体标识码 (组织机构代码, GB 11714), characters 9–17, with its own check character. */
  organizationCode: string
  /** 校验码 (18th character). */
  checkCharacter: string
}

/** Options of the USCC validators. */
export type UsccOptions = {
  /** Check the embedded 组织机构代码's own GB 11714 check character (default true). */
  checkOrganizationCode?: boolean
}

/** Check character of the first 17 characters of a 统一社会信用代码 (MOD 31). */
export const usccCheckCharacter = (first17: string): string => {
  if (typeof first17 !== 'string' || first17.length !== 17) throw new TypeError('Expected 17 characters')
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const c = first17.charCodeAt(i)
    const v = c < 128 ? USCC_VALUE[c]! : -1
    if (v < 0) throw new TypeError(`Character ${i + 1} is outside the USCC charset`)
    sum += v * USCC_WEIGHTS[i]!
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!
}

/** Check character of an 8-character 组织机构代码 body (GB 11714): '0'–'9' or 'X'. */
export const organizationCodeCheckCharacter = (first8: string): string => {
  if (typeof first8 !== 'string' || first8.length !== 8) throw new TypeError('Expected 8 characters')
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const v = orgValue(first8.charCodeAt(i))
    if (v < 0) throw new TypeError(`Character ${i + 1} must be a digit or capital letter`)
    sum += v * ORG_WEIGHTS[i]!
  }
  const c = 11 - (sum % 11)
  return c === 10 ? 'X' : c === 11 ? '0' : String(c)
}

const authorityOk = (authority: number, type: number): boolean => {
  const a = USCC_AUTHORITIES[String.fromCharCode(authority)]
  return a !== undefined && a.types[String.fromCharCode(type)] !== undefined
}

/** The embedded 组织机构代码's own GB 11714 check character, as a refusal when wrong. */
const organizationCodeRefusal = (s: string): Validation<string> | undefined => {
  let orgSum = 0
  for (let i = 0; i < 8; i++) orgSum += orgValue(s.charCodeAt(8 + i)) * ORG_WEIGHTS[i]!
  const c = 11 - (orgSum % 11)
  const expected = c === 10 ? 88 : c === 11 ? 48 : 48 + c
  if (s.charCodeAt(16) !== expected) {
    return invalid(
      'organizationCode',
      `第 9–17 位组织机构代码的校验码错误：应为 ${String.fromCharCode(expected)}`,
      `The organization code (characters 9–17) has a wrong check character: expected ${String.fromCharCode(expected)}`,
      GB32100_RULES.organizationCode,
    )
  }
  return undefined
}

/**
 * Validates a 统一社会信用代码 (GB 32100-2015): 18 characters of the USCC charset (lower case accepted),
 * a registration authority and entity type from the standard's table, 6 region digits, the embedded
 * 组织机构代码's own check character, and the MOD 31 check character. The value is upper-cased.
 * The region digits are checked structurally only: central registrations use 100000, not in GB/T 2260.
 */
export const validateUscc = (input: string, options: UsccOptions = {}): Validation<string> => {
  if (typeof input !== 'string')
    return invalid(
      'charset',
      '统一社会信用代码必须是文本',
      'The USCC must be a string',
      GB32100_RULES.structure,
    )
  let s = input.length === 18 ? input : input.trim()
  if (s.length !== 18) {
    return invalid(
      'length',
      `统一社会信用代码应为 18 位，实际为 ${s.length} 位`,
      `A USCC has 18 characters, got ${s.length}`,
      GB32100_RULES.structure,
    )
  }
  let sum = 0
  let lower = false
  for (let i = 0; i < 18; i++) {
    let c = s.charCodeAt(i)
    if (c >= 97 && c <= 122) {
      c -= 32
      lower = true
    }
    const v = c < 128 ? USCC_VALUE[c]! : -1
    if (v < 0) {
      return invalid(
        'charset',
        `第 ${i + 1} 位不是统一社会信用代码允许的字符（数字和除 I、O、S、V、Z 外的大写字母）`,
        `Character ${i + 1} is not allowed in a USCC (digits and capital letters except I, O, S, V, Z)`,
        GB32100_RULES.charset,
      )
    }
    if (i < 17) sum += v * USCC_WEIGHTS[i]!
    else if ((31 - (sum % 31)) % 31 !== v) {
      const expected = USCC_CHARSET[(31 - (sum % 31)) % 31]
      return invalid(
        'checkCharacter',
        `校验码错误：应为 ${expected}`,
        `Wrong check character: expected ${expected}`,
        GB32100_RULES.checkCharacter,
      )
    }
  }
  if (lower) s = s.toUpperCase()
  if (!authorityOk(s.charCodeAt(0), s.charCodeAt(1))) {
    return invalid(
      'registrationAuthority',
      `登记管理部门代码和机构类别代码 ${s.slice(0, 2)} 不在 GB 32100 代码表中`,
      `Registration authority and entity type ${s.slice(0, 2)} are not in the GB 32100 table`,
      GB32100_RULES.codeSet,
    )
  }
  for (let i = 2; i < 8; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) {
      return invalid(
        'region',
        '第 3–8 位行政区划码只能是数字',
        'Characters 3–8 (region code) must be digits',
        GB32100_RULES.region,
      )
    }
  }
  if (options.checkOrganizationCode !== false) {
    const refused = organizationCodeRefusal(s)
    if (refused) return refused
  }
  return valid(s)
}

/** Parses a 统一社会信用代码 into its parts (see UsccInfo). */
export const parseUscc = (input: string, options: UsccOptions = {}): Validation<UsccInfo> => {
  const result = validateUscc(input, options)
  if (!result.ok) return result
  const uscc = result.value
  const authority = USCC_AUTHORITIES[uscc[0]!]!
  const regionCode = uscc.slice(2, 8)
  const info: UsccInfo = {
    uscc,
    registrationAuthority: { code: uscc[0]!, name: authority.name },
    entityType: { code: uscc[1]!, name: authority.types[uscc[1]!]! },
    regionCode,
    organizationCode: uscc.slice(8, 17),
    checkCharacter: uscc[17]!,
  }
  const region = getRegion(regionCode)
  if (region) info.region = region
  return valid(info)
}
