import type { Actor } from '../../../platform/authz.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { holderIdsOf } from '../licenses.policy.ts'
import type { LicenseReadRecord } from '../licenses.repository.ts'
import { describeLicense, getOwnLicense, type LicenseDetail } from './license-detail.ts'

/** 证照夹: the caller's licenses and those of the company they act for (superseded versions aside). */
export async function listWallet(ctx: LicensesContext, actor: Actor): Promise<LicenseDetail[]> {
  const records = await ctx.repository.findByHolders(holderIdsOf(actor))
  return Promise.all(records.map((record) => describeLicense(ctx, record)))
}

/** One use of a license through a grant, with the reading department's name. */
export type LicenseUse = LicenseReadRecord & { department_name: string | null }

/** "Who used my license, when, for what": the holder's log of reads through grants. */
export async function listUses(ctx: LicensesContext, id: string, actor: Actor): Promise<LicenseUse[]> {
  await getOwnLicense(ctx, id, actor)
  const reads = await ctx.repository.findReads([id])
  const departments = await ctx.departments.namesOf(
    reads.flatMap((r) => (r.department_id ? [r.department_id] : [])),
  )
  return reads.map((read) => ({
    ...read,
    department_name: read.department_id ? (departments.get(read.department_id)?.name ?? null) : null,
  }))
}
