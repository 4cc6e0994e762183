import type { FastifyReply, FastifyRequest } from 'fastify'
import type { InteractionDetails } from 'oidc-provider'
import QRCode from 'qrcode'
import {
  renderActingPage,
  renderConsentPage,
  renderEnrolPage,
  renderErrorPage,
  renderTotpPage,
} from '../sso.pages.ts'
import { grantedScopes, isFirstParty, needsConsent } from '../sso.policy.ts'
import { API_SCOPES } from '../sso.provider.ts'
import type { LoginState, SsoService } from '../sso.service.ts'
import { interactionLinks, pageContextOf, sendPage } from './page-context.ts'

/** One request of a login in progress: the provider's interaction it belongs to. */
export interface Interaction {
  sso: SsoService
  request: FastifyRequest
  reply: FastifyReply
  details: InteractionDetails
}

/** The provider's interaction of this request, if it is the one the URL names (else: expired). */
export async function interactionOf(
  sso: SsoService,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Interaction | undefined> {
  try {
    const details = await sso.provider.interactionDetails(request.raw, reply.raw)
    const uid = (request.params as { uid: string }).uid
    return details.uid === uid ? { sso, request, reply, details } : undefined
  } catch {
    return undefined
  }
}

/** The page of a login that has expired or never was. */
export function sendExpired(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const page = pageContextOf(request, reply, undefined)
  return sendPage(reply, renderErrorPage({ ...page, error: 'session_expired' }), [], 400)
}

/** The name a client is shown by on the login and consent pages. */
export async function clientNameOf(sso: SsoService, clientId: string): Promise<string> {
  const client = await sso.provider.Client.find(clientId)
  return String(client?.clientName ?? clientId)
}

/** The origin the browser returns to, which the page's forms may end in (CSP form-action). */
export function redirectOrigins(details: InteractionDetails): string[] {
  try {
    return [new URL(String(details.params.redirect_uri)).origin]
  } catch {
    return []
  }
}

async function sendEnrolPage(flow: Interaction, state: LoginState, error?: string) {
  const { request, reply, details, sso } = flow
  const { action, abort } = interactionLinks(details.uid)
  const { otpauthUri } = await sso.ports.logins.startTotpEnrolment(state.accountId)
  const qrDataUrl = await QRCode.toDataURL(otpauthUri, { margin: 1, width: 220 })
  const page = pageContextOf(request, reply, details)
  return sendPage(
    reply,
    renderEnrolPage({
      ...page,
      action: action('enrol'),
      abort,
      otpauthUri,
      qrDataUrl,
      ...(error ? { error } : {}),
    }),
  )
}

/** Shows the page of the state's current stage. */
export async function renderStage(flow: Interaction, state: LoginState, error?: string) {
  const { request, reply, details, sso } = flow
  const page = pageContextOf(request, reply, details)
  const { action, abort } = interactionLinks(details.uid)
  switch (state.stage) {
    case 'totp':
      return sendPage(
        reply,
        renderTotpPage({ ...page, action: action('totp'), abort, ...(error ? { error } : {}) }),
      )
    case 'enrol':
      return sendEnrolPage(flow, state, error)
    case 'acting': {
      const companies = await sso.ports.accounts.companiesActedFor(state.accountId)
      return sendPage(reply, renderActingPage({ ...page, action: action('acting'), abort, companies }))
    }
    case 'consent': {
      const clientName = await clientNameOf(sso, details.params.client_id)
      const scopes = grantedScopes(details.params.scope)
      const html = renderConsentPage({ ...page, action: action('consent'), clientName, scopes })
      return sendPage(reply, html, redirectOrigins(details))
    }
  }
}

/** After authentication: the acting-for choice, then consent (third parties) or straight back. */
export async function proceed(flow: Interaction, state: LoginState) {
  const { sso, details } = flow
  if (state.actingFor === undefined) {
    const companies = await sso.ports.accounts.companiesActedFor(state.accountId)
    if (companies.length > 0) {
      const next: LoginState = { ...state, stage: 'acting' }
      await sso.saveLoginState(details.uid, next)
      return renderStage(flow, next)
    }
    state = { ...state, actingFor: '' }
  }
  if (needsConsent(details.params.client_id)) {
    const next: LoginState = { ...state, stage: 'consent' }
    await sso.saveLoginState(details.uid, next)
    return renderStage(flow, next)
  }
  return finish(flow, state)
}

/** Records the grant (scopes, API resource, acting-for) and returns the browser to the provider. */
export async function finish(flow: Interaction, state: LoginState) {
  const { sso, details, request, reply } = flow
  const { provider } = sso
  const clientId = details.params.client_id
  let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined
  if (!grant || grant.accountId !== state.accountId || grant.clientId !== clientId)
    grant = new provider.Grant({ accountId: state.accountId, clientId })
  grant.addOIDCScope(grantedScopes(details.params.scope).join(' '))
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

/** The user gave up (or denied consent): the client learns access_denied. */
export async function abort(flow: Interaction) {
  const { sso, details, request, reply } = flow
  await sso.clearLoginState(details.uid)
  const returnTo = await sso.provider.interactionResult(
    request.raw,
    reply.raw,
    { error: 'access_denied', error_description: 'End-User aborted interaction' },
    { mergeWithLastSubmission: false },
  )
  return reply.redirect(returnTo, 303)
}
