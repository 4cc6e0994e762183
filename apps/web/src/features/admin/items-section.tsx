import type { GuideContent, GuideDraftView, ImplementationView, PublishedGuideView } from '@tongban/contracts'
import { Alert, Button, Form, Input, InputNumber, Table, Tag } from 'antd'
import { useState } from 'react'
import { ApiProblem, apiFetch } from '../../api/client.ts'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { DataState } from '../../components/data-state.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { grantsOf } from './admin-roles.ts'

interface DraftValues {
  promisedLimit: number
  visits: number
  consultationPhone: string
  conditions: string
  comment?: string
}

/** The server's field paths of a draft are under /content; the form edits a few of them. */
function contentPathsToForm(error: unknown): unknown {
  if (!(error instanceof ApiProblem)) return error
  return new ApiProblem({
    ...error.problem,
    errors: error.fieldErrors.map((e) => ({ ...e, path: e.path.replace(/^\/content/, '') })),
  })
}

/**
 * 办事指南草稿: edit the main facts of a guide as a draft, submit it for review (送审), and publish it as
 * the next immutable version (审核发布). The catalog checks the rules (promised ≤ legal limit …).
 */
function DraftEditor({
  implementation,
  onPublished,
}: {
  implementation: ImplementationView
  onPublished: () => void
}) {
  const t = useT()
  const { language } = usePreferences()
  const draft = useApiQuery<GuideDraftView>(endpoints.guideDraft(implementation.id))
  const [form] = Form.useForm<DraftValues>()
  const [busy, setBusy] = useState<'create' | 'save' | 'submit' | 'publish'>()
  const [error, setError] = useState<unknown>()
  const [notice, setNotice] = useState<string>()
  const missing = draft.error instanceof ApiProblem && draft.error.status === 404

  async function run(
    kind: 'create' | 'save' | 'submit' | 'publish',
    action: () => Promise<unknown>,
    done: string,
  ) {
    setBusy(kind)
    setError(undefined)
    setNotice(undefined)
    try {
      await action()
      setNotice(done)
      draft.reload()
    } catch (problem) {
      const { applied } = applyProblemToForm(form, contentPathsToForm(problem), language)
      if (applied.length === 0) setError(problem)
    } finally {
      setBusy(undefined)
    }
  }

  const createFromPublished = () =>
    run(
      'create',
      async () => {
        const published = await apiFetch<PublishedGuideView>(endpoints.guide(implementation.id))
        await apiFetch(endpoints.guideDraft(implementation.id), {
          method: 'PUT',
          body: { content: published.content },
        })
      },
      t('admin.items.created'),
    )

  if (missing) {
    return (
      <div className="panel admin-form">
        <p>{t('admin.items.noDraft')}</p>
        <Button
          type="primary"
          loading={busy === 'create'}
          onClick={() => void createFromPublished()}
          disabled={implementation.publishedVersion === null}
        >
          {t('admin.items.createDraft')}
        </Button>
        <ProblemAlert error={error} />
      </div>
    )
  }

  return (
    <DataState query={draft}>
      {(current) => {
        const content: GuideContent = current.content
        const submitted = current.status === 'submitted'
        const save = (values: DraftValues) =>
          run(
            'save',
            () =>
              apiFetch(endpoints.guideDraft(implementation.id), {
                method: 'PUT',
                body: {
                  revision: current.revision,
                  content: {
                    ...content,
                    promisedLimit: values.promisedLimit,
                    visits: values.visits,
                    consultationPhone: values.consultationPhone.trim(),
                    conditions: values.conditions.trim(),
                  },
                },
              }),
            t('admin.items.saved'),
          )
        return (
          <Form
            key={current.revision}
            form={form}
            layout="vertical"
            onFinish={save}
            className="panel admin-form"
            initialValues={{
              promisedLimit: content.promisedLimit,
              visits: content.visits,
              consultationPhone: content.consultationPhone,
              conditions: content.conditions,
            }}
          >
            <h2 className="section-title">
              {t('admin.items.draftOf', { name: implementation.name })}{' '}
              <Tag color={submitted ? 'orange' : 'blue'} data-testid="draft-status">
                {submitted ? t('admin.items.submitted') : t('admin.items.draft')}
              </Tag>
            </h2>
            <p className="result-meta">
              {t('admin.items.revision', { n: current.revision })} ·{' '}
              {t('admin.items.legalLimit', { n: content.legalLimit })}
            </p>
            <Form.Item
              name="promisedLimit"
              label={t('admin.items.promisedLimit')}
              rules={[{ required: true }]}
            >
              <InputNumber
                min={0}
                max={3650}
                precision={0}
                className="admin-input-code"
                disabled={submitted}
              />
            </Form.Item>
            <Form.Item name="visits" label={t('admin.items.visits')} rules={[{ required: true }]}>
              <InputNumber min={0} max={10} precision={0} className="admin-input-code" disabled={submitted} />
            </Form.Item>
            <Form.Item name="consultationPhone" label={t('admin.items.phone')} rules={[{ required: true }]}>
              <Input maxLength={40} disabled={submitted} />
            </Form.Item>
            <Form.Item name="conditions" label={t('admin.items.conditions')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} maxLength={4000} disabled={submitted} />
            </Form.Item>
            {submitted ? (
              <Form.Item name="comment" label={t('admin.items.publishComment')}>
                <Input maxLength={500} />
              </Form.Item>
            ) : null}
            <div className="page-feedback" aria-live="polite">
              {notice ? <Alert type="success" showIcon role="status" title={notice} /> : null}
              <ProblemAlert error={error} />
            </div>
            <div className="form-actions">
              {submitted ? (
                <Button
                  type="primary"
                  loading={busy === 'publish'}
                  onClick={() =>
                    void run(
                      'publish',
                      async () => {
                        const comment = form.getFieldValue('comment') as string | undefined
                        await apiFetch(endpoints.guidePublish(implementation.id), {
                          method: 'POST',
                          body: {
                            revision: current.revision,
                            ...(comment?.trim() ? { comment: comment.trim() } : {}),
                          },
                        })
                        onPublished()
                      },
                      t('admin.items.published'),
                    )
                  }
                >
                  {t('admin.items.publish')}
                </Button>
              ) : (
                <>
                  <Button htmlType="submit" loading={busy === 'save'}>
                    {t('admin.save')}
                  </Button>
                  <Button
                    type="primary"
                    loading={busy === 'submit'}
                    onClick={() =>
                      void run(
                        'submit',
                        () =>
                          apiFetch(endpoints.guideDraftSubmit(implementation.id), {
                            method: 'POST',
                            body: { revision: current.revision },
                          }),
                        t('admin.items.submittedNotice'),
                      )
                    }
                  >
                    {t('admin.items.submit')}
                  </Button>
                </>
              )}
            </div>
          </Form>
        )
      }}
    </DataState>
  )
}

