import { Alert, Button, Form, Input, Result, Steps, Switch } from 'antd'
import { useMemo, useRef, useState } from 'react'
import { ApiProblem } from '../../api/client.ts'
import { useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { DataState } from '../../components/data-state.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'
import { DeclarationField, MaterialList, TitledSection } from '../cases/application-sections.tsx'
import { FormDocumentFields } from '../cases/form-fields.tsx'
import { clerkGrants, isWindowClerk } from './clerk-role.ts'
import { ServicePicker } from './service-picker.tsx'
import { useWalkIn, type WalkIn, type WalkInValues } from './use-walk-in.ts'
import { clerkScopes, keepIdempotencyKey, type WalkInStep } from './walk-in.ts'
import { ApplicantFields } from './walk-in-applicant.tsx'
import { WalkInReceiptView } from './walk-in-receipt.tsx'
import './walk-in.css'

const STEP_TITLES: MessageKey[] = ['walkIn.step.service', 'walkIn.step.applicant', 'walkIn.step.application']

/** The service chosen, its department and time limits, above every step. */
function ChosenService({ walkIn }: { walkIn: WalkIn }) {
  const t = useT()
  const { service, loadedGuide } = walkIn
  if (!service) return null
  return (
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
  )
}

/** Step 2: who applies, with the buttons back and on. */
function ApplicantStep({ walkIn }: { walkIn: WalkIn }) {
  const t = useT()
  return (
    <section hidden={walkIn.step !== 1} className="portal-section" aria-labelledby="walk-in-s1">
      <h2 id="walk-in-s1" className="section-title">
        {t('walkIn.step.applicant')}
      </h2>
      <ApplicantFields audience={walkIn.service?.audience ?? []} />
      <div className="form-actions walk-in-nav">
        <Button size="large" onClick={() => walkIn.goTo(0)}>
          {t('walkIn.back')}
        </Button>
        <Button type="primary" size="large" onClick={() => void walkIn.toApplication()}>
          {t('walkIn.next')}
        </Button>
      </div>
    </section>
  )
}

/** Step 3: the item's form and the scanned materials, once the guide is there. */
function ApplicationFields({ walkIn }: { walkIn: WalkIn }) {
  const t = useT()
  if (!walkIn.service) return null
  return (
    <DataState query={walkIn.guide}>
      {(loaded) => (
        <>
          <FormDocumentFields
            document={loaded.content.form}
            prefilled={walkIn.prefilled}
            prefilledHint={t('walkIn.prefilledHint')}
          />
          <TitledSection id="walk-in-materials" title={t('walkIn.materials')}>
            <p className="result-meta">{t('walkIn.materialsHint')}</p>
            <MaterialList
              materials={loaded.content.materials}
              attached={walkIn.materials.attached}
              errors={walkIn.materialErrors}
              scan
              onChange={walkIn.materials.change}
            />
          </TitledSection>
        </>
      )}
    </DataState>
  )
}

/** Step 3's end: the signed declaration, whether to accept at once, the clerk's comment, and submit. */
function DeclarationStep({ walkIn }: { walkIn: WalkIn }) {
  const t = useT()
  return (
    <>
      <TitledSection id="walk-in-declaration" title={t('walkIn.declaration')}>
        <DeclarationField text={t('walkIn.declarationText')} required={t('walkIn.declarationRequired')} />
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
      </TitledSection>
      <div className="form-actions apply-actions walk-in-nav">
        <Button size="large" onClick={() => walkIn.goTo(1)} disabled={walkIn.busy}>
          {t('walkIn.back')}
        </Button>
        <Button
          type="primary"
          size="large"
          htmlType="submit"
          loading={walkIn.busy}
          disabled={!walkIn.loadedGuide}
        >
          {t('walkIn.submit')}
        </Button>
      </div>
    </>
  )
}

/** The form of steps 2 and 3 (one AntD form, so the server's errors find their fields in either). */
function WalkInForm({ walkIn }: { walkIn: WalkIn }) {
  return (
    <Form<WalkInValues>
      form={walkIn.form}
      layout="vertical"
      initialValues={{ applicant: { kind: 'person' }, formData: {}, declaration: false, accept: true }}
      onFinish={walkIn.submit}
      onFinishFailed={({ errorFields }) => {
        walkIn.clearError()
        if (errorFields[0]?.name[0] === 'applicant') walkIn.goTo(1)
      }}
      scrollToFirstError
      requiredMark
      className="walk-in-form"
    >
      <ApplicantStep walkIn={walkIn} />
      <div hidden={walkIn.step !== 2}>
        <ApplicationFields walkIn={walkIn} />
        <DeclarationStep walkIn={walkIn} />
      </div>
    </Form>
  )
}

/** One application at the counter, from choosing the service to the printed receipt. */
function WalkInApplication({ onNext }: { onNext: () => void }) {
  const t = useT()
  const { claims } = useAuth()
  const scopes = useMemo(() => clerkScopes(clerkGrants(claims)), [claims])
  const main = useRef<HTMLDivElement>(null)
  const walkIn = useWalkIn(() => main.current?.scrollIntoView({ block: 'start' }))
  if (walkIn.receipt) {
    return (
      <div ref={main} className="walk-in-page">
        <WalkInReceiptView
          receipt={walkIn.receipt}
          materialNames={Object.fromEntries(
            (walkIn.loadedGuide?.content.materials ?? []).map((material) => [material.key, material.name]),
          )}
          onNext={onNext}
        />
      </div>
    )
  }
  const networkFailure = walkIn.error instanceof ApiProblem && keepIdempotencyKey(walkIn.error)
  return (
    <div ref={main} className="walk-in-page">
      <h1 className="page-title">{t('walkIn.title')}</h1>
      <p className="page-intro">{t('walkIn.intro')}</p>
      <Steps
        className="walk-in-steps no-print"
        size="small"
        current={walkIn.step}
        items={STEP_TITLES.map((title, index) => ({
          title: t(title),
          ...(index < walkIn.step ? { onClick: () => walkIn.goTo(index as WalkInStep) } : {}),
        }))}
      />
      <ChosenService walkIn={walkIn} />
      <section hidden={walkIn.step !== 0} className="portal-section" aria-labelledby="walk-in-s0">
        <h2 id="walk-in-s0" className="section-title">
          {t('walkIn.step.service')}
        </h2>
        <ServicePicker scopes={scopes} chosen={walkIn.service} onChoose={walkIn.chooseService} />
      </section>
      <WalkInForm walkIn={walkIn} />
      <div className="page-feedback" aria-live="polite">
        <ProblemAlert error={walkIn.error} />
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
