import type { Module } from '../platform/module.ts'
import type { Platform } from '../platform/platform.ts'
import { createCasesModule } from './cases/index.ts'
import { catalogModule } from './catalog/index.ts'
import { identityModule, identityService } from './identity/index.ts'
import { createLicensesModule } from './licenses/index.ts'
import { orgModule } from './org/index.ts'
import { ssoModule } from './sso/index.ts'
import { casesPorts } from './wiring.ts'

/**
 * What the licenses module needs to know about an account, answered by the identity module's service:
 * the holder's identifier for a license. (The cases module's account adapters are in wiring.ts.)
 */
function accounts(platform: Platform) {
  const identity = identityService(platform)
  const find = (id: string) => identity.getAccount(id).catch(() => undefined)
  const decrypt = (value: string | null) => (value ? platform.vault.decrypt(value) : undefined)
  return {
    async findHolder(accountId: string) {
      const account = await find(accountId)
      if (!account || account.kind === 'staff') return undefined
      return {
        name: account.name,
        identifier: account.kind === 'company' ? account.uscc : (decrypt(account.id_number_enc) ?? null),
      }
    },
  }
}

/** Every domain module, in dependency order (a module's demo data may rely on earlier modules'). */
export const modules: Module[] = [
  orgModule,
  identityModule,
  ssoModule,
  catalogModule,
  createCasesModule(casesPorts),
  createLicensesModule({ holders: accounts }),
]
