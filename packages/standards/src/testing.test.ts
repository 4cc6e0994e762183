import { describe, expect, it } from 'vitest'
import { parseIdNumber } from './id-number.ts'
import { buildIdNumber, buildUscc } from './testing.ts'
import { parseUscc, USCC_AUTHORITIES } from './uscc.ts'

describe('test-data builders', () => {
  it('builds valid ID numbers honouring every option', () => {
    const id = buildIdNumber({ regionCode: '310115', birthDate: '1985-07-09', sex: 'female', sequence: 41 })
    const r = parseIdNumber(id)
    expect(r.ok && r.value).toMatchObject({ regionCode: '310115', birthDate: '1985-07-09', sex: 'female' })
    expect(buildIdNumber()).toBe(buildIdNumber())
  })

  it('builds valid USCCs for every authority and entity type', () => {
    for (const [authority, { types }] of Object.entries(USCC_AUTHORITIES)) {
      for (const type of Object.keys(types)) {
        const r = parseUscc(
          buildUscc({ registrationAuthority: authority, entityType: type, organizationCode: 'MA5FUTBB' }),
        )
        expect(r.ok && r.value.entityType.code).toBe(type)
      }
    }
    expect(() => buildUscc({ registrationAuthority: 'Z' })).toThrow(TypeError)
    expect(() => buildUscc({ organizationCode: 'IIIIIIII' })).toThrow(TypeError)
  })
})
