import type { Module } from '../../platform/module.ts'
import type { Platform } from '../../platform/platform.ts'
import { seedIdentityDemo } from './identity.demo.ts'
import { registerIdentityRoutes } from './identity.routes.ts'
import { IdentityService } from './identity.service.ts'

export { identityCliCommands } from './identity.cli.ts'
export { DEMO_PASSWORD } from './identity.demo.ts'
export { ACCOUNT_DISABLED, ACCOUNT_ENABLED, IdentityService, sameRealName } from './identity.service.ts'
export type {
  AccountClaims,
  AccountDirectory,
  AccountKind,
  CounterAccount,
  LoginFailure,
  PasswordLoginResult,
  RealNameLevel,
} from './identity.types.ts'
export { implausibleBirthDateAtRegistration, MAX_AGE_AT_REGISTRATION_YEARS } from './plausibility.ts'

const services = new WeakMap<Platform, IdentityService>()

/** The identity service of a platform (one per process): also the AccountDirectory of the SSO module. */
export function identityService(platform: Platform): IdentityService {
  let service = services.get(platform)
  if (!service) {
    service = new IdentityService(platform)
    services.set(platform, service)
  }
  return service
}

/** 统一身份认证 module: accounts, agents (法人经办人), staff role grants (三员分立), the audit admin's log view. */
export const identityModule: Module = {
  name: 'identity',
  tables: [
    'accounts',
    'agent_authorizations',
    'contact_changes',
    'login_failures',
    'password_resets',
    'role_grants',
  ],
  register(app, platform) {
    registerIdentityRoutes(app, identityService(platform))
  },
  async seedDemo(platform) {
    await seedIdentityDemo(platform)
  },
}
