import { t } from '../sso.messages.ts'
import { actingForChoice } from '../sso.policy.ts'
import type { LoginState } from '../sso.service.ts'
import { abort, finish, type Interaction, proceed, renderStage } from './interaction.ts'
import { pageContextOf } from './page-context.ts'

type Form = Record<string, string | undefined>

const codeOf = (flow: Interaction) => ((flow.request.body ?? {}) as Form).code?.trim() ?? ''
const contextOf = (flow: Interaction) => ({ ip: flow.request.ip, requestId: flow.request.id })

/** The same stage again, saying the code was wrong. */
function wrongCode(flow: Interaction, state: LoginState) {
  const { language } = pageContextOf(flow.request, flow.reply, flow.details)
  flow.reply.code(401)
  return renderStage(flow, state, t(language, 'totp-invalid'))
}

/** Checks the one-time code of an enrolled authenticator. */
export async function submitTotp(flow: Interaction, state: LoginState) {
  const code = codeOf(flow)
  const ok =
    /^\d{6}$/.test(code) && (await flow.sso.ports.logins.verifyTotp(state.accountId, code, contextOf(flow)))
  if (!ok) return wrongCode(flow, state)
  return proceed(flow, { ...state, authenticated: true, amr: ['pwd', 'otp'] })
}

/** Confirms a new authenticator with its first code (staff enrol at their first login). */
export async function submitEnrolment(flow: Interaction, state: LoginState) {
  const code = codeOf(flow)
  const confirmed =
    /^\d{6}$/.test(code) &&
    (await flow.sso.ports.logins.confirmTotpEnrolment(state.accountId, code, contextOf(flow)))
  if (!confirmed) return wrongCode(flow, state)
  return proceed(flow, { ...state, authenticated: true, amr: ['pwd', 'otp'] })
}

/** The agent's choice of whom to act for: a company it may still act for, anything else means itself. */
export async function submitActingFor(flow: Interaction, state: LoginState) {
  const chosen = ((flow.request.body ?? {}) as Form).company ?? ''
  const companies = await flow.sso.ports.accounts.companiesActedFor(state.accountId)
  return proceed(flow, { ...state, actingFor: actingForChoice(companies, chosen) })
}

/** The user's consent to a third-party client, or its refusal. */
export async function submitConsent(flow: Interaction, state: LoginState) {
  if (((flow.request.body ?? {}) as Form).decision !== 'allow') return abort(flow)
  return finish(flow, state)
}
