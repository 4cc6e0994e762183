export { casesPorts, catalogForCases } from './wiring/cases.ts'
/*
 * The one place modules are connected. Each module declares what it consumes as ports it owns (its
 * x.ports.ts); the adapters here answer those ports from other modules' public services (their index.ts).
 * One section per consuming module. An adapter translates shapes and catches only "not found" (logging what
 * it drops); everything else propagates.
 */
export { catalogLicenseTypes, catalogOrgDirectory, catalogPorts } from './wiring/catalog.ts'
export { licensesPorts } from './wiring/licenses.ts'
export { ssoPorts } from './wiring/sso.ts'
