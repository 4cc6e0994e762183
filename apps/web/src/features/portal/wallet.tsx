import {
  DownloadOutlined,
  QrcodeOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons'
import type { LicenseQrView, LicenseTypeDefinition, LicenseView } from '@tongban/contracts'
import { Alert, Button, Descriptions, Input, Tag } from 'antd'
import { QRCodeSVG } from 'qrcode.react'
import { useCallback, useEffect, useState } from 'react'
import { Link, Route, Routes, useParams } from 'react-router'
import { apiFetch } from '../../api/client.ts'
import { downloadFile } from '../../api/download.ts'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { type Translate, usePreferences, useT } from '../../app/preferences.tsx'
import { RequireLogin } from '../../auth/require-login.tsx'
import { DataState } from '../../components/data-state.tsx'
import { NotFound } from '../../components/lazy-not-found.ts'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'
import { CredentialExport, LicenseGrants, LicenseUses } from './license-sharing.tsx'

const STATUS_COLOURS: Record<string, string> = {
  valid: 'green',
  expired: 'orange',
  suspended: 'orange',
  revoked: 'red',
  superseded: 'default',
}

/** Whether the licenses module serves the license as a PDF (GET /me/licenses/:id/pdf). */
export const PDF_DOWNLOAD = true

/** The name of a license status (有效, 已注销 …), never the code. */
export function licenseStatusLabel(t: Translate, status: string): string {
  return t(`license.status.${status}` as MessageKey) ?? status
}

/** A license status as a coloured tag with its name. */
export function LicenseStatusTag({ status }: { status: string }) {
  const t = useT()
  return (
    <Tag color={STATUS_COLOURS[status] ?? 'default'} data-testid="license-status">
      {licenseStatusLabel(t, status)}
    </Tag>
  )
}

/** The field titles of a license type's schema (照面信息 labels); the field name when a title is missing. */
export function fieldTitles(type: LicenseTypeDefinition | undefined): Record<string, string> {
  const schema = type?.fieldsSchema as { properties?: Record<string, { title?: unknown }> } | undefined
  const titles: Record<string, string> = {}
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    if (typeof property?.title === 'string') titles[name] = property.title
  }
  return titles
}

/** A license's fields in the order of its type's schema; fields the schema does not name come last. */
function orderedFields(fields: Record<string, unknown>, titles: Record<string, string>): [string, unknown][] {
  const named = Object.keys(titles).filter((name) => name in fields)
  const rest = Object.keys(fields).filter((name) => !(name in titles))
  return [...named, ...rest].map((name) => [name, fields[name]])
}

function validity(t: Translate, license: Pick<LicenseView, 'validFrom' | 'validUntil'>): string {
  return license.validUntil
    ? t('license.validRange', { from: license.validFrom, until: license.validUntil })
    : t('license.validLongTerm', { from: license.validFrom })
}

function WalletList() {
  const t = useT()
  const query = useApiQuery<Page<LicenseView>>(endpoints.myLicenses)
  return (
    <div className="container page">
      <h1 className="page-title">{t('wallet.title')}</h1>
      <p className="page-intro">{t('wallet.intro')}</p>
      <DataState query={query} isEmpty={(list) => list.items.length === 0} emptyText={t('wallet.empty')}>
        {(list) => {
          const holders = new Map<string, { name: string; kind: string; items: LicenseView[] }>()
          for (const license of list.items) {
            const group = holders.get(license.holder.accountId) ?? {
              name: license.holder.name,
              kind: license.holder.kind,
              items: [],
            }
            group.items.push(license)
            holders.set(license.holder.accountId, group)
          }
          // the person's own licenses first, then those of the companies they act for
          const groups = [...holders.entries()].sort(([, a], [, b]) =>
            a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'person' ? -1 : 1,
          )
          return groups.map(([holderId, group]) => (
            <section key={holderId} className="portal-section" aria-labelledby={`holder-${holderId}`}>
              <h2 id={`holder-${holderId}`} className="section-title">
                {group.kind === 'company'
                  ? t('wallet.companyLicenses', { name: group.name })
                  : t('wallet.ownLicenses', { name: group.name })}
              </h2>
              <ul className="license-grid">
                {group.items.map((license) => (
                  <li key={license.id} className="license-card" data-testid="license-card">
                    <SafetyCertificateOutlined className="license-card-icon" aria-hidden="true" />
                    <div className="license-card-body">
                      <Link className="result-name" to={`/me/licenses/${license.id}`}>
                        {license.typeName}
                      </Link>
                      <span className="result-meta">
                        {t('license.no')} {license.licenseNo}
                      </span>
                      <span className="result-meta">
                        {license.issuer.name} · {validity(t, license)}
                      </span>
                    </div>
                    <LicenseStatusTag status={license.status} />
                  </li>
                ))}
              </ul>
            </section>
          ))
        }}
      </DataState>
    </div>
  )
}

