import type { CaseView, CorrectionItem, PublishedGuideView } from '@tongban/contracts'
import { Alert, Button, Form, Input } from 'antd'
import { useState } from 'react'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { pickLocalized } from '../../i18n/i18n.ts'
import { MaterialList, useAttachedMaterials } from './application-sections.tsx'
import { CorrectionList, correctionItemsOf, describeMoveProblem } from './case-parts.tsx'
import { propertiesOf } from './form-document.ts'
import { useLicenseChoices } from './license-choice.ts'
import { materialRef } from './material-upload.tsx'

type Material = PublishedGuideView['content']['materials'][number]

/** What the last 补正 request asked for, with the names the guide gives its materials and fields. */
function useCorrectionRequest(record: CaseView, guide: PublishedGuideView | undefined) {
  const { language } = usePreferences()
  const request = [...record.timeline].reverse().find((event) => event.type === 'correction_requested')
  const items = correctionItemsOf(request)
  const materials = guide?.content.materials ?? []
  const fieldHints = guide?.content.form.ui.fields ?? {}
  const properties = guide ? propertiesOf(guide.content.form) : {}
  const names = (key: string) =>
    materials.find((m) => m.key === key)?.name ??
    (fieldHints[key] ? pickLocalized(fieldHints[key].label, language) : key)
  const fieldItems = items.filter((item) => item.kind === 'field' && item.key in properties)
  // a material the guide no longer names is still asked for, as an upload
  const askedMaterials: Material[] = items
    .filter((item) => item.kind === 'material')
    .map(
      (item: CorrectionItem) =>
        materials.find((m) => m.key === item.key) ?? {
          key: item.key,
          name: item.key,
          form: 'electronic',
          copies: 1,
          required: true,
          source: 'upload',
        },
    )
  return { request, items, names, fieldItems, askedMaterials }
}

/** 补正: the one-time list of what to fix, with an upload per material and an input per field. */
export function CorrectionPanel({
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
  const asked = useCorrectionRequest(record, guide)
  const files = useAttachedMaterials()
  const licenseChoice = useLicenseChoices(guide)
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)

  async function resubmit(values: { formData?: Record<string, unknown> }) {
    setBusy(true)
    setError(undefined)
    try {
      const edited = values.formData ?? {}
      await apiFetch<CaseView>(endpoints.caseMove(record.id, 'resubmit'), {
        method: 'POST',
        body: {
          version: record.version,
          ...(asked.fieldItems.length > 0 ? { formData: { ...record.formData, ...edited } } : {}),
          materials: Object.values(files.attached).map(materialRef),
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
      {asked.request?.comment ? <p>{t('case.comment', { comment: asked.request.comment })}</p> : null}
      <CorrectionList items={asked.items} names={asked.names} />
      <Form form={form} layout="vertical" onFinish={resubmit} initialValues={{ formData: record.formData }}>
        {asked.fieldItems.map((item) => (
          <Form.Item key={item.key} name={['formData', item.key]} label={asked.names(item.key)}>
            <Input />
          </Form.Item>
        ))}
        <MaterialList
          materials={asked.askedMaterials}
          attached={files.attached}
          errors={{}}
          license={licenseChoice}
          onChange={files.change}
        />
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
