import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateCaseNo, generateLicenseId, mod37_36, parseLicenseId, validateCaseNo } from './numbering.ts'
import { buildUscc } from './testing.ts'

const caseParts = fc.record({
  regionCode: fc.stringMatching(/^\d{6}$/),
  date: fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
  sequence: fc.integer({ min: 1, max: 99_999_999 }),
})

describe('办件编号', () => {
  it('reads region, date, sequence and a MOD 11-2 check character', () => {
    expect(generateCaseNo({ regionCode: '110105', date: '2026-03-06', sequence: 42 })).toBe(
      '110105-20260306-000042-3',
    )
    expect(validateCaseNo('110105-20260306-000042-3')).toEqual({
      ok: true,
      value: { regionCode: '110105', date: '2026-03-06', sequence: 42 },
    })
  })

  it('round-trips and is unique per (region, date, sequence)', () => {
    fc.assert(
      fc.property(caseParts, caseParts, (a, b) => {
        const x = generateCaseNo(a)
        const r = validateCaseNo(x)
        const same = a.regionCode === b.regionCode && a.date === b.date && a.sequence === b.sequence
        return (
          r.ok &&
          r.value.sequence === a.sequence &&
          r.value.date === a.date &&
          (x === generateCaseNo(b)) === same
        )
      }),
    )
  })

  it('rejects any single-digit change', () => {
    fc.assert(
      fc.property(caseParts, (p) => {
        const s = generateCaseNo(p)
        for (let i = 0; i < s.length; i++) {
          if (s[i] === '-') continue
          for (const c of '0123456789X') {
            if (c !== s[i] && validateCaseNo(s.slice(0, i) + c + s.slice(i + 1)).ok) return false
          }
        }
        return true
      }),
      { numRuns: 100 },
    )
  })

  it.each([
    ['110105-20260306-000042', 'format'],
    ['110105-20260230-000042-3', 'date'],
    ['110105-20260306-000000-9', 'sequence'],
    ['110105-20260306-000042-4', 'checkCharacter'],
  ])('rejects %s with %s', (input, code) => {
    const r = validateCaseNo(input)
    expect(r.ok ? 'ok' : r.error.code).toBe(code)
  })

  it('never throws on arbitrary input and rejects bad arguments when generating', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => typeof validateCaseNo(s).ok === 'boolean'))
    expect(() => generateCaseNo({ regionCode: '11010', date: '2026-03-06', sequence: 1 })).toThrow(TypeError)
    expect(() => generateCaseNo({ regionCode: '110105', date: '2026-3-6', sequence: 1 })).toThrow(TypeError)
    expect(() => generateCaseNo({ regionCode: '110105', date: '2026-03-06', sequence: 0 })).toThrow(
      RangeError,
    )
  })
})

describe('电子证照标识代码', () => {
  const issuerCode = buildUscc({ registrationAuthority: '1', entityType: '1' })
  const parts = { licenseTypeCode: '11100000000013127D001', issuerCode, sequence: 7, version: 1 }

  it('follows root.type.issuer.sequence.version.check and round-trips', () => {
    const id = generateLicenseId(parts)
    expect(id).toMatch(/^1\.2\.156\.3005\.2\.11100000000013127D001\.[0-9A-Z]{18}\.00000007\.001\.[0-9A-Z]$/)
    expect(parseLicenseId(id)).toEqual({ ok: true, value: parts })
  })

  it('implements ISO 7064 MOD 37,36 (the check makes the whole string valid)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z]{1,30}$/), (s) => {
        // Appending the check character and re-running the recurrence must end at P = 1 (ISO 7064 hybrid).
        const full = s + mod37_36(s)
        let p = 36
        for (const ch of full) {
          let t = (p + '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.indexOf(ch)) % 36
          if (t === 0) t = 36
          p = (t * 2) % 37
        }
        return p === 2 // (1 · 2) mod 37 after the final doubling
      }),
    )
  })

  it('rejects a changed character, a bad issuer or a bad shape', () => {
    const id = generateLicenseId(parts)
    const bumped = id.replace('.00000007.', '.00000008.')
    expect(parseLicenseId(bumped).ok).toBe(false)
    expect(parseLicenseId('1.2.3')).toMatchObject({ ok: false, error: { code: 'format' } })
    expect(parseLicenseId(id.replace(issuerCode, '91350100M000100Y44'))).toMatchObject({
      ok: false,
      error: { code: 'issuerCode' },
    })
    expect(() => generateLicenseId({ ...parts, issuerCode: 'nope' })).toThrow(TypeError)
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => typeof parseLicenseId(s).ok === 'boolean'))
  })
})
