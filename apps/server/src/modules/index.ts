import type { Module } from '../platform/module.ts'
import { createCasesModule } from './cases/index.ts'
import { createCatalogModule } from './catalog/index.ts'
import { identityModule } from './identity/index.ts'
import { createLicensesModule } from './licenses/index.ts'
import { orgModule } from './org/index.ts'
import { createSsoModule } from './sso/index.ts'
import { casesPorts, catalogPorts, licensesPorts, ssoPorts } from './wiring.ts'

/** Every domain module, in dependency order (a module's demo data may rely on earlier modules'). */
export const modules: Module[] = [
  orgModule,
  identityModule,
  createSsoModule(ssoPorts),
  createCatalogModule(catalogPorts),
  createCasesModule(casesPorts),
  createLicensesModule(licensesPorts),
]
