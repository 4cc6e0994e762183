import type { DomainTopic } from '@tongban/contracts'
import type { Module } from '../../platform/module.ts'
import type { Platform } from '../../platform/platform.ts'
import { cliCommands } from '../cli.ts'
import { deleteAccountPayloads } from './sso.adapter.ts'
import type { SsoPortFactories, SsoPorts } from './sso.ports.ts'
import { registerSsoRoutes } from './sso.routes.ts'
import { type IssueAccessTokenOptions, SsoService } from './sso.service.ts'

export { isAllowedRedirectUri, WEB_CLIENT_ID } from './sso.policy.ts'
export type {
  ActedForCompany,
  LoginContext,
  LoginRefusal,
  PasswordCheck,
  SsoAccountKind,
  SsoAccountsPort,
  SsoClaims,
  SsoClaimsPort,
  SsoLoginPort,
  SsoPortFactories,
  SsoPorts,
} from './sso.ports.ts'
export type { IssueAccessTokenOptions } from './sso.service.ts'
export { SsoService } from './sso.service.ts'

const CLEAN_UP_INTERVAL_MS = 15 * 60 * 1000
const KEY_RELOAD_INTERVAL_MS = 30_000
const services = new WeakMap<Platform, SsoService>()

/** The SSO service of a platform, once the module has registered. */
export function ssoService(platform: Platform): SsoService {
  const service = services.get(platform)
  if (!service) throw new Error('the sso module is not registered on this platform')
  return service
}

/**
 * TEST AND BENCHMARK ONLY: signs an access token for the API with the provider's current key, exactly as
 * the provider does for tongban-web after a login, so that tests and benchmarks can call authenticated
 * routes without driving the login pages. Never expose it through a route.
 */
export function issueAccessToken(
  platform: Platform,
  accountId: string,
  options: IssueAccessTokenOptions = {},
): Promise<string> {
  return ssoService(platform).issueAccessToken(accountId, options)
}

/** The topic of an account's disabling (packages/contracts events catalogue). */
const ACCOUNT_DISABLED = 'account.disabled' satisfies DomainTopic

/** What the module is built with besides its ports. */
export interface SsoModuleOptions {
  /**
   * A development setup: the web client may also return to the Vite dev server (http://localhost:5173).
   * Default: NODE_ENV is 'development'.
   */
  development?: boolean
}

/** Whether the process runs as a development setup. */
function isDevelopment(options: SsoModuleOptions): boolean {
  return options.development ?? process.env.NODE_ENV === 'development'
}

/**
 * 统一身份认证 module: the OpenID Provider at /oidc, its login pages, clients, and the API's authenticator,
 * built on the ports it consumes (wired in modules/wiring/sso.ts; tests pass fakes).
 */
export function createSsoModule(ports: SsoPortFactories, options: SsoModuleOptions = {}): Module {
  return {
    name: 'sso',
    tables: ['oidc_clients', 'oidc_payloads', 'oidc_signing_keys'],
    async register(app, platform) {
      const bound: SsoPorts = {
        accounts: ports.accounts(platform),
        logins: ports.logins(platform),
        claims: ports.claims(platform),
      }
      const sso = new SsoService(platform, bound, isDevelopment(options))
      await sso.start()
      services.set(platform, sso)
      platform.authenticator = sso.authenticate
      await registerSsoRoutes(app, sso)
      // a disabled account's sessions, grants, codes and refresh tokens go with it (its API access tokens
      // already fail: AccountDirectory.actorFor answers nothing for a disabled account)
      platform.events.subscribe('sso.revoke-disabled-account', ACCOUNT_DISABLED, async (event, trx) => {
        const { accountId } = event.payload as { accountId: string }
        const revoked = await deleteAccountPayloads(trx, accountId)
        await platform.audit.append(trx, {
          actorId: null,
          actorKind: 'system',
          ip: null,
          requestId: null,
          action: 'sso.revoke-account',
          resourceType: 'account',
          resourceId: accountId,
          regionCode: null,
          outcome: 'success',
          details: { cause: ACCOUNT_DISABLED, eventId: event.id, artefacts: revoked },
        })
      })
      const cleanUp = setInterval(() => {
        sso.cleanUp().catch((err: unknown) => platform.logger.error({ err }, 'oidc clean-up failed'))
      }, CLEAN_UP_INTERVAL_MS)
      cleanUp.unref()
      // keys rotated elsewhere are used (and published) here within KEY_RELOAD_INTERVAL_MS
      const reload = setInterval(() => {
        sso
          .reloadKeysIfChanged()
          .then((changed) => changed && platform.logger.info('OIDC signing keys reloaded'))
          .catch((err: unknown) => platform.logger.error({ err }, 'OIDC key reload failed'))
      }, KEY_RELOAD_INTERVAL_MS)
      reload.unref()
      app.addHook('onClose', async () => {
        clearInterval(cleanUp)
        clearInterval(reload)
      })
    },
  }
}

/** Ports that know no accounts (key rotation from the command line logs nobody in). */
const noAccounts: SsoPorts = {
  accounts: { actorFor: () => undefined, companiesActedFor: async () => [] },
  logins: {
    verifyPassword: async () => ({ ok: false, reason: 'invalid-credentials' }),
    verifyTotp: async () => false,
    startTotpEnrolment: async () => {
      throw new Error('no accounts')
    },
    confirmTotpEnrolment: async () => false,
  },
  claims: { claimsFor: async () => undefined },
}

cliCommands.push({
  command: 'sso',
  subcommand: 'rotate-keys',
  usage: 'sso rotate-keys',
  summary: 'new OIDC signing keys; old ones stay published until their tokens expire',
  options: {},
  async run(platform) {
    const sso = new SsoService(platform, noAccounts)
    await sso.keys.load()
    const kids = await sso.rotateKeys()
    await platform.audit.record({
      actorId: null,
      actorKind: 'system',
      action: 'sso.keys.rotated',
      resourceType: 'oidc_signing_key',
      resourceId: kids.join(','),
      regionCode: null,
      ip: null,
      requestId: null,
      outcome: 'success',
    })
    console.log(`new signing keys: ${kids.join(', ')} (running servers switch to them within 30 s)`)
    return 0
  },
})
