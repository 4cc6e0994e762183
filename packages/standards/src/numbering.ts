import { parseDateNumber } from './dates.ts'
import { invalid, type Validation, valid } from './result.ts'
import { validateUscc } from './uscc.ts'

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** ISO 7064 MOD 11-2 check character over digits ('0'–'9' or 'X'), as in GB 11643. */
export const mod11_2 = (digits: string): string => {
  let p = 0
  for (let i = 0; i < digits.length; i++) p = ((p + digits.charCodeAt(i) - 48) * 2) % 11
  return '0123456789X'[(12 - p) % 11]!
}

/** ISO 7064 MOD 37,36 (hybrid) check character over digits and capital letters: '0'–'9' or 'A'–'Z'. */
export const mod37_36 = (text: string): string => {
  let p = 36
  for (let i = 0; i < text.length; i++) {
    const v = ALNUM.indexOf(text[i]!)
    if (v < 0) throw new TypeError(`Character ${i + 1} must be a digit or capital letter`)
    let s = (p + v) % 36
    if (s === 0) s = 36
    p = (s * 2) % 37
  }
  return ALNUM[(37 - p) % 36]!
}

/** Parts of a 办件编号. */
export type CaseNoParts = { regionCode: string; date: string; sequence: number }

/**
 * Builds a 办件编号 (case number): `RRRRRR-YYYYMMDD-NNNNNN-C` — accepting region, acceptance date
 * (Asia/Shanghai), a per-(region, date) sequence of at least 6 digits, and an ISO 7064 MOD 11-2 check
 * character over all digits (catches every single-digit error and adjacent transposition).
 */
export const generateCaseNo = ({ regionCode, date, sequence }: CaseNoParts): string => {
  if (!/^\d{6}$/.test(regionCode)) throw new TypeError('regionCode must be 6 digits')
  const d = parseDateNumber(date)
  if (d === undefined) throw new TypeError('date must be a real YYYY-MM-DD date')
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > 99_999_999) {
    throw new RangeError('sequence must be an integer from 1 to 99999999')
  }
  const seq = String(sequence).padStart(6, '0')
  return `${regionCode}-${d}-${seq}-${mod11_2(`${regionCode}${d}${seq}`)}`
}

/** Validates a 办件编号 made by generateCaseNo (lower-case x accepted) and returns its parts. */
export const validateCaseNo = (input: string): Validation<CaseNoParts> => {
  if (typeof input !== 'string')
    return invalid('charset', '办件编号必须是文本', 'The case number must be a string')
  const m = /^(\d{6})-(\d{8})-(\d{6,8})-([0-9Xx])$/.exec(input.trim())
  if (!m) {
    return invalid(
      'format',
      '办件编号格式应为 区划码-日期-流水号-校验码',
      'A case number reads REGION-YYYYMMDD-SEQUENCE-CHECK',
    )
  }
  const [, regionCode, ymd, seq, check] = m as unknown as [string, string, string, string, string]
  const date = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}`
  if (parseDateNumber(date) === undefined)
    return invalid('date', `日期 ${date} 不是真实日期`, `Date ${date} is not a real date`)
  const sequence = Number(seq)
  if (sequence < 1 || (seq.length > 6 && seq.startsWith('0'))) {
    return invalid('sequence', '流水号无效', 'Invalid sequence number')
  }
  if (mod11_2(regionCode + ymd + seq) !== check.toUpperCase()) {
    return invalid('checkCharacter', '办件编号校验码错误', 'Wrong check character in the case number')
  }
  return valid({ regionCode, date, sequence })
}

/** OID arc assumed for 电子证照标识 (see README: not confirmed against the standard's text). */
export const LICENSE_ID_ROOT = '1.2.156.3005.2'

/** Parts of a 电子证照标识代码. */
export type LicenseIdParts = {
  /** 证照类型代码: the catalogue code of the license type, 1–32 digits or capital letters. */
  licenseTypeCode: string
  /** 颁发机构代码: the issuing authority's 统一社会信用代码. */
  issuerCode: string
  /** 流水号 within the issuer and type. */
  sequence: number
  /** 版本号, starting at 1; a re-issued license gets the next version. */
  version: number
}

/**
 * Builds a 电子证照标识代码 following the structure of GB/T 36904-2018:
 * `1.2.156.3005.2.<证照类型代码>.<颁发机构 USCC>.<流水号, ≥ 8 digits>.<版本号, 3 digits>.<校验位>`, the
 * check character being ISO 7064 MOD 37,36 over all the characters of the parts after the root.
 */
export const generateLicenseId = ({
  licenseTypeCode,
  issuerCode,
  sequence,
  version,
}: LicenseIdParts): string => {
  if (!/^[0-9A-Z]{1,32}$/.test(licenseTypeCode))
    throw new TypeError('licenseTypeCode must be 1–32 digits or capitals')
  if (!validateUscc(issuerCode).ok) throw new TypeError('issuerCode must be a valid USCC')
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RangeError('sequence must be a positive integer')
  if (!Number.isSafeInteger(version) || version < 1 || version > 999)
    throw new RangeError('version must be 1–999')
  const seq = String(sequence).padStart(8, '0')
  const ver = String(version).padStart(3, '0')
  const check = mod37_36(`${licenseTypeCode}${issuerCode}${seq}${ver}`)
  return `${LICENSE_ID_ROOT}.${licenseTypeCode}.${issuerCode}.${seq}.${ver}.${check}`
}

/** Parses and checks a 电子证照标识代码 made by generateLicenseId. */
export const parseLicenseId = (input: string): Validation<LicenseIdParts> => {
  if (typeof input !== 'string')
    return invalid('charset', '电子证照标识必须是文本', 'The license identifier must be a string')
  const s = input.trim()
  if (!s.startsWith(`${LICENSE_ID_ROOT}.`)) {
    return invalid(
      'format',
      `电子证照标识应以 ${LICENSE_ID_ROOT} 开头`,
      `A license identifier starts with ${LICENSE_ID_ROOT}`,
    )
  }
  const m = /^([0-9A-Z]{1,32})\.([0-9A-Z]{18})\.(\d{8,16})\.(\d{3})\.([0-9A-Z])$/.exec(
    s.slice(LICENSE_ID_ROOT.length + 1),
  )
  if (!m) {
    return invalid(
      'format',
      '电子证照标识格式应为 根.证照类型代码.颁发机构代码.流水号.版本号.校验位',
      'A license identifier reads ROOT.TYPE.ISSUER.SEQUENCE.VERSION.CHECK',
    )
  }
  const [, licenseTypeCode, issuerCode, seq, ver, check] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  const issuer = validateUscc(issuerCode)
  if (!issuer.ok) {
    return invalid(
      'issuerCode',
      `颁发机构代码无效：${issuer.error.message.zh}`,
      `Invalid issuer code: ${issuer.error.message.en}`,
    )
  }
  const sequence = Number(seq)
  const version = Number(ver)
  if (sequence < 1 || version < 1 || (seq.length > 8 && seq.startsWith('0'))) {
    return invalid('sequence', '流水号或版本号无效', 'Invalid sequence or version number')
  }
  if (mod37_36(licenseTypeCode + issuerCode + seq + ver) !== check) {
    return invalid(
      'checkCharacter',
      '电子证照标识校验位错误',
      'Wrong check character in the license identifier',
    )
  }
  return valid({ licenseTypeCode, issuerCode, sequence, version })
}
