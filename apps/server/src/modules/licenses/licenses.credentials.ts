import { randomUUID } from 'node:crypto'
import type { DidDocument } from '@tongban/contracts'
import { SignJWT } from 'jose'
import type { SignedLicenseFile } from './licenses.document.ts'
import type { Ed25519Signer } from './licenses.keys.ts'

/**
 * W3C credential export of 电子证照: each department is a `did:web` identifier under the installation's
 * public URL and signs credentials with its Ed25519 key. The credential follows the VC Data Model 1.1 in
 * its JWT encoding (the `vc` claim), the form deployed wallets and `did-jwt-vc` verify; see
 * docs/decisions/0007-license-credentials-vc-jwt-did-web.md.
 */

export const VC_CONTEXT = 'https://www.w3.org/2018/credentials/v1'
/** Vocabulary of the credential's own terms (credentialSubject), declared inline as @vocab. */
export const LICENSE_VOCABULARY = 'https://tongban.dev/ns/license#'
const DID_CONTEXTS = ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1']

/**
 * The did:web identifier of a department: the public URL's host (its port's colon percent-encoded) and
 * path, then `departments:<id>`; resolvers read it from `<public URL>/departments/<id>/did.json`.
 */
export function departmentDid(publicUrl: string, departmentId: string): string {
  const url = new URL(publicUrl)
  const path = url.pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => encodeURIComponent(segment))
  return ['did', 'web', encodeURIComponent(url.host), ...path, 'departments', departmentId].join(':')
}

/** A published Ed25519 key of a department with its signing period. */
export interface CredentialKey {
  keyId: string
  /** The raw key, base64url (the JWK's x). */
  publicKey: string
  validUntil: Date | null
}

/**
 * The department's DID document: every Ed25519 key it ever used, so credentials signed before a rotation
 * stay verifiable; a rotated-out key carries `expires` (W3C Controlled Identifiers), the end of its
 * signing period.
 */
export function departmentDidDocument(did: string, keys: readonly CredentialKey[]): DidDocument {
  const methods = keys.map((key) => ({
    id: `${did}#${key.keyId}`,
    type: 'JsonWebKey2020' as const,
    controller: did,
    publicKeyJwk: { kty: 'OKP' as const, crv: 'Ed25519' as const, x: key.publicKey },
    ...(key.validUntil ? { expires: key.validUntil.toISOString() } : {}),
  }))
  return {
    '@context': DID_CONTEXTS,
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  }
}

/** The end of a license's last day of validity (Asia/Shanghai), as a Unix time. */
function endOfDay(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00+08:00`) / 1000) + 86_400
}

export interface ExportedCredential {
  jwt: string
  verificationMethod: string
  credentialId: string
  issuedAt: Date
  expiresAt: Date | null
}

/**
 * Signs a license as a VC-JWT: the subject is the holder with the license as it was SM2-signed (GB/T
 * 36903 metadata, fields and the SM2 signature, so a verifier holding the SM2 keys can check both).
 * `nbf` is the signing time and must lie inside the key's signing period; `exp` is the license's end.
 */
export async function signLicenseCredential(params: {
  did: string
  signer: Ed25519Signer
  file: SignedLicenseFile
  now: Date
}): Promise<ExportedCredential> {
  const { did, signer, file, now } = params
  const { document } = file
  const issuedAt = Math.floor(now.getTime() / 1000)
  const expires = document.validUntil ? endOfDay(document.validUntil) : undefined
  const credentialId = `urn:uuid:${randomUUID()}`
  const verificationMethod = `${did}#${signer.keyId}`
  const builder = new SignJWT({
    vc: {
      '@context': [VC_CONTEXT, { '@vocab': LICENSE_VOCABULARY }],
      type: ['VerifiableCredential', 'ElectronicLicenseCredential'],
      credentialSubject: {
        type: 'LicenseHolder',
        kind: document.holder.kind,
        name: document.holder.name,
        identifier: document.holder.identifier,
        license: {
          ...document,
          sm2Signature: { algorithm: file.signature.algorithm, value: file.signature.value },
        },
      },
    },
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: verificationMethod })
    .setIssuer(did)
    .setJti(credentialId)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
  if (expires !== undefined) builder.setExpirationTime(expires)
  return {
    jwt: await builder.sign(signer.privateKey),
    verificationMethod,
    credentialId,
    issuedAt: new Date(issuedAt * 1000),
    expiresAt: expires === undefined ? null : new Date(expires * 1000),
  }
}
