import type { PublishedGuideView, WalkInReceipt } from '@tongban/contracts'
import { Form, type FormInstance } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { type ApiQuery, useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences } from '../../app/preferences.tsx'
import { placeApplicationProblem } from '../cases/application-problem.ts'
import { useAttachedMaterials } from '../cases/application-sections.tsx'
import { prefillValues } from '../cases/form-document.ts'
import { materialRef } from '../cases/material-upload.tsx'
import type { SearchHit } from './service-picker.tsx'
import {
  type ApplicantValues,
  keepIdempotencyKey,
  prefillUpdates,
  stepOfPath,
  toWalkInApplicant,
  toWalkInCase,
  type WalkInStep,
  walkInPrefillSources,
} from './walk-in.ts'
import { applicantFieldNames } from './walk-in-applicant.tsx'

/** The values of the walk-in form (steps 2 and 3). */
export interface WalkInValues {
  applicant: ApplicantValues
  formData: Record<string, unknown>
  declaration: boolean
  accept: boolean
  comment?: string
}

/** The chosen service and its guide, with what the applicant's documents filled in. */
function useWalkInGuide(form: FormInstance<WalkInValues>, step: WalkInStep) {
  const [service, setService] = useState<SearchHit>()
  const guide = useApiQuery<PublishedGuideView>(service ? endpoints.guide(service.implementationId) : null)
  const [prefilled, setPrefilled] = useState<Record<string, string>>({})
  const prefilledBefore = useRef<Record<string, string>>({})
  const loadedGuide =
    guide.data && guide.data.implementationId === service?.implementationId ? guide.data : undefined

  // On reaching the form (or when its guide arrives there): fill in what the applicant's documents say.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on entering step 3 and on the guide's arrival
  useEffect(() => {
    if (step !== 2 || !loadedGuide) return
    const applicant = toWalkInApplicant(form.getFieldValue('applicant') as ApplicantValues)
    const next = prefillValues(loadedGuide.content.form, walkInPrefillSources(applicant))
    const updates = prefillUpdates(next, prefilledBefore.current, form.getFieldValue('formData') ?? {})
    for (const [key, value] of Object.entries(updates)) form.setFieldValue(['formData', key], value)
    prefilledBefore.current = next
    setPrefilled(next)
  }, [step, loadedGuide])

  function forgetPrefill() {
    prefilledBefore.current = {}
    setPrefilled({})
  }
  return { service, setService, guide, loadedGuide, prefilled, forgetPrefill }
}

/** Everything one application at the counter holds, from the service chosen to the receipt. */
export interface WalkIn {
  form: FormInstance<WalkInValues>
  step: WalkInStep
  goTo: (step: WalkInStep) => void
  service: SearchHit | undefined
  guide: ApiQuery<PublishedGuideView>
  loadedGuide: PublishedGuideView | undefined
  prefilled: Record<string, string>
  materials: ReturnType<typeof useAttachedMaterials>
  materialErrors: Record<string, string>
  error: unknown
  busy: boolean
  receipt: WalkInReceipt | undefined
  chooseService: (hit: SearchHit) => void
  toApplication: () => Promise<void>
  submit: (values: WalkInValues) => Promise<void>
  clearError: () => void
}

/** Sending the application (POST /walk-ins) and placing a refusal's errors on the form. */
function useSubmitWalkIn(
  form: FormInstance<WalkInValues>,
  guide: PublishedGuideView | undefined,
  materials: ReturnType<typeof useAttachedMaterials>,
  goTo: (step: WalkInStep) => void,
  scrollTop: () => void,
) {
  const { language } = usePreferences()
  const [materialErrors, setMaterialErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const [receipt, setReceipt] = useState<WalkInReceipt>()
  // One key per application; kept for a retry whose first attempt's fate is unknown (see keepIdempotencyKey).
  const idempotencyKey = useRef(crypto.randomUUID())

  async function submit(values: WalkInValues) {
    if (!guide) return
    setBusy(true)
    setError(undefined)
    setMaterialErrors({})
    const attached = Object.values(materials.attached).map(materialRef)
    try {
      const answer = await apiFetch<WalkInReceipt>(endpoints.walkIns, {
        method: 'POST',
        headers: { 'Idempotency-Key': idempotencyKey.current },
        body: toWalkInCase({
          ...values,
          guide: {
            implementationId: guide.implementationId,
            version: guide.version,
            form: guide.content.form,
          },
          formData: values.formData ?? {},
          materials: attached,
        }),
      })
      setReceipt(answer)
      scrollTop()
    } catch (problem) {
      if (!keepIdempotencyKey(problem)) idempotencyKey.current = crypto.randomUUID()
      const placed = placeApplicationProblem(form, problem, attached, language)
      setMaterialErrors(placed.byMaterial)
      if (placed.first) goTo(stepOfPath(placed.first.path))
      setError(placed.alert)
    } finally {
      setBusy(false)
    }
  }
  return { materialErrors, setMaterialErrors, error, setError, busy, receipt, submit }
}

/** The state and steps of one walk-in application; `scrollTop` brings the page's top into view. */
export function useWalkIn(scrollTop: () => void): WalkIn {
  const [form] = Form.useForm<WalkInValues>()
  const [step, setStep] = useState<WalkInStep>(0)
  const chosen = useWalkInGuide(form, step)
  const materials = useAttachedMaterials()
  function goTo(next: WalkInStep) {
    setStep(next)
    scrollTop()
  }
  const sending = useSubmitWalkIn(form, chosen.loadedGuide, materials, goTo, scrollTop)

  function chooseService(hit: SearchHit) {
    if (hit.implementationId !== chosen.service?.implementationId) {
      // another service: another form and other materials
      form.setFieldValue('formData', {})
      chosen.forgetPrefill()
      materials.reset()
      sending.setMaterialErrors({})
      if (hit.audience.length === 1) form.setFieldValue(['applicant', 'kind'], hit.audience[0])
    }
    chosen.setService(hit)
    sending.setError(undefined)
    goTo(1)
  }

  async function toApplication() {
    const kind: ApplicantValues['kind'] = form.getFieldValue(['applicant', 'kind']) ?? 'person'
    try {
      await form.validateFields(applicantFieldNames(kind))
    } catch {
      return
    }
    goTo(2)
  }

  return {
    form,
    step,
    goTo,
    service: chosen.service,
    guide: chosen.guide,
    loadedGuide: chosen.loadedGuide,
    prefilled: chosen.prefilled,
    materials,
    materialErrors: sending.materialErrors,
    error: sending.error,
    busy: sending.busy,
    receipt: sending.receipt,
    chooseService,
    toApplication,
    submit: sending.submit,
    clearError: () => sending.setError(undefined),
  }
}
