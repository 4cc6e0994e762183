import type { CreateLicenseType, FieldError, UpdateLicenseType } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError, invalid, notFound } from '../../../platform/errors.ts'
import type { AuditWho } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { messages } from '../licenses.messages.ts'
import { mayAdministerType } from '../licenses.policy.ts'
import type { LicenseTypeRecord } from '../licenses.repository.ts'

type Definition = Pick<
  CreateLicenseType,
  'fieldsSchema' | 'disclosableFields' | 'validityKind' | 'validityMonths'
>

/** 证照类型 (defined by a department admin of the issuing department kind): a new license type. */
export async function createLicenseType(
  ctx: LicensesContext,
  input: CreateLicenseType,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<LicenseTypeRecord> {
  await assertMayAdminister(ctx, actor, input.issuerKind)
  checkDefinition(ctx, input)
  const row = await ctx.platform.db.transaction().execute(async (trx) => {
    const created = await ctx.repository.insertType(trx, {
      code: input.code,
      name: input.name,
      issuer_kind: input.issuerKind,
      holder: input.holderKind,
      ...definitionColumns(input),
      token_minutes: input.tokenMinutes ?? 5,
    })
    await ctx.platform.audit.append(
      trx,
      typeAudit(who, 'license-type.create', input.code, { name: input.name }),
    )
    return created
  })
  ctx.types.forget()
  return row
}

/** Changes a license type, with optimistic concurrency on its version. */
export async function updateLicenseType(
  ctx: LicensesContext,
  code: string,
  input: UpdateLicenseType,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<LicenseTypeRecord> {
  const existing = await ctx.repository.findType(code)
  if (!existing) throw notFound()
  await assertMayAdminister(ctx, actor, existing.issuer_kind)
  checkDefinition(ctx, input)
  const row = await ctx.platform.db.transaction().execute(async (trx) => {
    const updated = await ctx.repository.updateType(trx, code, input.version, {
      name: input.name,
      status: input.status,
      ...definitionColumns(input),
      token_minutes: input.tokenMinutes ?? existing.token_minutes,
    })
    if (!updated) throw new AppError('stale-version', { detail: messages.staleType })
    await ctx.platform.audit.append(
      trx,
      typeAudit(who, 'license-type.update', code, { version: updated.version }),
    )
    return updated
  })
  ctx.types.forget()
  return row
}

/** The columns of a definition, created or changed alike (JSON columns as JSON text). */
function definitionColumns(input: CreateLicenseType | UpdateLicenseType) {
  return {
    validity_kind: input.validityKind,
    validity_months: input.validityMonths ?? null,
    fields_schema: JSON.stringify(input.fieldsSchema),
    disclosable_fields: input.disclosableFields,
    display_template: input.displayTemplate,
    issuance_map: JSON.stringify(input.issuanceMap ?? {}),
  }
}

/** 403 unless the actor administers types of the issuer kind (the kinds of their departments are looked up). */
async function assertMayAdminister(ctx: LicensesContext, actor: AuthenticatedActor, issuerKind: string) {
  const ids = actor.roles.flatMap((g) =>
    g.role === 'department_admin' && g.departmentId ? [g.departmentId] : [],
  )
  const departments = await ctx.departments.namesOf(ids)
  if (!mayAdministerType(actor, issuerKind, (id) => departments.get(id)?.kind))
    throw new AppError('forbidden')
}

/** A definition is sound: a compilable object schema, disclosable fields it has, months for a fixed validity. */
function checkDefinition(ctx: LicensesContext, input: Definition): void {
  ctx.schemas.compile(input.fieldsSchema)
  const properties = Object.keys((input.fieldsSchema as { properties?: object }).properties ?? {})
  const errors: FieldError[] = []
  input.disclosableFields.forEach((field, i) => {
    if (!properties.includes(field))
      errors.push({
        path: `/disclosableFields/${i}`,
        code: 'unknownField',
        message: messages.unknownDisclosableField(field),
      })
  })
  if ((input.validityKind === 'fixed') !== (input.validityMonths != null))
    errors.push({ path: '/validityMonths', code: 'validity', message: messages.validityMonths })
  if (errors.length > 0) throw invalid(errors)
}

function typeAudit(who: AuditWho, action: string, code: string, details: Record<string, unknown>) {
  return {
    ...who,
    action,
    resourceType: 'license_type',
    resourceId: code,
    regionCode: null,
    outcome: 'success' as const,
    details,
  }
}
