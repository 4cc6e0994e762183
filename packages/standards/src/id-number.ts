import { daysInMonth, parseDateNumber, shanghaiTodayNumber } from './dates.ts'
import { getRegion, type Region, regionFlagAt } from './regions.ts'
import { invalid, type Validation, valid } from './result.ts'

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'
/**
 * Address codes of 港澳台居民居住证 numbers (810000 Hong Kong, 820000 Macao, 830000 Taiwan); 830000 is not
 * in GB/T 2260 but is issued in ID-number form, so it is accepted explicitly.
 */
const RESIDENCE_PERMIT_CODES = new Set(['810000', '820000', '830000'])

/** The rules of GB 11643-1999 a refusal names. */
export const GB11643_RULES = {
  structure: 'GB 11643-1999 号码结构（17 位数字本体码 + 1 位校验码）',
  region: 'GB 11643-1999 地址码（GB/T 2260 行政区划代码）',
  birthDate: 'GB 11643-1999 出生日期码（GB/T 7408 日期，不晚于今天）',
  checkCharacter: 'GB 11643-1999 校验码（ISO 7064 MOD 11-2）',
} as const

/** How strictly the 6-digit address code is checked. */
export type RegionCheck = 'known' | 'province' | 'none'

/** Options of the ID-number validators. */
export type IdNumberOptions = {
  /** Today as 'YYYY-MM-DD' (Asia/Shanghai); birth dates after it are rejected. Defaults to the real today. */
  today?: string
  /**
   * 'known' (default): the code must be in the shipped GB/T 2260 table, current or retired; for holders
   * born before December 2002 (the table's oldest revision) a code of a known province is accepted too.
   * 'province': only the first two digits must name a known province — for populations with pre-2002
   * retired codes the table does not hold. 'none': digits only.
   */
  regionCheck?: RegionCheck
}

/** Parsed 公民身份号码. */
export type IdNumberInfo = {
  idNumber: string
  regionCode: string
  region?: Region
  birthDate: string
  sex: 'male' | 'female'
  /** 顺序码: the three digits after the birth date. */
  sequence: string
}

/** Check character of the first 17 digits of a 公民身份号码 (GB 11643, ISO 7064 MOD 11-2): '0'–'9' or 'X'. */
export const idNumberCheckCharacter = (first17: string): string => {
  if (typeof first17 !== 'string' || !/^\d{17}$/.test(first17)) throw new TypeError('Expected 17 digits')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!
  return CHECK[sum % 11]!
}

let lastToday = ''
let lastTodayNumber = 0
const todayNumber = (today: string | undefined): number => {
  if (today === undefined) return shanghaiTodayNumber()
  if (today === lastToday) return lastTodayNumber
  const n = parseDateNumber(today)
  if (n === undefined) throw new TypeError(`Invalid today: ${today}`)
  lastToday = today
  lastTodayNumber = n
  return n
}

const regionOk = (s: string, offset: number, check: RegionCheck): boolean => {
  if (check === 'none') return true
  if (check === 'province') return regionFlagAt(`${s.slice(offset, offset + 2)}0000`, 0) !== 0
  if (regionFlagAt(s, offset) !== 0) return true
  return RESIDENCE_PERMIT_CODES.has(s.slice(offset, offset + 6))
}

/**
 * The shipped table knows every code from the December 2002 revision on, but not codes retired before it.
 * A number whose holder was born before then may carry such a code, so under the default check an unknown
 * code is accepted for those births when its province is known. Anyone born later can only carry a code
 * the table holds.
 */
const TABLE_COVERAGE_START = 20_021_201
const predatesRegionTable = (s: string, check: RegionCheck): boolean =>
  check === 'known' && Number(s.slice(6, 14)) < TABLE_COVERAGE_START && regionOk(s, 0, 'province')

const badRegion = <T>(code: string) =>
  invalid<T>(
    'region',
    `地址码 ${code} 不是已知的行政区划代码`,
    `Address code ${code} is not a known GB/T 2260 region code`,
    GB11643_RULES.region,
  )
const badBirth = <T>(date: string, why: { zh: string; en: string }) =>
  invalid<T>(
    'birthDate',
    `出生日期码 ${date} ${why.zh}`,
    `Birth date ${date} ${why.en}`,
    GB11643_RULES.birthDate,
  )

/** Checks a birth date written as 8 digits at `offset`; returns YYYYMMDD or a reason. */
const checkBirth = (s: string, offset: number, today: number): number | { zh: string; en: string } => {
  let y = 0
  for (let i = offset; i < offset + 4; i++) y = y * 10 + s.charCodeAt(i) - 48
  const m = (s.charCodeAt(offset + 4) - 48) * 10 + s.charCodeAt(offset + 5) - 48
  const d = (s.charCodeAt(offset + 6) - 48) * 10 + s.charCodeAt(offset + 7) - 48
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m))
    return { zh: '不是真实日期', en: 'is not a real date' }
  const n = y * 10_000 + m * 100 + d
  // GB 11643 sets no earliest date: how old a holder can plausibly be is the caller's policy
  if (n > today) return { zh: '晚于今天', en: 'is in the future' }
  return n
}

