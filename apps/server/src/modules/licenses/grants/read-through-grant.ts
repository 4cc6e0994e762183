import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { notFound } from '../../../platform/errors.ts'
import { type AuditWho, auditLicense } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { isGrantActive, mayReadThroughGrant } from '../licenses.policy.ts'
import type { Department } from '../licenses.ports.ts'
import type { GrantRecord } from '../licenses.repository.ts'
import { getLicense, type LicenseDetail } from '../reading/license-detail.ts'

/**
 * Staff read a license through a grant: the grant must be active and name their department, or a case
 * of their department. Anything else is 404 with nothing disclosed. Every read is logged for the holder
 * and in the audit log.
 */
export async function readThroughGrant(
  ctx: LicensesContext,
  grantId: string,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<{ detail: LicenseDetail; grant: GrantRecord }> {
  const grant = await ctx.repository.findGrant(grantId)
  if (!grant || !isGrantActive(grant, ctx.now())) throw notFound()
  const department = await granteeDepartment(ctx, grant)
  if (!department || !mayReadThroughGrant(actor, grant, department, ctx.now())) throw notFound()
  const detail = await getLicense(ctx, grant.license_id)
  await ctx.platform.db.transaction().execute(async (trx) => {
    await ctx.repository.insertRead(trx, {
      license_id: grant.license_id,
      grant_id: grant.id,
      reader_account_id: actor.accountId,
      reader_name: actor.name,
      department_id: department.id,
      case_id: grant.grantee_case_id,
      purpose: grant.purpose,
      read_at: ctx.now(),
    })
    await auditLicense(ctx.platform, trx, who, 'license.read', detail.record, {
      grantId: grant.id,
      departmentId: department.id,
      caseId: grant.grantee_case_id,
    })
  })
  return { detail, grant }
}

/** The department a grant names: its own, or the department handling the case it names. */
async function granteeDepartment(ctx: LicensesContext, grant: GrantRecord): Promise<Department | undefined> {
  let departmentId = grant.grantee_department_id
  if (grant.grantee_kind === 'case') {
    const facts = grant.grantee_case_id ? await ctx.ports.cases.findCase(grant.grantee_case_id) : undefined
    departmentId = facts?.departmentId ?? null
  }
  return departmentId ? ctx.departments.find(departmentId) : undefined
}
