import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose'
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { PersonalDataVault } from '../../platform/crypto.ts'
import type { Database } from '../../platform/db/schema.ts'

/** Algorithms the provider signs with: RS256 is every client's default, ES256 is offered too. */
export const SIGNING_ALGORITHMS = ['RS256', 'ES256'] as const
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number]

/**
 * How long a retired key stays published: longer than anything it signed can live (ID tokens 1 h,
 * access tokens 10 min, logout and userinfo JWTs less), so every token it signed verifies until expiry.
 */
export const RETIRED_KEY_PUBLISHED_MS = 2 * 60 * 60 * 1000

export interface SigningKeySet {
  /** Private JWKs for the provider: the current key of each algorithm first, then the retired ones. */
  privateJwks: JWK[]
  /** Public JWKs of every published key, for local verification. */
  publicJwks: JWK[]
}

/** The provider's signing keys, kept in `oidc_signing_keys` with the private part SM4-encrypted. */
export class SigningKeyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  /**
   * The published keys, generating a current key for any algorithm that has none (first start) or whose
   * current key cannot be decrypted with this installation's master key (the master key was replaced):
   * that key is retired, and stays published for verification like any retired key.
   */
  async load(): Promise<SigningKeySet> {
    for (const alg of SIGNING_ALGORITHMS) {
      const current = await this.db
        .selectFrom('oidc_signing_keys')
        .select(['kid', 'private_jwk_encrypted'])
        .where('alg', '=', alg)
        .where('retired_at', 'is', null)
        .execute()
      if (current.some((row) => this.decrypt(row.private_jwk_encrypted))) continue
      const kid = await this.insertKey(alg)
      if (current.length > 0)
        await this.db
          .updateTable('oidc_signing_keys')
          .set({ retired_at: this.clock.now() })
          .where(
            'kid',
            'in',
            current.map((row) => row.kid),
          )
          .where('kid', '!=', kid)
          .execute()
    }
    return this.published()
  }

  /**
   * Rotates: a new current key per algorithm; the previous ones are retired (they no longer sign) but
   * stay published for RETIRED_KEY_PUBLISHED_MS. Returns the new key ids.
   */
  async rotate(): Promise<string[]> {
    const now = this.clock.now()
    const kids: string[] = []
    for (const alg of SIGNING_ALGORITHMS) {
      const kid = await this.insertKey(alg)
      await this.db
        .updateTable('oidc_signing_keys')
        .set({ retired_at: now })
        .where('alg', '=', alg)
        .where('retired_at', 'is', null)
        .where('kid', '!=', kid)
        .execute()
      kids.push(kid)
    }
    return kids
  }

  /** Keys still published, current first (newest first within each group). */
  async published(): Promise<SigningKeySet> {
    const cutoff = new Date(this.clock.now().getTime() - RETIRED_KEY_PUBLISHED_MS)
    const rows = await this.db
      .selectFrom('oidc_signing_keys')
      .select(['kid', 'public_jwk', 'private_jwk_encrypted', 'retired_at', 'created_at'])
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', cutoff)]))
      .orderBy('created_at', 'desc')
      .execute()
    // oidc-provider signs with the first key of an algorithm: unretired keys go first
    rows.sort((a, b) => Number(a.retired_at !== null) - Number(b.retired_at !== null))
    return {
      privateJwks: rows.flatMap((row) => {
        const jwk = this.decrypt(row.private_jwk_encrypted)
        return jwk ? [jwk] : []
      }),
      publicJwks: rows.map((row) => row.public_jwk as JWK),
    }
  }

  /** The private JWK, or undefined when it was encrypted under another master key. */
  private decrypt(encrypted: string): JWK | undefined {
    try {
      return JSON.parse(this.vault.decrypt(encrypted)) as JWK
    } catch {
      return undefined
    }
  }

  private async insertKey(alg: SigningAlgorithm): Promise<string> {
    const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 })
    const jwk = await exportJWK(privateKey)
    const kid = await calculateJwkThumbprint(jwk)
    const privateJwk: JWK = { ...jwk, kid, alg, use: 'sig' }
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk
    await this.db
      .insertInto('oidc_signing_keys')
      .values({
        kid,
        alg,
        public_jwk: JSON.stringify(publicJwk),
        private_jwk_encrypted: this.vault.encrypt(JSON.stringify(privateJwk)),
        created_at: this.clock.now(),
      })
      .execute()
    return kid
  }
}
