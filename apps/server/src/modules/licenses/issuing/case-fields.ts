import { parseIdNumber } from '@tongban/standards'
import type { LicenseTypeRecord } from '../licenses.repository.ts'

/**
 * What automatic issuance knows of a license's holder (持证主体) besides the form: from the holder's record
 * (a person's gender and birth date as their 公民身份号码 records them), or, for a market entity the case
 * registers, its name, credit code, operator and kind.
 */
export interface HolderFacts {
  name: string | undefined
  identifier: string | null
  /** 经营者 / 法定代表人 of a market entity the case registers. */
  representative?: string
  /** 类型 of a market entity the case registers (有限责任公司, 个体工商户). */
  entityType?: string
}

/** The issuance map's sources that are not form fields. */
type Special = '$holder.name' | '$holder.identifier' | '$holder.gender' | '$holder.birthDate'
type SpecialSource = Special | '$holder.representative' | '$holder.entityType' | '$issuedOn'

/** The values of the special sources for a holder on a day. */
function specialValues(holder: HolderFacts, issuedOn: string): Map<SpecialSource, unknown> {
  const person = holder.identifier ? parseIdNumber(holder.identifier) : undefined
  const facts = person?.ok ? person.value : undefined
  return new Map<SpecialSource, unknown>([
    ['$holder.name', holder.name],
    ['$holder.identifier', holder.identifier],
    ['$holder.gender', facts ? (facts.sex === 'male' ? '男' : '女') : undefined],
    ['$holder.birthDate', facts?.birthDate],
    ['$holder.representative', holder.representative],
    ['$holder.entityType', holder.entityType],
    ['$issuedOn', issuedOn],
  ])
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === ''

/** The alternatives of one source (`proposedName|shopName|$holder.name`: the first that has a value). */
const alternativesOf = (source: string) => source.split('|')

/**
 * The fields of a case's license by its type's issuance map (field → source): a special source
 * (`$holder.name`, `$holder.identifier`, `$holder.gender`, `$holder.birthDate`, `$holder.representative`,
 * `$holder.entityType`, `$issuedOn`) or a field of the application form; `a|b` takes the first with a
 * value; empty values are left out. `except` leaves out fields of those sources (a new version keeps its
 * 成立日期).
 */
export function fieldsOf(
  type: Pick<LicenseTypeRecord, 'issuance_map'>,
  holder: HolderFacts,
  issuedOn: string,
  formData: Record<string, unknown>,
  except: readonly string[] = [],
): Record<string, unknown> {
  const special = specialValues(holder, issuedOn)
  const fields: Record<string, unknown> = {}
  for (const [field, source] of Object.entries(issuanceMapOf(type))) {
    const alternatives = alternativesOf(source)
    if (alternatives.some((a) => except.includes(a))) continue
    for (const alternative of alternatives) {
      const value = special.has(alternative as SpecialSource)
        ? special.get(alternative as SpecialSource)
        : formData[alternative]
      if (isEmpty(value)) continue
      fields[field] = value
      break
    }
  }
  return fields
}

/** The type's issuance map (field → source). */
export function issuanceMapOf(type: Pick<LicenseTypeRecord, 'issuance_map'>): Record<string, string> {
  const map = type.issuance_map
  return map && typeof map === 'object' ? (map as Record<string, string>) : {}
}

/** The license field that carries the holder's name (the one `$holder.name` fills), if any. */
export function nameFieldOf(type: Pick<LicenseTypeRecord, 'issuance_map'>): string | undefined {
  return Object.entries(issuanceMapOf(type)).find(([, source]) =>
    alternativesOf(source).includes('$holder.name'),
  )?.[0]
}

/** A field's title in the type's schema, without its unit (`注册资本（万元）` → `注册资本`). */
function titlesOf(
  type: Pick<LicenseTypeRecord, 'fields_schema'>,
): Map<string, { field: string; integer: boolean }> {
  const schema = type.fields_schema as { properties?: Record<string, { title?: string; type?: string }> }
  const titles = new Map<string, { field: string; integer: boolean }>()
  for (const [field, property] of Object.entries(schema.properties ?? {}))
    if (property.title)
      titles.set(property.title.replace(/（.*$/, ''), { field, integer: property.type === 'integer' })
  return titles
}

/**
 * 变更: the field a change form names (its `changeItem` is the field's 照面 title, e.g. 住所) with the new
 * value (`changeDetail`); none when the form names no field of the type.
 */
export function changedFields(
  type: Pick<LicenseTypeRecord, 'fields_schema'>,
  formData: Record<string, unknown>,
): Record<string, unknown> {
  const item = formData.changeItem
  const detail = formData.changeDetail
  if (typeof item !== 'string' || isEmpty(detail)) return {}
  const target = titlesOf(type).get(item)
  if (!target) return {}
  if (!target.integer) return { [target.field]: detail }
  const number = Number(String(detail).replace(/[^\d.]/g, ''))
  return Number.isInteger(number) ? { [target.field]: number } : { [target.field]: detail }
}
