import { t } from '../sso.messages.ts'
import { renderLoginPage } from '../sso.pages.ts'
import { secondFactorStep } from '../sso.policy.ts'
import type { PasswordCheck } from '../sso.ports.ts'
import type { LoginState } from '../sso.service.ts'
import { clientNameOf, type Interaction, proceed, redirectOrigins, renderStage } from './interaction.ts'
import { formatLockedUntil, interactionLinks, pageContextOf, sendPage } from './page-context.ts'

type Form = Record<string, string | undefined>

/** The login form, with what the user typed and why it failed. */
async function sendLoginPage(flow: Interaction, login?: string, error?: string) {
  const { sso, request, reply, details } = flow
  const page = pageContextOf(request, reply, details)
  const { action, abort } = interactionLinks(details.uid)
  const html = renderLoginPage({
    ...page,
    action: action('login'),
    abort,
    clientName: await clientNameOf(sso, details.params.client_id),
    ...(login !== undefined ? { login } : {}),
    ...(error ? { error } : {}),
  })
  return sendPage(reply, html, redirectOrigins(details), error ? 401 : undefined)
}

/** A login's first page: the password form, or (single sign-on) straight on to the missing grant. */
export async function showLogin(flow: Interaction) {
  const { sso, details } = flow
  const state = await sso.loginState(details.uid)
  if (state) return renderStage(flow, state)
  if (details.prompt.name === 'login' || !details.session?.accountId) return sendLoginPage(flow)
  // already logged in (single sign-on): only the grant for this client is missing
  return proceed(flow, {
    accountId: details.session.accountId,
    authenticated: false,
    stage: 'consent',
    amr: [],
  })
}

/** Words a refused password check for the user, never saying whether the account exists. */
function refusalText(flow: Interaction, refused: Extract<PasswordCheck, { ok: false }>): string {
  const { language } = pageContextOf(flow.request, flow.reply, flow.details)
  if (refused.reason === 'locked')
    return refused.lockedUntil
      ? t(language, 'locked', { time: formatLockedUntil(refused.lockedUntil, language) })
      : t(language, 'lockedNoTime')
  if (refused.reason === 'disabled') return t(language, 'disabled')
  return t(language, 'invalid-credentials')
}

/** Checks the account and password; then the second factor, the acting-for choice or consent. */
export async function submitPassword(flow: Interaction) {
  const { sso, request, reply, details } = flow
  const form = (request.body ?? {}) as Form
  const login = (form.login ?? '').trim()
  const password = form.password ?? ''
  if (!login || !password) {
    const { language } = pageContextOf(request, reply, details)
    return sendLoginPage(flow, login, t(language, 'missingFields'))
  }
  const check = await sso.ports.logins.verifyPassword(login, password, {
    ip: request.ip,
    requestId: request.id,
  })
  if (!check.ok) return sendLoginPage(flow, login, refusalText(flow, check))
  const kind = check.totpRequired
    ? undefined
    : (await sso.ports.claims.claimsFor(check.accountId))?.account_kind
  const step = secondFactorStep(check, kind)
  const state: LoginState = {
    accountId: check.accountId,
    authenticated: !step,
    stage: step ?? 'consent',
    amr: ['pwd'],
  }
  if (!step) return proceed(flow, state)
  await sso.saveLoginState(details.uid, state)
  return renderStage(flow, state)
}
