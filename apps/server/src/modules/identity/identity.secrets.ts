import { randomBytes, randomInt, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'
import type { FieldError } from '@tongban/contracts'
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib'
import type { PersonalDataVault } from '../../platform/crypto.ts'

/**
 * Password hashing, password policy, TOTP and one-time codes: every secret of the identity module is
 * made and checked here, so the parameters live in one place.
 */

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 }

function scryptAsync(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  )
}

/**
 * The per-install pepper: the password is first keyed with HMAC-SM3 under a key derived from the master
 * key (never stored in the database), so a stolen accounts table alone cannot be brute-forced.
 */
function peppered(vault: PersonalDataVault, password: string): string {
  return vault.blindIndex('password-pepper', password.normalize('NFC'))
}

/** Hashes a password: scrypt (N=2^15, r=8, p=1) with a per-account 16-byte salt over the peppered password. */
export async function hashPassword(vault: PersonalDataVault, password: string): Promise<string> {
  const salt = randomBytes(16)
  const { N, r, p, keyLength } = SCRYPT
  const key = await scryptAsync(peppered(vault, password), salt, keyLength, { N, r, p, maxmem: 256 * N * r })
  return `scrypt$${Math.log2(N)}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** A hash that takes as long to check as a real one: for unknown logins, so timing reveals nothing. */
let dummyHash: Promise<string> | undefined

/** Checks a password against a stored hash in constant time; an absent hash checks a dummy and fails. */
export async function verifyPassword(
  vault: PersonalDataVault,
  password: string,
  stored: string | null,
): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword(vault, 'not-a-password-0A!')
    await verifyPassword(vault, password, await dummyHash)
    return false
  }
  const [scheme, logN, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const N = 2 ** Number(logN)
  const expected = Buffer.from(hash, 'base64')
  const key = await scryptAsync(peppered(vault, password), Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 256 * N * Number(r),
  })
  return timingSafeEqual(key, expected)
}

const CLASSES: [RegExp, string, string][] = [
  [/[a-z]/, '小写字母', 'lower-case letters'],
  [/[A-Z]/, '大写字母', 'capital letters'],
  [/[0-9]/, '数字', 'digits'],
  [/[^A-Za-z0-9]/, '符号', 'symbols'],
]

/** What a password must not contain: the account's own identifiers. */
export interface PasswordContext {
  idNumber?: string | undefined
  phone?: string | undefined
  username?: string | undefined
  uscc?: string | undefined
}

/**
 * 密码策略: at least 10 characters of at least 3 of the 4 classes (lower, upper, digits, symbols), not
 * containing the account's ID number, phone number, username or credit code. Returns field errors (empty
 * when the password is acceptable) with the path given.
 */
export function checkPasswordPolicy(
  password: string,
  context: PasswordContext,
  path = '/password',
): FieldError[] {
  const errors: FieldError[] = []
  if ([...password].length < 10) {
    errors.push({
      path,
      code: 'passwordLength',
      message: { zh: '密码至少需要 10 个字符', en: 'The password needs at least 10 characters' },
    })
  }
  const classes = CLASSES.filter(([pattern]) => pattern.test(password)).length
  if (classes < 3) {
    errors.push({
      path,
      code: 'passwordClasses',
      message: {
        zh: '密码须包含小写字母、大写字母、数字、符号中的至少 3 类',
        en: 'The password needs at least 3 of: lower-case letters, capital letters, digits, symbols',
      },
    })
  }
  const lower = password.toLowerCase()
  const identifiers: [string | undefined, string, string][] = [
    [context.idNumber, '身份证号码', 'ID number'],
    [context.phone, '手机号码', 'phone number'],
    [context.username, '用户名', 'username'],
    [context.uscc, '统一社会信用代码', 'credit code'],
  ]
  for (const [value, zh, en] of identifiers) {
    if (value && value.length >= 3 && lower.includes(value.toLowerCase())) {
      errors.push({
        path,
        code: 'passwordContainsIdentifier',
        message: { zh: `密码不能包含您的${zh}`, en: `The password must not contain your ${en}` },
      })
    }
  }
  return errors
}

/** A strong random password meeting the policy (16 characters, all 4 classes), for new staff and bootstrap. */
export function generatePassword(): string {
  const sets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!@#$%^&*-_=+?']
  const all = sets.join('')
  const chars = sets.map((set) => set[randomInt(set.length)]!)
  while (chars.length < 16) chars.push(all[randomInt(all.length)]!)
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[chars[i], chars[j]] = [chars[j]!, chars[i]!]
  }
  return chars.join('')
}

/** A 6-digit one-time code (password reset). */
export function generateCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0')
}

/** Keyed hash of a one-time code bound to its reset, so stored codes are useless without the master key. */
export function hashCode(vault: PersonalDataVault, resetId: string, code: string): string {
  return vault.blindIndex('password-reset-code', `${resetId}\u0000${code}`)
}

/** Keyed hash of a contact-change code bound to its change (a purpose of its own: never a reset code). */
export function hashContactCode(vault: PersonalDataVault, changeId: string, code: string): string {
  return vault.blindIndex('contact-change-code', `${changeId}\u0000${code}`)
}

export const TOTP_ISSUER = '通办 Tongban'
const TOTP_PERIOD = 30

/** A fresh random TOTP secret (base32, 160 bits). */
export function newTotpSecret(): string {
  return generateSecret()
}

/**
 * A TOTP secret derived from the master key and a label: only for demo staff, so that a demo
 * installation's codes can be shown by `tongban admin totp` without storing anything extra.
 */
export function demoTotpSecret(vault: PersonalDataVault, label: string): string {
  const bytes = Buffer.from(vault.blindIndex('demo-totp-secret', label), 'hex').subarray(0, 20)
  return base32(bytes)
}

function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secret: string, label: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label, secret, period: TOTP_PERIOD })
}

/** The current code of a secret at a time (demo helper and tests). */
export function totpCode(secret: string, at: Date): string {
  return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000), period: TOTP_PERIOD })
}

/**
 * Checks a TOTP code at a time, accepting one step of clock drift either way; returns the accepted
 * time step, or undefined. Codes of steps at or before `afterStep` are refused (no replay).
 */
export function checkTotp(
  secret: string,
  code: string,
  at: Date,
  afterStep: number | null,
): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined
  const maxStep = Math.floor((at.getTime() / 1000 + TOTP_PERIOD) / TOTP_PERIOD)
  if (afterStep !== null && afterStep >= maxStep) return undefined
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(at.getTime() / 1000),
    period: TOTP_PERIOD,
    epochTolerance: TOTP_PERIOD,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  })
  // the TOTP strategy's result carries the accepted time step (the union type also covers HOTP)
  return result.valid ? (result as { timeStep: number }).timeStep : undefined
}
