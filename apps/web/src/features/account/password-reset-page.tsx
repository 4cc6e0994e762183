import type { PasswordResetRequested, RequestPasswordReset } from '@tongban/contracts'
import { Alert, Button, Form, Input, Radio } from 'antd'
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { useFormSubmit } from '../../api/use-form-submit.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { pickLocalized } from '../../i18n/i18n.ts'

interface ConfirmForm {
  code: string
  newPassword: string
}

/** Step 2: the code that was sent and the new password. */
function ConfirmStep({ login, sent, onDone }: { login: string; sent: string; onDone: () => void }) {
  const t = useT()
  const [form] = Form.useForm<ConfirmForm>()
  const { submitting, error, submit } = useFormSubmit<ConfirmForm>(form, async (values) => {
    await apiFetch(endpoints.passwordResetConfirm, {
      method: 'POST',
      body: { login, code: values.code.trim(), newPassword: values.newPassword },
      anonymous: true,
    })
    onDone()
  })

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional" className="panel">
      <Alert type="info" showIcon title={sent} data-testid="reset-sent" />
      <Form.Item
        name="code"
        label={t('reset.code')}
        extra={t('reset.codeHelp')}
        rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('reset.required.code') }]}
      >
        <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('reset.newPassword')}
        extra={t('register.passwordHelp')}
        rules={[{ required: true, message: t('register.required.password') }]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" loading={submitting} block>
        {t('reset.confirm')}
      </Button>
      <div className="page-feedback" aria-live="polite">
        <ProblemAlert error={error} />
      </div>
    </Form>
  )
}

/** /password-reset: 找回密码 — a code to the account's phone or e-mail, then a new password. */
export default function PasswordResetPage() {
  const t = useT()
  const { language } = usePreferences()
  const auth = useAuth()
  const [params] = useSearchParams()
  const [form] = Form.useForm<RequestPasswordReset>()
  const [sent, setSent] = useState<{ login: string; message: string }>()
  const [done, setDone] = useState(false)
  const sending = useFormSubmit<RequestPasswordReset>(form, async (values) => {
    const login = values.login.trim()
    const answer = await apiFetch<PasswordResetRequested>(endpoints.passwordResets, {
      method: 'POST',
      body: { login, channel: values.channel },
      anonymous: true,
    })
    setSent({ login, message: pickLocalized(answer.message, language) })
  })

  return (
    <div className="container page narrow">
      <h1 className="page-title">{t('reset.title')}</h1>
      <p className="page-intro">{t('reset.intro')}</p>
      {done ? (
        <>
          <Alert type="success" showIcon title={t('reset.done')} data-testid="reset-done" />
          <p className="form-actions">
            <Button type="primary" size="large" onClick={() => void auth.login('/me/cases')}>
              {t('register.login')}
            </Button>
          </p>
        </>
      ) : sent ? (
        <ConfirmStep login={sent.login} sent={sent.message} onDone={() => setDone(true)} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          onFinish={sending.submit}
          requiredMark="optional"
          className="panel"
          initialValues={{ login: params.get('login') ?? '', channel: 'sms' }}
        >
          <Form.Item
            name="login"
            label={t('reset.login')}
            rules={[{ required: true, whitespace: true, message: t('reset.required.login') }]}
          >
            <Input autoComplete="username" maxLength={60} />
          </Form.Item>
          <Form.Item name="channel" label={t('reset.channel')}>
            <Radio.Group
              options={[
                { value: 'sms', label: t('reset.channel.sms') },
                { value: 'email', label: t('reset.channel.email') },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" loading={sending.submitting} block>
            {t('reset.send')}
          </Button>
          <div className="page-feedback" aria-live="polite">
            <ProblemAlert error={sending.error} />
          </div>
        </Form>
      )}
    </div>
  )
}
