import type { JWK } from 'jose'
import Provider, {
  type Account,
  type Adapter,
  type ClientInstance,
  type Configuration,
  errors,
  type KoaContext,
  type TokenInstance,
} from 'oidc-provider'
import type { AccountDirectory } from '../identity/identity.types.ts'
import { type Language, renderErrorPage, renderLoggedOutPage, renderLogoutPage } from './sso.pages.ts'

/** The first-party public client: Tongban's own web app. */
export const WEB_CLIENT_ID = 'tongban-web'
/** The Vite dev server, also allowed as a redirect target of the web client. */
export const DEV_WEB_ORIGIN = 'http://localhost:5173'

/** Lifetimes, in seconds. */
export const TTL = {
  AccessToken: 10 * 60,
  AuthorizationCode: 60,
  IdToken: 60 * 60,
  RefreshToken: 7 * 24 * 60 * 60,
  Interaction: 60 * 60,
  Session: 12 * 60 * 60,
  Grant: 14 * 24 * 60 * 60,
} as const

/**
 * Access tokens are signed ES256: signing is ~9× cheaper than RS256 (code exchanges per second), and
 * verification costs the same and happens once per token (the API remembers verified tokens).
 * Tongban's own web app gets its ID tokens ES256 too (it accepts any algorithm the discovery document
 * lists); third-party clients get RS256, every OIDC client's default, unless they register otherwise.
 */
export const ACCESS_TOKEN_ALG = 'ES256'

/** Scopes an access token for the Tongban API may carry. */
export const API_SCOPES = 'openid profile'

/** The claims of each scope, as released in ID tokens and at userinfo. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'account_kind', 'realname_level', 'id_masked', 'acting_for', 'roles'],
}

export interface ProviderOptions {
  issuer: string
  /** The resource indicator (and access-token audience) of the Tongban API. */
  apiResource: string
  publicUrl: string
  privateJwks: JWK[]
  cookieKeys: string[]
  Adapter: new (name: string) => Adapter
  directory: AccountDirectory
  /** The company an agent acts for under a grant, if any. */
  actingForOf(grantId: string | undefined): Promise<string | undefined>
  /** Compares a presented client secret with the stored hash. */
  secretMatches(stored: string, presented: string): boolean
}

/** Whether a client is one of Tongban's own applications (no consent screen, may call the API). */
export function isFirstParty(clientId: string | undefined): boolean {
  return clientId === WEB_CLIENT_ID
}

/** The page language of a provider-rendered page (logout, errors). */
function languageOfContext(ctx: KoaContext): Language {
  const query = typeof ctx.query?.lang === 'string' ? ctx.query.lang : ''
  if (query === 'en' || query === 'zh') return query
  const cookie = /(?:^|;\s*)tb_lang=(en|zh)/.exec(String(ctx.headers.cookie ?? ''))?.[1]
  if (cookie === 'en' || cookie === 'zh') return cookie
  return /^\s*en\b/i.test(String(ctx.headers['accept-language'] ?? '')) ? 'en' : 'zh'
}

function largeTypeOf(ctx: KoaContext): boolean {
  return /(?:^|;\s*)tb_large=1/.test(String(ctx.headers.cookie ?? ''))
}

