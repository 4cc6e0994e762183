import { createCipheriv } from 'node:crypto'
import fc from 'fast-check'
import smCrypto from 'sm-crypto'
import { describe, expect, it } from 'vitest'
import {
  DecryptionError,
  deriveKeys,
  hmacSm3,
  sm2GenerateKeyPair,
  sm2PrecomputePublicKey,
  sm2Sign,
  sm2Verify,
  sm3,
  sm4Decrypt,
  sm4Encrypt,
} from './crypto.ts'

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'))
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'))

describe('SM3', () => {
  it('matches the GM/T 0004 examples', () => {
    expect(sm3(ascii('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0')
    expect(sm3(ascii('abcd'.repeat(16)))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    )
    expect(sm3('abc')).toBe(sm3(ascii('abc')))
  })
  it('hashes strings as UTF-8', () => {
    expect(sm3('通办')).toBe(sm3(new TextEncoder().encode('通办')))
  })
  it('computes HMAC-SM3 consistently with the RFC 2104 construction', () => {
    const key = new Uint8Array(16).fill(0x0b)
    const inner = new Uint8Array(64 + 3)
    const outerKey = new Uint8Array(64)
    for (let i = 0; i < 64; i++) {
      inner[i] = (key[i] ?? 0) ^ 0x36
      outerKey[i] = (key[i] ?? 0) ^ 0x5c
    }
    inner.set(ascii('abc'), 64)
    const expected = sm3(new Uint8Array([...outerKey, ...hex(sm3(inner))]))
    expect(hmacSm3(key, 'abc')).toBe(expected)
  })
})

describe('SM4', () => {
  const keys = deriveKeys(new Uint8Array(32).fill(1))

  it('passes the GM/T 0002 block-cipher example through Node (ECB, no padding)', () => {
    const key = hex('0123456789abcdeffedcba9876543210')
    const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false)
    const out = Buffer.concat([cipher.update(key), cipher.final()]).toString('hex')
    expect(out).toBe('681edf34d206965e86b3e94f536e4246')
  })

  it('round-trips text and bytes, with a fresh IV each time', () => {
    const a = sm4Encrypt('110105199001011234', keys)
    const b = sm4Encrypt('110105199001011234', keys)
    expect(a).not.toBe(b)
    expect(a).toMatch(/^sm4\.1\.[A-Za-z0-9_-]+$/)
    expect(new TextDecoder().decode(sm4Decrypt(a, keys))).toBe('110105199001011234')
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) =>
        Buffer.from(sm4Decrypt(sm4Encrypt(bytes, keys), keys)).equals(Buffer.from(bytes)),
      ),
    )
  })

  it('throws DecryptionError on any tampering', () => {
    const token = sm4Encrypt('secret', keys)
    const body = token.slice('sm4.1.'.length)
    for (let i = 0; i < body.length; i++) {
      const c = body[i] === 'A' ? 'B' : 'A'
      const tampered = `sm4.1.${body.slice(0, i)}${c}${body.slice(i + 1)}`
      expect(() => sm4Decrypt(tampered, keys)).toThrow(DecryptionError)
    }
    expect(() => sm4Decrypt(token.replace('sm4.1.', 'sm4.2.'), keys)).toThrow(DecryptionError)
    expect(() => sm4Decrypt(token.slice(0, -4), keys)).toThrow(DecryptionError)
    expect(() => sm4Decrypt('', keys)).toThrow(DecryptionError)
    expect(() => sm4Decrypt(`${token}==`, keys)).toThrow(DecryptionError)
  })

  it('throws DecryptionError under other keys', () => {
    const token = sm4Encrypt('secret', keys)
    expect(() => sm4Decrypt(token, deriveKeys(new Uint8Array(32).fill(2)))).toThrow(DecryptionError)
    expect(() => sm4Decrypt(token, { encKey: keys.encKey, macKey: new Uint8Array(32) })).toThrow(
      DecryptionError,
    )
  })

  it('derives distinct, deterministic keys and rejects bad key sizes', () => {
    const k = deriveKeys(new Uint8Array(32).fill(1))
    expect(k.encKey).toHaveLength(16)
    expect(k.macKey).toHaveLength(32)
    expect(Buffer.from(k.encKey).equals(Buffer.from(keys.encKey))).toBe(true)
    expect(Buffer.from(k.macKey.subarray(0, 16)).equals(Buffer.from(k.encKey))).toBe(false)
    expect(() => deriveKeys(new Uint8Array(8))).toThrow(TypeError)
    expect(() => sm4Encrypt('x', { encKey: new Uint8Array(8), macKey: k.macKey })).toThrow(TypeError)
  })
})

