import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { sm2GenerateKeyPair } from '@tongban/standards'
import type { Transaction } from 'kysely'
import type { Database } from '../../platform/db/schema.ts'
import { AppError } from '../../platform/errors.ts'
import type { Platform } from '../../platform/platform.ts'
import { messages } from './licenses.messages.ts'
import type { LicensesRepository, SigningKeyRecord } from './licenses.repository.ts'

/** A department's current SM2 signing key, decrypted in memory only. */
export interface Sm2Signer {
  keyId: string
  privateKey: string
  publicKey: string
}

/** A department's current Ed25519 key for W3C credential export. */
export interface Ed25519Signer {
  keyId: string
  privateKey: KeyObject
  publicKey: string
}

/** How long a node trusts its cached current key before looking again (another node may have rotated). */
const CACHE_MS = 30_000
/** A rotated-out key's signing period ends this long after the rotation (the nodes' cache lifetime). */
export const ROTATION_GRACE_MS = CACHE_MS

/**
 * Per-department signing keys: generated and rotated by the security admin, private keys SM4-encrypted
 * with the installation key at rest, public keys published with their validity periods.
 */
export class LicenseKeyRing {
  private readonly cache = new Map<string, { at: number; signer: Sm2Signer | Ed25519Signer }>()

  constructor(
    private readonly platform: Platform,
    private readonly repository: LicensesRepository,
  ) {}

  /**
   * Ends the department's current keys now and creates new SM2 and Ed25519 keys valid from now, in the
   * caller's transaction. Licenses signed before stay verifiable with the old keys' published periods.
   */
  async rotate(
    trx: Transaction<Database>,
    departmentId: string,
    createdBy: string | null,
  ): Promise<SigningKeyRecord[]> {
    const now = this.platform.clock.now()
    // the old key may still sign for as long as another node trusts its cached copy; not a second longer
    await this.repository.endCurrentKeys(trx, departmentId, new Date(now.getTime() + ROTATION_GRACE_MS))
    const sm2 = sm2GenerateKeyPair()
    const ed = generateKeyPairSync('ed25519')
    const edPublic = ed.publicKey.export({ format: 'jwk' }).x as string
    const edPrivate = ed.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')
    const keys = [
      await this.repository.insertKey(trx, {
        department_id: departmentId,
        algorithm: 'SM2',
        public_key: sm2.publicKey,
        private_key_enc: this.platform.vault.encrypt(sm2.privateKey),
        valid_from: now,
        created_by: createdBy,
      }),
      await this.repository.insertKey(trx, {
        department_id: departmentId,
        algorithm: 'Ed25519',
        public_key: edPublic,
        private_key_enc: this.platform.vault.encrypt(edPrivate),
        valid_from: now,
        created_by: createdBy,
      }),
    ]
    this.forget(departmentId)
    return keys
  }

  /** Drops this node's cached keys of a department (after a rotation). */
  forget(departmentId: string): void {
    this.cache.delete(`${departmentId}/SM2`)
    this.cache.delete(`${departmentId}/Ed25519`)
  }

  /** The department's current SM2 key; 409 when the security admin has not generated one. */
  async sm2Signer(departmentId: string): Promise<Sm2Signer> {
    return (await this.current(departmentId, 'SM2')) as Sm2Signer
  }

  /** The department's current Ed25519 key; 409 when none. */
  async ed25519Signer(departmentId: string): Promise<Ed25519Signer> {
    return (await this.current(departmentId, 'Ed25519')) as Ed25519Signer
  }

  private async current(
    departmentId: string,
    algorithm: 'SM2' | 'Ed25519',
  ): Promise<Sm2Signer | Ed25519Signer> {
    const cacheKey = `${departmentId}/${algorithm}`
    const cached = this.cache.get(cacheKey)
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.signer
    const row = await this.repository.findCurrentKey(departmentId, algorithm)
    if (!row) throw new AppError('conflict', { detail: messages.noSigningKey })
    const secret = this.platform.vault.decrypt(row.private_key_enc)
    const signer: Sm2Signer | Ed25519Signer =
      algorithm === 'SM2'
        ? { keyId: row.id, privateKey: secret, publicKey: row.public_key }
        : {
            keyId: row.id,
            privateKey: createPrivateKey({
              key: Buffer.from(secret, 'base64'),
              format: 'der',
              type: 'pkcs8',
            }),
            publicKey: row.public_key,
          }
    this.cache.set(cacheKey, { at: Date.now(), signer })
    return signer
  }
}
