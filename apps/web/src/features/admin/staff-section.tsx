import type { RoleGrantView, StaffView } from '@tongban/contracts'
import { Alert, Button, Form, Input, Popconfirm, Select, Table, Tag } from 'antd'
import { useState } from 'react'
import { ApiProblem, apiFetch } from '../../api/client.ts'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { type Translate, usePreferences, useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { DataState } from '../../components/data-state.tsx'
import { useShowError } from '../../components/error-display.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'
import { grantsOf, hasRole } from './admin-roles.ts'
import { useRegionDepartments } from './keys-section.tsx'

const ROLES = [
  'window_clerk',
  'reviewer',
  'approver',
  'department_admin',
  'system_admin',
  'security_admin',
  'audit_admin',
] as const
const DEPARTMENT_ROLES: readonly string[] = ['window_clerk', 'reviewer', 'approver', 'department_admin']

/** The name of a staff role (窗口受理人员, 安全管理员 …). */
export function roleLabel(t: Translate, role: string): string {
  return t(`admin.role.${role}` as MessageKey) ?? role
}

interface GrantValues {
  role: string
  departmentId?: string
  regionCode: string
}

/** The security admin's form to grant one role to one staff member; server field errors show beside the fields. */
function GrantForm({ staff, onGranted }: { staff: StaffView; onGranted: () => void }) {
  const t = useT()
  const { language } = usePreferences()
  const { claims } = useAuth()
  const departments = useRegionDepartments('security_admin')
  const [form] = Form.useForm<GrantValues>()
  const role = Form.useWatch('role', form)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const region = grantsOf(claims, 'security_admin')[0]?.regionCode ?? staff.regionCode

  async function grant(values: GrantValues) {
    setBusy(true)
    setError(undefined)
    try {
      const needsDepartment = DEPARTMENT_ROLES.includes(values.role)
      await apiFetch<RoleGrantView>(endpoints.staffRoles(staff.id), {
        method: 'POST',
        body: {
          role: values.role,
          regionCode: values.regionCode.trim(),
          ...(needsDepartment && values.departmentId ? { departmentId: values.departmentId } : {}),
        },
      })
      form.resetFields()
      onGranted()
    } catch (problem) {
      // field errors go beside the fields; a rule's explanation (三员分立 …) is shown above as well
      const { applied } = applyProblemToForm(form, problem, language)
      if (applied.length === 0 || (problem instanceof ApiProblem && problem.problem.details))
        setError(problem)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Form
      form={form}
      layout="inline"
      onFinish={grant}
      initialValues={{
        regionCode: staff.regionCode.startsWith(region.replace(/0+$/, '')) ? staff.regionCode : region,
      }}
      className="grant-form"
      data-testid={`grant-form-${staff.username}`}
    >
      <Form.Item
        name="role"
        label={t('admin.staff.role')}
        rules={[{ required: true, message: t('admin.required.role') }]}
      >
        <Select
          className="admin-select"
          placeholder={t('apply.select')}
          aria-label={t('admin.staff.role')}
          options={ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))}
        />
      </Form.Item>
      {role && DEPARTMENT_ROLES.includes(role) ? (
        <Form.Item
          name="departmentId"
          label={t('admin.department')}
          rules={[{ required: true, message: t('admin.required.department') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            className="admin-select-wide"
            placeholder={t('apply.select')}
            aria-label={t('admin.department')}
            loading={departments.loading}
            options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
      ) : null}
      <Form.Item
        name="regionCode"
        label={t('admin.staff.region')}
        rules={[{ required: true, pattern: /^(\d{6}|\d{12})$/, message: t('admin.required.region') }]}
      >
        <Input className="admin-input-code" maxLength={12} inputMode="numeric" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('admin.staff.grant')}
      </Button>
      <div className="grant-form-feedback" aria-live="polite">
        <ProblemAlert error={error} />
      </div>
    </Form>
  )
}

/**
 * 人员与角色: staff of the admin's region with their role grants. Only the security admin grants and
 * revokes roles (三员分立); the system admin sees the accounts without those controls.
 */
export function StaffSection() {
  const t = useT()
  const { claims } = useAuth()
  const showError = useShowError()
  const query = useApiQuery<Page<StaffView>>(endpoints.staff, { limit: 200 })
  const departments = useRegionDepartments(
    hasRole(claims, 'security_admin') ? 'security_admin' : 'system_admin',
  )
  const mayGrant = hasRole(claims, 'security_admin')
  const [open, setOpen] = useState<string>()
  const [filter, setFilter] = useState('')
  const departmentName = (id: string | null) =>
    id ? (departments.data?.items.find((d) => d.id === id)?.name ?? id) : ''

  async function revoke(staff: StaffView, grant: RoleGrantView) {
    try {
      await apiFetch(endpoints.staffRole(staff.id, grant.id), { method: 'DELETE' })
      query.reload()
    } catch (problem) {
      showError(problem)
    }
  }

  return (
    <>
      <h1 className="page-title">{t('admin.staff.title')}</h1>
      <p className="page-intro">{mayGrant ? t('admin.staff.introSecurity') : t('admin.staff.introOther')}</p>
      {mayGrant ? null : (
        <Alert type="info" showIcon title={t('admin.staff.securityOnly')} className="verify-note" />
      )}
      <Input.Search
        className="admin-filter"
        placeholder={t('admin.staff.filter')}
        aria-label={t('admin.staff.filter')}
        allowClear
        onChange={(event) => setFilter(event.target.value.trim())}
      />
      <DataState query={query} isEmpty={(page) => page.items.length === 0} emptyText={t('admin.empty')}>
        {(page) => (
          <Table<StaffView>
            rowKey="id"
            size="small"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            dataSource={page.items.filter(
              (s) => !filter || s.username.includes(filter) || s.name.includes(filter),
            )}
            expandable={{
              expandedRowKeys: open ? [open] : [],
              showExpandColumn: false,
              expandedRowRender: (staff) => (
                <GrantForm
                  staff={staff}
                  onGranted={() => {
                    setOpen(undefined)
                    query.reload()
                  }}
                />
              ),
            }}
            columns={[
              {
                title: t('admin.staff.name'),
                key: 'name',
                render: (_, s) => (
                  <div className="search-hit-main">
                    <span className="result-name">{s.name}</span>
                    <span className="result-meta">{s.username}</span>
                  </div>
                ),
              },
              { title: t('admin.staff.region'), dataIndex: 'regionCode', key: 'region' },
              {
                title: t('admin.staff.roles'),
                key: 'roles',
                render: (_, s) => (
                  <ul className="grant-list">
                    {s.roles
                      .filter((g) => !g.revokedAt)
                      .map((g) => (
                        <li key={g.id}>
                          <Tag color="blue">{roleLabel(t, g.role)}</Tag>
                          <span className="result-meta">
                            {[departmentName(g.departmentId), g.regionCode].filter(Boolean).join(' · ')}
                          </span>
                          {mayGrant ? (
                            <Popconfirm
                              title={t('admin.staff.revokeConfirm', {
                                role: roleLabel(t, g.role),
                                name: s.name,
                              })}
                              okText={t('admin.staff.revoke')}
                              cancelText={t('admin.cancel')}
                              onConfirm={() => revoke(s, g)}
                            >
                              <Button type="link" size="small" danger>
                                {t('admin.staff.revoke')}
                              </Button>
                            </Popconfirm>
                          ) : null}
                        </li>
                      ))}
                  </ul>
                ),
              },
              {
                title: t('admin.staff.status'),
                key: 'status',
                render: (_, s) => (
                  <span>
                    {s.status === 'active' ? t('admin.staff.active') : t('admin.staff.disabled')}
                    {s.totpEnabled ? ` · ${t('admin.staff.totp')}` : ''}
                  </span>
                ),
              },
              ...(mayGrant
                ? [
                    {
                      title: t('work.col.actions'),
                      key: 'actions',
                      render: (_: unknown, s: StaffView) => (
                        <Button size="small" onClick={() => setOpen(open === s.id ? undefined : s.id)}>
                          {open === s.id ? t('admin.cancel') : t('admin.staff.grant')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </DataState>
    </>
  )
}
