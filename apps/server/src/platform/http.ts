import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Problem } from '@tongban/contracts'
import { Ajv, type Options as AjvOptions } from 'ajv'
import addFormats from 'ajv-formats'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifySchema,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
  type RouteOptions,
} from 'fastify'
import helmet from 'helmet'
import type { Logger } from 'pino'
import { type Authenticator, anonymous, publicAccess } from './authz.ts'
import { AppError, type ProblemCode, toProblem } from './errors.ts'
import { parseJsonBody } from './json-body.ts'
import { type SchemaError, toFieldErrors } from './validation.ts'

/** The Fastify instance every module registers its routes on, typed by the shared TypeBox schemas. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

export interface HttpOptions {
  logger: Logger
  bodyLimit: number
  rateLimitPerMinute: number
  authenticate: Authenticator
  /** Records a refused call by a logged-in account (role escalation attempts are audited). */
  onDenied: (request: FastifyRequest, policyName: string) => Promise<void>
  version: string
  /** The web app's index.html: sent for page requests to unknown paths, so client-side routes load. */
  fallbackPage?: string | undefined
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/

function ajvFor(options: AjvOptions): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    ...options,
  })
  addFormats.default(ajv)
  return ajv
}

/** The language of a request's answer: English when the caller prefers it, Chinese otherwise. */
export function languageOf(request: FastifyRequest): 'zh' | 'en' {
  const header = request.headers['accept-language']
  return typeof header === 'string' && /^\s*en\b/i.test(header) ? 'en' : 'zh'
}

/** Sends a problem document. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const problem = toProblem(error, {
    language: languageOf(request),
    instance: request.url.split('?')[0] ?? '/',
    requestId: request.id,
  })
  return reply.code(error.status).type('application/problem+json; charset=utf-8').send(problem)
}

const fastifyCodes: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed-body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-body',
  FST_ERR_BAD_URL: 'not-found',
  FST_ERR_ASYNC_CONSTRAINT: 'malformed-body',
  FST_ERR_NOT_FOUND: 'not-found',
}

// node-postgres / PostgreSQL errors that mean "the database is not there right now", not a bug.
const DATABASE_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '3D000',
  '28000',
  '28P01',
  '53300',
  '55000',
])

function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined
  if (!e) return false
  // SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, crash recovery)
  if (e.code && (DATABASE_UNAVAILABLE.has(e.code) || /^(08|57P)/.test(e.code))) return true
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(
    e.message ?? '',
  )
}

/** Maps anything thrown during a request to the AppError it should be answered with. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  const e = error as FastifyError & { validationContext?: string; code?: string }
  if (e?.validation)
    return new AppError('validation', {
      errors: toFieldErrors(e.validation as SchemaError[], e.validationContext),
    })
  if (e?.code && fastifyCodes[e.code]) return new AppError(fastifyCodes[e.code] as ProblemCode)
  if (e?.code === '23505') return new AppError('duplicate')
  if (isDatabaseUnavailable(error)) return new AppError('unavailable', { cause: error })
  if (e?.statusCode === 429) return new AppError('rate-limited')
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const byStatus = Object.entries({
      400: 'malformed-body',
      404: 'not-found',
      405: 'method-not-allowed',
      413: 'payload-too-large',
      415: 'unsupported-media-type',
    } as const).find(([status]) => Number(status) === e.statusCode)?.[1]
    return new AppError(byStatus ?? 'validation', { status: e.statusCode })
  }
  return new AppError('internal', { cause: error })
}

/** The security headers of every response: helmet computes them once, not per request. */
const securityHeaders = headersOf(
  helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  }),
)

/**
 * Builds the HTTP server with the platform's rules: every route declares a policy (checked before the
 * body is even read), bodies are validated strictly (no coercion, no unknown fields), every error is a
 * problem document, and the OpenAPI document is generated from the same schemas.
 */
export async function createHttpServer(options: HttpOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: options.logger,
    // a child logger per request costs redaction work on its bindings: skip it when nothing is logged
    childLoggerFactory: (logger, bindings, childOptions) =>
      logger.level === 'silent' ? logger : logger.child(bindings, childOptions),
    bodyLimit: options.bodyLimit,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    // errors the router raises before any hook runs (a bad percent-encoding): the same problem documents
    // and headers as every other answer
    frameworkErrors: (error, request, reply) => {
      reply.headers(securityHeaders)
      reply.header('x-request-id', request.id)
      sendProblem(request, reply, toAppError(error))
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App

  installBodyParsing(app)

  await installPolicies(app, options)
  installProblemAnswers(app, options)

  await installOpenApi(app, options.version)
  return app
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
})

/**
 * A route's schema as the OpenAPI document shows it: who may call it (`security`; public routes none) and
 * the problem documents it may answer, besides the responses the route declares itself.
 */
function documented(schema: FastifySchema | undefined, route: RouteOptions): FastifySchema {
  const policy = route.config?.policy
  const takesInput = Boolean(schema?.body || schema?.querystring || schema?.params || schema?.headers)
  const writes = [route.method].flat().some((m) => m !== 'GET' && m !== 'HEAD')
  const errors: Record<string, unknown> = {
    ...(takesInput ? { 400: problemResponse('The request is invalid (validation problem)') } : {}),
    ...(policy?.public
      ? {}
      : {
          401: problemResponse('Authentication is required'),
          403: problemResponse(`Not allowed: requires ${policy?.name ?? 'a policy'}`),
        }),
    ...(schema?.params ? { 404: problemResponse('Not found (or not yours)') } : {}),
    ...(writes ? { 409: problemResponse('Conflicts with the current state') } : {}),
    429: problemResponse('Too many requests (Retry-After)'),
    503: problemResponse('Temporarily unavailable (Retry-After)'),
  }
  return {
    ...schema,
    security: policy?.public ? [] : [{ bearer: [] }],
    response: { ...errors, ...((schema?.response as Record<string, unknown> | undefined) ?? {}) },
  } as FastifySchema
}

