import type { RegisterPerson } from '@tongban/contracts'
import { Alert, Button, Form, Input } from 'antd'
import { useState } from 'react'
import { Link } from 'react-router'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { useFormSubmit } from '../../api/use-form-submit.ts'
import { useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { ProblemAlert } from '../../components/problem-alert.tsx'

type RegisterForm = RegisterPerson & { passwordAgain: string }

/** What is sent: blank optional contacts left out, the ID number's `x` as the standard's `X`. */
export function registrationBody(values: RegisterForm): RegisterPerson {
  const body: RegisterPerson = {
    name: values.name.trim(),
    idNumber: values.idNumber.trim().toUpperCase(),
    password: values.password,
  }
  if (values.phone?.trim()) body.phone = values.phone.trim()
  if (values.email?.trim()) body.email = values.email.trim()
  return body
}

/** /register: 个人用户注册 (real name and 公民身份号码; level 1 until checked). */
export default function RegisterPage() {
  const t = useT()
  const auth = useAuth()
  const [form] = Form.useForm<RegisterForm>()
  const [done, setDone] = useState(false)
  const { submitting, error, submit } = useFormSubmit<RegisterForm>(form, async (values) => {
    await apiFetch(endpoints.registerPerson, {
      method: 'POST',
      body: registrationBody(values),
      anonymous: true,
    })
    setDone(true)
  })

  if (done)
    return (
      <div className="container page narrow">
        <h1 className="page-title">{t('register.done')}</h1>
        <Alert type="success" showIcon title={t('register.doneIntro')} data-testid="register-done" />
        <p className="form-actions">
          <Button type="primary" size="large" onClick={() => void auth.login('/me/cases')}>
            {t('register.login')}
          </Button>
        </p>
      </div>
    )

  return (
    <div className="container page narrow">
      <h1 className="page-title">{t('register.title')}</h1>
      <p className="page-intro">{t('register.intro')}</p>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional" className="panel">
        <Form.Item
          name="name"
          label={t('register.name')}
          rules={[{ required: true, whitespace: true, message: t('register.required.name') }]}
        >
          <Input autoComplete="name" maxLength={50} />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('register.idNumber')}
          extra={t('register.idNumberHelp')}
          rules={[{ required: true, whitespace: true, message: t('register.required.idNumber') }]}
        >
          <Input autoComplete="off" maxLength={18} />
        </Form.Item>
        <Form.Item name="phone" label={t('register.phone')} extra={t('register.phoneHelp')}>
          <Input autoComplete="tel" inputMode="numeric" maxLength={11} />
        </Form.Item>
        <Form.Item name="email" label={t('register.email')}>
          <Input autoComplete="email" type="email" maxLength={120} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('register.password')}
          extra={t('register.passwordHelp')}
          rules={[{ required: true, message: t('register.required.password') }]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <Form.Item
          name="passwordAgain"
          label={t('register.passwordAgain')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('register.required.password') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || getFieldValue('password') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('register.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" loading={submitting} block>
          {t('register.submit')}
        </Button>
      </Form>
      <div className="page-feedback" aria-live="polite">
        <ProblemAlert error={error} />
      </div>
      <p className="result-meta">{t('register.company')}</p>
      <p>
        {t('register.haveAccount')}{' '}
        <Button type="link" onClick={() => void auth.login('/me/cases')}>
          {t('auth.login')}
        </Button>{' '}
        <Link to="/password-reset">{t('reset.forgot')}</Link>
      </p>
    </div>
  )
}
