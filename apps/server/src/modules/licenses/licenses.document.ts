import {
  type PrecomputedSm2PublicKey,
  SM2_DEFAULT_USER_ID,
  sm2PrecomputePublicKey,
  sm2Sign,
  sm2Verify,
} from '@tongban/standards'

/**
 * The signed part of an 电子证照, with metadata after GB/T 36903 (证照标识, 证照类型, 持证主体, 颁证单位,
 * 颁证日期, 有效期, 照面信息). It is signed as its canonical JSON, so anyone can re-serialize and verify.
 */
export type LicenseDocument = {
  /** 证照标识 (GB/T 36904 structure). */
  licenseId: string
  licenseType: { code: string; name: string }
  holder: { kind: 'person' | 'company'; name: string; identifier: string | null }
  issuer: { name: string; code: string; regionCode: string }
  /** 颁证日期, YYYY-MM-DD (Asia/Shanghai). */
  issuedOn: string
  validFrom: string
  /** null: 长期有效. */
  validUntil: string | null
  version: number
  fields: Record<string, unknown>
  /** When the signature was made (ISO 8601): must lie in the signing key's validity period. */
  signedAt: string
  keyId: string
}

/** A published signing key as an offline verifier gets it from GET /api/v1/licenses/keys. */
export interface PublishedKey {
  keyId: string
  algorithm: string
  publicKey: string
  validFrom: string
  validUntil: string | null
  issuerCode?: string
}

export interface SignedLicenseFile {
  document: LicenseDocument
  signature: { algorithm: 'SM2-SM3'; keyId: string; userId: string; value: string }
}

/** JSON with object keys sorted and no whitespace: the byte string that is signed. */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(',')}}`
}

/** Signs a document with an SM2 private key (hex); returns the file a holder downloads. */
export function signLicense(document: LicenseDocument, privateKeyHex: string): SignedLicenseFile {
  return {
    document,
    signature: {
      algorithm: 'SM2-SM3',
      keyId: document.keyId,
      userId: SM2_DEFAULT_USER_ID,
      value: sm2Sign(canonicalize(document), privateKeyHex),
    },
  }
}

export type OfflineVerdict =
  | { ok: true; key: PublishedKey }
  | { ok: false; reason: 'unknown-key' | 'key-not-valid-then' | 'bad-signature' | 'malformed' }

const precomputed = new Map<string, PrecomputedSm2PublicKey>()

/** A precomputed SM2 public key, kept per key (verification of many licenses of one issuer is fast). */
export function precomputedKey(publicKeyHex: string): PrecomputedSm2PublicKey {
  let key = precomputed.get(publicKeyHex)
  if (!key) {
    key = sm2PrecomputePublicKey(publicKeyHex)
    precomputed.set(publicKeyHex, key)
  }
  return key
}

/**
 * Verifies a signed license offline against published keys: the key must be known, SM2, and valid at the
 * signature time (a key rotated out cannot make new signatures), and the SM2 signature must hold over the
 * canonical document. Says nothing about revocation: that needs the online check.
 */
export function verifyLicenseOffline(file: SignedLicenseFile, keys: readonly PublishedKey[]): OfflineVerdict {
  const document = file?.document
  const signature = file?.signature
  if (!document || typeof document !== 'object' || !signature || typeof signature.value !== 'string')
    return { ok: false, reason: 'malformed' }
  if (signature.keyId !== document.keyId) return { ok: false, reason: 'malformed' }
  const key = keys.find((k) => k.keyId === document.keyId && k.algorithm === 'SM2')
  if (!key) return { ok: false, reason: 'unknown-key' }
  const signedAt = Date.parse(document.signedAt)
  if (
    Number.isNaN(signedAt) ||
    signedAt < Date.parse(key.validFrom) ||
    (key.validUntil !== null && signedAt >= Date.parse(key.validUntil))
  )
    return { ok: false, reason: 'key-not-valid-then' }
  let publicKey: PrecomputedSm2PublicKey
  try {
    publicKey = precomputedKey(key.publicKey)
  } catch {
    return { ok: false, reason: 'unknown-key' }
  }
  const valid = sm2Verify(canonicalize(document), signature.value, publicKey, {
    userId: signature.userId || SM2_DEFAULT_USER_ID,
  })
  return valid ? { ok: true, key } : { ok: false, reason: 'bad-signature' }
}