/** Strict JSON bodies (no coercion), coercing query strings and parameters. */
function installBodyParsing(app: App): void {
  // bodies: a union told apart by a tag is checked against the branch its tag names (OpenAPI's
  // discriminator), and errors carry their schema, where a field may name its own message (`x-missing`)
  const strict = ajvFor({ coerceTypes: false, discriminator: true, verbose: true })
  const coercing = ajvFor({ coerceTypes: 'array' })
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  )

  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json$/,
    { parseAs: 'buffer' },
    (_req, body: Buffer, done) => {
      try {
        done(null, parseJsonBody(body))
      } catch (error) {
        done(error as Error, undefined)
      }
    },
  )
}

/**
 * Every route declares a policy, checked once everything is registered; each request is rate limited,
 * authenticated and checked against its route's policy before its body is read.
 */
async function installPolicies(app: App, options: HttpOptions): Promise<void> {
  // Checked once everything is registered, so that plugins may still attach a policy to their routes.
  const routes: RouteOptions[] = []
  app.addHook('onRoute', (route) => {
    routes.push(route)
  })
  app.addHook('onReady', async () => {
    const missing = routes
      .filter((route) => !route.config?.policy)
      .map((route) => `${String(route.method)} ${route.url}`)
    if (missing.length > 0)
      throw new Error(`Routes without a policy (every route must declare one): ${missing.join(', ')}`)
  })

  // applied first thing in the request hook, before authentication, so that failing calls count too
  let limit: ((request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) | undefined
  if (options.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      global: false,
      max: options.rateLimitPerMinute,
      timeWindow: '1 minute',
      errorResponseBuilder: () => new AppError('rate-limited'),
    })
    limit = app.rateLimit()
  }
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(securityHeaders)
    reply.header('x-request-id', request.id)
    await limit?.(request, reply)
    request.actor = anonymous
    const policy = request.routeOptions.config?.policy
    if (!policy) return // unmatched route: the not-found handler answers
    // answered without a promise when the token and the account were seen moments ago
    const actor = options.authenticate(request)
    request.actor = actor instanceof Promise ? await actor : actor
    if (policy.allows(request.actor)) return
    if (request.actor.kind === 'anonymous') throw new AppError('unauthenticated')
    throw new AppError('forbidden', {
      detail: { zh: `需要权限：${policy.name}`, en: `Requires: ${policy.name}` },
    })
  })
}

/** Every error, and every unknown path, answered as a problem document (or the web app's page). */
function installProblemAnswers(app: App, options: HttpOptions): void {
  app.setErrorHandler(async (error, request, reply) => {
    const appError = toAppError(error)
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed')
    // every refusal of a logged-in caller is audited, wherever it was decided (route policy or scope check)
    if (appError.code === 'forbidden' && request.actor?.kind !== 'anonymous') {
      await options
        .onDenied(request, request.routeOptions.config?.policy?.name ?? 'unknown')
        .catch((err: unknown) => {
          request.log.error({ err }, 'could not audit a refused request')
        })
    }
    if (appError.code === 'rate-limited') reply.header('retry-after', '60')
    if (appError.status === 503) reply.header('retry-after', '5')
    return sendProblem(request, reply, appError)
  })
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html')
    if (
      options.fallbackPage &&
      wantsPage &&
      !/^\/(api|oidc|openapi\.json|docs\/api)(\/|$)/.test(request.url)
    ) {
      return reply.type('text/html; charset=utf-8').send(options.fallbackPage)
    }
    return sendProblem(request, reply, new AppError('not-found'))
  })
}

/** The OpenAPI 3.1 document at /openapi.json, generated from the route schemas, and its reference page. */
async function installOpenApi(app: App, version: string): Promise<void> {
  app.addSchema({ ...Problem, $id: 'Problem' })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tongban (通办) API',
        version,
        description:
          'API of the Tongban integrated online government service platform. Errors are RFC 9457 problem documents (`application/problem+json`) with Chinese and English titles.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: ({ schema, url, route }) => ({ url, schema: documented(schema, route) }),
    // shared schemas keep their own names in components (Problem), not def-0
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  })
  // the reference page's own asset routes are public like the document they show
  await registerPublic(app, (child) =>
    child.register(swaggerUi, {
      routePrefix: '/docs/api',
      uiConfig: { docExpansion: 'list', deepLinking: true },
    }),
  )
  app.get('/openapi.json', { config: { policy: publicAccess }, schema: { hide: true } }, async () =>
    app.swagger(),
  )
}

/**
 * Runs `register` in a child context where every route gets the public policy: for third-party plugins
 * whose routes are all public (documentation assets, the web app's static files).
 */
export async function registerPublic(
  app: App,
  register: (child: App) => PromiseLike<unknown>,
): Promise<void> {
  await app.register(async (child) => {
    child.addHook('onRoute', (route) => {
      route.config = { ...route.config, policy: publicAccess }
    })
    await register(child as App)
  })
}

/** The headers a connect-style middleware (helmet) sets, captured once from a stand-in response. */
function headersOf(
  middleware: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void,
): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()]
    },
  }
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (error) => {
    if (error) throw error
  })
  return headers
}
