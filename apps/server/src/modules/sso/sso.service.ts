import type { FastifyRequest } from 'fastify'
import type { JWK } from 'jose'
import type Provider from 'oidc-provider'
import type { Adapter } from 'oidc-provider'
import { type Actor, type Authenticator, anonymous } from '../../platform/authz.ts'
import { systemClock } from '../../platform/clock.ts'
import { publicUrlOf } from '../../platform/config.ts'
import { AppError } from '../../platform/errors.ts'
import type { Platform } from '../../platform/platform.ts'
import {
  ACTING_FOR_MODEL,
  type ActingForPrefetch,
  adapterClass,
  deleteExpiredPayloads,
  PREFETCH_MS,
} from './sso.adapter.ts'
import { SsoClientStore } from './sso.clients.ts'
import { SigningKeyStore } from './sso.keys.ts'
import { SSO_PROBLEMS } from './sso.messages.ts'
import { WEB_CLIENT_ID } from './sso.policy.ts'
import type { SsoPorts } from './sso.ports.ts'
import { ACCESS_TOKEN_ALG, API_SCOPES, createProvider, TTL } from './sso.provider.ts'
import { type AccessTokenClaims, AccessTokenVerifier, signAccessToken } from './sso.tokens.ts'

/** The state of a login in progress on Tongban's pages, kept per interaction. */
export interface LoginState {
  accountId: string
  /** Whether the password (and second factor) were checked in this interaction. */
  authenticated: boolean
  stage: 'totp' | 'enrol' | 'acting' | 'consent'
  amr: string[]
  /** Chosen company for an agent; '' for "myself"; undefined when not asked yet. */
  actingFor?: string | undefined
}

/**
 * 统一身份认证: Tongban's OpenID Provider, its keys, clients and the API's access-token check.
 * One per process; the provider is rebuilt when this process rotates the keys.
 */
export class SsoService {
  readonly issuer: string
  readonly apiResource: string
  readonly publicUrl: string
  readonly keys: SigningKeyStore
  readonly clients: SsoClientStore
  readonly Adapter: new (
    name: string,
  ) => Adapter
  private readonly actingForStore: Adapter
  /** Acting-for companies the adapter read along with their grants (used once, within PREFETCH_MS). */
  private readonly prefetchedActingFor: ActingForPrefetch = new Map()
  private readonly loginStore: Adapter
  private current: Provider | undefined
  private currentHandler: ReturnType<Provider['callback']> | undefined
  private currentJwks: JWK[] = []
  verifier: AccessTokenVerifier | undefined

  constructor(
    readonly platform: Platform,
    readonly ports: SsoPorts,
    /** Whether this is a development setup (the web client may return to the Vite dev server). */
    private readonly development = false,
  ) {
    this.publicUrl = publicUrlOf(platform.config)
    this.issuer = `${this.publicUrl}/oidc`
    this.apiResource = `${this.publicUrl}/api`
    this.keys = new SigningKeyStore(platform.db, platform.vault, platform.clock)
    this.clients = new SsoClientStore(platform)
    // oidc-provider keeps its own time (the wall clock): expiry in storage follows the same clock
    this.Adapter = adapterClass(platform.db, systemClock, this.clients, this.prefetchedActingFor)
    this.actingForStore = new this.Adapter(ACTING_FOR_MODEL)
    this.loginStore = new this.Adapter('TongbanLogin')
  }

  /** Loads (or creates) the signing keys and builds the provider. */
  async start(): Promise<void> {
    const keySet = await this.keys.load()
    this.build(keySet.privateJwks, keySet.publicJwks)
  }

  /** Rotates the signing keys and rebuilds this process's provider; other processes pick them up on restart. */
  async rotateKeys(): Promise<string[]> {
    const kids = await this.keys.rotate()
    const keySet = await this.keys.published()
    this.build(keySet.privateJwks, keySet.publicJwks)
    return kids
  }

  /**
   * Picks up keys rotated by another process (`tongban sso rotate-keys`, another API node): rebuilds the
   * provider when the published key set changed. Returns whether it did.
   */
  async reloadKeysIfChanged(): Promise<boolean> {
    const keySet = await this.keys.published()
    const kids = (jwks: JWK[]) => jwks.map((jwk) => jwk.kid).join(',')
    if (kids(keySet.privateJwks) === kids(this.currentJwks)) return false
    this.build(keySet.privateJwks, keySet.publicJwks)
    return true
  }

  get provider(): Provider {
    if (!this.current) throw new Error('SSO provider not started')
    return this.current
  }

  /** The provider's request handler, built once per provider (Koa composes its middleware on each `callback()`). */
  get handler(): ReturnType<Provider['callback']> {
    if (!this.currentHandler) throw new Error('SSO provider not started')
    return this.currentHandler
  }

