import { CameraOutlined } from '@ant-design/icons'
import type { LicenseTypeDefinition, LicenseVerification } from '@tongban/contracts'
import { Alert, Button, Descriptions, Form, Input, Result, Tag } from 'antd'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Route, Routes, useSearchParams } from 'react-router'
import { ApiProblem, apiFetch } from '../../api/client.ts'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { type Translate, usePreferences, useT } from '../../app/preferences.tsx'
import { NotFound } from '../../components/lazy-not-found.ts'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { PublicLayout } from '../../components/public-layout.tsx'
import { type MessageKey, pickLocalized } from '../../i18n/i18n.ts'
import { canScanQr, QrScanner } from './qr-scanner.tsx'
import { tokenFrom } from './token.ts'

interface VerifyForm {
  code: string
}

/** Why a code was refused: the token is forged, expired or already used (never a verdict on the license). */
type Refusal = 'forged' | 'expired' | 'replayed'

function refusalOf(error: unknown): Refusal | undefined {
  if (!(error instanceof ApiProblem)) return undefined
  const code = error.fieldErrors[0]?.code
  if (code === 'forged' || code === 'expired' || code === 'replayed') return code
  if (error.status === 410) return 'expired'
  return undefined
}

const VERDICT_STATUS: Record<string, 'success' | 'warning' | 'error'> = {
  valid: 'success',
  expired: 'warning',
  suspended: 'warning',
  superseded: 'warning',
  revoked: 'error',
}

function statusText(t: Translate, status: string): string {
  return t(`license.status.${status}` as MessageKey) ?? status
}

/** The verdict on a genuine license: its status now and only the fields its type lets a verifier see. */
function Verdict({ verdict }: { verdict: LicenseVerification }) {
  const t = useT()
  const { language } = usePreferences()
  const types = useApiQuery<Page<LicenseTypeDefinition>>(endpoints.licenseTypes)
  const type = types.data?.items.find((item) => item.name === verdict.typeName)
  const properties =
    (type?.fieldsSchema as { properties?: Record<string, { title?: string }> } | undefined)?.properties ?? {}
  const valid = verdict.status === 'valid'
  return (
    <Result
      status={VERDICT_STATUS[verdict.status] ?? 'warning'}
      title={
        <h2 className="result-title" data-testid="verdict">
          {valid
            ? t('verify.genuineValid')
            : t('verify.genuineNot', { status: statusText(t, verdict.status) })}
        </h2>
      }
      subTitle={valid ? t('verify.validDetail') : t('verify.notValidDetail')}
    >
      <Descriptions
        bordered
        column={1}
        size="small"
        items={[
          {
            key: 'genuine',
            label: t('verify.genuine'),
            children: <Tag color="green">{t('verify.genuineYes')}</Tag>,
          },
          {
            key: 'status',
            label: t('verify.status'),
            children: (
              <Tag
                color={valid ? 'green' : verdict.status === 'revoked' ? 'red' : 'orange'}
                data-testid="verdict-status"
              >
                {statusText(t, verdict.status)}
              </Tag>
            ),
          },
          { key: 'type', label: t('verify.licenseType'), children: verdict.typeName },
          { key: 'no', label: t('license.no'), children: verdict.licenseNo },
          { key: 'issuer', label: t('verify.issuer'), children: verdict.issuerName },
          {
            key: 'validity',
            label: t('license.validity'),
            children: verdict.validUntil
              ? t('license.validRange', { from: verdict.validFrom, until: verdict.validUntil })
              : t('license.validLongTerm', { from: verdict.validFrom }),
          },
          ...Object.entries(verdict.fields).map(([name, value]) => ({
            key: `f-${name}`,
            label: properties[name]?.title ?? name,
            children: <span data-testid={`disclosed-${name}`}>{String(value)}</span>,
          })),
          {
            key: 'checked',
            label: t('verify.checkedAt'),
            children: new Date(verdict.checkedAt).toLocaleString(language),
          },
        ]}
      />
      {valid ? null : <p className="result-meta verify-hidden-note">{t('verify.fieldsHidden')}</p>}
    </Result>
  )
}

