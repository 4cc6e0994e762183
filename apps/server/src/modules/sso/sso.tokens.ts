import { randomUUID } from 'node:crypto'
import {
  createLocalJWKSet,
  importJWK,
  type JWK,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from 'jose'
import type { Clock } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'

/** Clock skew accepted when checking a token's expiry. */
export const CLOCK_TOLERANCE_SECONDS = 30
const CACHE_LIMIT = 10_000
const KEY_RELOAD_INTERVAL_MS = 10_000

/** What the API learns from a verified access token. */
export interface AccessTokenClaims extends JWTPayload {
  sub: string
  jti: string
  exp: number
  client_id?: string
  scope?: string
  acting_for?: string
}

export interface VerifierOptions {
  issuer: string
  audience: string
  clock: Clock
  /** The published public keys (reloaded when a token names a key not seen yet: rotation on another node). */
  loadPublicKeys(): Promise<JWK[]>
  initialKeys: JWK[]
}

/**
 * Verifies the provider's JWT access tokens locally: signature against the published keys, issuer,
 * audience, type and expiry. Verified tokens are remembered (by their exact text, so by their
 * signature) until they expire, so a client repeating its token costs a map look-up, not a signature check.
 */
export class AccessTokenVerifier {
  private keySet: ReturnType<typeof createLocalJWKSet>
  private readonly verified = new Map<string, AccessTokenClaims>()
  private lastReload = 0

  constructor(private readonly options: VerifierOptions) {
    this.keySet = createLocalJWKSet({ keys: options.initialKeys })
  }

  /** Replaces the published keys (after a rotation in this process). */
  setKeys(keys: JWK[]): void {
    this.keySet = createLocalJWKSet({ keys })
  }

  /**
   * The token's claims; throws AppError('unauthenticated') for anything not valid for the API now. A token
   * seen before is answered synchronously (no promise: this runs on every API call).
   */
  verify(token: string): AccessTokenClaims | Promise<AccessTokenClaims> {
    const cached = this.verified.get(token)
    if (!cached) return this.verifyAndRemember(token)
    if (cached.exp + CLOCK_TOLERANCE_SECONDS > this.options.clock.now().getTime() / 1000) return cached
    this.verified.delete(token)
    throw unauthenticated('expired')
  }

  private async verifyAndRemember(token: string): Promise<AccessTokenClaims> {
    const claims = await this.verifyUncached(token, true)
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear()
    this.verified.set(token, claims)
    return claims
  }

  private async verifyUncached(token: string, mayReload: boolean): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        typ: 'at+jwt',
        algorithms: ['RS256', 'ES256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: this.options.clock.now(),
        requiredClaims: ['sub', 'exp', 'jti'],
      })
      if (payload.acting_for !== undefined && typeof payload.acting_for !== 'string')
        throw unauthenticated('claims')
      return payload as AccessTokenClaims
    } catch (error) {
      const now = Date.now()
      if (
        mayReload &&
        error instanceof joseErrors.JWKSNoMatchingKey &&
        now - this.lastReload > KEY_RELOAD_INTERVAL_MS
      ) {
        this.lastReload = now
        this.setKeys(await this.options.loadPublicKeys())
        return this.verifyUncached(token, false)
      }
      if (error instanceof AppError) throw error
      throw unauthenticated(error instanceof Error ? error.name : 'invalid')
    }
  }
}

function unauthenticated(reason: string): AppError {
  return new AppError('unauthenticated', {
    detail: {
      zh: '访问令牌无效或已过期，请重新登录',
      en: 'The access token is invalid or expired; log in again',
    },
    cause: reason,
  })
}

export interface SignOptions {
  issuer: string
  audience: string
  /** A private JWK with kid and alg (the provider's current key). */
  key: JWK
  accountId: string
  clientId: string
  scope: string
  actingFor?: string | undefined
  issuedAt: Date
  ttlSeconds: number
  jti?: string
}

/** Signs an access token with the same header and claims as the provider's JWT access tokens. */
export async function signAccessToken(options: SignOptions): Promise<string> {
  const alg = options.key.alg ?? 'RS256'
  const key = await importJWK(options.key, alg)
  const iat = Math.floor(options.issuedAt.getTime() / 1000)
  return new SignJWT({
    client_id: options.clientId,
    scope: options.scope,
    ...(options.actingFor ? { acting_for: options.actingFor } : {}),
  })
    .setProtectedHeader({ alg, typ: 'at+jwt', kid: options.key.kid ?? '' })
    .setIssuer(options.issuer)
    .setSubject(options.accountId)
    .setAudience(options.audience)
    .setJti(options.jti ?? randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + options.ttlSeconds)
    .sign(key)
}