/** A CSP for a page whose form may end in a redirect to the given origins (browsers check form-action on redirects). */
export function pageCsp(formTargets: string[] = []): string {
  const targets = [...new Set(formTargets)].join(' ')
  return [
    "default-src 'self'",
    "script-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self'${targets ? ` ${targets}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ')
}

function originsOf(uris: unknown): string[] {
  if (!Array.isArray(uris)) return []
  return uris.flatMap((uri) => {
    try {
      return [new URL(String(uri)).origin]
    } catch {
      return []
    }
  })
}

/** Builds Tongban's OpenID Provider (oidc-provider, certified) with its own pages, storage and keys. */
export function createProvider(options: ProviderOptions): Provider {
  const { apiResource, directory } = options
  const webClient = {
    client_id: WEB_CLIENT_ID,
    client_name: '通办 Tongban',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: ACCESS_TOKEN_ALG,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [`${options.publicUrl}/auth/callback`, `${DEV_WEB_ORIGIN}/auth/callback`],
    post_logout_redirect_uris: [`${options.publicUrl}/`, `${DEV_WEB_ORIGIN}/`],
  }

  // One token request asks for a grant's acting-for company twice (the account's claims, then the access
  // token's): remembered per request, so it costs one look-up.
  const actingForByRequest = new WeakMap<object, Map<string, Promise<string | undefined>>>()
  const actingForOf = (ctx: KoaContext | undefined, grantId: string | undefined) => {
    if (!grantId) return Promise.resolve(undefined)
    const request = ctx?.oidc as object | undefined
    if (!request) return options.actingForOf(grantId)
    let known = actingForByRequest.get(request)
    if (!known) {
      known = new Map()
      actingForByRequest.set(request, known)
    }
    let found = known.get(grantId)
    if (!found) {
      found = options.actingForOf(grantId)
      known.set(grantId, found)
    }
    return found
  }

  const findAccount = async (
    ctx: KoaContext,
    accountId: string,
    token?: TokenInstance,
  ): Promise<Account | undefined> => {
    const grantId =
      token?.grantId ??
      (ctx?.oidc?.entities?.Grant as { jti?: string } | undefined)?.jti ??
      ctx?.oidc?.result?.consent?.grantId
    const actingFor = await actingForOf(ctx, grantId)
    const claims = await directory.claimsFor(accountId, actingFor)
    if (!claims) return undefined
    return {
      accountId,
      claims: async () => ({ ...claims, sub: accountId }),
    }
  }

  const configuration: Configuration = {
    adapter: options.Adapter,
    clients: [webClient],
    jwks: { keys: options.privateJwks },
    cookies: {
      keys: options.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    findAccount,
    claims: SCOPE_CLAIMS,
    scopes: ['openid', 'profile', 'offline_access'],
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: {
      methods: ['S256'],
      required: (_ctx: KoaContext, client: ClientInstance) => client.clientAuthMethod === 'none',
    },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      clientAuthSigningAlgValues: ['RS256', 'ES256'],
      requestObjectSigningAlgValues: ['RS256', 'ES256'],
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContext, form: string) => {
          const client = ctx.oidc.client
          ctx.set?.('content-security-policy', pageCsp(originsOf(client?.postLogoutRedirectUris)))
          ctx.type = 'html'
          ctx.body = renderLogoutPage({
            language: languageOfContext(ctx),
            largeType: largeTypeOf(ctx),
            form,
            clientName: client ? String(client.clientName ?? client.clientId) : undefined,
          })
        },
        postLogoutSuccessSource: async (ctx: KoaContext) => {
          ctx.type = 'html'
          ctx.body = renderLoggedOutPage({ language: languageOfContext(ctx), largeType: largeTypeOf(ctx) })
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: KoaContext, client: ClientInstance, oneOf?: string[]) =>
          oneOf ?? (isFirstParty(client.clientId) ? apiResource : undefined),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: KoaContext, resource: string, client: ClientInstance) => {
          // only Tongban's own apps get tokens for the API; a third-party client only logs users in
          if (resource !== apiResource || !isFirstParty(client.clientId)) throw new errors.InvalidTarget!()
          return {
            scope: API_SCOPES,
            audience: apiResource,
            accessTokenTTL: TTL.AccessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: ACCESS_TOKEN_ALG } },
          }
        },
      },
    },
    extraTokenClaims: async (ctx: KoaContext, token: TokenInstance) => {
      const actingFor = await actingForOf(ctx, token.grantId)
      return actingFor ? { acting_for: actingFor } : undefined
    },
    interactions: {
      url: async (_ctx: KoaContext, interaction: { uid: string }) => `/oidc/interaction/${interaction.uid}`,
    },
    renderError: async (ctx: KoaContext, out: Record<string, string>) => {
      ctx.type = 'html'
      ctx.body = renderErrorPage({
        language: languageOfContext(ctx),
        largeType: largeTypeOf(ctx),
        error: out.error ?? 'server_error',
        description: out.error_description,
      })
    },
    ttl: {
      ...TTL,
      RefreshToken: (ctx: KoaContext, _token: { remainingTTL?: number }, client: ClientInstance) => {
        const rotated = ctx?.oidc?.entities?.RotatedRefreshToken as { remainingTTL: number } | undefined
        if (rotated && client.clientAuthMethod === 'none') return rotated.remainingTTL
        return TTL.RefreshToken
      },
    },
    rotateRefreshToken: true,
    expiresWithSession: async (_ctx: KoaContext, source: { scopes: Set<string> }) =>
      !source.scopes.has('offline_access'),
  }

  const provider = new Provider(options.issuer, configuration)
  // behind a TLS-terminating load balancer the public URL is https while this process speaks http
  provider.proxy = options.publicUrl.startsWith('https:')
  const secretMatches = options.secretMatches
  provider.Client.prototype.compareClientSecret = function compareClientSecret(
    this: ClientInstance,
    actual: string,
  ) {
    return typeof this.clientSecret === 'string' && secretMatches(this.clientSecret, actual)
  }
  return provider
}
