import type { ProgressView } from '@tongban/contracts'
import { Button, Descriptions, Form, Input, Timeline } from 'antd'
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'
import { StatusTag } from '../cases/case-parts.tsx'

interface ProgressQuery {
  caseNo: string
  queryCode: string
}

/** /progress: public 办件进度查询 by case number and query code. */
export default function ProgressPage() {
  const t = useT()
  const { language } = usePreferences()
  const [params] = useSearchParams()
  const [form] = Form.useForm<ProgressQuery>()
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<unknown>()
  const [result, setResult] = useState<ProgressView>()

  async function submit(values: ProgressQuery) {
    setSubmitting(true)
    setError(undefined)
    setResult(undefined)
    try {
      setResult(
        // POST: the query code stays out of URLs, server logs and the browser's history
        await apiFetch<ProgressView>(endpoints.caseProgress, {
          method: 'POST',
          body: { caseNo: values.caseNo.trim(), queryCode: values.queryCode.trim() },
          anonymous: true,
        }),
      )
    } catch (failure) {
      const { applied } = applyProblemToForm(form, failure, language)
      if (applied.length === 0) setError(failure)
    } finally {
      setSubmitting(false)
    }
  }

  return (
    <div className="container page narrow">
      <h1 className="page-title">{t('progress.title')}</h1>
      <p className="page-intro">{t('progress.intro')}</p>
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark="optional"
        className="panel"
        initialValues={{ caseNo: params.get('caseNo') ?? '' }}
      >
        <Form.Item
          name="caseNo"
          label={t('progress.caseNo')}
          rules={[{ required: true, whitespace: true, message: t('progress.required.caseNo') }]}
        >
          <Input placeholder={t('progress.caseNoPlaceholder')} autoComplete="off" inputMode="numeric" />
        </Form.Item>
        <Form.Item
          name="queryCode"
          label={t('progress.queryCode')}
          rules={[{ required: true, whitespace: true, message: t('progress.required.queryCode') }]}
        >
          <Input placeholder={t('progress.queryCodePlaceholder')} autoComplete="off" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submitting} block>
          {t('progress.submit')}
        </Button>
      </Form>
      <div className="page-feedback" aria-live="polite">
        <ProblemAlert error={error} />
        {result ? (
          <div className="progress-result">
            <Descriptions
              title={t('progress.result')}
              bordered
              column={1}
              items={[
                { key: 'caseNo', label: t('progress.caseNo'), children: result.caseNo },
                { key: 'item', label: t('progress.item'), children: result.itemName },
                {
                  key: 'status',
                  label: t('progress.status'),
                  children: <StatusTag status={result.status} />,
                },
                { key: 'deadline', label: t('progress.deadline'), children: result.promisedDeadline ?? '—' },
              ]}
            />
            <h2 className="section-title progress-milestones">{t('progress.milestones')}</h2>
            <Timeline
              items={result.milestones.map((milestone, index) => ({
                key: index,
                content: (
                  <>
                    <strong>{t(`case.event.${milestone.type}` as MessageKey)}</strong>{' '}
                    <span className="result-meta">{new Date(milestone.at).toLocaleString(language)}</span>
                  </>
                ),
              }))}
            />
          </div>
        ) : null}
      </div>
    </div>
  )
}