const birthText = (s: string, offset: number) =>
  `${s.slice(offset, offset + 4)}-${s.slice(offset + 4, offset + 6)}-${s.slice(offset + 6, offset + 8)}`

/**
 * Validates a 公民身份号码 (GB 11643-1999): 18 characters, 17 digits and a check character (lower-case x
 * accepted), a known address code, a real calendar date of birth not after today (no earliest date: the standard
 * sets none; plausibility is the caller's policy), and the MOD 11-2 check. Every refusal names its rule.
 * The value is the normalized number (upper-case X, surrounding whitespace removed).
 */
export const validateIdNumber = (input: string, options: IdNumberOptions = {}): Validation<string> => {
  if (typeof input !== 'string')
    return invalid(
      'charset',
      '公民身份号码必须是文本',
      'The ID number must be a string',
      GB11643_RULES.structure,
    )
  const s = input.length === 18 ? input : input.trim()
  if (s.length !== 18) {
    return invalid(
      'length',
      `公民身份号码应为 18 位，实际为 ${s.length} 位`,
      `An ID number has 18 characters, got ${s.length}`,
      GB11643_RULES.structure,
    )
  }
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) {
      return invalid(
        'charset',
        `第 ${i + 1} 位应为数字`,
        `Character ${i + 1} must be a digit`,
        GB11643_RULES.structure,
      )
    }
    sum += c * WEIGHTS[i]!
  }
  const last = s.charCodeAt(17)
  const lastIsX = last === 88 || last === 120
  if (!lastIsX && (last < 48 || last > 57)) {
    return invalid(
      'charset',
      '第 18 位校验码应为数字或 X',
      'The check character (18th) must be a digit or X',
      GB11643_RULES.structure,
    )
  }
  const check = options.regionCheck ?? 'known'
  if (!regionOk(s, 0, check) && !predatesRegionTable(s, check)) return badRegion(s.slice(0, 6))
  const birth = checkBirth(s, 6, todayNumber(options.today))
  if (typeof birth !== 'number') return badBirth(birthText(s, 6), birth)
  const expected = CHECK.charCodeAt(sum % 11)
  if ((lastIsX ? 88 : last) !== expected) {
    return invalid(
      'checkCharacter',
      `校验码错误：应为 ${String.fromCharCode(expected)}`,
      `Wrong check character: expected ${String.fromCharCode(expected)}`,
      GB11643_RULES.checkCharacter,
    )
  }
  return valid(last === 120 ? `${s.slice(0, 17)}X` : s)
}

/** Parses a 公民身份号码 into address code, 出生日期, 性别 (odd 17th digit = male) and 顺序码. */
export const parseIdNumber = (input: string, options: IdNumberOptions = {}): Validation<IdNumberInfo> => {
  const result = validateIdNumber(input, options)
  if (!result.ok) return result
  const idNumber = result.value
  const regionCode = idNumber.slice(0, 6)
  const info: IdNumberInfo = {
    idNumber,
    regionCode,
    birthDate: birthText(idNumber, 6),
    sex: (idNumber.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
    sequence: idNumber.slice(14, 17),
  }
  const region = getRegion(regionCode)
  if (region) info.region = region
  return valid(info)
}

/**
 * Masks an identifier for display and logs, keeping the first 3 and last 4 characters:
 * 110105199001011234 → 110***********1234. Inputs of 7 characters or fewer are masked entirely.
 */
export const maskIdNumber = (id: string): string => {
  if (id.length <= 7) return '*'.repeat(id.length)
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`
}

/**
 * Converts a 15-digit 公民身份号码 (issued before 1999: address code, YYMMDD, 3-digit sequence) to the
 * 18-character form, inserting century 19 and computing the check character.
 */
export const convertLegacyIdNumber = (
  id15: string,
  options: Pick<IdNumberOptions, 'regionCheck'> = {},
): Validation<string> => {
  if (typeof id15 !== 'string')
    return invalid(
      'charset',
      '公民身份号码必须是文本',
      'The ID number must be a string',
      GB11643_RULES.structure,
    )
  const s = id15.trim()
  if (s.length !== 15) {
    return invalid(
      'length',
      `15 位公民身份号码应为 15 位，实际为 ${s.length} 位`,
      `A legacy ID number has 15 digits, got ${s.length}`,
      GB11643_RULES.structure,
    )
  }
  if (!/^\d{15}$/.test(s))
    return invalid(
      'charset',
      '15 位公民身份号码只能包含数字',
      'A legacy ID number has digits only',
      GB11643_RULES.structure,
    )
  const first17 = `${s.slice(0, 6)}19${s.slice(6)}`
  const check = options.regionCheck ?? 'known'
  if (!regionOk(first17, 0, check) && !predatesRegionTable(first17, check)) return badRegion(s.slice(0, 6))
  const birth = checkBirth(first17, 6, 19_991_231)
  if (typeof birth !== 'number') return badBirth(birthText(first17, 6), birth)
  return valid(first17 + idNumberCheckCharacter(first17))
}
