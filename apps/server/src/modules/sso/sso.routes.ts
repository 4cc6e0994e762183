import type { IncomingMessage, ServerResponse } from 'node:http'
import { CreatedSsoClient, CreateSsoClient, SsoClientList, type SsoClientView } from '@tongban/contracts'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { InteractionDetails } from 'oidc-provider'
import QRCode from 'qrcode'
import { publicAccess, staffWith } from '../../platform/authz.ts'
import type { App } from '../../platform/http.ts'
import { auditContext } from '../../platform/platform.ts'
import type { SsoClientRecord } from './sso.clients.ts'
import {
  type Language,
  type PageContext,
  renderActingPage,
  renderConsentPage,
  renderEnrolPage,
  renderErrorPage,
  renderLoginPage,
  renderTotpPage,
  STYLESHEET,
  t,
} from './sso.pages.ts'
import { API_SCOPES, isFirstParty, pageCsp, SCOPE_CLAIMS } from './sso.provider.ts'
import type { LoginState, SsoService } from './sso.service.ts'

const MOUNT = '/oidc'
const KNOWN_SCOPES = new Set(['openid', 'profile', 'offline_access'])

function presentClient(client: SsoClientRecord): SsoClientView {
  return {
    clientId: client.clientId,
    name: client.name,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    ownerDepartmentId: client.ownerDepartmentId,
    createdAt: client.createdAt.toISOString(),
  }
}

/** Hands a request to the Koa-based provider, with the mount path stripped as it expects. */
function toProvider(sso: SsoService, request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack()
  const raw = request.raw as IncomingMessage & { originalUrl?: string }
  raw.originalUrl = raw.url
  raw.url = (raw.url ?? '/').slice(MOUNT.length) || '/'
  sso.handler(raw, reply.raw as ServerResponse)
}

/**
 * Mounts the OpenID Provider at /oidc and Tongban's own login pages at /oidc/interaction/:uid, plus the
 * administrator's client registration API.
 */
export async function registerSsoRoutes(app: App, sso: SsoService): Promise<void> {
  // The provider reads its own request bodies: this context has a parser that leaves the stream alone.
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
    // userinfo: the API's JWT access tokens (tongban-web) are answered here, opaque ones by the provider
    child.route({
      method: ['GET', 'POST'],
      url: `${MOUNT}/me`,
      ...options,
      handler: async (request, reply) => {
        const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
        if (token?.split('.').length !== 3) return toProvider(sso, request, reply)
        let claims: Awaited<ReturnType<SsoService['verifyAccessToken']>>
        try {
          claims = await sso.verifyAccessToken(token)
        } catch {
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer error="invalid_token"')
            .header('cache-control', 'no-store')
            .send({ error: 'invalid_token', error_description: 'invalid token provided' })
        }
        const scopes = new Set((claims.scope ?? '').split(' '))
        const account = scopes.has('openid')
          ? await sso.directory.claimsFor(claims.sub, claims.acting_for)
          : undefined
        if (!account)
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer error="invalid_token"')
            .send({ error: 'invalid_token', error_description: 'invalid token provided' })
        const allowed = new Set(['sub', ...(scopes.has('profile') ? SCOPE_CLAIMS.profile : [])])
        const body = Object.fromEntries(Object.entries(account).filter(([name]) => allowed.has(name)))
        return reply.header('cache-control', 'no-store').send({ ...body, sub: claims.sub })
      },
    })
  })

  await app.register(async (child) => {
    child.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    )
    registerInteractionRoutes(child as App, sso)
  })

  app.post(
    '/api/v1/sso/clients',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags: ['sso'],
        summary: 'Register a third-party OIDC client; the secret is shown once',
        body: CreateSsoClient,
        response: { 201: CreatedSsoClient },
      },
    },
    async (request, reply) => {
      const { client, clientSecret } = await sso.clients.create(request.body, auditContext(request))
      return reply.code(201).send({ ...presentClient(client), clientSecret, issuer: sso.issuer })
    },
  )
  app.get(
    '/api/v1/sso/clients',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags: ['sso'],
        summary: 'Registered third-party OIDC clients',
        response: { 200: SsoClientList },
      },
    },
    async () => ({ items: (await sso.clients.list()).map(presentClient) }),
  )
}

type Form = Record<string, string | undefined>

function cookieOf(request: FastifyRequest, name: string): string | undefined {
  return new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(request.headers.cookie ?? '')?.[1]
}

