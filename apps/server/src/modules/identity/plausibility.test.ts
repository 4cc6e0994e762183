import { buildIdNumber, parseIdNumber, validateIdNumber } from '@tongban/standards'
import { describe, expect, it } from 'vitest'
import { ageOn, implausibleBirthDateAtRegistration, MAX_AGE_AT_REGISTRATION_YEARS } from './plausibility.ts'

const today = '2026-12-07'

describe('age at registration', () => {
  it.each([
    ['1990-12-07', 36],
    ['1990-12-08', 35],
    ['2000-02-29', 26],
    ['1876-12-07', 150],
    ['1876-12-06', 150],
    ['1876-12-08', 149],
  ])('born %s is %i on %s', (birthDate, age) => {
    expect(ageOn(birthDate, today)).toBe(age)
  })
})

describe('implausibleBirthDateAtRegistration', () => {
  it.each([
    ['1990-01-01', false],
    ['1876-12-07', false],
    ['1876-01-01', false],
    ['1875-12-08', false],
    ['1875-12-07', true],
    ['1850-06-15', true],
    ['1800-01-01', true],
  ])('born %s refused: %s', (birthDate, refused) => {
    const found = implausibleBirthDateAtRegistration(birthDate, today)
    expect(found !== undefined).toBe(refused)
    if (found) {
      expect(found.code).toBe('implausibleBirthDate')
      expect(found.message.zh).toContain(String(MAX_AGE_AT_REGISTRATION_YEARS))
      expect(found.message.en).toContain(birthDate)
    }
  })

  it('refuses what the standards kernel accepts: a valid ID number of someone born in 1850', () => {
    const idNumber = buildIdNumber({ birthDate: '1850-06-15' })
    expect(validateIdNumber(idNumber, { today }).ok).toBe(true)
    const parsed = parseIdNumber(idNumber, { today })
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(implausibleBirthDateAtRegistration(parsed.value.birthDate, today)?.code).toBe(
      'implausibleBirthDate',
    )
  })
})
