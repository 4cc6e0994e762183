import { DownloadOutlined } from '@ant-design/icons'
import type { CaseView, CorrectionItem, PublishedGuideView } from '@tongban/contracts'
import { Alert, Button, Descriptions, Form, Input, Select, Space } from 'antd'
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { apiFetch } from '../../api/client.ts'
import { downloadFile } from '../../api/download.ts'
import { endpoints } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'
import { FormDataView } from '../../components/form-data-view.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { pickLocalized } from '../../i18n/i18n.ts'
import { CaseTimeline, describeMoveProblem, LevelTag, moveLabel, StatusTag } from '../cases/case-parts.tsx'

/** The moves a department's staff make on a case, in workflow order. */
const STAFF_MOVES = [
  'accept',
  'refuse',
  'requestCorrection',
  'review',
  'approve',
  'deny',
  'complete',
] as const
type StaffMove = (typeof STAFF_MOVES)[number]

interface MoveValues {
  comment?: string
  reason?: string
  legalBasis?: string
  items?: CorrectionItem[]
}

function MovePanel({
  record,
  guide,
  onMoved,
}: {
  record: CaseView
  guide: PublishedGuideView | undefined
  onMoved: (move: StaffMove) => void
}) {
  const t = useT()
  const { language } = usePreferences()
  const [form] = Form.useForm<MoveValues>()
  const [move, setMove] = useState<StaffMove>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [moveProblem, setMoveProblem] = useState<string>()
  const allowed = new Set(record.allowedMoves)
  const keys = [
    ...(guide?.content.materials ?? []).map((m) => ({ value: `material:${m.key}`, label: m.name })),
    ...Object.entries(guide?.content.form.ui.fields ?? {}).map(([key, hint]) => ({
      value: `field:${key}`,
      label: pickLocalized(hint.label, language),
    })),
  ]

  function choose(next: StaffMove) {
    setMove(next)
    setError(undefined)
    setMoveProblem(undefined)
    form.resetFields()
    if (next === 'requestCorrection') form.setFieldValue('items', [{ problem: 'missing' }])
  }

  async function submit(values: MoveValues) {
    if (!move) return
    setBusy(true)
    setError(undefined)
    setMoveProblem(undefined)
    try {
      const items = (values.items ?? []).map((item) => {
        const [kind = 'material', key = ''] = String(item.key).split(/:(.*)/s)
        return {
          kind: kind as 'material' | 'field',
          key,
          problem: item.problem,
          ...(item.note ? { note: item.note } : {}),
        }
      })
      await apiFetch<CaseView>(endpoints.caseMove(record.id, move), {
        method: 'POST',
        body: {
          version: record.version,
          ...(values.comment ? { comment: values.comment } : {}),
          ...(values.reason ? { reason: values.reason } : {}),
          ...(values.legalBasis ? { legalBasis: values.legalBasis } : {}),
          ...(move === 'requestCorrection' ? { items } : {}),
        },
      })
      setMove(undefined)
      onMoved(move)
    } catch (problem) {
      const described = describeMoveProblem(t, problem, language)
      if (described) {
        setMoveProblem(described)
        return
      }
      const { applied } = applyProblemToForm(form, problem, language)
      if (applied.length === 0) setError(problem)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="portal-section" aria-labelledby="moves-title">
      <h2 id="moves-title" className="section-title">
        {t('work.actions')}
      </h2>
      <p className="result-meta">
        {allowed.size > 0
          ? t('work.allowedNow', {
              moves: record.allowedMoves
                .filter((m) => (STAFF_MOVES as readonly string[]).includes(m))
                .map((m) => moveLabel(t, m))
                .join('、'),
            })
          : t('case.noAllowed')}
      </p>
      <div className="form-actions move-buttons">
        {STAFF_MOVES.map((m) => (
          <Button
            key={m}
            type={move === m ? 'primary' : allowed.has(m) ? 'default' : 'dashed'}
            danger={m === 'refuse' || m === 'deny'}
            onClick={() => choose(m)}
            data-testid={`move-${m}`}
          >
            {moveLabel(t, m)}
          </Button>
        ))}
      </div>
      {moveProblem ? (
        <Alert type="warning" showIcon title={moveProblem} role="alert" className="page-feedback" />
      ) : null}
      {move ? (
        <Form form={form} layout="vertical" onFinish={submit} className="page-feedback move-form">
          {move === 'refuse' || move === 'deny' ? (
            <Form.Item
              name="reason"
              label={t('work.reason')}
              rules={[{ required: true, whitespace: true, message: t('work.required.reason') }]}
            >
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          ) : null}
          {move === 'refuse' ? (
            <Form.Item
              name="legalBasis"
              label={t('work.legalBasisLabel')}
              rules={[{ required: true, whitespace: true, message: t('work.required.legalBasis') }]}
            >
              <Input maxLength={500} />
            </Form.Item>
          ) : null}
          {move === 'requestCorrection' ? (
            <Form.List
              name="items"
              rules={[
                {
                  validator: async (_, items?: unknown[]) => {
                    if (!items?.length) throw new Error(t('work.required.items'))
                  },
                },
              ]}
            >
              {(fields, { add, remove }, { errors }) => (
                <fieldset className="correction-items">
                  <legend>{t('work.correctionItems')}</legend>
                  {fields.map((field) => (
                    <Space key={field.key} wrap align="start" className="correction-item">
                      <Form.Item
                        name={[field.name, 'key']}
                        label={t('work.correctionKey')}
                        rules={[{ required: true, message: t('work.required.key') }]}
                      >
                        <Select
                          className="correction-key"
                          options={keys}
                          placeholder={t('apply.select')}
                          aria-label={t('work.correctionKey')}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'problem']} label={t('work.correctionProblem')}>
                        <Select
                          aria-label={t('work.correctionProblem')}
                          options={[
                            { value: 'missing', label: t('case.correction.missing') },
                            { value: 'defective', label: t('case.correction.defective') },
                          ]}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'note']} label={t('work.correctionNote')}>
                        <Input maxLength={500} />
                      </Form.Item>
                      <Button onClick={() => remove(field.name)}>{t('work.removeItem')}</Button>
                    </Space>
                  ))}
                  <Button onClick={() => add({ problem: 'missing' })}>{t('work.addItem')}</Button>
                  <Form.ErrorList errors={errors} />
                </fieldset>
              )}
            </Form.List>
          ) : null}
          <Form.Item name="comment" label={t('work.comment')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <ProblemAlert error={error} />
          <Button
            type="primary"
            htmlType="submit"
            loading={busy}
            danger={move === 'refuse' || move === 'deny'}
          >
            {t('work.doMove', { move: moveLabel(t, move) })}
          </Button>
        </Form>
      ) : null}
    </section>
  )
}

