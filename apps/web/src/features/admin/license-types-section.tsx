import type { LicenseTypeDefinition } from '@tongban/contracts'
import { Alert, Button, Checkbox, Descriptions, Form, Input, InputNumber, Select, Table, Tag } from 'antd'
import { useState } from 'react'
import { apiFetch } from '../../api/client.ts'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { type Translate, usePreferences, useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { DataState } from '../../components/data-state.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'
import { hasRole } from './admin-roles.ts'

interface TypeValues {
  name: string
  tokenMinutes: number
  disclosableFields: string[]
  status: 'active' | 'retired'
}

function titlesOf(type: LicenseTypeDefinition): { name: string; title: string }[] {
  const properties =
    (type.fieldsSchema as { properties?: Record<string, { title?: string }> } | undefined)?.properties ?? {}
  return Object.entries(properties).map(([name, p]) => ({ name, title: p.title ?? name }))
}

function validityText(t: Translate, type: LicenseTypeDefinition): string {
  if (type.validityKind === 'fixed' && type.validityMonths)
    return t('admin.types.validityMonths', { n: type.validityMonths })
  return t(`admin.types.validity.${type.validityKind}` as MessageKey) ?? type.validityKind
}

/** The department admin's edit of a type: name, what a verifier may see, token lifetime, retirement. */
function TypeEditor({ type, onSaved }: { type: LicenseTypeDefinition; onSaved: () => void }) {
  const t = useT()
  const { language } = usePreferences()
  const [form] = Form.useForm<TypeValues>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()

  async function save(values: TypeValues) {
    setBusy(true)
    setError(undefined)
    try {
      await apiFetch<LicenseTypeDefinition>(endpoints.licenseType(type.code), {
        method: 'PUT',
        body: {
          name: values.name.trim(),
          status: values.status,
          validityKind: type.validityKind,
          validityMonths: type.validityMonths,
          fieldsSchema: type.fieldsSchema,
          disclosableFields: values.disclosableFields,
          displayTemplate: type.displayTemplate,
          issuanceMap: type.issuanceMap,
          tokenMinutes: values.tokenMinutes,
          version: type.version,
        },
      })
      onSaved()
    } catch (problem) {
      const { applied } = applyProblemToForm(form, problem, language)
      if (applied.length === 0) setError(problem)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={save}
      className="panel admin-form"
      initialValues={{
        name: type.name,
        tokenMinutes: type.tokenMinutes,
        disclosableFields: type.disclosableFields,
        status: type.status === 'retired' ? 'retired' : 'active',
      }}
    >
      <h2 className="section-title">{t('admin.types.edit', { name: type.name })}</h2>
      <Form.Item
        name="name"
        label={t('admin.types.name')}
        rules={[{ required: true, min: 2, message: t('admin.required.name') }]}
      >
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item
        name="disclosableFields"
        label={t('admin.types.disclosable')}
        extra={t('admin.types.disclosableHint')}
      >
        <Checkbox.Group options={titlesOf(type).map((f) => ({ value: f.name, label: f.title }))} />
      </Form.Item>
      <Form.Item name="tokenMinutes" label={t('admin.types.tokenMinutes')} rules={[{ required: true }]}>
        <InputNumber min={1} max={60} precision={0} className="admin-input-code" />
      </Form.Item>
      <Form.Item name="status" label={t('admin.types.status')}>
        <Select
          className="admin-select"
          aria-label={t('admin.types.status')}
          options={[
            { value: 'active', label: t('admin.types.active') },
            { value: 'retired', label: t('admin.types.retired') },
          ]}
        />
      </Form.Item>
      <ProblemAlert error={error} />
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('admin.save')}
      </Button>
    </Form>
  )
}

/** 证照类型: every license type with its definition; department admins edit the types their department kind issues. */
export function LicenseTypesSection() {
  const t = useT()
  const { claims } = useAuth()
  const query = useApiQuery<Page<LicenseTypeDefinition>>(endpoints.licenseTypes)
  const mayEdit = hasRole(claims, 'department_admin')
  const [selected, setSelected] = useState<string>()
  const [saved, setSaved] = useState<string>()

  return (
    <>
      <h1 className="page-title">{t('admin.types.title')}</h1>
      <p className="page-intro">{t('admin.types.intro')}</p>
      {saved ? (
        <Alert
          type="success"
          showIcon
          role="status"
          title={t('admin.savedName', { name: saved })}
          className="verify-note"
        />
      ) : null}
      <DataState query={query} isEmpty={(page) => page.items.length === 0} emptyText={t('admin.empty')}>
        {(page) => {
          const type = page.items.find((item) => item.code === selected)
          return (
            <>
              <Table<LicenseTypeDefinition>
                rowKey="code"
                size="small"
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                scroll={{ x: 'max-content' }}
                dataSource={page.items}
                columns={[
                  {
                    title: t('admin.types.name'),
                    key: 'name',
                    render: (_, item) => (
                      <div className="search-hit-main">
                        <span className="result-name">{item.name}</span>
                        <span className="result-meta">{item.code}</span>
                      </div>
                    ),
                  },
                  {
                    title: t('admin.types.holder'),
                    key: 'holder',
                    render: (_, item) =>
                      t(item.holderKind === 'company' ? 'admin.types.company' : 'admin.types.person'),
                  },
                  {
                    title: t('admin.types.validity'),
                    key: 'validity',
                    render: (_, item) => validityText(t, item),
                  },
                  {
                    title: t('admin.types.disclosable'),
                    key: 'disclosable',
                    render: (_, item) => {
                      const titles = Object.fromEntries(titlesOf(item).map((f) => [f.name, f.title]))
                      return item.disclosableFields.map((f) => titles[f] ?? f).join('、') || '—'
                    },
                  },
                  {
                    title: t('admin.types.status'),
                    key: 'status',
                    render: (_, item) => (
                      <Tag color={item.status === 'active' ? 'green' : 'default'}>
                        {item.status === 'active' ? t('admin.types.active') : t('admin.types.retired')}
                      </Tag>
                    ),
                  },
                  {
                    title: t('work.col.actions'),
                    key: 'actions',
                    render: (_, item) => (
                      <Button
                        size="small"
                        onClick={() => setSelected(selected === item.code ? undefined : item.code)}
                      >
                        {mayEdit ? t('admin.edit') : t('admin.view')}
                      </Button>
                    ),
                  },
                ]}
              />
              {type && mayEdit ? (
                <TypeEditor
                  key={`${type.code}-${type.version}`}
                  type={type}
                  onSaved={() => {
                    setSaved(type.name)
                    setSelected(undefined)
                    query.reload()
                  }}
                />
              ) : type ? (
                <Descriptions
                  bordered
                  size="small"
                  column={1}
                  className="portal-section"
                  items={[
                    { key: 'code', label: t('admin.types.code'), children: type.code },
                    {
                      key: 'fields',
                      label: t('admin.types.fields'),
                      children: titlesOf(type)
                        .map((f) => f.title)
                        .join('、'),
                    },
                    { key: 'token', label: t('admin.types.tokenMinutes'), children: type.tokenMinutes },
                    {
                      key: 'template',
                      label: t('admin.types.template'),
                      children: <pre className="audit-details">{type.displayTemplate}</pre>,
                    },
                  ]}
                />
              ) : null}
            </>
          )
        }}
      </DataState>
    </>
  )
}