/** Language and large type: from the query (then remembered in a cookie), the cookie, or the browser. */
function pageContextOf(
  request: FastifyRequest,
  reply: FastifyReply,
  details: InteractionDetails | undefined,
): PageContext {
  const query = request.query as Record<string, string | undefined>
  const cookies: string[] = []
  let language: Language | undefined
  if (query.lang === 'en' || query.lang === 'zh') {
    language = query.lang
    cookies.push(`tb_lang=${language}; Path=/oidc; Max-Age=31536000; SameSite=Lax; HttpOnly`)
  }
  let largeType: boolean | undefined
  if (query.large === '1' || query.large === '0') {
    largeType = query.large === '1'
    cookies.push(`tb_large=${query.large}; Path=/oidc; Max-Age=31536000; SameSite=Lax; HttpOnly`)
  }
  if (cookies.length > 0) reply.header('set-cookie', cookies)
  const cookieLanguage = cookieOf(request, 'tb_lang')
  const uiLocales = typeof details?.params.ui_locales === 'string' ? details.params.ui_locales : ''
  language ??=
    cookieLanguage === 'en' || cookieLanguage === 'zh'
      ? cookieLanguage
      : uiLocales
        ? /^en\b/i.test(uiLocales)
          ? 'en'
          : 'zh'
        : /^\s*en\b/i.test(request.headers['accept-language'] ?? '')
          ? 'en'
          : 'zh'
  largeType ??= cookieOf(request, 'tb_large') === '1'
  const path = details ? `${MOUNT}/interaction/${details.uid}` : undefined
  return { language, largeType, ...(path ? { path } : {}) }
}

function sendPage(
  reply: FastifyReply,
  html: string,
  formTargets: string[] = [],
  status?: number,
): FastifyReply {
  if (status) reply.code(status)
  return reply
    .header('content-security-policy', pageCsp(formTargets))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html)
}

function formatLockedUntil(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date)
}

function otpauthUriOf(started: unknown): string | undefined {
  if (typeof started === 'string') return started
  const value = started as { otpauthUri?: unknown; otpauthUrl?: unknown; uri?: unknown } | undefined
  const uri = value?.otpauthUri ?? value?.otpauthUrl ?? value?.uri
  return typeof uri === 'string' ? uri : undefined
}

