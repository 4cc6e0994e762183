import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { publicAccess } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { SCOPE_CLAIMS } from '../sso.provider.ts'
import type { SsoService } from '../sso.service.ts'

export const MOUNT = '/oidc'

/**
 * Hands a request to the Koa-based provider, with the mount path stripped as it expects. The reply is
 * hijacked, so the headers the platform gave it (CSP with frame-ancestors 'none', X-Frame-Options, nosniff,
 * referrer policy, request id) are put on the raw response first: the provider's own pages (logout
 * confirmation, errors) and documents carry them like every other answer. A page of the provider may set
 * a stricter header of its own over them.
 */
function toProvider(sso: SsoService, request: FastifyRequest, reply: FastifyReply): void {
  const headers = reply.getHeaders()
  reply.hijack()
  const raw = request.raw as IncomingMessage & { originalUrl?: string }
  const response = reply.raw as ServerResponse
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) response.setHeader(name, value)
  raw.originalUrl = raw.url
  raw.url = (raw.url ?? '/').slice(MOUNT.length) || '/'
  sso.handler(raw, response)
}

const invalidToken = (reply: FastifyReply) =>
  reply
    .code(401)
    .header('www-authenticate', 'Bearer error="invalid_token"')
    .header('cache-control', 'no-store')
    .send({ error: 'invalid_token', error_description: 'invalid token provided' })

/** Userinfo: the API's JWT access tokens (tongban-web) are answered here, opaque ones by the provider. */
async function userinfo(sso: SsoService, request: FastifyRequest, reply: FastifyReply) {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
  if (token?.split('.').length !== 3) return toProvider(sso, request, reply)
  let claims: Awaited<ReturnType<SsoService['verifyAccessToken']>>
  try {
    claims = await sso.verifyAccessToken(token)
  } catch {
    return invalidToken(reply)
  }
  const scopes = new Set((claims.scope ?? '').split(' '))
  const account = scopes.has('openid')
    ? await sso.ports.claims.claimsFor(claims.sub, claims.acting_for)
    : undefined
  if (!account) return invalidToken(reply)
  const allowed = new Set(['sub', ...(scopes.has('profile') ? SCOPE_CLAIMS.profile : [])])
  const body = Object.fromEntries(Object.entries(account).filter(([name]) => allowed.has(name)))
  return reply.header('cache-control', 'no-store').send({ ...body, sub: claims.sub })
}

/** Mounts the OpenID Provider at /oidc; it reads its own request bodies. */
export async function registerProviderRoutes(app: App, sso: SsoService): Promise<void> {
  await app.register(async (child) => {
    child.removeAllContentTypeParsers()
    child.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined))
    const options = { config: { policy: publicAccess }, schema: { hide: true } }
    // the provider answers GET and POST (and OPTIONS for CORS preflights of its token/userinfo endpoints)
    child.route({
      method: ['GET', 'POST', 'OPTIONS'],
      url: `${MOUNT}/*`,
      ...options,
      handler: async (request, reply) => toProvider(sso, request, reply),
    })
    child.route({
      method: ['GET', 'POST'],
      url: `${MOUNT}/me`,
      ...options,
      handler: async (request, reply) => userinfo(sso, request, reply),
    })
  })
}
