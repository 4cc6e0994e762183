import type { Module } from '../platform/module.ts'
import type { Platform } from '../platform/platform.ts'
import { createCasesModule } from './cases/index.ts'
import { createCatalogModule } from './catalog/index.ts'
import { identityModule, identityService } from './identity/index.ts'
import { createLicensesModule } from './licenses/index.ts'
import { orgModule } from './org/index.ts'
import { ssoModule } from './sso/index.ts'
import { catalogPorts, licensesPorts } from './wiring.ts'

/**
 * What other modules need to know about an account, answered by the identity module's service: the
 * roles of a staff member and where to notify an applicant.
 */
function accounts(platform: Platform) {
  const identity = identityService(platform)
  const find = (id: string) => identity.getAccount(id).catch(() => undefined)
  const decrypt = (value: string | null) => (value ? platform.vault.decrypt(value) : undefined)
  return {
    async findRoleGrants(accountId: string) {
      const actor = await identity.actorFor(accountId)
      return actor?.kind === 'staff' ? actor.roles : undefined
    },
    async findContact(accountId: string) {
      const account = await find(accountId)
      if (!account) return undefined
      const phone = decrypt(account.phone_enc)
      return { ...(phone ? { phone } : {}), ...(account.email ? { email: account.email } : {}) }
    },
  }
}

/** Every domain module, in dependency order (a module's demo data may rely on earlier modules'). */
export const modules: Module[] = [
  orgModule,
  identityModule,
  ssoModule,
  createCatalogModule(catalogPorts),
  createCasesModule({ staff: accounts, contacts: accounts }),
  createLicensesModule(licensesPorts),
]
