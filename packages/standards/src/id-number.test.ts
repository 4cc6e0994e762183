import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  convertLegacyIdNumber,
  GB11643_RULES,
  idNumberCheckCharacter,
  maskIdNumber,
  parseIdNumber,
  validateIdNumber,
} from './id-number.ts'
import { mod11_2 } from './numbering.ts'
import { listRegions } from './regions.ts'
import { buildIdNumber } from './testing.ts'

const today = '2026-03-06'
const countyCodes = listRegions({ includeRetired: true })
  .filter((r) => r.level === 'county')
  .map((r) => r.code)

const validIdNumber = fc
  .record({
    regionCode: fc.constantFrom(...countyCodes),
    birthDate: fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2026-03-06T00:00:00Z'),
      noInvalidDate: true,
    }),
    sex: fc.constantFrom('male' as const, 'female' as const),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map((o) => buildIdNumber({ ...o, birthDate: o.birthDate.toISOString().slice(0, 10) }))

describe('idNumberCheckCharacter', () => {
  it('matches the example of GB 11643-1999', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X')
    expect(idNumberCheckCharacter('44052418800101001')).toBe('4')
  })
  it('agrees with the generic ISO 7064 MOD 11-2 implementation', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{17}$/), (s) => idNumberCheckCharacter(s) === mod11_2(s)))
  })
  it('rejects anything but 17 digits', () => {
    expect(() => idNumberCheckCharacter('1234')).toThrow(TypeError)
  })
})

describe('validateIdNumber', () => {
  it('accepts the standard example and normalizes x and whitespace', () => {
    expect(validateIdNumber('11010519491231002X', { today })).toEqual({
      ok: true,
      value: '11010519491231002X',
    })
    expect(validateIdNumber(' 11010519491231002x ', { today })).toEqual({
      ok: true,
      value: '11010519491231002X',
    })
  })

  it.each([
    ['1101051949123100', 'length'],
    ['1101051949123100211', 'length'],
    ['11010519491231002Y', 'charset'],
    ['1101051949123100X2', 'charset'],
    ['１10105194912310022', 'charset'],
    ['990105194912310021', 'region'],
    ['110105194902300021', 'birthDate'],
    ['110105203001010021', 'birthDate'],
    ['110105194912310021', 'checkCharacter'],
  ])('rejects %s with %s', (input, code) => {
    const r = validateIdNumber(input, { today })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe(code)
      expect(r.error.message.zh.length).toBeGreaterThan(0)
      expect(r.error.message.en.length).toBeGreaterThan(0)
    }
  })

  it('accepts retired region codes (崇文区 110103) and residence-permit codes (830000)', () => {
    expect(validateIdNumber(buildIdNumber({ regionCode: '110103' }), { today }).ok).toBe(true)
    expect(validateIdNumber(buildIdNumber({ regionCode: '830000' }), { today }).ok).toBe(true)
  })

  it('accepts codes retired before the table begins only for holders born before it (Dec 2002)', () => {
    // 昌平县 110221 was retired in 1999 and is not in the table; 99 is no province
    expect(
      validateIdNumber(buildIdNumber({ regionCode: '110221', birthDate: '1975-06-01' }), { today }).ok,
    ).toBe(true)
    const tooYoung = validateIdNumber(buildIdNumber({ regionCode: '110221', birthDate: '2005-06-01' }), {
      today,
    })
    expect(tooYoung.ok ? undefined : tooYoung.error.code).toBe('region')
    expect(
      validateIdNumber(buildIdNumber({ regionCode: '990221', birthDate: '1975-06-01' }), { today }).ok,
    ).toBe(false)
    expect(convertLegacyIdNumber('110221750601123').ok).toBe(true)
  })

  it('relaxes the region check on request', () => {
    const old = buildIdNumber({ regionCode: '110221', birthDate: '2005-06-01' }) // 昌平县, retired in 1999: not in the table
    expect(validateIdNumber(old, { today }).ok).toBe(false)
    expect(validateIdNumber(old, { today, regionCheck: 'province' }).ok).toBe(true)
    expect(
      validateIdNumber(buildIdNumber({ regionCode: '990221' }), { today, regionCheck: 'province' }).ok,
    ).toBe(false)
    expect(validateIdNumber(buildIdNumber({ regionCode: '990221' }), { today, regionCheck: 'none' }).ok).toBe(
      true,
    )
  })

  it('accepts a birth date of today and rejects tomorrow', () => {
    expect(validateIdNumber(buildIdNumber({ birthDate: '2026-03-06' }), { today }).ok).toBe(true)
    expect(validateIdNumber(buildIdNumber({ birthDate: '2026-03-07' }), { today }).ok).toBe(false)
    expect(validateIdNumber(buildIdNumber({ birthDate: '2000-02-29' }), { today }).ok).toBe(true)
    expect(validateIdNumber(buildIdNumber({ birthDate: '1900-02-29' }), { today }).ok).toBe(false)
  })

  it('uses the real Shanghai today by default', () => {
    expect(validateIdNumber(buildIdNumber({ birthDate: '2999-01-01' })).ok).toBe(false)
    expect(validateIdNumber(buildIdNumber()).ok).toBe(true)
  })

  it('accepts every generated valid ID number', () => {
    fc.assert(fc.property(validIdNumber, (id) => validateIdNumber(id, { today }).ok))
  })

  it('rejects every single-character substitution (MOD 11-2 catches them all)', () => {
    fc.assert(
      fc.property(validIdNumber, (id) => {
        for (let i = 0; i < 18; i++) {
          for (const c of '0123456789X') {
            if (c === id[i]) continue
            const changed = id.slice(0, i) + c + id.slice(i + 1)
            if (validateIdNumber(changed, { today }).ok) return false
          }
        }
        return true
      }),
      { numRuns: 200 },
    )
  })

  it('rejects every adjacent transposition of distinct characters, the check character included', () => {
    fc.assert(
      fc.property(validIdNumber, (id) => {
        for (let i = 0; i < 17; i++) {
          if (id[i] === id[i + 1]) continue
          const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2)
          if (validateIdNumber(swapped, { today }).ok) return false
        }
        return true
      }),
      { numRuns: 300 },
    )
  })

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: 'binary' }),
          fc.stringMatching(/^\d{17}[\dXx]$/),
        ),
        (s) => {
          const r = validateIdNumber(s, { today })
          return typeof r.ok === 'boolean'
        },
      ),
    )
    expect(validateIdNumber(undefined as unknown as string).ok).toBe(false)
  })
})

