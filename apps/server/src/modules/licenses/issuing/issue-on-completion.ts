import { CaseCompleted } from '@tongban/contracts'
import type { Transaction } from 'kysely'
import { Value } from 'typebox/value'
import type { Database } from '../../../platform/db/schema.ts'
import { auditLicense, SYSTEM } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { shanghaiDate } from '../licenses.dates.ts'
import { yieldsResult } from '../licenses.policy.ts'
import type { LicenseTypeRecord } from '../licenses.repository.ts'
import { prepareVersion, storeVersion, type VersionParams } from './license-version.ts'
import { validityOf } from './validity.ts'

/** Why a completed case gets no license: not one of a license (not applicable), or one that cannot be made. */
interface NoLicense {
  outcome: 'not-applicable' | 'failed'
  why: string
  regionCode: string | null
}

/**
 * Outbox consumer of case.completed, inside the event's transaction: queues the case for automatic
 * issuance with the event, which says all issuing needs (the receipt and the request commit together, so
 * a completed case is never forgotten).
 */
export async function requestIssueForCase(
  ctx: LicensesContext,
  completion: CaseCompleted,
  trx: Transaction<Database>,
): Promise<void> {
  await ctx.repository.requestIssue(trx, completion.caseId, completion)
}

/**
 * Works the queue of completed cases: issues the license each approved item's guide promises as its 办理结果 (a
 * license type of that name) to the applicant, or to the company the agent acted for, with fields from
 * the type's issuance map, all from the case.completed event (the case is not read back). A case that gets no license says why (audited); a transient failure (no
 * signing key yet) is retried on the next pass.
 */
export async function processIssueRequests(ctx: LicensesContext, limit = 50): Promise<number> {
  let processed = 0
  for (const request of await ctx.repository.findPendingIssues(limit)) {
    try {
      await issueForCase(ctx, request.case_id, request.completion)
      processed += 1
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      ctx.platform.logger.warn(
        { caseId: request.case_id, err: error },
        'automatic license issuance failed; will retry',
      )
      await ctx.repository.retryIssueLater(request.case_id, message)
    }
  }
  return processed
}

/** One queued case: plan its license, sign it, and store it with the request finished, or say why not. */
async function issueForCase(ctx: LicensesContext, caseId: string, completion: unknown): Promise<void> {
  const plan = Value.Check(CaseCompleted, completion)
    ? await planIssue(ctx, completion)
    : { outcome: 'failed' as const, why: 'the completion it was queued with was not kept', regionCode: null }
  if ('outcome' in plan) return finishWithout(ctx, caseId, plan)
  const prepared = prepareVersion(ctx, plan)
  await ctx.platform.db.transaction().execute(async (trx) => {
    if (!(await ctx.repository.lockPendingIssue(trx, caseId))) return
    const record = await storeVersion(ctx, trx, prepared, plan)
    await ctx.repository.finishIssue(trx, caseId, 'issued', ctx.now(), { licenseId: record.id })
    await auditLicense(ctx.platform, trx, SYSTEM, 'license.issue', record, { caseId, automatic: true })
  })
}

/** The license a completed case yields, or why it yields none. */
async function planIssue(ctx: LicensesContext, facts: CaseCompleted): Promise<VersionParams | NoLicense> {
  if (!yieldsResult(facts.decision))
    return {
      outcome: 'not-applicable',
      why: `the case was not approved (${facts.decision ?? 'no decision'})`,
      regionCode: null,
    }
  if (!facts.implementationId || facts.guideVersion === null || !facts.departmentId)
    return { outcome: 'not-applicable', why: 'not a case of one item', regionCode: null }
  const result = await ctx.ports.guides.resultOf(facts.implementationId, facts.guideVersion)
  const type = await ctx.types.activeNamed(result)
  if (!type)
    return {
      outcome: 'not-applicable',
      why: `the result ${result ?? '(none)'} is not a license type`,
      regionCode: null,
    }
  const department = await ctx.departments.get(facts.departmentId)
  const fail = (why: string): NoLicense => ({
    outcome: 'failed',
    why: `${type.code}: ${why}`,
    regionCode: facts.regionCode,
  })
  const holderId = holderOfCase(type, facts)
  if (!holderId) return fail('no company holder: the applicant did not act for a company')
  if (type.issuer_kind !== department.kind) return fail('the case department does not issue this type')
  const holder = await ctx.ports.holders.findHolder(holderId)
  if (!holder) return fail('holder account not found')
  const today = shanghaiDate(ctx.now())
  const fields = fieldsOf(type, { ...holder, issuedOn: today }, formDataOf(ctx, facts))
  const problems = ctx.schemas.problemsOf(type, fields)
  if (problems) return fail(`fields do not match the type: ${problems}`)
  const signer = await ctx.keys.sm2Signer(department.id)
  const sequence = await ctx.sequences.next(department.uscc, type.code)
  return {
    signer,
    sequence,
    type,
    department,
    holder: { kind: type.holder, accountId: holderId, ...holder },
    fields,
    ...validityOf(type, today, undefined),
    caseId: facts.caseId,
    createdBy: null,
  }
}

/** The application form the case was decided on, in clear (the event carries it SM4-encrypted). */
function formDataOf(ctx: LicensesContext, completion: CaseCompleted): Record<string, unknown> {
  if (!completion.formDataEnc) return {}
  return JSON.parse(ctx.platform.vault.decrypt(completion.formDataEnc)) as Record<string, unknown>
}

/** The account a case's license is issued to: the company the applicant acted for, or the applicant. */
function holderOfCase(
  type: Pick<LicenseTypeRecord, 'holder'>,
  facts: Pick<CaseCompleted, 'applicantId' | 'actingForId'>,
): string | null {
  return type.holder === 'company' ? facts.actingForId : facts.applicantId
}

/**
 * The fields of a case's license by its type's issuance map (field → source): `$holder.name`,
 * `$holder.identifier`, `$issuedOn`, or a field of the application form; empty values are left out.
 */
function fieldsOf(
  type: Pick<LicenseTypeRecord, 'issuance_map'>,
  known: { name: string; identifier: string | null; issuedOn: string },
  formData: Record<string, unknown>,
): Record<string, unknown> {
  const special = new Map<string, unknown>([
    ['$holder.name', known.name],
    ['$holder.identifier', known.identifier],
    ['$issuedOn', known.issuedOn],
  ])
  const fields: Record<string, unknown> = {}
  for (const [field, source] of Object.entries(type.issuance_map as Record<string, string>)) {
    const value = special.has(source) ? special.get(source) : formData[source]
    if (value !== undefined && value !== null && value !== '') fields[field] = value
  }
  return fields
}

/** Finishes a request that yields no license; a failure is logged and audited against the case. */
async function finishWithout(ctx: LicensesContext, caseId: string, { outcome, why, regionCode }: NoLicense) {
  await ctx.platform.db.transaction().execute(async (trx) => {
    if (!(await ctx.repository.lockPendingIssue(trx, caseId))) return
    await ctx.repository.finishIssue(trx, caseId, outcome, ctx.now(), { error: why })
    if (outcome !== 'failed') return
    ctx.platform.logger.warn({ caseId, why }, 'license not issued for case')
    await ctx.platform.audit.append(trx, {
      ...SYSTEM,
      action: 'license.issue',
      resourceType: 'case',
      resourceId: caseId,
      regionCode,
      outcome: 'failure',
      details: { why },
    })
  })
}
