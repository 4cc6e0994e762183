import type { JWK } from 'jose'
import Provider, {
  type Adapter,
  type ClientInstance,
  type Configuration,
  errors,
  type KoaContext,
  type TokenInstance,
} from 'oidc-provider'
import { isFirstParty, mayGetAccessToken, WEB_CLIENT_ID, webClientReturnUris } from './sso.policy.ts'
import type { SsoClaimsPort } from './sso.ports.ts'
import { type ActingForOf, accountFinder, actingForPerRequest } from './sso.provider-accounts.ts'
import { logoutSource, postLogoutSuccessSource, renderError } from './sso.provider-pages.ts'

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
  /** Whether this is a development setup (the web client may then return to the Vite dev server). */
  development: boolean
  privateJwks: JWK[]
  cookieKeys: string[]
  Adapter: new (name: string) => Adapter
  claims: SsoClaimsPort
  /** The company an agent acts for under a grant, if any. */
  actingForOf: ActingForOf
  /** Compares a presented client secret with the stored hash. */
  secretMatches(stored: string, presented: string): boolean
}

/** Tongban's own web app as a registered client: public (PKCE), ES256 ID tokens. */
function webClient(options: ProviderOptions) {
  const returns = webClientReturnUris(options.publicUrl, options.development)
  return {
    client_id: WEB_CLIENT_ID,
    client_name: '通办 Tongban',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: ACCESS_TOKEN_ALG,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: returns.redirectUris,
    post_logout_redirect_uris: returns.postLogoutRedirectUris,
  }
}

/** Resource indicators: Tongban's own apps get JWT access tokens for the API, nobody else any. */
function resourceIndicators(apiResource: string) {
  return {
    enabled: true,
    defaultResource: async (_ctx: KoaContext, client: ClientInstance, oneOf?: string[]) =>
      oneOf ?? (isFirstParty(client.clientId) ? apiResource : undefined),
    useGrantedResource: async () => true,
    getResourceServerInfo: async (_ctx: KoaContext, resource: string, client: ClientInstance) => {
      if (!mayGetAccessToken(client.clientId, resource, apiResource)) throw new errors.InvalidTarget!()
      return {
        scope: API_SCOPES,
        audience: apiResource,
        accessTokenTTL: TTL.AccessToken,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: ACCESS_TOKEN_ALG } },
      }
    },
  }
}

const features = (apiResource: string) => ({
  devInteractions: { enabled: false },
  clientCredentials: { enabled: false },
  introspection: { enabled: false },
  revocation: { enabled: true },
  userinfo: { enabled: true },
  rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
  resourceIndicators: resourceIndicators(apiResource),
})

const ttl = {
  ...TTL,
  // a public client's rotated refresh token keeps the first one's lifetime: a stolen one cannot extend it
  RefreshToken: (ctx: KoaContext, _token: { remainingTTL?: number }, client: ClientInstance) => {
    const rotated = ctx?.oidc?.entities?.RotatedRefreshToken as { remainingTTL: number } | undefined
    if (rotated && client.clientAuthMethod === 'none') return rotated.remainingTTL
    return TTL.RefreshToken
  },
}

/** The provider's configuration: clients, keys, cookies, claims, PKCE, algorithms, features, pages. */
function configurationOf(options: ProviderOptions): Configuration {
  const actingForOf = actingForPerRequest(options.actingForOf)
  return {
    adapter: options.Adapter,
    clients: [webClient(options)],
    jwks: { keys: options.privateJwks },
    cookies: {
      keys: options.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    findAccount: accountFinder(options.claims, actingForOf),
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
    features: features(options.apiResource),
    extraTokenClaims: async (ctx: KoaContext, token: TokenInstance) => {
      const actingFor = await actingForOf(ctx, token.grantId)
      return actingFor ? { acting_for: actingFor } : undefined
    },
    interactions: {
      url: async (_ctx: KoaContext, interaction: { uid: string }) => `/oidc/interaction/${interaction.uid}`,
    },
    renderError,
    ttl,
    rotateRefreshToken: true,
    expiresWithSession: async (_ctx: KoaContext, source: { scopes: Set<string> }) =>
      !source.scopes.has('offline_access'),
  }
}

/** Builds Tongban's OpenID Provider (oidc-provider, certified) with its own pages, storage and keys. */
export function createProvider(options: ProviderOptions): Provider {
  const provider = new Provider(options.issuer, configurationOf(options))
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