describe('parseIdNumber', () => {
  it('extracts region, birth date, sex and sequence', () => {
    const r = parseIdNumber('11010519491231002X', { today })
    expect(r).toEqual({
      ok: true,
      value: {
        idNumber: '11010519491231002X',
        regionCode: '110105',
        region: { code: '110105', name: '朝阳区', level: 'county', parentCode: '110100' },
        birthDate: '1949-12-31',
        sex: 'female',
        sequence: '002',
      },
    })
  })
  it('reads sex from the parity of the 17th digit', () => {
    fc.assert(
      fc.property(validIdNumber, (id) => {
        const r = parseIdNumber(id, { today })
        return r.ok && r.value.sex === (Number(id[16]) % 2 === 1 ? 'male' : 'female')
      }),
    )
  })
  it('returns the failure of validation', () => {
    expect(parseIdNumber('123', { today }).ok).toBe(false)
  })
})

describe('maskIdNumber', () => {
  it('keeps the first 3 and last 4 characters', () => {
    expect(maskIdNumber('110105199001011234')).toBe('110***********1234')
    expect(maskIdNumber('1234567')).toBe('*******')
    expect(maskIdNumber('')).toBe('')
  })
})

describe('convertLegacyIdNumber', () => {
  it('converts 15 digits to 18 with century 19 and the check character', () => {
    expect(convertLegacyIdNumber('110105491231002')).toEqual({ ok: true, value: '11010519491231002X' })
  })
  it.each([
    ['11010549123100', 'length'],
    ['11010549123100a', 'charset'],
    ['990105491231002', 'region'],
    ['110105490231002', 'birthDate'],
  ])('rejects %s with %s', (input, code) => {
    const r = convertLegacyIdNumber(input)
    expect(r.ok ? 'ok' : r.error.code).toBe(code)
  })
  it('round-trips generated numbers born in the 1900s', () => {
    fc.assert(
      fc.property(validIdNumber, (id) => {
        if (!id.startsWith('19', 6)) return true
        const legacy = id.slice(0, 6) + id.slice(8, 17)
        const r = convertLegacyIdNumber(legacy)
        return r.ok && r.value === id
      }),
    )
  })
})

