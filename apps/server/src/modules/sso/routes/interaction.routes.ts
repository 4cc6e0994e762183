import type { FastifyReply, FastifyRequest } from 'fastify'
import { publicAccess } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { abort, type Interaction, interactionOf, sendExpired } from '../login/interaction.ts'
import { showLogin, submitPassword } from '../login/password-login.ts'
import { submitActingFor, submitConsent, submitEnrolment, submitTotp } from '../login/second-factor.ts'
import type { LoginState, SsoService } from '../sso.service.ts'
import { STYLESHEET } from '../sso.stylesheet.ts'
import { MOUNT } from './provider.routes.ts'

const config = { policy: publicAccess }
const schema = { hide: true }

type Step = (flow: Interaction, state: LoginState) => Promise<unknown>

/** Tongban's login pages: password, second factor (and its enrolment), acting-for choice, consent. */
function registerInteractionRoutes(app: App, sso: SsoService): void {
  app.get(`${MOUNT}/assets/tongban.css`, { config, schema }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  )

  /** A page of the interaction the URL names; an unknown or finished one shows the expired page. */
  const page =
    (handle: (flow: Interaction) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const flow = await interactionOf(sso, request, reply)
      return flow ? handle(flow) : sendExpired(request, reply)
    }
  /** A form of one stage of the login; posted at any other stage, it has expired. */
  const stage = (name: LoginState['stage'], step: Step) =>
    page(async (flow) => {
      const state = await sso.loginState(flow.details.uid)
      return state?.stage === name ? step(flow, state) : sendExpired(flow.request, flow.reply)
    })

  app.get(`${MOUNT}/interaction/:uid`, { config, schema }, page(showLogin))
  app.post(`${MOUNT}/interaction/:uid/login`, { config, schema }, page(submitPassword))
  app.post(`${MOUNT}/interaction/:uid/totp`, { config, schema }, stage('totp', submitTotp))
  app.post(`${MOUNT}/interaction/:uid/enrol`, { config, schema }, stage('enrol', submitEnrolment))
  app.post(`${MOUNT}/interaction/:uid/acting`, { config, schema }, stage('acting', submitActingFor))
  app.post(`${MOUNT}/interaction/:uid/consent`, { config, schema }, stage('consent', submitConsent))
  app.get(`${MOUNT}/interaction/:uid/abort`, { config, schema }, page(abort))
}

/** Mounts the login pages, which take form posts. */
export async function registerLoginRoutes(app: App, sso: SsoService): Promise<void> {
  await app.register(async (child) => {
    child.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    )
    registerInteractionRoutes(child as App, sso)
  })
}
