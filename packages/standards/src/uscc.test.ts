import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildUscc } from './testing.ts'
import {
  GB32100_RULES,
  organizationCodeCheckCharacter,
  parseUscc,
  USCC_AUTHORITIES,
  USCC_CHARSET,
  usccCheckCharacter,
  validateUscc,
} from './uscc.ts'

const authorityAndType = fc.constantFrom(
  ...Object.entries(USCC_AUTHORITIES).flatMap(([a, { types }]) =>
    Object.keys(types).map((t) => [a, t] as const),
  ),
)
const validUscc = fc
  .record({
    at: authorityAndType,
    regionCode: fc.stringMatching(/^\d{6}$/),
    organizationCode: fc.stringMatching(/^[0-9A-HJ-NPQRTUWXY]{8}$/),
  })
  .map(({ at, regionCode, organizationCode }) =>
    buildUscc({ registrationAuthority: at[0], entityType: at[1], regionCode, organizationCode }),
  )

describe('check characters', () => {
  it('validates published codes', () => {
    // 国务院办公厅 and two enterprise codes printed on public business licenses.
    for (const code of ['11100000000013127D', '91350100M000100Y43', '91110000600037341L']) {
      expect(usccCheckCharacter(code.slice(0, 17))).toBe(code[17])
      expect(organizationCodeCheckCharacter(code.slice(8, 16))).toBe(code[16])
    }
  })
  it('maps 10 to X and 11 to 0 in GB 11714', () => {
    expect(organizationCodeCheckCharacter('00000000')).toBe('0')
    expect(organizationCodeCheckCharacter('00000006')).toBe('X') // 6 × 2 = 12 ≡ 1, 11 − 1 = 10
  })
  it('throws on bad arguments (programming errors)', () => {
    expect(() => usccCheckCharacter('91350100M000100Y')).toThrow(TypeError)
    expect(() => usccCheckCharacter('91350100M000100YI')).toThrow(TypeError)
    expect(() => organizationCodeCheckCharacter('1234567')).toThrow(TypeError)
  })
})

describe('validateUscc', () => {
  it('accepts a valid code, upper-casing and trimming it', () => {
    expect(validateUscc(' 91350100m000100y43 ')).toEqual({ ok: true, value: '91350100M000100Y43' })
  })

  it.each([
    ['91350100M000100Y4', 'length'],
    ['91350100M000100YI3', 'charset'],
    ['91350100M000100Y44', 'checkCharacter'],
  ])('rejects %s with %s', (input, code) => {
    const r = validateUscc(input)
    expect(r.ok ? 'ok' : r.error.code).toBe(code)
  })

  it('rejects an unknown registration authority or entity type', () => {
    const first17 = 'B1110105123456788'
    const r = validateUscc(first17 + usccCheckCharacter(first17))
    expect(r.ok ? 'ok' : r.error.code).toBe('registrationAuthority')
    const nine = '94110105123456788'
    expect(validateUscc(nine + usccCheckCharacter(nine)).ok).toBe(false)
  })

  it('rejects letters in the region digits', () => {
    const first17 = '9111A105123456788'
    const r = validateUscc(first17 + usccCheckCharacter(first17))
    expect(r.ok ? 'ok' : r.error.code).toBe('region')
  })

  it("checks the organization code's own check character unless told not to", () => {
    const first17 = '91110105123456780'
    const code = first17 + usccCheckCharacter(first17)
    const r = validateUscc(code)
    expect(r.ok ? 'ok' : r.error.code).toBe('organizationCode')
    expect(validateUscc(code, { checkOrganizationCode: false }).ok).toBe(true)
  })

  it('accepts every generated valid USCC', () => {
    fc.assert(fc.property(validUscc, (u) => validateUscc(u).ok))
  })

  it('rejects every single-character substitution within the charset (weights are non-zero mod 31)', () => {
    fc.assert(
      fc.property(validUscc, (u) => {
        for (let i = 0; i < 18; i++) {
          for (const c of USCC_CHARSET) {
            if (c === u[i]) continue
            if (validateUscc(u.slice(0, i) + c + u.slice(i + 1)).ok) return false
          }
        }
        return true
      }),
      { numRuns: 200 },
    )
  })

  it('rejects every adjacent transposition of distinct characters, the check character included', () => {
    // Weights 3^i mod 31 differ between neighbours (difference −2·3^i), and w17 − 1 = 27 ≢ 0 (mod 31) for
    // the last pair, so MOD 31 catches all of them even without the organization-code check.
    fc.assert(
      fc.property(validUscc, (u) => {
        for (let i = 0; i < 17; i++) {
          if (u[i] === u[i + 1]) continue
          const swapped = u.slice(0, i) + u[i + 1] + u[i] + u.slice(i + 2)
          if (validateUscc(swapped, { checkOrganizationCode: false }).ok) return false
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
          fc.stringMatching(/^[0-9A-Za-z]{18}$/),
        ),
        (s) => {
          const r = validateUscc(s)
          return typeof r.ok === 'boolean'
        },
      ),
    )
    expect(validateUscc(42 as unknown as string).ok).toBe(false)
  })
})

describe('parseUscc', () => {
  it('splits a code into its parts', () => {
    expect(parseUscc('91350100M000100Y43')).toEqual({
      ok: true,
      value: {
        uscc: '91350100M000100Y43',
        registrationAuthority: { code: '9', name: '工商（市场监管）' },
        entityType: { code: '1', name: '企业' },
        regionCode: '350100',
        region: { code: '350100', name: '福州市', level: 'prefecture', parentCode: '350000' },
        organizationCode: 'M000100Y4',
        checkCharacter: '3',
      },
    })
  })
  it('leaves region out for central registrations (100000)', () => {
    const r = parseUscc('11100000000013127D')
    expect(r.ok && r.value.region).toBeUndefined()
    expect(r.ok && r.value.entityType.name).toBe('机关')
  })
  it('returns the failure of validation', () => {
    expect(parseUscc('x').ok).toBe(false)
  })
})

describe('GB 32100-2015 as the standard writes it', () => {
  it('computes the MOD 31 check character of the worked example 91350100M000100Y43', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3')
  })

  it('reaches every one of the 31 check characters, each accepted, lower case read as upper', () => {
    const seen = new Map<string, string>()
    for (let n = 0; seen.size < 31 && n < 100_000; n++) {
      const uscc = buildUscc({ organizationCode: n })
      seen.set(uscc[17]!, uscc)
    }
    expect([...seen.keys()].sort().join('')).toBe([...USCC_CHARSET].sort().join(''))
    for (const uscc of seen.values()) {
      expect(validateUscc(uscc).ok).toBe(true)
      expect(validateUscc(uscc.toLowerCase())).toEqual({ ok: true, value: uscc })
    }
  })

  it('names the rule every refusal broke', () => {
    const good = buildUscc()
    const otherCheck = USCC_CHARSET[(USCC_CHARSET.indexOf(good[17]!) + 1) % 31]
    const cases: [string, string][] = [
      [good.slice(0, 17), GB32100_RULES.structure],
      [`${good.slice(0, 5)}I${good.slice(6)}`, GB32100_RULES.charset],
      [good.slice(0, 17) + otherCheck, GB32100_RULES.checkCharacter],
    ]
    for (const [input, rule] of cases) {
      const r = validateUscc(input)
      expect(r.ok ? undefined : r.error.rule, input).toBe(rule)
    }
  })
})
