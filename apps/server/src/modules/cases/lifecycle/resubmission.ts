import type { FieldError, MaterialRef } from '@tongban/contracts'
import { invalid } from '../../../platform/errors.ts'
import { formDataPath, materialErrors } from '../apply/check-application.ts'
import { checkCitedGrants, licenseTypesOf } from '../apply/cited-grants.ts'
import type { CasesContext } from '../cases.context.ts'
import { fieldError, messages } from '../cases.messages.ts'
import type { PublishedGuide } from '../cases.ports.ts'
import type { CaseEventRecord, CaseRecord } from '../repository/records.ts'

/** What a resubmission (补正后重新提交) brings: the corrected form, the materials asked for. */
export interface Resubmission {
  formData?: Record<string, unknown> | undefined
  materials?: MaterialRef[] | undefined
}

/**
 * A resubmission must fix what was asked: every material the correction request listed as missing or
 * defective is supplied again, the corrected form passes the guide's schema, and each material is of a kind
 * the guide accepts. 400 with every field error otherwise.
 */
export async function checkResubmission(
  ctx: CasesContext,
  record: CaseRecord,
  body: Resubmission,
  events: CaseEventRecord[],
): Promise<void> {
  const request = [...events].reverse().find((e) => e.type === 'correction_requested')
  const asked = correctionItems(request?.data).filter((i) => i.kind === 'material')
  const given = new Set((body.materials ?? []).map((m) => m.key))
  const errors: FieldError[] = asked
    .filter((i) => !given.has(i.key))
    .map((i) => fieldError('/materials', 'missing-material', messages.correctMaterial(i.key)))
  const guide = await guideOf(ctx, record)
  errors.push(...(await guideErrors(ctx, guide, body)))
  if (errors.length > 0) throw invalid(errors)
  await checkCitedGrants(ctx, body.materials ?? [], licenseTypesOf(guide ? [guide] : []), {
    applicantIds: [record.applicant_id, ...(record.acting_for_id ? [record.acting_for_id] : [])],
    departmentIds: [
      ...(record.department_id ? [record.department_id] : []),
      ...record.workflow.flatMap((s) => s.departmentId ?? []),
    ],
    caseIds: [record.id, ...(record.parent_id ? [record.parent_id] : [])],
  })
}

/** The guide version the case was filed under, if it is an item's case. */
async function guideOf(ctx: CasesContext, record: CaseRecord): Promise<PublishedGuide | undefined> {
  if (!record.implementation_id || !record.guide_version) return undefined
  return ctx.ports.catalog.getPublishedVersion(record.implementation_id, record.guide_version)
}

/** The items of a correction request's event data. */
function correctionItems(data: Record<string, unknown> | undefined): { kind: string; key: string }[] {
  const items = data?.items
  return Array.isArray(items) ? items : []
}

/** The corrected form against the guide the case was filed under, and the materials' kinds. */
async function guideErrors(
  ctx: CasesContext,
  guide: PublishedGuide | undefined,
  body: Resubmission,
): Promise<FieldError[]> {
  if (!guide) return []
  const errors: FieldError[] = []
  if (body.formData)
    for (const e of await ctx.ports.catalog.validateApplication(
      guide.implementationId,
      guide.version,
      body.formData,
    ))
      errors.push({ ...e, path: formDataPath(e.path) })
  errors.push(...materialErrors([guide], body.materials ?? [], []))
  return errors
}