  private build(privateJwks: JWK[], publicJwks: JWK[]): void {
    const { vault } = this.platform
    this.currentJwks = privateJwks
    this.current = createProvider({
      issuer: this.issuer,
      apiResource: this.apiResource,
      publicUrl: this.publicUrl,
      development: this.development,
      privateJwks,
      // derived from the master key, so every node of a cluster signs and checks cookies alike
      cookieKeys: [vault.blindIndex('oidc-cookie-key', 'v1')],
      Adapter: this.Adapter,
      claims: this.ports.claims,
      actingForOf: (grantId) => this.actingForOf(grantId),
      secretMatches: (stored, presented) => this.clients.secretMatches(stored, presented),
    })
    this.current.on('server_error', (_ctx, error) => {
      this.platform.logger.error({ err: error }, 'OpenID Provider error')
    })
    this.currentHandler = this.current.callback()
    if (this.verifier) this.verifier.setKeys(publicJwks)
    else
      this.verifier = new AccessTokenVerifier({
        issuer: this.issuer,
        audience: this.apiResource,
        clock: this.platform.clock,
        initialKeys: publicJwks,
        loadPublicKeys: async () => (await this.keys.published()).publicJwks,
      })
  }

  /** The company an agent acts for under a grant. */
  async actingForOf(grantId: string | undefined): Promise<string | undefined> {
    if (!grantId) return undefined
    const prefetched = this.prefetchedActingFor.get(grantId)
    if (prefetched) {
      this.prefetchedActingFor.delete(grantId)
      if (Date.now() - prefetched.at < PREFETCH_MS) return prefetched.companyId
    }
    const found = await this.actingForStore.find(grantId)
    return typeof found?.companyId === 'string' ? found.companyId : undefined
  }

  /** Remembers (or forgets) the company an agent acts for under a grant; revoking the grant forgets it too. */
  async setActingFor(grantId: string, companyId: string | undefined): Promise<void> {
    this.prefetchedActingFor.delete(grantId)
    if (!companyId) {
      await this.actingForStore.destroy(grantId)
      return
    }
    await this.actingForStore.upsert(grantId, { grantId, companyId }, TTL.Grant)
  }

  async loginState(uid: string): Promise<LoginState | undefined> {
    return (await this.loginStore.find(uid)) as LoginState | undefined
  }

  async saveLoginState(uid: string, state: LoginState): Promise<void> {
    await this.loginStore.upsert(uid, { ...state, uid }, TTL.Interaction)
  }

  async clearLoginState(uid: string): Promise<void> {
    await this.loginStore.destroy(uid)
  }

  /**
   * The request's caller from `Authorization: Bearer <access token>`: no header → anonymous; a token
   * that is not a valid, unexpired access token for the API → 401.
   */
  readonly authenticate: Authenticator = (request: FastifyRequest): Actor | Promise<Actor> => {
    const header = request.headers.authorization
    if (!header) return anonymous
    if (!/^bearer /i.test(header.slice(0, 7))) return anonymous
    // the provider's own endpoints (userinfo, revocation) take their own tokens
    if (request.url.startsWith('/oidc/')) return anonymous
    // a token and an account seen moments ago are answered without a promise (this runs on every call)
    const verified = this.verifyAccessToken(header.slice(7).trim())
    if (verified instanceof Promise) return verified.then((claims) => this.actorOf(claims))
    const found = this.ports.accounts.actorFor(verified.sub, verified.acting_for, verified.jti)
    if (found && !(found instanceof Promise)) return found
    return this.actorOf(verified, found)
  }

  /** The actor of verified claims, or why there is none (a revoked agent authorization, a disabled account). */
  private async actorOf(
    claims: AccessTokenClaims,
    lookUp: Actor | undefined | Promise<Actor | undefined> = this.ports.accounts.actorFor(
      claims.sub,
      claims.acting_for,
      claims.jti,
    ),
  ): Promise<Actor> {
    const actor = await lookUp
    if (actor) return actor
    // still a valid account, but no longer allowed to act for that company (authorization revoked): 403
    if (claims.acting_for && (await this.ports.accounts.actorFor(claims.sub, undefined, claims.jti)))
      throw new AppError('forbidden', { detail: SSO_PROBLEMS.actingForRevoked })
    // a well-signed, unexpired token whose account no longer acts: accounts are never deleted, so disabled
    throw new AppError('unauthenticated', { detail: SSO_PROBLEMS.accountDisabled })
  }

  /** Verifies an API access token (signature, issuer, audience, type, expiry). */
  verifyAccessToken(token: string) {
    if (!this.verifier) throw new Error('SSO provider not started')
    return this.verifier.verify(token)
  }

  /** Signs an access token with the current access-token key, as the provider does for tongban-web. */
  async issueAccessToken(accountId: string, options: IssueAccessTokenOptions = {}): Promise<string> {
    const key = this.currentJwks.find((jwk) => jwk.alg === ACCESS_TOKEN_ALG)
    if (!key) throw new Error('SSO provider not started')
    return signAccessToken({
      issuer: this.issuer,
      audience: options.audience ?? this.apiResource,
      key,
      accountId,
      clientId: options.clientId ?? WEB_CLIENT_ID,
      scope: options.scope ?? API_SCOPES,
      actingFor: options.actingFor,
      issuedAt: options.issuedAt ?? this.platform.clock.now(),
      ttlSeconds: options.ttlSeconds ?? TTL.AccessToken,
    })
  }

  /** Deletes expired provider artefacts. */
  cleanUp(): Promise<number> {
    return deleteExpiredPayloads(this.platform.db, systemClock)
  }
}

export interface IssueAccessTokenOptions {
  actingFor?: string
  clientId?: string
  scope?: string
  audience?: string
  issuedAt?: Date
  ttlSeconds?: number
}
