import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons'
import { Alert, Button, Descriptions, Form, Input, Result } from 'antd'
import { useState } from 'react'
import { Route, Routes } from 'react-router'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { NotFound } from '../../components/lazy-not-found.ts'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { PublicLayout } from '../../components/public-layout.tsx'

interface VerifyForm {
  code: string
}

/** The verdict on a license (电子证照) as the verifier shows it; no more personal data than printed on it. */
interface Verification {
  valid: boolean
  reason?: { zh: string; en: string }
  licenseType?: string
  holder?: string
  issuer?: string
  statusLabel?: { zh: string; en: string }
}

function VerifyPage() {
  const t = useT()
  const { language } = usePreferences()
  const pick = (text?: { zh: string; en: string }) =>
    text ? (language === 'en' ? text.en : text.zh) : undefined
  const [form] = Form.useForm<VerifyForm>()
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<unknown>()
  const [verdict, setVerdict] = useState<Verification>()

  async function submit({ code }: VerifyForm) {
    setSubmitting(true)
    setError(undefined)
    setVerdict(undefined)
    try {
      setVerdict(
        await apiFetch<Verification>(endpoints.licenseVerification, {
          method: 'POST',
          body: { code: code.trim() },
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
      <h1 className="page-title">{t('verify.title')}</h1>
      <p className="page-intro">{t('verify.intro')}</p>
      <Alert type="info" showIcon title={t('verify.scanLater')} className="verify-note" />
      <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional" className="panel">
        <Form.Item
          name="code"
          label={t('verify.codeLabel')}
          rules={[{ required: true, whitespace: true, message: t('verify.required') }]}
        >
          <Input.TextArea
            rows={5}
            placeholder={t('verify.codePlaceholder')}
            autoComplete="off"
            spellCheck={false}
            className="verify-code"
          />
        </Form.Item>
        <div className="form-actions">
          <Button type="primary" htmlType="submit" loading={submitting}>
            {t('verify.submit')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields()
              setVerdict(undefined)
              setError(undefined)
            }}
          >
            {t('verify.clear')}
          </Button>
        </div>
      </Form>
      <div className="page-feedback" aria-live="polite">
        <ProblemAlert error={error} />
        {verdict ? (
          <Result
            icon={verdict.valid ? <CheckCircleFilled /> : <CloseCircleFilled />}
            status={verdict.valid ? 'success' : 'error'}
            title={verdict.valid ? t('verify.valid') : t('verify.invalid')}
            subTitle={pick(verdict.reason)}
          >
            <Descriptions
              bordered
              column={1}
              items={[
                { key: 'type', label: t('verify.licenseType'), children: verdict.licenseType ?? '—' },
                { key: 'holder', label: t('verify.holder'), children: verdict.holder ?? '—' },
                { key: 'issuer', label: t('verify.issuer'), children: verdict.issuer ?? '—' },
                { key: 'status', label: t('verify.status'), children: pick(verdict.statusLabel) ?? '—' },
              ]}
            />
          </Result>
        ) : null}
      </div>
    </div>
  )
}

/** License verifier (/verify): paste a QR code's content, see the verdict. Camera scanning comes later. */
export default function VerifyArea() {
  return (
    <PublicLayout>
      <Routes>
        <Route index element={<VerifyPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </PublicLayout>
  )
}