function RefusedCode({ refusal, error }: { refusal: Refusal; error: ApiProblem }) {
  const t = useT()
  const { language } = usePreferences()
  const detail = error.problem.details ? pickLocalized(error.problem.details, language) : undefined
  return (
    <Result
      status={refusal === 'forged' ? 'error' : 'warning'}
      title={
        <h2 className="result-title" data-testid="verdict">
          {t(`verify.refused.${refusal}` as MessageKey)}
        </h2>
      }
      subTitle={detail}
    />
  )
}

function VerifyPage() {
  const t = useT()
  const { language } = usePreferences()
  const [params, setParams] = useSearchParams()
  const [form] = Form.useForm<VerifyForm>()
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<unknown>()
  const [verdict, setVerdict] = useState<LicenseVerification>()
  const [scanning, setScanning] = useState(false)
  const [scannable, setScannable] = useState<boolean>()
  const fromLink = useRef(params.get('t'))

  useEffect(() => {
    void canScanQr().then(setScannable)
  }, [])

  const verify = useCallback(async (code: string) => {
    setSubmitting(true)
    setError(undefined)
    setVerdict(undefined)
    try {
      setVerdict(
        await apiFetch<LicenseVerification>(endpoints.licenseVerification, {
          query: { token: tokenFrom(code) },
          anonymous: true,
        }),
      )
    } catch (failure) {
      setError(failure)
    } finally {
      setSubmitting(false)
    }
  }, [])

  // Opened from a QR code (/verify/license?t=…): check at once, then drop the single-use token from
  // the address so that a reload does not look like a second scan.
  useEffect(() => {
    const token = fromLink.current
    if (!token) return
    fromLink.current = null
    form.setFieldValue('code', token)
    void verify(token)
    setParams({}, { replace: true })
  }, [form, verify, setParams])

  const onScanned = useCallback(
    (text: string) => {
      setScanning(false)
      form.setFieldValue('code', text)
      void verify(text)
    },
    [form, verify],
  )
  const stopScanning = useCallback(() => setScanning(false), [])

  const refusal = refusalOf(error)
  const fieldProblem =
    error instanceof ApiProblem && !refusal && error.fieldErrors.length > 0
      ? pickLocalized(error.fieldErrors[0]!.message, language)
      : undefined

  return (
    <div className="container page narrow">
      <h1 className="page-title">{t('verify.title')}</h1>
      <p className="page-intro">{t('verify.intro')}</p>
      {scannable === false ? (
        <Alert type="info" showIcon title={t('verify.scanUnsupported')} className="verify-note" />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={({ code }: VerifyForm) => void verify(code)}
        requiredMark="optional"
        className="panel"
      >
        <Form.Item
          name="code"
          label={t('verify.codeLabel')}
          rules={[{ required: true, whitespace: true, message: t('verify.required') }]}
          {...(fieldProblem ? { validateStatus: 'error' as const, help: fieldProblem } : {})}
        >
          <Input.TextArea
            rows={4}
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
          {scannable ? (
            <Button icon={<CameraOutlined />} onClick={() => setScanning(true)} disabled={scanning}>
              {t('verify.scan')}
            </Button>
          ) : null}
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
        {scanning ? <QrScanner onCode={onScanned} onClose={stopScanning} /> : null}
      </Form>
      <div className="page-feedback" aria-live="polite">
        {refusal && error instanceof ApiProblem ? (
          <RefusedCode refusal={refusal} error={error} />
        ) : fieldProblem ? null : (
          <ProblemAlert error={error} />
        )}
        {verdict ? <Verdict verdict={verdict} /> : null}
      </div>
    </div>
  )
}

/**
 * License verifier (/verify): paste a QR code's content or scan it with the camera, see whether the
 * license is genuine and valid. A QR code opens /verify/license?t=<token>, which checks at once.
 */
export default function VerifyArea() {
  return (
    <PublicLayout>
      <Routes>
        <Route index element={<VerifyPage />} />
        <Route path="license" element={<VerifyPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </PublicLayout>
  )
}
