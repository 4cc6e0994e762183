import type { FieldError } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError, invalid } from '../../../platform/errors.ts'
import type { CasesContext } from '../cases.context.ts'
import { fieldError, messages } from '../cases.messages.ts'
import { meetsRealNameLevel } from '../cases.policy.ts'
import type { ApplicantFact, ApplicantFacts } from '../cases.ports.ts'
import { formDataPath, type ResolvedGuide } from './check-application.ts'

/**
 * 实名等级: 403 unless the caller's real-name level is at least what each item asks (an administrative
 * license: level 3); the problem says which level is needed and how to get it.
 */
export function checkRealNameLevel(actor: AuthenticatedActor, guides: readonly ResolvedGuide[]): void {
  for (const guide of guides) {
    if (meetsRealNameLevel(actor, guide)) continue
    throw new AppError('forbidden', {
      detail: messages.realNameLevel(guide.minRealNameLevel ?? 0, actor.realNameLevel),
    })
  }
}

/**
 * The applicant is who they are: the form fields that say who applies (the guides' applicantFields) take
 * the account's values — a person's name and ID number, the company's name, credit code and legal
 * representative when an agent acts for it. Left out, they are filled in; naming someone else is 400.
 * Company fields of a person acting for no company (founding one) stay the form's.
 */
export async function bindApplicant(
  ctx: CasesContext,
  guides: readonly ResolvedGuide[],
  formData: Record<string, unknown>,
  actor: AuthenticatedActor,
): Promise<Record<string, unknown>> {
  const fields = applicantFieldsOf(guides)
  const port = ctx.ports.applicantFacts
  if (fields.size === 0 || !port) return formData
  const facts = await port.findApplicantFacts(actor)
  if (!facts) throw new AppError('unprocessable', { detail: messages.noApplicantFacts })
  const bound = { ...formData }
  const errors: FieldError[] = []
  for (const [key, fact] of fields) {
    const value = factOf(facts, fact, actor)
    if (value === undefined) continue
    const given = formData[key]
    if (given !== undefined && !sameFact(ctx, fact, given, value))
      errors.push(fieldError(formDataPath(`/${key}`), 'not-the-applicant', messages.notTheApplicant))
    bound[key] = value
  }
  if (errors.length > 0) throw invalid(errors)
  return bound
}

/** The form fields (by the request's keys: a bundle's merged ones) that say who applies. */
function applicantFieldsOf(guides: readonly ResolvedGuide[]): Map<string, ApplicantFact> {
  const fields = new Map<string, ApplicantFact>()
  for (const guide of guides)
    for (const [own, fact] of Object.entries(guide.applicantFields ?? {}))
      fields.set(guide.fields?.[own] ?? own, fact)
  return fields
}

/** The account's answer to a fact; undefined when the account does not say (a person's company fields). */
function factOf(facts: ApplicantFacts, fact: ApplicantFact, actor: AuthenticatedActor): string | undefined {
  if (fact === 'companyName') return facts.company?.name
  if (fact === 'uscc') return facts.company?.uscc
  if (fact === 'legalRepresentative') return facts.company?.legalRepresentative
  if (actor.kind !== 'person') return undefined
  return fact === 'name' ? facts.name : facts.idNumber
}

/** Whether the form's value is the account's: names as accounts compare them, codes without case. */
function sameFact(ctx: CasesContext, fact: ApplicantFact, given: unknown, value: string): boolean {
  if (typeof given !== 'string') return false
  if (fact === 'idNumber' || fact === 'uscc') return given.trim().toUpperCase() === value.toUpperCase()
  const sameName = ctx.ports.applicants?.sameName ?? ((a: string, b: string) => a.trim() === b.trim())
  return sameName(given, value)
}
