import { useState } from 'react'
import { usePreferences } from '../app/preferences.tsx'
import { applyProblemToForm, type ProblemForm } from './form-errors.ts'

/** A form's submission: busy while it runs; field errors shown beside their fields, the rest returned. */
export interface FormSubmit<V> {
  submitting: boolean
  /** A problem that names no field of the form (for a ProblemAlert). */
  error: unknown
  submit: (values: V) => Promise<void>
}

/**
 * Runs `send` on submit. A problem from the server goes beside the fields it names (in the current
 * language); a problem that names none is kept as `error`.
 */
export function useFormSubmit<V>(form: ProblemForm, send: (values: V) => Promise<void>): FormSubmit<V> {
  const { language } = usePreferences()
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<unknown>()
  async function submit(values: V) {
    setSubmitting(true)
    setError(undefined)
    try {
      await send(values)
    } catch (failure) {
      const { applied } = applyProblemToForm(form, failure, language)
      if (applied.length === 0) setError(failure)
    } finally {
      setSubmitting(false)
    }
  }
  return { submitting, error, submit }
}
