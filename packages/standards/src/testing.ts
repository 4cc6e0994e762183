import { idNumberCheckCharacter } from './id-number.ts'
import { organizationCodeCheckCharacter, USCC_AUTHORITIES, USCC_CHARSET, usccCheckCharacter } from './uscc.ts'

/** Options of buildIdNumber; each part defaults to a fixed, valid value (deterministic output). */
export type BuildIdNumberOptions = {
  /** 6-digit address code, default 110105 (北京市朝阳区). */
  regionCode?: string
  /** 'YYYY-MM-DD', default 1990-01-01. */
  birthDate?: string
  /** Default 'male'; decides the parity of the sequence's last digit. */
  sex?: 'male' | 'female'
  /** 0–999, default 123; its last digit is adjusted to match `sex`. */
  sequence?: number
}

/** Builds a valid 公民身份号码 for tests, demo data and factories. */
export const buildIdNumber = (options: BuildIdNumberOptions = {}): string => {
  const region = options.regionCode ?? '110105'
  const birth = (options.birthDate ?? '1990-01-01').replaceAll('-', '')
  const sex = options.sex ?? 'male'
  let seq = (options.sequence ?? 123) % 1000
  if ((seq % 2 === 1) !== (sex === 'male')) seq = seq % 2 === 1 ? seq - 1 : seq + 1
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`
  return first17 + idNumberCheckCharacter(first17)
}

/** Options of buildUscc; each part defaults to a fixed, valid value. */
export type BuildUsccOptions = {
  /** 登记管理部门 code, default '9' (市场监管). */
  registrationAuthority?: string
  /** 机构类别 code valid for the authority, default its first type. */
  entityType?: string
  /** 6-digit region code, default 110105. */
  regionCode?: string
  /** 8-character organization-code body (digits, USCC-charset capitals), or a number to derive it from. */
  organizationCode?: string | number
}

/** Builds a valid 统一社会信用代码 (with a valid embedded 组织机构代码) for tests, demo data and factories. */
export const buildUscc = (options: BuildUsccOptions = {}): string => {
  const authority = options.registrationAuthority ?? '9'
  const types = USCC_AUTHORITIES[authority]
  if (!types) throw new TypeError(`Unknown registration authority ${authority}`)
  const entityType = options.entityType ?? Object.keys(types.types)[0]!
  const region = options.regionCode ?? '110105'
  const org = options.organizationCode ?? 12_345_678
  const body =
    typeof org === 'number' ? String(Math.abs(Math.trunc(org)) % 100_000_000).padStart(8, '0') : org
  if (!/^[0-9A-HJ-NPQRTUWXY]{8}$/.test(body))
    throw new TypeError('organizationCode must be 8 USCC-charset characters')
  const first17 = `${authority}${entityType}${region}${body}${organizationCodeCheckCharacter(body)}`
  return first17 + usccCheckCharacter(first17)
}

/** Characters allowed in a USCC, re-exported for generators in tests. */
export const usccCharset = USCC_CHARSET
