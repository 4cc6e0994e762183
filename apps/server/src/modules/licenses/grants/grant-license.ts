import type { CreateLicenseGrant, FieldError } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError, invalid, notFound } from '../../../platform/errors.ts'
import { type AuditWho, auditLicense } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { messages } from '../licenses.messages.ts'
import { mayGrantForCase } from '../licenses.policy.ts'
import type { GrantRecord } from '../licenses.repository.ts'
import { getOwnLicense } from '../reading/license-detail.ts'

/** 用证授权: the holder lets a department or one of their cases use the license until a time; audited. */
export async function grantLicense(
  ctx: LicensesContext,
  id: string,
  input: CreateLicenseGrant,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<GrantRecord> {
  const detail = await getOwnLicense(ctx, id, actor)
  const now = ctx.now()
  checkGrant(input, now)
  await checkGrantee(ctx, input, actor)
  return ctx.platform.db.transaction().execute(async (trx) => {
    const grant = await ctx.repository.insertGrant(trx, {
      license_id: id,
      grantee_kind: input.caseId ? 'case' : 'department',
      grantee_department_id: input.departmentId ?? null,
      grantee_case_id: input.caseId ?? null,
      purpose: input.purpose,
      valid_until: new Date(input.validUntil),
      granted_by: actor.accountId,
      granted_at: now,
    })
    await auditLicense(ctx.platform, trx, who, 'license.grant', detail.record, {
      grantId: grant.id,
      departmentId: input.departmentId,
      caseId: input.caseId,
      purpose: input.purpose,
    })
    return grant
  })
}

/** A grant names exactly one grantee and ends in the future. */
function checkGrant(input: CreateLicenseGrant, now: Date): void {
  const errors: FieldError[] = []
  if (Boolean(input.departmentId) === Boolean(input.caseId))
    errors.push({ path: '/departmentId', code: 'grantee', message: messages.granteeEither })
  if (Date.parse(input.validUntil) <= now.getTime())
    errors.push({ path: '/validUntil', code: 'range', message: messages.grantInPast })
  if (errors.length > 0) throw invalid(errors)
}

/** The grantee exists: a department, or a case of the holder's own. */
async function checkGrantee(ctx: LicensesContext, input: CreateLicenseGrant, actor: AuthenticatedActor) {
  if (input.departmentId && !(await ctx.departments.find(input.departmentId)))
    throw invalid([{ path: '/departmentId', code: 'unknown', message: messages.noSuchDepartment }])
  if (!input.caseId) return
  const facts = await ctx.ports.cases.findCase(input.caseId)
  if (!facts || !mayGrantForCase(actor, facts))
    throw invalid([{ path: '/caseId', code: 'unknown', message: messages.noSuchCase }])
}

/** The holder's grants of one of their licenses, newest first. */
export async function listGrants(
  ctx: LicensesContext,
  id: string,
  actor: AuthenticatedActor,
): Promise<GrantRecord[]> {
  await getOwnLicense(ctx, id, actor)
  return ctx.repository.findGrants(id)
}

/** Withdraws a grant at once; a grant already withdrawn is a conflict. Audited. */
export async function withdrawGrant(
  ctx: LicensesContext,
  id: string,
  grantId: string,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<GrantRecord> {
  const detail = await getOwnLicense(ctx, id, actor)
  const grant = await ctx.repository.findGrant(grantId)
  if (!grant || grant.license_id !== id) throw notFound()
  return ctx.platform.db.transaction().execute(async (trx) => {
    const withdrawn = await ctx.repository.withdrawGrant(trx, grantId, ctx.now())
    if (!withdrawn) throw new AppError('invalid-transition', { detail: messages.grantWithdrawn })
    await auditLicense(ctx.platform, trx, who, 'license.grant-withdraw', detail.record, { grantId })
    return withdrawn
  })
}
