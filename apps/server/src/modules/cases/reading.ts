import { timingSafeEqual } from 'node:crypto'
import { CASE_STATUSES, type CaseSearchQuery } from '@tongban/contracts'
import type { WorkingDayCalendar } from '@tongban/standards'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import { notFound } from '../../platform/errors.ts'
import { queryCodeHash } from './apply/new-case.ts'
import type { AuditWho, CasesContext } from './cases.context.ts'
import { messages, noSuchCase } from './cases.messages.ts'
import { canSeeCase, caseSearchScopes } from './cases.policy.ts'
import { shanghaiDate, type TimeLimitFacts, timeLimitOf, type Warning } from './cases.time-limits.ts'
import { formDataOf } from './form-data.ts'
import {
  type CaseEventRecord,
  type CaseMaterialRecord,
  type CaseRecord,
  type CaseWithHistory,
  type ChildSummary,
  type ProgressRow,
  regionPrefix,
  type TimeLimitColumns,
  UUID,
} from './repository/records.ts'

/** A case as read: the row with its form data in clear, history, materials, parts and time limit. */
export interface CaseDetail {
  record: CaseRecord
  formData: Record<string, unknown>
  events: CaseEventRecord[]
  materials: CaseMaterialRecord[]
  children: ChildSummary[]
  timeLimit: Warning & { facts: TimeLimitFacts }
}

/**
 * What another module may read of a case (the licenses module, issuing a completed case's result): its
 * owner, department, region, implementation and guide version, and its form in clear.
 */
export interface CaseFacts {
  id: string
  applicantId: string
  actingForId: string | null
  departmentId: string | null
  regionCode: string
  implementationId: string | null
  guideVersion: number | null
  formData: Record<string, unknown>
}

/** A case's time limit today (Asia/Shanghai). */
export function timeLimitToday(
  ctx: CasesContext,
  record: TimeLimitColumns,
  calendar: WorkingDayCalendar,
): Warning & { facts: TimeLimitFacts } {
  return timeLimitOf(record, calendar, shanghaiDate(ctx.platform.clock.now()))
}

/** A case the caller may see (canSeeCase); 404 to anyone else. */
export async function getVisible(
  ctx: CasesContext,
  id: string,
  actor: AuthenticatedActor,
): Promise<CaseRecord> {
  const record = UUID.test(id) ? await ctx.repositories.cases.findById(id) : undefined
  if (!record || !canSeeCase(actor, record)) throw noSuchCase()
  return record
}

/** A case with its history, read together with the others asked for at the moment; 404 unless visible. */
export async function findVisibleWithHistory(
  ctx: CasesContext,
  id: string,
  actor: AuthenticatedActor,
): Promise<CaseWithHistory> {
  const found = await ctx.findWithHistory(id)
  if (!found || !canSeeCase(actor, found.record)) throw noSuchCase()
  return found
}

/** A case with its timeline, materials, parts and time limit, in one read; 404 to whoever may not see it. */
export async function caseDetail(
  ctx: CasesContext,
  id: string,
  actor: AuthenticatedActor,
): Promise<CaseDetail> {
  const [found, calendar] = await Promise.all([findVisibleWithHistory(ctx, id, actor), ctx.calendar.get()])
  const { record, events, materials, children } = found
  return {
    record,
    formData: formDataOf(ctx.platform.vault, record),
    events,
    materials,
    children,
    timeLimit: timeLimitToday(ctx, record, calendar),
  }
}

/** What another module may read of a case (CaseFacts); undefined when there is no such case. */
export async function findCaseFacts(ctx: CasesContext, caseId: string): Promise<CaseFacts | undefined> {
  const record = UUID.test(caseId) ? await ctx.repositories.cases.findById(caseId) : undefined
  if (!record) return undefined
  return {
    id: record.id,
    applicantId: record.applicant_id,
    actingForId: record.acting_for_id,
    departmentId: record.department_id,
    regionCode: record.region_code,
    implementationId: record.implementation_id,
    guideVersion: record.guide_version,
    formData: formDataOf(ctx.platform.vault, record),
  }
}

