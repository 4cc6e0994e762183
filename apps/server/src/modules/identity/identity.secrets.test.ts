import { describe, expect, it } from 'vitest'
import { PersonalDataVault } from '../../platform/crypto.ts'
import {
  checkPasswordPolicy,
  checkTotp,
  demoTotpSecret,
  generatePassword,
  hashCode,
  hashPassword,
  newTotpSecret,
  totpCode,
  verifyPassword,
} from './identity.secrets.ts'

const vault = new PersonalDataVault(Buffer.alloc(32, 7))
const otherInstall = new PersonalDataVault(Buffer.alloc(32, 8))

describe('password hashing', () => {
  it('salts per account and peppers per install', async () => {
    const a = await hashPassword(vault, 'Tongban@2026')
    const b = await hashPassword(vault, 'Tongban@2026')
    expect(a).not.toBe(b)
    expect(await verifyPassword(vault, 'Tongban@2026', a)).toBe(true)
    expect(await verifyPassword(vault, 'Tongban@2027', a)).toBe(false)
    // the same hash is useless on an installation with another master key
    expect(await verifyPassword(otherInstall, 'Tongban@2026', a)).toBe(false)
    expect(await verifyPassword(vault, 'Tongban@2026', null)).toBe(false)
    expect(await verifyPassword(vault, 'Tongban@2026', 'md5$whatever')).toBe(false)
  })
})

describe('password policy', () => {
  const codes = (password: string, context = {}) => checkPasswordPolicy(password, context).map((e) => e.code)
  it('wants 10 characters of 3 classes', () => {
    expect(codes('Aa1!')).toEqual(['passwordLength'])
    expect(codes('abcdefghijk')).toEqual(['passwordClasses'])
    expect(codes('abcdefghij1')).toEqual(['passwordClasses'])
    expect(codes('abcdefghij1A')).toEqual([])
    expect(codes('密码很长很长很长很长1a')).toEqual([])
  })
  it('refuses the account’s own identifiers, whatever the case', () => {
    expect(codes('x33010619850312933xY!', { idNumber: '33010619850312933X' })).toEqual([
      'passwordContainsIdentifier',
    ])
    expect(codes('Ph#13800000001', { phone: '13800000001' })).toEqual(['passwordContainsIdentifier'])
    expect(codes('XH.ZW.CLERK#2026a', { username: 'xh.zw.clerk' })).toEqual(['passwordContainsIdentifier'])
  })
  it('generates passwords that pass it', () => {
    for (let i = 0; i < 50; i++) expect(checkPasswordPolicy(generatePassword(), {})).toEqual([])
  })
})

describe('TOTP', () => {
  const at = new Date('2026-11-23T02:00:10Z')
  it('accepts the current code and one step of drift, never a step twice', () => {
    const secret = newTotpSecret()
    const code = totpCode(secret, at)
    const step = checkTotp(secret, code, at, null)
    expect(step).toBe(Math.floor(at.getTime() / 30_000))
    expect(checkTotp(secret, totpCode(secret, new Date(at.getTime() - 30_000)), at, null)).toBe(step! - 1)
    expect(checkTotp(secret, totpCode(secret, new Date(at.getTime() - 90_000)), at, null)).toBeUndefined()
    expect(checkTotp(secret, code, at, step!)).toBeUndefined()
    expect(checkTotp(secret, 'abcdef', at, null)).toBeUndefined()
    expect(checkTotp(secret, code, at, step! + 5)).toBeUndefined()
  })
  it('derives demo secrets from the master key and the label only', () => {
    expect(demoTotpSecret(vault, 'xh.zw.clerk')).toBe(demoTotpSecret(vault, 'xh.zw.clerk'))
    expect(demoTotpSecret(vault, 'xh.zw.clerk')).not.toBe(demoTotpSecret(otherInstall, 'xh.zw.clerk'))
    expect(demoTotpSecret(vault, 'xh.zw.clerk')).toMatch(/^[A-Z2-7]{32}$/)
  })
})

describe('reset codes', () => {
  it('are stored as keyed hashes bound to their reset', () => {
    expect(hashCode(vault, 'r1', '123456')).not.toBe(hashCode(vault, 'r2', '123456'))
    expect(hashCode(vault, 'r1', '123456')).not.toContain('123456')
  })
})
