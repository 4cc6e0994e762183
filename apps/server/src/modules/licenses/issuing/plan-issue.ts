import type { CaseCompleted, LocalizedText, ResultLicense } from '@tongban/contracts'
import type { LicensesContext } from '../licenses.context.ts'
import { shanghaiDate } from '../licenses.dates.ts'
import { messages } from '../licenses.messages.ts'
import { mayReissue, yieldsResult } from '../licenses.policy.ts'
import type { Department } from '../licenses.ports.ts'
import type { LicenseRecord, LicenseTypeRecord } from '../licenses.repository.ts'
import { signedFileOf } from '../reading/license-detail.ts'
import { changedFields, fieldsOf, type HolderFacts, issuanceMapOf, nameFieldOf } from './case-fields.ts'
import type { Holder, VersionParams } from './license-version.ts'
import { newEntityHolder } from './new-entity.ts'
import { validityOf } from './validity.ts'

/**
 * Why a completed case gets no license: not one of a license (not applicable), or one that cannot be made
 * (failed: its reason in Chinese and English, and whether a staff retry can succeed once the cause is
 * fixed elsewhere — a type's definition, the holder's current license).
 */
export interface NoLicense {
  outcome: 'not-applicable' | 'failed'
  reason: LocalizedText
  retryable: boolean
  regionCode: string | null
  typeCode: string | null
}

/** The case's facts once it is known to yield a license of a type, issued by its department. */
interface Bound {
  facts: CaseCompleted
  binding: ResultLicense
  type: LicenseTypeRecord
  department: Department
  formData: Record<string, unknown>
  fail: (reason: LocalizedText, retryable: boolean) => NoLicense
}

const notApplicable = (reason: LocalizedText): NoLicense => ({
  outcome: 'not-applicable',
  reason,
  retryable: false,
  regionCode: null,
  typeCode: null,
})

/**
 * The license version a completed case yields, or why it yields none: only an approved case of one item
 * (a bundle part included) whose guide binds its 办理结果 to an active license type by code; a new license,
 * or for 变更/换领 version n+1 of the holder's current one carrying the changed fields.
 */
export async function planIssue(
  ctx: LicensesContext,
  facts: CaseCompleted,
  formData: Record<string, unknown>,
): Promise<VersionParams | NoLicense> {
  if (!yieldsResult(facts.decision)) return notApplicable(messages.notApproved)
  if (!facts.implementationId || facts.guideVersion === null || !facts.departmentId)
    return notApplicable(messages.notOneItem)
  const binding = await ctx.ports.guides.resultOf(facts.implementationId, facts.guideVersion)
  if (!binding) return notApplicable(messages.noLicenseResult)
  const fail = (reason: LocalizedText, retryable: boolean): NoLicense => ({
    outcome: 'failed',
    reason,
    retryable,
    regionCode: facts.regionCode,
    typeCode: binding.typeCode,
  })
  const type = (await ctx.types.all()).get(binding.typeCode)
  if (type?.status !== 'active') return fail(messages.resultTypeUnavailable(binding.typeCode), true)
  if (Object.keys(issuanceMapOf(type)).length === 0) return fail(messages.noIssuanceMap(type.name), true)
  const department = await ctx.departments.get(facts.departmentId)
  if (type.issuer_kind !== department.kind) return fail(messages.wrongIssuer(type.name), false)
  const bound = { facts, binding, type, department, formData, fail }
  return binding.action === 'issue' ? planNew(ctx, bound) : planVersion(ctx, bound)
}

/** A new license: to the holder of the case, or to the market entity it registers. */
async function planNew(ctx: LicensesContext, bound: Bound): Promise<VersionParams | NoLicense> {
  const { facts, type, formData, fail } = bound
  const holder = await holderOfCase(ctx, bound)
  if ('outcome' in holder) return holder
  const today = shanghaiDate(ctx.now())
  const fields = fieldsOf(type, holder.facts, today, formData)
  const named = bound.binding.newEntity ? entityNamed(type, holder, fields) : holder
  if (!named.name) return fail(messages.fieldsMismatch(type.name, nameFieldOf(type) ?? 'name'), true)
  const problems = ctx.schemas.problemsOf(type, fields)
  if (problems) return fail(messages.fieldsMismatch(type.name, problems), true)
  return {
    signer: await ctx.keys.sm2Signer(bound.department.id),
    sequence: await ctx.sequences.next(bound.department.uscc, type.code),
    type,
    department: bound.department,
    holder: {
      kind: type.holder,
      accountId: holder.accountId,
      name: named.name,
      identifier: named.identifier,
    },
    fields,
    ...validityOf(type, today, undefined),
    caseId: facts.caseId,
    createdBy: null,
  }
}