/** My cases (and my company's, for an agent), newest first; none for a status that does not exist. */
export async function listMine(
  ctx: CasesContext,
  actor: AuthenticatedActor,
  filter: { status?: string; limit: number; offset: number },
) {
  const status = CASE_STATUSES.find((s) => s === filter.status)
  if (filter.status !== undefined && !status)
    return { items: [], total: 0, calendar: await ctx.calendar.get() }
  const accountIds = [actor.accountId, ...(actor.actingFor ? [actor.actingFor.accountId] : [])]
  const [result, calendar] = await Promise.all([
    ctx.repositories.cases.findForApplicant({
      accountIds,
      limit: filter.limit,
      offset: filter.offset,
      ...(status ? { status } : {}),
    }),
    ctx.calendar.get(),
  ])
  return { ...result, calendar }
}

/** 办件进度查询: status and milestones for whoever holds the case number and query code; 404 otherwise. */
export async function caseProgress(
  ctx: CasesContext,
  caseNo: string,
  queryCode: string,
): Promise<ProgressRow> {
  const number = caseNo.trim().toUpperCase()
  const row = await ctx.findProgress(number)
  const given = Buffer.from(queryCodeHash(ctx.platform.vault, number, queryCode.trim()), 'hex')
  // compare against something even for an unknown number, so timing does not tell which numbers exist
  const expected = Buffer.from(row?.query_code_hash ?? '0'.repeat(given.length * 2), 'hex')
  const match = expected.length === given.length && timingSafeEqual(expected, given)
  if (!row || !match) throw notFound(messages.wrongProgressCode)
  return row
}

/**
 * A material file of a case, for its applicant and for staff who may see the case (404 to anyone else,
 * and for a file the case does not list). Every staff download is audited before a byte is sent.
 */
export async function openMaterial(
  ctx: CasesContext,
  caseId: string,
  sha256: string,
  actor: AuthenticatedActor,
  who: AuditWho,
) {
  const record = await getVisible(ctx, caseId, actor)
  const material = await ctx.repositories.cases.findMaterialFile(caseId, sha256)
  const file = material && (await ctx.platform.files.find(sha256))
  if (!material || !file) throw notFound(messages.noSuchMaterial)
  if (actor.kind === 'staff') {
    await ctx.platform.db.transaction().execute((trx) =>
      ctx.platform.audit.append(trx, {
        ...who,
        action: 'case.material.download',
        resourceType: 'case',
        resourceId: record.id,
        regionCode: record.region_code,
        outcome: 'success',
        details: { caseNo: record.case_no, materialKey: material.material_key, sha256, name: material.name },
      }),
    )
  }
  return { file, name: material.name, content: await ctx.platform.files.read(sha256) }
}

/**
 * 办件查询 (staff): cases in the caller's scope — the departments and region subtrees of their case-reading
 * grants, the same rule as canSeeCase — by case number (prefix), item, status, applicant name prefix and
 * date of submission, newest first. A search by applicant name looks a person up, so it is audited.
 */
export async function searchCases(
  ctx: CasesContext,
  actor: AuthenticatedActor,
  query: CaseSearchQuery,
  who: AuditWho,
) {
  const scopes = caseSearchScopes(actor).map((g) => ({
    regionPrefix: regionPrefix(g.regionCode),
    departmentId: g.departmentId,
  }))
  const calendar = await ctx.calendar.get()
  if (scopes.length === 0) return { items: [], total: 0, calendar }
  const startOf = (day: string) => new Date(`${day}T00:00:00+08:00`)
  const result = await ctx.repositories.cases.search({
    scopes,
    ...(query.caseNo ? { caseNoPrefix: query.caseNo.trim().toUpperCase() } : {}),
    ...(query.item ? { item: query.item.trim() } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.applicant ? { applicantPrefix: query.applicant.trim() } : {}),
    ...(query.from ? { submittedFrom: startOf(query.from) } : {}),
    ...(query.to ? { submittedBefore: new Date(startOf(query.to).getTime() + 86_400_000) } : {}),
    limit: query.limit ?? 20,
    offset: query.offset ?? 0,
  })
  if (query.applicant)
    await ctx.platform.db.transaction().execute((trx) =>
      ctx.platform.audit.append(trx, {
        ...who,
        action: 'case.search',
        resourceType: 'case',
        resourceId: null,
        regionCode: null,
        outcome: 'success',
        details: { ...query, found: result.total },
      }),
    )
  return { ...result, calendar }
}