/** Tongban's login pages: password, second factor (and its enrolment), acting-for choice, consent. */
function registerInteractionRoutes(app: App, sso: SsoService): void {
  const config = { policy: publicAccess }
  const schema = { hide: true }

  app.get(`${MOUNT}/assets/tongban.css`, { config, schema }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  )

  const detailsOf = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const details = await sso.provider.interactionDetails(request.raw, reply.raw)
      const uid = (request.params as { uid: string }).uid
      return details.uid === uid ? details : undefined
    } catch {
      return undefined
    }
  }
  const expired = (request: FastifyRequest, reply: FastifyReply) =>
    sendPage(
      reply,
      renderErrorPage({ ...pageContextOf(request, reply, undefined), error: 'session_expired' }),
      [],
      400,
    )

  const clientNameOf = async (clientId: string) => {
    const client = await sso.provider.Client.find(clientId)
    return String(client?.clientName ?? clientId)
  }
  const redirectOrigins = (details: InteractionDetails) => {
    try {
      return [new URL(String(details.params.redirect_uri)).origin]
    } catch {
      return []
    }
  }
  const links = (details: InteractionDetails) => ({
    action: (step: string) => `${MOUNT}/interaction/${details.uid}/${step}`,
    abort: `${MOUNT}/interaction/${details.uid}/abort`,
  })

  /** Shows the page of the state's current stage. */
  const renderStage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    details: InteractionDetails,
    state: LoginState,
    error?: string,
  ) => {
    const page = pageContextOf(request, reply, details)
    const { action, abort } = links(details)
    switch (state.stage) {
      case 'totp':
        return sendPage(
          reply,
          renderTotpPage({ ...page, action: action('totp'), abort, ...(error ? { error } : {}) }),
        )
      case 'enrol': {
        const enrolment = sso.totpEnrolment
        const uri = enrolment ? otpauthUriOf(await enrolment.startTotpEnrolment(state.accountId)) : undefined
        const qrDataUrl = uri ? await QRCode.toDataURL(uri, { margin: 1, width: 220 }) : undefined
        return sendPage(
          reply,
          renderEnrolPage({
            ...page,
            action: action('enrol'),
            abort,
            ...(uri ? { otpauthUri: uri } : {}),
            ...(qrDataUrl ? { qrDataUrl } : {}),
            ...(error ? { error } : {}),
          }),
        )
      }
      case 'acting':
        return sendPage(
          reply,
          renderActingPage({
            ...page,
            action: action('acting'),
            abort,
            companies: await sso.directory.companiesActedFor(state.accountId),
          }),
        )
      case 'consent':
        return sendPage(
          reply,
          renderConsentPage({
            ...page,
            action: action('consent'),
            clientName: await clientNameOf(details.params.client_id),
            scopes: requestedScopes(details),
          }),
          redirectOrigins(details),
        )
    }
  }

  /** After authentication: the acting-for choice, then consent (third parties) or straight back. */
  const proceed = async (
    request: FastifyRequest,
    reply: FastifyReply,
    details: InteractionDetails,
    state: LoginState,
  ) => {
    if (state.actingFor === undefined) {
      const companies = await sso.directory.companiesActedFor(state.accountId)
      if (companies.length > 0) {
        const next: LoginState = { ...state, stage: 'acting' }
        await sso.saveLoginState(details.uid, next)
        return renderStage(request, reply, details, next)
      }
      state = { ...state, actingFor: '' }
    }
    if (!isFirstParty(details.params.client_id)) {
      const next: LoginState = { ...state, stage: 'consent' }
      await sso.saveLoginState(details.uid, next)
      return renderStage(request, reply, details, next)
    }
    return finish(request, reply, details, state)
  }

  /** Records the grant (scopes, API resource, acting-for) and returns the browser to the provider. */
  const finish = async (
    request: FastifyRequest,
    reply: FastifyReply,
    details: InteractionDetails,
    state: LoginState,
  ) => {
    const { provider } = sso
    const clientId = details.params.client_id
    let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined
    if (!grant || grant.accountId !== state.accountId || grant.clientId !== clientId)
      grant = new provider.Grant({ accountId: state.accountId, clientId })
    grant.addOIDCScope(requestedScopes(details).join(' '))
    const missingClaims = details.prompt.details.missingOIDCClaims
    if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims as string[])
    if (isFirstParty(clientId)) grant.addResourceScope(sso.apiResource, API_SCOPES)
    const grantId = await grant.save()
    await sso.setActingFor(grantId, state.actingFor || undefined)
    await sso.clearLoginState(details.uid)
    const result = {
      ...(state.authenticated ? { login: { accountId: state.accountId, amr: state.amr } } : {}),
      consent: { grantId },
    }
    const returnTo = await provider.interactionResult(request.raw, reply.raw, result, {
      mergeWithLastSubmission: false,
    })
    return reply.redirect(returnTo, 303)
  }

  app.get(`${MOUNT}/interaction/:uid`, { config, schema }, async (request, reply) => {
    const details = await detailsOf(request, reply)
    if (!details) return expired(request, reply)
    const state = await sso.loginState(details.uid)
    if (state) return renderStage(request, reply, details, state)
    if (details.prompt.name === 'login' || !details.session?.accountId) {
      const page = pageContextOf(request, reply, details)
      const { action, abort } = links(details)
      return sendPage(
        reply,
        renderLoginPage({
          ...page,
          action: action('login'),
          abort,
          clientName: await clientNameOf(details.params.client_id),
        }),
        redirectOrigins(details),
      )
    }
    // already logged in (single sign-on): only the grant for this client is missing
    return proceed(request, reply, details, {
      accountId: details.session.accountId,
      authenticated: false,
      stage: 'consent',
      amr: [],
    })
  })

  app.post(`${MOUNT}/interaction/:uid/login`, { config, schema }, async (request, reply) => {
    const details = await detailsOf(request, reply)
    if (!details) return expired(request, reply)
    const form = (request.body ?? {}) as Form
    const login = (form.login ?? '').trim()
    const password = form.password ?? ''
    const page = pageContextOf(request, reply, details)
    const { action, abort } = links(details)
    const showError = async (error: string) =>
      sendPage(
        reply,
        renderLoginPage({
          ...page,
          action: action('login'),
          abort,
          clientName: await clientNameOf(details.params.client_id),
          login,
          error,
        }),
        redirectOrigins(details),
        401,
      )
    if (!login || !password) return showError(t(page.language, 'missingFields'))
    const result = await sso.directory.verifyPassword(login, password, {
      ip: request.ip,
      requestId: request.id,
    })
    if (!result.ok) {
      if (result.reason === 'locked')
        return showError(
          result.lockedUntil
            ? t(page.language, 'locked', { time: formatLockedUntil(result.lockedUntil, page.language) })
            : t(page.language, 'lockedNoTime'),
        )
      if (result.reason === 'disabled') return showError(t(page.language, 'disabled'))
      // never say whether the account exists
      return showError(t(page.language, 'invalid-credentials'))
    }
    // staff must use a second factor: one without an enrolled authenticator enrols it now
    const enrolled = (result as { totpEnrolled?: boolean }).totpEnrolled
    let stage: LoginState['stage'] | undefined
    if (result.totpRequired) stage = enrolled === false ? 'enrol' : 'totp'
    else if ((await sso.directory.claimsFor(result.accountId))?.account_kind === 'staff') stage = 'enrol'
    const state: LoginState = {
      accountId: result.accountId,
      authenticated: !stage,
      stage: stage ?? 'consent',
      amr: ['pwd'],
    }
    if (stage) {
      await sso.saveLoginState(details.uid, state)
      return renderStage(request, reply, details, state)
    }
    return proceed(request, reply, details, state)
  })

  app.post(`${MOUNT}/interaction/:uid/totp`, { config, schema }, async (request, reply) => {
    const details = await detailsOf(request, reply)
    const state = details && (await sso.loginState(details.uid))
    if (!details || !state || state.stage !== 'totp') return expired(request, reply)
    const code = ((request.body ?? {}) as Form).code?.trim() ?? ''
    const ok =
      /^\d{6}$/.test(code) &&
      (await sso.directory.verifyTotp(state.accountId, code, { ip: request.ip, requestId: request.id }))
    if (!ok) {
      const page = pageContextOf(request, reply, details)
      return renderStage(request, reply.code(401), details, state, t(page.language, 'totp-invalid'))
    }
    return proceed(request, reply, details, { ...state, authenticated: true, amr: ['pwd', 'otp'] })
  })

  app.post(`${MOUNT}/interaction/:uid/enrol`, { config, schema }, async (request, reply) => {
    const details = await detailsOf(request, reply)
    const state = details && (await sso.loginState(details.uid))
    const enrolment = sso.totpEnrolment
    if (!details || !state || state.stage !== 'enrol') return expired(request, reply)
    const code = ((request.body ?? {}) as Form).code?.trim() ?? ''
    const confirmed =
      enrolment && /^\d{6}$/.test(code)
        ? await enrolment.confirmTotpEnrolment(state.accountId, code, {
            ip: request.ip,
            requestId: request.id,
          })
        : false
    if (confirmed === false || confirmed === undefined) {
      const page = pageContextOf(request, reply, details)
      return renderStage(request, reply.code(401), details, state, t(page.language, 'totp-invalid'))
    }
    return proceed(request, reply, details, { ...state, authenticated: true, amr: ['pwd', 'otp'] })
  })

  app.post(`${MOUNT}/interaction/:uid/acting`, { config, schema }, async (request, reply) => {
    const details = await detailsOf(request, reply)
    const state = details && (await sso.loginState(details.uid))
    if (!details || !state || state.stage !== 'acting') return expired(request, reply)
    const company = ((request.body ?? {}) as Form).company ?? ''
    const companies = await sso.directory.companiesActedFor(state.accountId)
    // only a company the account may still act for; anything else means "myself"
    const actingFor = companies.some((c) => c.accountId === company) ? company : ''
    return proceed(request, reply, details, { ...state, actingFor })
  })

  app.post(`${MOUNT}/interaction/:uid/consent`, { config, schema }, async (request, reply) => {
    const details = await detailsOf(request, reply)
    const state = details && (await sso.loginState(details.uid))
    if (!details || !state || state.stage !== 'consent') return expired(request, reply)
    if (((request.body ?? {}) as Form).decision !== 'allow') return abort(request, reply, details)
    return finish(request, reply, details, state)
  })

  const abort = async (request: FastifyRequest, reply: FastifyReply, details: InteractionDetails) => {
    await sso.clearLoginState(details.uid)
    const returnTo = await sso.provider.interactionResult(
      request.raw,
      reply.raw,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false },
    )
    return reply.redirect(returnTo, 303)
  }
  app.get(`${MOUNT}/interaction/:uid/abort`, { config, schema }, async (request, reply) => {
    const details = await detailsOf(request, reply)
    if (!details) return expired(request, reply)
    return abort(request, reply, details)
  })
}

function requestedScopes(details: InteractionDetails): string[] {
  const scope = typeof details.params.scope === 'string' ? details.params.scope : 'openid'
  return scope.split(' ').filter((s) => KNOWN_SCOPES.has(s))
}