/** 事项管理: the implementations (实施清单) of the admin's department or region, with their guide drafts. */
export function ItemsSection() {
  const t = useT()
  const { claims } = useAuth()
  const departmentGrant = grantsOf(claims, 'department_admin')[0]
  const systemGrant = grantsOf(claims, 'system_admin')[0]
  const query = useApiQuery<Page<ImplementationView>>(endpoints.implementations, {
    limit: 200,
    ...(departmentGrant?.departmentId
      ? { department: departmentGrant.departmentId }
      : { region: systemGrant?.regionCode ?? departmentGrant?.regionCode }),
  })
  const [selected, setSelected] = useState<string>()
  const [filter, setFilter] = useState('')

  return (
    <>
      <h1 className="page-title">{t('admin.itemsTitle')}</h1>
      <p className="page-intro">{t('admin.items.intro')}</p>
      <Input.Search
        className="admin-filter"
        placeholder={t('admin.items.filter')}
        aria-label={t('admin.items.filter')}
        allowClear
        onChange={(event) => setFilter(event.target.value.trim())}
      />
      <DataState query={query} isEmpty={(page) => page.items.length === 0} emptyText={t('admin.empty')}>
        {(page) => {
          const implementation = page.items.find((item) => item.id === selected)
          return (
            <>
              <Table<ImplementationView>
                rowKey="id"
                size="small"
                pagination={{ pageSize: 15, hideOnSinglePage: true }}
                scroll={{ x: 'max-content' }}
                dataSource={page.items.filter((item) => !filter || item.name.includes(filter))}
                columns={[
                  {
                    title: t('admin.items.name'),
                    key: 'name',
                    render: (_, item) => (
                      <div className="search-hit-main">
                        <span className="result-name">{item.name}</span>
                        <span className="result-meta">{item.implementationCode}</span>
                      </div>
                    ),
                  },
                  { title: t('admin.department'), dataIndex: 'departmentName', key: 'department' },
                  {
                    title: t('admin.items.version'),
                    key: 'version',
                    render: (_, item) =>
                      item.publishedVersion ? `v${item.publishedVersion}` : t('admin.items.unpublished'),
                  },
                  {
                    title: t('work.col.actions'),
                    key: 'actions',
                    render: (_, item) => (
                      <Button
                        size="small"
                        onClick={() => setSelected(selected === item.id ? undefined : item.id)}
                      >
                        {selected === item.id ? t('admin.cancel') : t('admin.items.editGuide')}
                      </Button>
                    ),
                  },
                ]}
              />
              {implementation ? (
                <DraftEditor
                  key={implementation.id}
                  implementation={implementation}
                  onPublished={() => query.reload()}
                />
              ) : null}
            </>
          )
        }}
      </DataState>
    </>
  )
}
