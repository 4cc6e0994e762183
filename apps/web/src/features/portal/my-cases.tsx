import type { CaseList, CaseView, PublishedGuideView } from '@tongban/contracts'
import { Alert, Button, Descriptions, Form, Input } from 'antd'
import { useState } from 'react'
import { Link, Route, Routes, useParams } from 'react-router'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { RequireLogin } from '../../auth/require-login.tsx'
import { DataState } from '../../components/data-state.tsx'
import { FormDataView } from '../../components/form-data-view.tsx'
import { NotFound } from '../../components/lazy-not-found.ts'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { pickLocalized } from '../../i18n/i18n.ts'
import {
  CaseTimeline,
  CorrectionList,
  correctionItemsOf,
  describeMoveProblem,
  LevelTag,
  StatusTag,
} from '../cases/case-parts.tsx'
import { propertiesOf } from '../cases/form-document.ts'
import { useLicenseChoices } from '../cases/license-choice.ts'
import { type AttachedFile, MaterialUpload, materialRef } from '../cases/material-upload.tsx'

function CaseListPage() {
  const t = useT()
  const { language } = usePreferences()
  const query = useApiQuery<CaseList>(endpoints.myCases, { limit: 50 })
  return (
    <div className="container page">
      <h1 className="page-title">{t('mycases.title')}</h1>
      <DataState query={query} isEmpty={(list) => list.items.length === 0} emptyText={t('mycases.empty')}>
        {(list) => (
          <ul className="result-list">
            {list.items.map((item) => (
              <li key={item.id} className="result-item case-row">
                <div className="search-hit-main">
                  <Link className="result-name" to={`/me/cases/${item.id}`}>
                    {item.itemName}
                  </Link>
                  <span className="result-meta">
                    {t('case.caseNo')} {item.caseNo} ·{' '}
                    {new Date(item.submittedAt).toLocaleDateString(language)}
                  </span>
                </div>
                <span className="case-row-tags">
                  <StatusTag status={item.status} />
                  <LevelTag level={item.level} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </DataState>
    </div>
  )
}

/** 补正: the one-time list of what to fix, with an upload per material and an input per field. */
function CorrectionPanel({
  record,
  guide,
  onDone,
}: {
  record: CaseView
  guide: PublishedGuideView | undefined
  onDone: () => void
}) {
  const t = useT()
  const { language } = usePreferences()
  const [form] = Form.useForm<{ formData: Record<string, unknown> }>()
  const request = [...record.timeline].reverse().find((event) => event.type === 'correction_requested')
  const items = correctionItemsOf(request)
  const [files, setFiles] = useState<Record<string, AttachedFile>>({})
  const licenseChoice = useLicenseChoices(guide)
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const materials = guide?.content.materials ?? []
  const fieldHints = guide?.content.form.ui.fields ?? {}
  const properties = guide ? propertiesOf(guide.content.form) : {}
  const names = (key: string) =>
    materials.find((m) => m.key === key)?.name ??
    (fieldHints[key] ? pickLocalized(fieldHints[key].label, language) : key)
  const fieldItems = items.filter((item) => item.kind === 'field' && item.key in properties)

  async function resubmit(values: { formData?: Record<string, unknown> }) {
    setBusy(true)
    setError(undefined)
    try {
      const edited = values.formData ?? {}
      await apiFetch<CaseView>(endpoints.caseMove(record.id, 'resubmit'), {
        method: 'POST',
        body: {
          version: record.version,
          ...(fieldItems.length > 0 ? { formData: { ...record.formData, ...edited } } : {}),
          materials: Object.values(files).map(materialRef),
        },
      })
      onDone()
    } catch (problem) {
      const { applied } = applyProblemToForm(form, problem, language)
      if (applied.length === 0) {
        const moveProblem = describeMoveProblem(t, problem, language)
        setError(moveProblem ? new Error(moveProblem) : problem)
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="portal-section correction-panel" aria-labelledby="correction-title">
      <h2 id="correction-title" className="section-title">
        {t('case.correctionTitle')}
      </h2>
      {request?.comment ? <p>{t('case.comment', { comment: request.comment })}</p> : null}
      <CorrectionList items={items} names={names} />
      <Form form={form} layout="vertical" onFinish={resubmit} initialValues={{ formData: record.formData }}>
        {fieldItems.map((item) => (
          <Form.Item key={item.key} name={['formData', item.key]} label={names(item.key)}>
            <Input />
          </Form.Item>
        ))}
        <ul className="material-list">
          {items
            .filter((item) => item.kind === 'material')
            .map((item) => {
              const material = materials.find((m) => m.key === item.key) ?? {
                key: item.key,
                name: item.key,
                form: 'electronic',
                copies: 1,
                required: true,
                source: 'upload',
              }
              return (
                <MaterialUpload
                  key={item.key}
                  material={material}
                  attached={files[item.key]}
                  license={licenseChoice(material)}
                  onChange={(file) =>
                    setFiles((current) => {
                      const next = { ...current }
                      if (file) next[item.key] = file
                      else delete next[item.key]
                      return next
                    })
                  }
                />
              )
            })}
        </ul>
        <div className="page-feedback" aria-live="polite">
          {error instanceof Error && !('problem' in error) ? (
            <Alert type="error" showIcon title={error.message} role="alert" />
          ) : (
            <ProblemAlert error={error} />
          )}
        </div>
        <Button type="primary" htmlType="submit" loading={busy} size="large">
          {t('case.resubmit')}
        </Button>
      </Form>
    </section>
  )
}

function CasePage() {
  const t = useT()
  const { language } = usePreferences()
  const { caseId = '' } = useParams()
  const query = useApiQuery<CaseView>(endpoints.case(caseId))
  const record = query.data
  const guide = useApiQuery<PublishedGuideView>(
    record?.implementationId && record.guideVersion
      ? endpoints.guideVersion(record.implementationId, record.guideVersion)
      : null,
  )
  const [resubmitted, setResubmitted] = useState(false)
  return (
    <div className="container page">
      <DataState query={query}>
        {(data) => (
          <>
            <h1 className="page-title">{data.itemName}</h1>
            <p className="page-intro">
              {t('case.caseNo')} <strong data-testid="case-no">{data.caseNo}</strong>
            </p>
            {resubmitted ? (
              <Alert
                type="success"
                showIcon
                title={t('case.resubmitted')}
                role="status"
                className="apply-notice"
              />
            ) : null}
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, md: 2 }}
              className="portal-section"
              items={[
                { key: 'status', label: t('case.status'), children: <StatusTag status={data.status} /> },
                {
                  key: 'submitted',
                  label: t('case.submittedAt'),
                  children: new Date(data.submittedAt).toLocaleString(language),
                },
                {
                  key: 'deadline',
                  label: t('case.deadline'),
                  children: (
                    <>
                      {data.timeLimit.promisedDeadline ?? '—'} <LevelTag level={data.timeLimit.level} />
                    </>
                  ),
                },
              ]}
            />
            {data.status === 'correction_requested' ? (
              <CorrectionPanel
                record={data}
                guide={guide.data}
                onDone={() => {
                  setResubmitted(true)
                  query.reload()
                }}
              />
            ) : null}
            <section className="portal-section" aria-labelledby="timeline-title">
              <h2 id="timeline-title" className="section-title">
                {t('case.timeline')}
              </h2>
              <CaseTimeline events={data.timeline} />
            </section>
            <section className="portal-section" aria-labelledby="formdata-title">
              <h2 id="formdata-title" className="section-title">
                {t('case.formData')}
              </h2>
              <FormDataView formData={data.formData} form={guide.data?.content.form} />
            </section>
          </>
        )}
      </DataState>
    </div>
  )
}

/** /me/cases: the applicant's cases, and one case with its timeline and correction requests. */
export default function MyCases() {
  return (
    <RequireLogin>
      <Routes>
        <Route index element={<CaseListPage />} />
        <Route path=":caseId" element={<CasePage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </RequireLogin>
  )
}
