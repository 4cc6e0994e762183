import type { DepartmentView, LicenseKeyView } from '@tongban/contracts'
import { Alert, Button, Form, Select, Table, Tag } from 'antd'
import { useState } from 'react'
import { apiFetch } from '../../api/client.ts'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { DataState } from '../../components/data-state.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { grantsOf, hasRole } from './admin-roles.ts'

/** Departments in the admin's region subtree, for choosing whose keys to generate. */
export function useRegionDepartments(role: string) {
  const { claims } = useAuth()
  const region = grantsOf(claims, role)[0]?.regionCode
  return useApiQuery<Page<DepartmentView>>(region ? endpoints.departments : null, {
    region,
    within: true,
    limit: 200,
  })
}

/** 签名密钥: every department's published license signing keys; the security admin generates or rotates them. */
export function KeysSection() {
  const t = useT()
  const { language } = usePreferences()
  const { claims } = useAuth()
  const keys = useApiQuery<Page<LicenseKeyView>>(endpoints.licenseKeys)
  const mayRotate = hasRole(claims, 'security_admin')
  const departments = useRegionDepartments('security_admin')
  const [form] = Form.useForm<{ departmentId: string }>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [done, setDone] = useState<string>()

  async function rotate({ departmentId }: { departmentId: string }) {
    setBusy(true)
    setError(undefined)
    setDone(undefined)
    try {
      await apiFetch<Page<LicenseKeyView>>(endpoints.rotateLicenseKeys(departmentId), { method: 'POST' })
      setDone(departments.data?.items.find((d) => d.id === departmentId)?.name ?? departmentId)
      keys.reload()
    } catch (problem) {
      setError(problem)
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <h1 className="page-title">{t('admin.keys.title')}</h1>
      <p className="page-intro">{t('admin.keys.intro')}</p>
      {mayRotate ? (
        <Form form={form} layout="inline" onFinish={rotate} className="panel admin-toolbar">
          <Form.Item
            name="departmentId"
            label={t('admin.department')}
            rules={[{ required: true, message: t('admin.required.department') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              className="admin-select-wide"
              placeholder={t('apply.select')}
              loading={departments.loading}
              options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
              aria-label={t('admin.department')}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('admin.keys.rotate')}
          </Button>
        </Form>
      ) : (
        <Alert type="info" showIcon title={t('admin.keys.securityOnly')} className="verify-note" />
      )}
      <div className="page-feedback" aria-live="polite">
        {done ? (
          <Alert type="success" showIcon role="status" title={t('admin.keys.rotated', { name: done })} />
        ) : null}
        <ProblemAlert error={error} />
      </div>
      <DataState query={keys} isEmpty={(page) => page.items.length === 0} emptyText={t('admin.keys.none')}>
        {(page) => (
          <Table<LicenseKeyView>
            rowKey="keyId"
            size="small"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            dataSource={page.items}
            columns={[
              { title: t('admin.department'), dataIndex: 'departmentName', key: 'department' },
              { title: t('admin.keys.algorithm'), dataIndex: 'algorithm', key: 'algorithm' },
              {
                title: t('admin.keys.keyId'),
                key: 'keyId',
                render: (_, key) => <code>{key.keyId}</code>,
              },
              {
                title: t('admin.keys.validFrom'),
                key: 'from',
                render: (_, key) => new Date(key.validFrom).toLocaleString(language),
              },
              {
                title: t('admin.keys.state'),
                key: 'state',
                render: (_, key) =>
                  key.validUntil ? (
                    <Tag>
                      {t('admin.keys.retired', { at: new Date(key.validUntil).toLocaleDateString(language) })}
                    </Tag>
                  ) : (
                    <Tag color="green">{t('admin.keys.current')}</Tag>
                  ),
              },
            ]}
          />
        )}
      </DataState>
    </>
  )
}