type CaseMaterial = { key: string; name: string; fileSha256?: string; licenseGrantId?: string }

/** 申请材料 of a case: each uploaded file can be downloaded (the download is audited). */
function CaseMaterials({ record, guide }: { record: CaseView; guide: PublishedGuideView | undefined }) {
  const t = useT()
  const [busy, setBusy] = useState<string>()
  const [error, setError] = useState<unknown>()
  const materials = record.materials as CaseMaterial[]
  if (materials.length === 0) return <p>{t('work.noMaterials')}</p>

  async function download(material: CaseMaterial & { fileSha256: string }) {
    setBusy(material.fileSha256)
    setError(undefined)
    try {
      await downloadFile(endpoints.caseMaterial(record.id, material.fileSha256), material.name)
    } catch (problem) {
      setError(problem)
    } finally {
      setBusy(undefined)
    }
  }

  return (
    <>
      <ul className="guide-list case-materials">
        {materials.map((m) => (
          <li
            key={`${m.key}-${m.fileSha256 ?? m.licenseGrantId ?? ''}`}
            data-testid={`case-material-${m.key}`}
          >
            <strong>{guide?.content.materials.find((g) => g.key === m.key)?.name ?? m.key}</strong>：{m.name}{' '}
            {m.fileSha256 ? (
              <Button
                size="small"
                icon={<DownloadOutlined />}
                loading={busy === m.fileSha256}
                onClick={() => void download(m as CaseMaterial & { fileSha256: string })}
              >
                {t('work.download')}
              </Button>
            ) : (
              <span className="result-meta">{t('work.materialLicense')}</span>
            )}
          </li>
        ))}
      </ul>
      <ProblemAlert error={error} />
    </>
  )
}

/** /work/cases/:caseId: a case with its materials, timeline and the moves of the workflow. */
export default function WorkCasePage() {
  const t = useT()
  const { caseId = '' } = useParams()
  const query = useApiQuery<CaseView>(endpoints.case(caseId))
  const record = query.data
  const guide = useApiQuery<PublishedGuideView>(
    record?.implementationId && record.guideVersion
      ? endpoints.guideVersion(record.implementationId, record.guideVersion)
      : null,
  )
  const [done, setDone] = useState<StaffMove>()
  return (
    <DataState query={query}>
      {(data) => (
        <>
          <p>
            <Link to="/work">{t('work.backToQueue')}</Link>
          </p>
          <h1 className="page-title">{t('work.caseTitle', { caseNo: data.caseNo })}</h1>
          <p className="page-intro">{data.itemName}</p>
          {done ? (
            <Alert
              type="success"
              showIcon
              role="status"
              className="apply-notice"
              title={t('work.moveDone', { move: moveLabel(t, done) })}
            />
          ) : null}
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, md: 3 }}
            className="portal-section"
            items={[
              { key: 'status', label: t('case.status'), children: <StatusTag status={data.status} /> },
              {
                key: 'limit',
                label: t('work.col.limit'),
                children: (
                  <>
                    <LevelTag level={data.timeLimit.level} />
                    {data.timeLimit.workingDaysLeft !== null
                      ? ` ${t('case.daysLeft', { n: data.timeLimit.workingDaysLeft })}`
                      : ''}
                  </>
                ),
              },
              {
                key: 'deadline',
                label: t('case.deadline'),
                children: data.timeLimit.promisedDeadline ?? '—',
              },
            ]}
          />
          <MovePanel
            record={data}
            guide={guide.data}
            onMoved={(move) => {
              setDone(move)
              query.reload()
            }}
          />
          <section className="portal-section" aria-labelledby="applicant-title">
            <h2 id="applicant-title" className="section-title">
              {t('work.applicant')}
            </h2>
            <FormDataView formData={data.formData} form={guide.data?.content.form} />
          </section>
          <section className="portal-section" aria-labelledby="materials-title">
            <h2 id="materials-title" className="section-title">
              {t('work.materials')}
            </h2>
            <CaseMaterials record={data} guide={guide.data} />
          </section>
          <section className="portal-section" aria-labelledby="timeline-title">
            <h2 id="timeline-title" className="section-title">
              {t('case.timeline')}
            </h2>
            <CaseTimeline events={data.timeline} />
          </section>
        </>
      )}
    </DataState>
  )
}