/** Seconds from now until a time, never negative. */
function secondsUntil(iso: string, now: number): number {
  return Math.max(0, Math.round((Date.parse(iso) - now) / 1000))
}

/**
 * 亮证: the license's QR code, for a verifier to scan. Tokens are short-lived and single-use, so the
 * code is replaced before it expires (with a margin of a fifth of its life, at most 30 s) and on demand.
 */
function LicenseQr({ license }: { license: LicenseView }) {
  const t = useT()
  const [qr, setQr] = useState<LicenseQrView & { fetchedAt: number }>()
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const [now, setNow] = useState(Date.now())

  const refresh = useCallback(async () => {
    setBusy(true)
    setError(undefined)
    try {
      const next = await apiFetch<LicenseQrView>(endpoints.myLicenseQr(license.id), { method: 'POST' })
      setQr({ ...next, fetchedAt: Date.now() })
    } catch (problem) {
      setQr(undefined)
      setError(problem)
    } finally {
      setBusy(false)
    }
  }, [license.id])

  useEffect(() => {
    if (!qr) return
    const lifetime = Date.parse(qr.expiresAt) - qr.fetchedAt
    const margin = Math.min(30_000, lifetime / 5)
    const timer = window.setTimeout(
      () => void refresh(),
      Math.max(1000, Date.parse(qr.expiresAt) - Date.now() - margin),
    )
    const tick = window.setInterval(() => setNow(Date.now()), 1000)
    return () => {
      window.clearTimeout(timer)
      window.clearInterval(tick)
    }
  }, [qr, refresh])

  if (license.status !== 'valid') {
    return <Alert type="warning" showIcon title={t('wallet.qrOnlyValid')} />
  }
  if (!qr) {
    return (
      <div className="license-qr">
        <p className="result-meta">{t('wallet.qrIntro')}</p>
        <Button type="primary" size="large" icon={<QrcodeOutlined />} loading={busy} onClick={refresh}>
          {t('wallet.showQr')}
        </Button>
        <ProblemAlert error={error} />
      </div>
    )
  }
  const left = secondsUntil(qr.expiresAt, now)
  return (
    <div className="license-qr" data-testid="license-qr">
      <QRCodeSVG
        value={qr.url}
        size={220}
        marginSize={2}
        level="M"
        title={t('wallet.qrAlt', { name: license.typeName })}
        className="license-qr-code"
      />
      <p className="result-meta" data-testid="qr-expiry">
        {t('wallet.qrExpires', {
          time: new Date(qr.expiresAt).toLocaleTimeString('zh-CN', { hour12: false }),
          seconds: left,
        })}
      </p>
      <label className="license-qr-label" htmlFor="qr-token">
        {t('wallet.qrToken')}
      </label>
      <Input.TextArea
        id="qr-token"
        readOnly
        value={qr.url}
        autoSize={{ minRows: 2, maxRows: 4 }}
        data-testid="qr-token"
        onFocus={(event) => event.target.select()}
      />
      <Button icon={<ReloadOutlined />} loading={busy} onClick={refresh}>
        {t('wallet.refreshQr')}
      </Button>
      <ProblemAlert error={error} />
    </div>
  )
}

