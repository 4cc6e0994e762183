import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError } from '../../../platform/errors.ts'
import type { AuditWho } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { mayRotateKeys } from '../licenses.policy.ts'
import type { PublicKeyRecord, SigningKeyRecord } from '../licenses.repository.ts'

/** A signing key as published, with the name and issuer code (USCC) of its department. */
export type PublishedSigningKey = PublicKeyRecord & { department_name: string; issuer_code: string }

/**
 * Generates the department's first keys or rotates them (三员: the security admin of the department's
 * scope; `null` is the platform itself, seeding demo data). Audited with the new keys' ids.
 */
export async function rotateKeys(
  ctx: LicensesContext,
  departmentId: string,
  actor: AuthenticatedActor | null,
  who: AuditWho,
): Promise<SigningKeyRecord[]> {
  const department = await ctx.departments.get(departmentId)
  if (actor && !mayRotateKeys(actor, department)) throw new AppError('forbidden')
  return ctx.platform.db.transaction().execute(async (trx) => {
    const keys = await ctx.keys.rotate(trx, departmentId, who.actorId)
    await ctx.platform.audit.append(trx, {
      ...who,
      action: 'license-key.rotate',
      resourceType: 'department',
      resourceId: departmentId,
      regionCode: department.regionCode,
      outcome: 'success',
      details: { keyIds: keys.map((k) => k.id) },
    })
    return keys
  })
}

/** Every signing key ever used (of one department), with its validity period: what offline verifiers trust. */
export async function listPublishedKeys(
  ctx: LicensesContext,
  departmentId?: string,
): Promise<PublishedSigningKey[]> {
  const keys = await ctx.repository.findKeys(departmentId ? { departmentId } : {})
  const departments = await ctx.departments.namesOf(keys.map((k) => k.department_id))
  return keys.flatMap((key) => {
    const department = departments.get(key.department_id)
    return department ? [{ ...key, department_name: department.name, issuer_code: department.uscc }] : []
  })
}