describe('GB 11643-1999 as the standard writes it', () => {
  it('validates both worked examples of the standard (appendix), the nineteenth-century one included', () => {
    expect(validateIdNumber('11010519491231002X', { today }).ok).toBe(true)
    expect(validateIdNumber('440524188001010014', { today })).toEqual({
      ok: true,
      value: '440524188001010014',
    })
  })

  it('sets no earliest birth date: any valid calendar date not after today', () => {
    for (const birthDate of ['1800-01-01', '1850-06-15', '1899-12-31', '1900-01-01'])
      expect(validateIdNumber(buildIdNumber({ birthDate }), { today }).ok, birthDate).toBe(true)
    expect(validateIdNumber(buildIdNumber({ birthDate: today }), { today }).ok).toBe(true)
    const tomorrow = validateIdNumber(buildIdNumber({ birthDate: '2026-03-07' }), { today })
    expect(tomorrow.ok ? undefined : tomorrow.error.rule).toBe(GB11643_RULES.birthDate)
  })

  it.each([
    ['2000-02-29', true],
    ['2024-02-29', true],
    ['1600-02-29', true],
    ['1900-02-29', false],
    ['2023-02-29', false],
    ['2100-02-29', false],
    ['2023-02-28', true],
    ['2023-04-31', false],
    ['2023-12-31', true],
    ['2023-13-01', false],
    ['2023-00-10', false],
    ['2023-01-00', false],
  ])('birth date %s valid: %s', (birthDate, ok) => {
    const first17 = `110105${birthDate.replaceAll('-', '')}123`
    const r = validateIdNumber(first17 + idNumberCheckCharacter(first17), { today: '2099-12-31' })
    expect(r.ok).toBe(ok)
    if (!r.ok) expect(r.error.rule).toBe(GB11643_RULES.birthDate)
  })

  it('produces every check character 0–9 and X, each accepted, and x read as X', () => {
    const seen = new Map<string, string>()
    for (let sequence = 0; seen.size < 11 && sequence < 1000; sequence++) {
      const first17 = `11010519900101${String(sequence).padStart(3, '0')}`
      seen.set(idNumberCheckCharacter(first17), first17)
    }
    expect([...seen.keys()].sort()).toEqual([...'0123456789X'])
    for (const [check, first17] of seen) {
      expect(validateIdNumber(first17 + check, { today })).toEqual({ ok: true, value: first17 + check })
      expect(validateIdNumber(first17 + check.toLowerCase(), { today }).ok).toBe(true)
      const wrong = check === '0' ? '1' : '0'
      const r = validateIdNumber(first17 + wrong, { today })
      expect(r.ok ? undefined : r.error.rule).toBe(GB11643_RULES.checkCharacter)
    }
  })

  it('names the rule every refusal broke', () => {
    const cases: [string, string][] = [
      ['1101051949123100', GB11643_RULES.structure],
      ['11010519491231002Y', GB11643_RULES.structure],
      ['990105194912310021', GB11643_RULES.region],
      ['110105194902300021', GB11643_RULES.birthDate],
      ['110105194912310021', GB11643_RULES.checkCharacter],
    ]
    for (const [input, rule] of cases) {
      const r = validateIdNumber(input, { today })
      expect(r.ok ? undefined : r.error.rule, input).toBe(rule)
    }
  })
})