function WalletDetail() {
  const t = useT()
  const { language } = usePreferences()
  const { licenseId = '' } = useParams()
  const query = useApiQuery<LicenseView>(endpoints.myLicense(licenseId))
  const type = useApiQuery<LicenseTypeDefinition>(
    query.data ? endpoints.licenseType(query.data.typeCode) : null,
  )
  const [downloadError, setDownloadError] = useState<unknown>()
  const [downloading, setDownloading] = useState<'pdf' | 'signed'>()
  const titles = fieldTitles(type.data)

  async function download(kind: 'pdf' | 'signed', license: LicenseView) {
    setDownloading(kind)
    setDownloadError(undefined)
    try {
      await downloadFile(
        kind === 'pdf' ? endpoints.myLicensePdf(license.id) : endpoints.myLicenseSigned(license.id),
        `${license.typeName}-${license.licenseNo}.${kind === 'pdf' ? 'pdf' : 'json'}`,
      )
    } catch (problem) {
      setDownloadError(problem)
    } finally {
      setDownloading(undefined)
    }
  }

  return (
    <div className="container page">
      <p>
        <Link to="/me/licenses">{t('wallet.back')}</Link>
      </p>
      <DataState query={query}>
        {(license) => (
          <>
            <h1 className="page-title">{license.typeName}</h1>
            <p className="page-intro">
              {t('license.no')}{' '}
              <strong className="license-no" data-testid="license-no">
                {license.licenseNo}
              </strong>
            </p>
            <div className="license-detail">
              <section className="portal-section" aria-labelledby="license-facts">
                <h2 id="license-facts" className="section-title">
                  {t('wallet.facts')}
                </h2>
                <Descriptions
                  bordered
                  size="small"
                  column={1}
                  items={[
                    {
                      key: 'status',
                      label: t('license.statusLabel'),
                      children: <LicenseStatusTag status={license.status} />,
                    },
                    { key: 'holder', label: t('license.holder'), children: license.holder.name },
                    { key: 'issuer', label: t('license.issuer'), children: license.issuer.name },
                    {
                      key: 'issued',
                      label: t('license.issuedAt'),
                      children: new Date(license.issuedAt).toLocaleDateString(language),
                    },
                    { key: 'validity', label: t('license.validity'), children: validity(t, license) },
                    ...orderedFields(license.fields, titles).map(([name, value]) => ({
                      key: `f-${name}`,
                      label: titles[name] ?? name,
                      children: String(value),
                    })),
                  ]}
                />
                <div className="form-actions license-downloads">
                  {PDF_DOWNLOAD ? (
                    <Button
                      icon={<DownloadOutlined />}
                      loading={downloading === 'pdf'}
                      onClick={() => void download('pdf', license)}
                    >
                      {t('wallet.downloadPdf')}
                    </Button>
                  ) : null}
                  <Button
                    icon={<DownloadOutlined />}
                    loading={downloading === 'signed'}
                    onClick={() => void download('signed', license)}
                  >
                    {t('wallet.downloadSigned')}
                  </Button>
                </div>
                <ProblemAlert error={downloadError} />
                <CredentialExport license={license} />
              </section>
              <section className="portal-section" aria-labelledby="license-show">
                <h2 id="license-show" className="section-title">
                  {t('wallet.show')}
                </h2>
                <LicenseQr license={license} />
              </section>
            </div>
            <LicenseGrants license={license} />
            <LicenseUses license={license} />
          </>
        )}
      </DataState>
    </div>
  )
}

/** /me/licenses: 我的证照, the wallet of the person and the companies they act for; one license with its QR. */
export default function Wallet() {
  return (
    <RequireLogin>
      <Routes>
        <Route index element={<WalletList />} />
        <Route path=":licenseId" element={<WalletDetail />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </RequireLogin>
  )
}
