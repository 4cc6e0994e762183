import type { FieldError } from '@tongban/contracts'
import { ApiProblem } from '../../api/client.ts'
import { applyProblemToForm, type ProblemForm } from '../../api/form-errors.ts'
import { type Language, translate } from '../../i18n/i18n.ts'
import { type AttachedFile, materialErrorsOf } from './material-upload.tsx'

/** Where an answer's problem goes on an application form (online or at the window). */
export interface ApplicationProblem {
  /** Messages beside the materials, by material key. */
  byMaterial: Record<string, string>
  /** The first error placed on the form or unplaced, to bring its part of the form into view. */
  first: FieldError | undefined
  /** What the alert above the buttons shows: the problem, with details listing what no field shows. */
  alert: unknown
}

/**
 * Spreads a refused application over its form: field errors beside their fields, material errors beside
 * their materials, and the rest in the alert (or "fix the marked fields" when every error has its place).
 */
export function placeApplicationProblem(
  form: ProblemForm,
  problem: unknown,
  attached: AttachedFile[],
  language: Language,
): ApplicationProblem {
  const { applied, unmatched } = applyProblemToForm(form, problem, language)
  const { byMaterial, rest } = materialErrorsOf(unmatched, attached, language)
  const first = applied[0] ?? rest[0]
  if (!(problem instanceof ApiProblem) || problem.fieldErrors.length === 0) {
    return { byMaterial, first, alert: problem }
  }
  const fix = (side: Language) => translate(side, 'apply.fixErrors')
  const details =
    rest.length > 0
      ? { zh: rest.map((e) => e.message.zh).join('；'), en: rest.map((e) => e.message.en).join('; ') }
      : { zh: fix('zh-CN'), en: fix('en') }
  return { byMaterial, first, alert: new ApiProblem({ ...problem.problem, details }) }
}
