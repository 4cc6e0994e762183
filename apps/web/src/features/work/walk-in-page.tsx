import type { PublishedGuideView, WalkInReceipt } from '@tongban/contracts'
import { Alert, Button, Checkbox, Form, Input, Radio, Result, Steps, Switch } from 'antd'
import type { Rule } from 'antd/es/form'
import { useEffect, useMemo, useRef, useState } from 'react'
import { ApiProblem, apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { DataState } from '../../components/data-state.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { type MessageKey, translate } from '../../i18n/i18n.ts'
import { prefillValues } from '../portal/form-document.ts'
import { FormDocumentFields } from '../portal/form-fields.tsx'
import {
  type AttachedFile,
  MaterialUpload,
  materialErrorsOf,
  materialRef,
} from '../portal/material-upload.tsx'
import { clerkGrants, isWindowClerk } from './clerk-role.ts'
import { type SearchHit, ServicePicker } from './service-picker.tsx'
import {
  type ApplicantValues,
  clerkScopes,
  idNumberError,
  keepIdempotencyKey,
  prefillUpdates,
  stepOfPath,
  toWalkInApplicant,
  toWalkInCase,
  usccError,
  type WalkInStep,
  walkInPrefillSources,
} from './walk-in.ts'
import { WalkInReceiptView } from './walk-in-receipt.tsx'
import './walk-in.css'

interface WalkInValues {
  applicant: ApplicantValues
  formData: Record<string, unknown>
  declaration: boolean
  accept: boolean
  comment?: string
}

const PHONE_PATTERN = /^1\d{10}$/

/** The applicant's fields (step 2): a person by ID card, or a company with the agent who came. */
function ApplicantFields({ audience }: { audience: string[] }) {
  const t = useT()
  const { language } = usePreferences()
  const kind: ApplicantValues['kind'] = Form.useWatch(['applicant', 'kind']) ?? 'person'
  const idRule: Rule = {
    validator: (_, value: string | undefined) => {
      if (!value?.trim()) return Promise.resolve()
      const error = idNumberError(value, language)
      return error ? Promise.reject(new Error(error)) : Promise.resolve()
    },
  }
  const phoneRules: Rule[] = [{ pattern: PHONE_PATTERN, message: t('walkIn.phoneInvalid') }]
  const personFields = (prefix: string[], who: 'applicant' | 'agent') => (
    <>
      <Form.Item
        name={[...prefix, 'name']}
        label={t(who === 'agent' ? 'walkIn.agentName' : 'walkIn.personName')}
        rules={[{ required: true, whitespace: true, message: t('walkIn.required.name') }]}
      >
        <Input maxLength={50} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name={[...prefix, 'idNumber']}
        label={t(who === 'agent' ? 'walkIn.agentIdNumber' : 'walkIn.idNumber')}
        rules={[{ required: true, whitespace: true, message: t('walkIn.required.idNumber') }, idRule]}
        validateTrigger={['onBlur', 'onChange']}
        extra={t('walkIn.idNumberHint')}
      >
        <Input maxLength={18} autoComplete="off" inputMode="text" className="walk-in-code-input" />
      </Form.Item>
      <Form.Item
        name={[...prefix, 'phone']}
        label={t(who === 'agent' ? 'walkIn.agentPhone' : 'walkIn.phone')}
        rules={phoneRules}
      >
        <Input maxLength={11} autoComplete="off" inputMode="tel" />
      </Form.Item>
    </>
  )
  return (
    <>
      <Form.Item name={['applicant', 'kind']} label={t('walkIn.applicantKind')}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={[
            {
              value: 'person',
              label: t('search.audience.person'),
              disabled: audience.length > 0 && !audience.includes('person'),
            },
            {
              value: 'company',
              label: t('search.audience.company'),
              disabled: audience.length > 0 && !audience.includes('company'),
            },
          ]}
        />
      </Form.Item>
      {kind === 'company' ? (
        <>
          <Form.Item
            name={['applicant', 'uscc']}
            label={t('walkIn.uscc')}
            rules={[
              { required: true, whitespace: true, message: t('walkIn.required.uscc') },
              {
                validator: (_, value: string | undefined) => {
                  if (!value?.trim()) return Promise.resolve()
                  const error = usccError(value, language)
                  return error ? Promise.reject(new Error(error)) : Promise.resolve()
                },
              },
            ]}
            validateTrigger={['onBlur', 'onChange']}
          >
            <Input maxLength={18} autoComplete="off" className="walk-in-code-input" />
          </Form.Item>
          <Form.Item
            name={['applicant', 'name']}
            label={t('walkIn.companyName')}
            rules={[
              { required: true, whitespace: true, message: t('walkIn.required.companyName') },
              { min: 2, message: t('walkIn.required.companyName') },
            ]}
          >
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
          <h3 className="walk-in-subtitle">{t('walkIn.agent')}</h3>
          {personFields(['applicant', 'agent'], 'agent')}
        </>
      ) : (
        personFields(['applicant'], 'applicant')
      )}
    </>
  )
}

/** The names of the applicant's fields for a kind (validated when leaving step 2). */
function applicantFieldNames(kind: ApplicantValues['kind']): (string | number)[][] {
  const person = (prefix: string[]) => ['name', 'idNumber', 'phone'].map((field) => [...prefix, field])
  return kind === 'company'
    ? [['applicant', 'uscc'], ['applicant', 'name'], ...person(['applicant', 'agent'])]
    : person(['applicant'])
}

/** One application at the counter, from choosing the service to the printed receipt. */
function WalkInApplication({ onNext }: { onNext: () => void }) {
  const t = useT()
  const { language } = usePreferences()
  const { claims } = useAuth()
  const scopes = useMemo(() => clerkScopes(clerkGrants(claims)), [claims])
  const [form] = Form.useForm<WalkInValues>()
  const [step, setStep] = useState<WalkInStep>(0)
  const [service, setService] = useState<SearchHit>()
  const guide = useApiQuery<PublishedGuideView>(service ? endpoints.guide(service.implementationId) : null)
  const [prefilled, setPrefilled] = useState<Record<string, string>>({})
  const prefilledBefore = useRef<Record<string, string>>({})
  const [materials, setMaterials] = useState<Record<string, AttachedFile>>({})
  const [materialErrors, setMaterialErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const [receipt, setReceipt] = useState<WalkInReceipt>()
  // One key per application; kept for a retry whose first attempt's fate is unknown (see keepIdempotencyKey).
  const idempotencyKey = useRef(crypto.randomUUID())
  const main = useRef<HTMLDivElement>(null)

  const loadedGuide =
    guide.data && guide.data.implementationId === service?.implementationId ? guide.data : undefined

  function goTo(next: WalkInStep) {
    setStep(next)
    main.current?.scrollIntoView({ block: 'start' })
  }

  function chooseService(hit: SearchHit) {
    if (hit.implementationId !== service?.implementationId) {
      // another service: another form and other materials
      form.setFieldValue('formData', {})
      prefilledBefore.current = {}
      setPrefilled({})
      setMaterials({})
      setMaterialErrors({})
      const audience = hit.audience
      if (audience.length === 1) form.setFieldValue(['applicant', 'kind'], audience[0])
    }
    setService(hit)
    setError(undefined)
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

  function attachedList(): AttachedFile[] {
    return Object.values(materials).map(materialRef)
  }

  function showProblem(problem: unknown) {
    const { applied, unmatched } = applyProblemToForm(form, problem, language)
    const { byMaterial, rest } = materialErrorsOf(unmatched, attachedList(), language)
    setMaterialErrors(byMaterial)
    const first = applied[0] ?? rest[0]
    if (first) goTo(stepOfPath(first.path))
    if (!(problem instanceof ApiProblem) || problem.fieldErrors.length === 0) {
      setError(problem)
      return
    }
    const fix = (language: 'zh-CN' | 'en') => translate(language, 'apply.fixErrors')
    setError(
      new ApiProblem({
        ...problem.problem,
        details:
          rest.length > 0
            ? { zh: rest.map((e) => e.message.zh).join('；'), en: rest.map((e) => e.message.en).join('; ') }
            : { zh: fix('zh-CN'), en: fix('en') },
      }),
    )
  }

  async function submit(values: WalkInValues) {
    if (!loadedGuide) return
    setBusy(true)
    setError(undefined)
    setMaterialErrors({})
    try {
      const answer = await apiFetch<WalkInReceipt>(endpoints.walkIns, {
        method: 'POST',
        headers: { 'Idempotency-Key': idempotencyKey.current },
        body: toWalkInCase({
          applicant: values.applicant,
          guide: {
            implementationId: loadedGuide.implementationId,
            version: loadedGuide.version,
            form: loadedGuide.content.form,
          },
          formData: values.formData ?? {},
          materials: attachedList(),
          declaration: values.declaration,
          accept: values.accept,
          comment: values.comment,
        }),
      })
      setReceipt(answer)
      main.current?.scrollIntoView({ block: 'start' })
    } catch (problem) {
      if (!keepIdempotencyKey(problem)) idempotencyKey.current = crypto.randomUUID()
      showProblem(problem)
    } finally {
      setBusy(false)
    }
  }

  if (receipt) {
    return (
      <div ref={main} className="walk-in-page">
        <WalkInReceiptView
          receipt={receipt}
          materialNames={Object.fromEntries(
            (loadedGuide?.content.materials ?? []).map((material) => [material.key, material.name]),
          )}
          onNext={onNext}
        />
      </div>
    )
  }

  const stepTitles: MessageKey[] = ['walkIn.step.service', 'walkIn.step.applicant', 'walkIn.step.application']
  const networkFailure = error instanceof ApiProblem && keepIdempotencyKey(error)
  return (
    <div ref={main} className="walk-in-page">
      <h1 className="page-title">{t('walkIn.title')}</h1>
      <p className="page-intro">{t('walkIn.intro')}</p>
      <Steps
        className="walk-in-steps no-print"
        size="small"
        current={step}
        items={stepTitles.map((title, index) => ({
          title: t(title),
          ...(index < step ? { onClick: () => goTo(index as WalkInStep) } : {}),
        }))}
      />
      {service ? (
        <p className="walk-in-chosen-service" data-testid="walk-in-chosen">
          <span className="result-meta">{t('walkIn.chosenService')}</span>
          <strong>{service.name}</strong>
          <span className="result-meta"> · {service.departmentName}</span>
          {loadedGuide ? (
            <span className="result-meta">
              {' '}
              ·{' '}
              {t('walkIn.limits', {
                promised: loadedGuide.content.promisedLimit,
                legal: loadedGuide.content.legalLimit,
              })}
            </span>
          ) : null}
        </p>
      ) : null}

      <section hidden={step !== 0} className="portal-section" aria-labelledby="walk-in-s0">
        <h2 id="walk-in-s0" className="section-title">
          {t('walkIn.step.service')}
        </h2>
        <ServicePicker scopes={scopes} chosen={service} onChoose={chooseService} />
      </section>

      <Form<WalkInValues>
        form={form}
        layout="vertical"
        initialValues={{ applicant: { kind: 'person' }, formData: {}, declaration: false, accept: true }}
        onFinish={submit}
        onFinishFailed={({ errorFields }) => {
          setError(undefined)
          const first = errorFields[0]
          if (first?.name[0] === 'applicant') goTo(1)
        }}
        scrollToFirstError
        requiredMark
        className="walk-in-form"
      >
        <section hidden={step !== 1} className="portal-section" aria-labelledby="walk-in-s1">
          <h2 id="walk-in-s1" className="section-title">
            {t('walkIn.step.applicant')}
          </h2>
          <ApplicantFields audience={service?.audience ?? []} />
          <div className="form-actions walk-in-nav">
            <Button size="large" onClick={() => goTo(0)}>
              {t('walkIn.back')}
            </Button>
            <Button type="primary" size="large" onClick={() => void toApplication()}>
              {t('walkIn.next')}
            </Button>
          </div>
        </section>

        <div hidden={step !== 2}>
          {service ? (
            <DataState query={guide}>
              {(loaded) => (
                <>
                  <FormDocumentFields
                    document={loaded.content.form}
                    prefilled={prefilled}
                    prefilledHint={t('walkIn.prefilledHint')}
                  />
                  <section className="portal-section" aria-labelledby="walk-in-materials">
                    <h2 id="walk-in-materials" className="section-title">
                      {t('walkIn.materials')}
                    </h2>
                    <p className="result-meta">{t('walkIn.materialsHint')}</p>
                    <ul className="material-list">
                      {loaded.content.materials.map((material) => (
                        <MaterialUpload
                          key={material.key}
                          material={material}
                          attached={materials[material.key]}
                          error={materialErrors[material.key]}
                          scan
                          onChange={(file) =>
                            setMaterials((current) => {
                              const next = { ...current }
                              if (file) next[material.key] = file
                              else delete next[material.key]
                              return next
                            })
                          }
                        />
                      ))}
                    </ul>
                  </section>
                </>
              )}
            </DataState>
          ) : null}

          <section className="portal-section" aria-labelledby="walk-in-declaration">
            <h2 id="walk-in-declaration" className="section-title">
              {t('walkIn.declaration')}
            </h2>
            <Form.Item
              name="declaration"
              valuePropName="checked"
              rules={[
                {
                  validator: (_, value) =>
                    value ? Promise.resolve() : Promise.reject(new Error(t('walkIn.declarationRequired'))),
                },
              ]}
            >
              <Checkbox>{t('walkIn.declarationText')}</Checkbox>
            </Form.Item>
            <Form.Item
              name="accept"
              valuePropName="checked"
              label={t('walkIn.acceptNow')}
              extra={t('walkIn.acceptNowHint')}
            >
              <Switch aria-label={t('walkIn.acceptNow')} data-testid="walk-in-accept" />
            </Form.Item>
            <Form.Item name="comment" label={t('walkIn.comment')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </section>

          <div className="form-actions apply-actions walk-in-nav">
            <Button size="large" onClick={() => goTo(1)} disabled={busy}>
              {t('walkIn.back')}
            </Button>
            <Button type="primary" size="large" htmlType="submit" loading={busy} disabled={!loadedGuide}>
              {t('walkIn.submit')}
            </Button>
          </div>
        </div>
      </Form>

      <div className="page-feedback" aria-live="polite">
        <ProblemAlert error={error} />
        {networkFailure ? (
          <Alert className="walk-in-retry" type="info" showIcon title={t('walkIn.retryHint')} />
        ) : null}
      </div>
    </div>
  )
}

/**
 * /work/walk-in: 一窗受理 — a window clerk files an application for someone at the counter: the service,
 * the applicant checked from their documents, the item's form and the scanned materials, the signed
 * declaration, then the 受理回执 to print. "Next applicant" starts again from nothing.
 */
export default function WalkInPage() {
  const t = useT()
  const { claims } = useAuth()
  const [round, setRound] = useState(0)
  if (!isWindowClerk(claims)) {
    return (
      <Result
        status="403"
        title={<h1 className="result-title">{t('walkIn.forbidden')}</h1>}
        subTitle={t('walkIn.forbiddenDetail')}
      />
    )
  }
  // a new key remounts the application: form, materials, receipt and Idempotency-Key start afresh
  return <WalkInApplication key={round} onNext={() => setRound((n) => n + 1)} />
}