describe('SM2', () => {
  const { privateKey, publicKey } = sm2GenerateKeyPair()

  it('generates uncompressed keys', () => {
    expect(privateKey).toMatch(/^[0-9a-f]{64}$/)
    expect(publicKey).toMatch(/^04[0-9a-f]{128}$/)
  })

  it('signs r‖s and verifies with a plain or precomputed public key', () => {
    const signature = sm2Sign('办件 110105-20260306-000042-3', privateKey)
    expect(signature).toMatch(/^[0-9a-f]{128}$/)
    expect(sm2Verify('办件 110105-20260306-000042-3', signature, publicKey)).toBe(true)
    expect(sm2Verify('办件 110105-20260306-000042-3', signature, sm2PrecomputePublicKey(publicKey))).toBe(
      true,
    )
  })

  it('interoperates with sm-crypto in both directions (SM3 with Z, default user ID, raw r‖s)', () => {
    const message = 'hello 通办'
    const ours = sm2Sign(message, privateKey)
    expect(smCrypto.sm2.doVerifySignature(message, ours, publicKey, { der: false, hash: true })).toBe(true)
    const theirs = smCrypto.sm2.doSignature(message, privateKey, { der: false, hash: true })
    expect(sm2Verify(message, theirs, publicKey)).toBe(true)
    expect(sm2Verify(message, theirs, sm2PrecomputePublicKey(publicKey))).toBe(true)
  })

  it('uses the user ID in the Z value', () => {
    const message = 'abc'
    const signature = sm2Sign(message, privateKey, { userId: 'ALICE123@YAHOO.COM' })
    expect(sm2Verify(message, signature, publicKey, { userId: 'ALICE123@YAHOO.COM' })).toBe(true)
    expect(sm2Verify(message, signature, publicKey)).toBe(false)
    const theirs = smCrypto.sm2.doSignature(message, privateKey, {
      der: false,
      hash: true,
      userId: 'ALICE123@YAHOO.COM',
    })
    expect(sm2Verify(message, theirs, publicKey, { userId: 'ALICE123@YAHOO.COM' })).toBe(true)
  })

  it('signs bytes as bytes', () => {
    const bytes = hex('00ff10')
    expect(sm2Verify(bytes, sm2Sign(bytes, privateKey), publicKey)).toBe(true)
  })

  it('rejects tampered messages, signatures and keys without throwing', () => {
    const signature = sm2Sign('message', privateKey)
    const precomputed = sm2PrecomputePublicKey(publicKey)
    expect(sm2Verify('messagE', signature, precomputed)).toBe(false)
    for (let i = 0; i < 128; i += 7) {
      const c = signature[i] === '0' ? '1' : '0'
      expect(sm2Verify('message', signature.slice(0, i) + c + signature.slice(i + 1), precomputed)).toBe(
        false,
      )
    }
    expect(sm2Verify('message', signature, sm2GenerateKeyPair().publicKey)).toBe(false)
    expect(sm2Verify('message', '00'.repeat(64), publicKey)).toBe(false)
    expect(sm2Verify('message', 'ff'.repeat(64), publicKey)).toBe(false)
    expect(sm2Verify('message', `04${signature.slice(2)}`, `04${'00'.repeat(64)}`)).toBe(false)
    expect(sm2Verify('message', null as unknown as string, publicKey)).toBe(false)
    fc.assert(fc.property(fc.string(), fc.string(), (s, k) => sm2Verify('message', s, k) === false))
  })

  it('refuses to precompute an invalid public key', () => {
    expect(() => sm2PrecomputePublicKey(`04${'00'.repeat(64)}`)).toThrow(TypeError)
    expect(() => sm2Sign('x', 'zz')).toThrow(TypeError)
  })
})
