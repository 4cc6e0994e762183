/** 一窗受理 (walk-in intake): the rules of the workbench page that do not need React. */
import type { FormDocument, WalkInApplicant, WalkInCase } from '@tongban/contracts'
import { isRegionWithin, validateIdNumber, validateUscc } from '@tongban/standards/pure'
import { ApiProblem } from '../../api/client.ts'
import type { RoleGrant } from '../../auth/session.ts'
import { type Language, pickLocalized } from '../../i18n/i18n.ts'
import { formDataToSend, type PrefillSources } from '../cases/form-document.ts'
import type { AttachedFile } from '../cases/material-upload.tsx'

/**
 * Where the clerk picks services from, as the server authorizes 一窗受理: the published implementations of
 * a department they are window clerk of, or — for a grant without a department — of every department of
 * their region (not of the regions above it).
 */
export type ServiceScope =
  | { key: string; kind: 'department'; departmentId: string; regionCode: string }
  | { key: string; kind: 'region'; regionCode: string }

/** The scopes of a clerk's grants, in the order of the grants, without repeats. */
export function clerkScopes(grants: RoleGrant[]): ServiceScope[] {
  const scopes = new Map<string, ServiceScope>()
  for (const grant of grants) {
    const scope: ServiceScope = grant.departmentId
      ? {
          key: `department:${grant.departmentId}`,
          kind: 'department',
          departmentId: grant.departmentId,
          regionCode: grant.regionCode,
        }
      : { key: `region:${grant.regionCode}`, kind: 'region', regionCode: grant.regionCode }
    if (!scopes.has(scope.key)) scopes.set(scope.key, scope)
  }
  return [...scopes.values()]
}

/** The catalog search filter of a scope (a region's search also finds the items of the regions above it). */
export function scopeQuery(scope: ServiceScope): { department: string } | { region: string } {
  return scope.kind === 'department' ? { department: scope.departmentId } : { region: scope.regionCode }
}

/** Whether the clerk may file a service found in a scope: of the department, or within the region. */
export function inScope(scope: ServiceScope, hit: { departmentId: string; regionCode: string }): boolean {
  return scope.kind === 'department'
    ? hit.departmentId === scope.departmentId
    : isRegionWithin(hit.regionCode, scope.regionCode)
}

/** The applicant as the clerk types it in (form field names follow the API's JSON Pointers). */
export interface ApplicantValues {
  kind: 'person' | 'company'
  /** The person's name, or the company's. */
  name?: string
  idNumber?: string
  phone?: string
  uscc?: string
  agent?: { name?: string; idNumber?: string; phone?: string }
}

const trimmed = (value: string | undefined) => (value ?? '').trim()

/** Upper-case check character, no spaces: how an ID number or USCC is sent. */
export const normalizeCode = (value: string | undefined) => trimmed(value).replace(/\s+/g, '').toUpperCase()

/** The `applicant` of POST /walk-ins from the form's values (trimmed; an empty phone is left out). */
export function toWalkInApplicant(values: ApplicantValues): WalkInApplicant {
  const person = (name?: string, idNumber?: string, phone?: string) => ({
    name: trimmed(name),
    idNumber: normalizeCode(idNumber),
    ...(trimmed(phone) ? { phone: trimmed(phone) } : {}),
  })
  if (values.kind === 'company') {
    return {
      kind: 'company',
      uscc: normalizeCode(values.uscc),
      name: trimmed(values.name),
      agent: person(values.agent?.name, values.agent?.idNumber, values.agent?.phone),
    }
  }
  return { kind: 'person', ...person(values.name, values.idNumber, values.phone) }
}

/**
 * What the window knows of the applicant, by the catalog's prefill source: what the clerk has just typed
 * from the documents in front of them — never the clerk's own profile. For a company, `profile.*` is the
 * agent who came (as online, where the agent is the one logged in).
 */
export function walkInPrefillSources(applicant: WalkInApplicant): PrefillSources {
  const who = applicant.kind === 'company' ? applicant.agent : applicant
  return {
    'profile.name': who.name || undefined,
    'profile.idNumber': who.idNumber || undefined,
    'profile.phone': who.phone,
    ...(applicant.kind === 'company'
      ? { 'company.uscc': applicant.uscc || undefined, 'company.name': applicant.name || undefined }
      : {}),
  }
}

/**
 * The prefilled values to write into the application form: a field still empty, or still holding what
 * was prefilled before, takes the new value; a field the clerk changed keeps the clerk's value.
 */
export function prefillUpdates(
  next: Record<string, string>,
  previous: Record<string, unknown>,
  current: Record<string, unknown>,
): Record<string, string> {
  const updates: Record<string, string> = {}
  for (const [key, value] of Object.entries(next)) {
    const now = current[key]
    if (now === undefined || now === null || now === '' || now === previous[key]) updates[key] = value
  }
  return updates
}

/** A client-side check of a 公民身份号码 (GB 11643): the message in the user's language, or undefined. */
export function idNumberError(value: string | undefined, language: Language): string | undefined {
  const result = validateIdNumber(normalizeCode(value))
  return result.ok ? undefined : pickLocalized(result.error.message, language)
}

/** A client-side check of a 统一社会信用代码 (GB 32100): the message in the user's language, or undefined. */
export function usccError(value: string | undefined, language: Language): string | undefined {
  const result = validateUscc(normalizeCode(value))
  return result.ok ? undefined : pickLocalized(result.error.message, language)
}

/**
 * Whether the next attempt of the same application may reuse its Idempotency-Key. It must after a failure
 * that leaves unknown whether the case was filed (no answer, a gateway or server error): the server then
 * answers the retry with the original receipt instead of filing the case twice. After a definite refusal
 * (4xx) the clerk corrects the application, which is a new request and needs a new key.
 */
export function keepIdempotencyKey(error: unknown): boolean {
  if (!(error instanceof ApiProblem)) return true
  return error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429
}

/** The wizard's steps: the service, the applicant, the form with materials and declaration. */
export const WALK_IN_STEPS = ['service', 'applicant', 'application'] as const
export type WalkInStep = 0 | 1 | 2

/** The step whose fields an error path of POST /walk-ins (a JSON Pointer) is about. */
export function stepOfPath(path: string): WalkInStep {
  if (path.startsWith('/applicant')) return 1
  if (path.startsWith('/implementationId') || path.startsWith('/guideVersion')) return 0
  return 2
}

/** What the clerk has entered for one application, as the page holds it. */
export interface WalkInEntry {
  applicant: ApplicantValues
  guide: { implementationId: string; version: number; form: FormDocument }
  formData: Record<string, unknown>
  materials: AttachedFile[]
  declaration: boolean
  accept: boolean
  comment?: string | undefined
}

/** The body of POST /walk-ins: only the form's visible, non-empty fields; `accept` unless switched off. */
export function toWalkInCase(entry: WalkInEntry): WalkInCase {
  const comment = entry.comment?.trim()
  return {
    applicant: toWalkInApplicant(entry.applicant),
    implementationId: entry.guide.implementationId,
    guideVersion: entry.guide.version,
    formData: formDataToSend(entry.guide.form, entry.formData),
    materials: entry.materials,
    declaration: entry.declaration === true,
    accept: entry.accept !== false,
    ...(comment ? { comment } : {}),
  }
}