/**
 * 变更 or 换领/补领: version n+1 of the holder's current license of the type, its fields as they were with
 * what the case says now (the form, the holder's record, the changed field); a 换领 of someone without an
 * electronic one issues a new license, a 变更 of nothing fails.
 */
async function planVersion(ctx: LicensesContext, bound: Bound): Promise<VersionParams | NoLicense> {
  const { facts, type, formData, fail } = bound
  const holder = await holderOfCase(ctx, bound)
  if ('outcome' in holder) return holder
  const current = (await ctx.repository.findByHolders([holder.accountId])).find(
    (l) => l.type_code === type.code && mayReissue(l.status),
  )
  if (!current) {
    if (bound.binding.action === 'renew') return planNew(ctx, bound)
    return fail(messages.nothingToChange(type.name), true)
  }
  const previous = currentOf(ctx, current)
  const today = shanghaiDate(ctx.now())
  const fields = {
    ...previous.fields,
    ...fieldsOf(type, holder.facts, today, formData, ['$issuedOn']),
    ...changedFields(type, formData),
  }
  const problems = ctx.schemas.problemsOf(type, fields)
  if (problems) return fail(messages.fieldsMismatch(type.name, problems), true)
  const nameField = nameFieldOf(type)
  const name = (nameField && typeof fields[nameField] === 'string' ? fields[nameField] : undefined) as
    | string
    | undefined
  const renewal = bound.binding.action === 'renew' ? validityOf(type, today, undefined) : undefined
  return {
    signer: await ctx.keys.sm2Signer(bound.department.id),
    type,
    department: bound.department,
    holder: { ...previous.holder, name: name ?? previous.holder.name },
    fields,
    validFrom: renewal?.validFrom ?? String(current.valid_from),
    validUntil: renewal ? renewal.validUntil : current.valid_until,
    caseId: facts.caseId,
    previous: current,
    createdBy: null,
  }
}

/** The holder of a license version as issued, and its fields. */
function currentOf(
  ctx: LicensesContext,
  record: LicenseRecord,
): { holder: Holder; fields: Record<string, unknown> } {
  const { document } = signedFileOf(ctx, record)
  return {
    holder: {
      kind: record.holder_kind,
      accountId: record.holder_account_id,
      name: record.holder_name,
      identifier: document.holder.identifier,
    },
    fields: document.fields,
  }
}

/** A new market entity is named by its license's name field, as the form gives it. */
function entityNamed(
  type: LicenseTypeRecord,
  holder: { facts: HolderFacts },
  fields: Record<string, unknown>,
): { name: string | undefined; identifier: string | null } {
  const field = nameFieldOf(type)
  const name = field ? fields[field] : undefined
  return { name: typeof name === 'string' ? name : undefined, identifier: holder.facts.identifier }
}

/**
 * Whose license it is: the company the agent acted for (a company type), the applicant (a person type),
 * or, for an item that registers a market entity, that entity, held by the applicant as its operator.
 */
async function holderOfCase(
  ctx: LicensesContext,
  { facts, binding, type, fail }: Bound,
): Promise<{ accountId: string; facts: HolderFacts; name: string; identifier: string | null } | NoLicense> {
  const accountId = binding.newEntity
    ? facts.applicantId
    : type.holder === 'company'
      ? facts.actingForId
      : facts.applicantId
  if (!accountId) return fail(messages.noCompanyHolder(type.name), false)
  const account = await ctx.ports.holders.findHolder(accountId)
  if (!account) return fail(messages.holderNotFound, false)
  const holderFacts = binding.newEntity
    ? newEntityHolder(binding.newEntity, facts, account.name)
    : { name: account.name, identifier: account.identifier }
  return { accountId, facts: holderFacts, name: account.name, identifier: holderFacts.identifier }
}
