import { regionAncestors } from '@tongban/standards'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import { SYSTEM } from './licenses.audit.ts'
import { demoPlans, type Plan } from './licenses.demo-plans.ts'
import type { DemoHolders, Department, DepartmentDirectoryPort } from './licenses.ports.ts'
import type { LicenseTypeRecord } from './licenses.repository.ts'
import type { LicensesService } from './licenses.service.ts'

/**
 * 电子证照 demo data: SM2 and Ed25519 keys for every demo department that issues licenses (as the security
 * administrator would generate them), then licenses signed with those keys for the demo people and
 * companies — 居民身份证, 社会保障卡, 机动车驾驶证 (one of them expired), 结婚证 (both spouses), 不动产权证书,
 * 出生医学证明 and a 营业执照 for every company (one changed to a second version, one suspended) — so the
 * wallet, 亮证 and the verifier have something to show. Issued through the service's own rules. Running it
 * again adds nothing: departments with a key keep it, holders with a license of a type get no second one.
 */
export async function seedLicensesDemo(
  licenses: LicensesService,
  directory: DepartmentDirectoryPort,
  holders: DemoHolders,
): Promise<{ keys: number; licenses: number }> {
  const departments = await directory.departmentsWithin('330000')
  const types = await licenses.types()
  const keys = await seedKeys(licenses, departments, types)
  const plans = demoPlans(await holders.citizens(), await holders.companies())
  let issued = 0
  for (const plan of plans) {
    if (!types.get(plan.typeCode)) continue
    const department = departmentFor(departments, plan.kind, plan.regionCode)
    if (!department) continue
    if (await holdsAlready(licenses, plan)) continue
    await issuePlan(licenses, plan, department)
    issued += 1
  }
  return { keys, licenses: issued }
}

/** Keys for every department of a kind that issues some license type, unless it has them. */
async function seedKeys(
  licenses: LicensesService,
  departments: Department[],
  types: Map<string, LicenseTypeRecord>,
): Promise<number> {
  const issuerKinds = new Set([...types.values()].map((t) => t.issuer_kind))
  let keys = 0
  for (const department of departments) {
    if (!issuerKinds.has(department.kind)) continue
    if (await licenses.repository.findCurrentKey(department.id, 'SM2')) continue
    await licenses.rotateKeys(department.id, null, SYSTEM)
    keys += 1
  }
  return keys
}

/** The department of a kind nearest to a region: the county's, else its city's, else the province's. */
function departmentFor(departments: Department[], kind: string, regionCode: string): Department | undefined {
  for (const code of [regionCode, ...regionAncestors(regionCode).map((r) => r.code), '330000']) {
    const found = departments.find((d) => d.kind === kind && d.regionCode === code)
    if (found) return found
  }
  return undefined
}

async function holdsAlready(licenses: LicensesService, plan: Plan): Promise<boolean> {
  const held = await licenses.repository.findByHolders([plan.holder.accountId])
  return held.some((l) => l.type_code === plan.typeCode)
}

/** Issues one planned license as the department's officer, then changes or suspends it as planned. */
async function issuePlan(licenses: LicensesService, plan: Plan, department: Department): Promise<void> {
  const actor = demoIssuer(department)
  const { record } = await licenses.issue(
    {
      typeCode: plan.typeCode,
      departmentId: department.id,
      holder: plan.holder,
      fields: plan.fields,
      validFrom: plan.validFrom,
      ...(plan.validUntil ? { validUntil: plan.validUntil } : {}),
      reason: '演示数据：历史证照电子化',
    },
    actor,
    SYSTEM,
    { issuedOn: plan.issuedOn },
  )
  const afterwards = plan.afterwards
  if (afterwards?.action === 'change')
    await licenses.reissue(
      record.id,
      { kind: 'change', input: { fields: afterwards.fields, reason: afterwards.reason } },
      actor,
      SYSTEM,
    )
  if (afterwards?.action === 'suspend')
    await licenses.changeStatus(record.id, { action: 'suspend', reason: afterwards.reason }, actor, SYSTEM)
}

/** The demo's issuing officer: an approver of the department, so issuance goes through the usual checks. */
function demoIssuer(department: Department): AuthenticatedActor {
  return {
    kind: 'staff',
    accountId: 'demo-seed',
    name: '演示数据',
    roles: [{ role: 'approver', departmentId: department.id, regionCode: department.regionCode }],
    realNameLevel: 3,
  }
}
