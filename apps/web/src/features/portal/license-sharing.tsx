import { ExportOutlined } from '@ant-design/icons'
import type {
  DepartmentView,
  LicenseCredentialView,
  LicenseGrantView,
  LicenseReadView,
  LicenseView,
} from '@tongban/contracts'
import { Alert, Button, Popconfirm, Table, Tag } from 'antd'
import { useState } from 'react'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { type Translate, usePreferences, useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'

/** A department's name, fetched once per id (grants and reads carry only the id). */
function DepartmentName({ id }: { id: string | null }) {
  const t = useT()
  const query = useApiQuery<DepartmentView>(id ? endpoints.department(id) : null)
  if (!id) return <>—</>
  return <>{query.data?.name ?? t('sharing.scope.department')}</>
}

/** A grant's state in words: 有效, 已撤回 or 已到期. */
function grantState(t: Translate, grant: LicenseGrantView): { label: string; colour: string } {
  if (grant.active) return { label: t('sharing.active'), colour: 'green' }
  if (grant.withdrawnAt) return { label: t('sharing.withdrawn'), colour: 'default' }
  return { label: t('sharing.expired'), colour: 'orange' }
}

/** 用证授权: the license's grants, each with its purpose, scope and end, and a withdraw button. */
export function LicenseGrants({ license }: { license: LicenseView }) {
  const t = useT()
  const { language } = usePreferences()
  const query = useApiQuery<{ items: LicenseGrantView[] }>(endpoints.myLicenseGrants(license.id))
  const [error, setError] = useState<unknown>()

  async function withdraw(grant: LicenseGrantView) {
    setError(undefined)
    try {
      await apiFetch(endpoints.myLicenseGrant(license.id, grant.id), { method: 'DELETE' })
      query.reload()
    } catch (problem) {
      setError(problem)
    }
  }

  return (
    <section className="portal-section" aria-labelledby="license-grants">
      <h2 id="license-grants" className="section-title">
        {t('sharing.grants')}
      </h2>
      <p className="result-meta">{t('sharing.grantsIntro')}</p>
      <ProblemAlert error={error} />
      <DataState query={query} isEmpty={(list) => list.items.length === 0} emptyText={t('sharing.noGrants')}>
        {(list) => (
          <Table<LicenseGrantView>
            rowKey="id"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={list.items}
            data-testid="license-grants"
            columns={[
              { key: 'purpose', title: t('sharing.purpose'), dataIndex: 'purpose' },
              {
                key: 'scope',
                title: t('sharing.scope'),
                render: (_, grant) =>
                  grant.caseId ? (
                    <>
                      <DepartmentName id={grant.departmentId} />{' '}
                      <span className="result-meta">
                        {t('sharing.scope.case', { caseId: grant.caseId.slice(0, 8) })}
                      </span>
                    </>
                  ) : (
                    <DepartmentName id={grant.departmentId} />
                  ),
              },
              {
                key: 'until',
                title: t('sharing.until'),
                render: (_, grant) => new Date(grant.validUntil).toLocaleDateString(language),
              },
              {
                key: 'state',
                title: t('sharing.state'),
                render: (_, grant) => {
                  const state = grantState(t, grant)
                  return <Tag color={state.colour}>{state.label}</Tag>
                },
              },
              {
                key: 'action',
                title: '',
                render: (_, grant) =>
                  grant.active ? (
                    <Popconfirm
                      title={t('sharing.withdrawConfirm')}
                      onConfirm={() => withdraw(grant)}
                      okText={t('sharing.withdraw')}
                    >
                      <Button danger size="small">
                        {t('sharing.withdraw')}
                      </Button>
                    </Popconfirm>
                  ) : null,
              },
            ]}
          />
        )}
      </DataState>
    </section>
  )
}

/** 谁用过我的证照: every read of the license through a grant. */
export function LicenseUses({ license }: { license: LicenseView }) {
  const t = useT()
  const { language } = usePreferences()
  const query = useApiQuery<{ items: LicenseReadView[] }>(endpoints.myLicenseUses(license.id))
  return (
    <section className="portal-section" aria-labelledby="license-uses">
      <h2 id="license-uses" className="section-title">
        {t('sharing.uses')}
      </h2>
      <p className="result-meta">{t('sharing.usesIntro')}</p>
      <DataState query={query} isEmpty={(list) => list.items.length === 0} emptyText={t('sharing.noUses')}>
        {(list) => (
          <Table<LicenseReadView>
            rowKey={(use) => `${use.grantId}-${use.readAt}`}
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={list.items}
            data-testid="license-uses"
            columns={[
              {
                key: 'at',
                title: t('sharing.readAt'),
                render: (_, use) => new Date(use.readAt).toLocaleString(language),
              },
              {
                key: 'department',
                title: t('sharing.department'),
                render: (_, use) => use.departmentName ?? '—',
              },
              { key: 'reader', title: t('sharing.reader'), dataIndex: 'readerName' },
              { key: 'purpose', title: t('sharing.purpose'), dataIndex: 'purpose' },
            ]}
          />
        )}
      </DataState>
    </section>
  )
}

/** Saves text as a file the browser downloads. */
function saveText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  URL.revokeObjectURL(url)
}

/** Export as a W3C Verifiable Credential (VC-JWT), saved as a .jwt file. */
export function CredentialExport({ license }: { license: LicenseView }) {
  const t = useT()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [done, setDone] = useState(false)

  async function exportCredential() {
    setBusy(true)
    setError(undefined)
    try {
      const credential = await apiFetch<LicenseCredentialView>(endpoints.myLicenseCredential(license.id))
      saveText(credential.jwt, `${license.typeName}-${license.licenseNo}.vc.jwt`, 'application/vc+jwt')
      setDone(true)
    } catch (problem) {
      setError(problem)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="license-export">
      <p className="result-meta">{t('sharing.exportIntro')}</p>
      <Button icon={<ExportOutlined />} loading={busy} onClick={() => void exportCredential()}>
        {t('sharing.export')}
      </Button>
      {done ? <Alert type="success" showIcon title={t('sharing.exportDone')} /> : null}
      <ProblemAlert error={error} />
    </div>
  )
}
