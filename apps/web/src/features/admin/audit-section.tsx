import type { AuditEntryView } from '@tongban/contracts'
import { Button, Form, Input, Table, Tag } from 'antd'
import { useState } from 'react'
import { endpoints } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'

interface AuditPage {
  items: AuditEntryView[]
  nextBeforeSeq: number | null
}

interface AuditFilter {
  action?: string
  resourceType?: string
  resourceId?: string
  actorId?: string
}

const OUTCOME_COLOURS: Record<string, string> = { success: 'green', failure: 'orange', denied: 'red' }

/**
 * 审计日志: the hash-chained audit log, newest first, for the audit admin alone (the API refuses everyone
 * else, and reading it is itself audited). Filters by action, resource and actor; pages backwards.
 */
export function AuditSection() {
  const t = useT()
  const { language } = usePreferences()
  const [filter, setFilter] = useState<AuditFilter>({})
  const [pages, setPages] = useState<number[]>([])
  const beforeSeq = pages.at(-1)
  const query = useApiQuery<AuditPage>(endpoints.audit, { ...filter, limit: 50, beforeSeq })

  return (
    <>
      <h1 className="page-title">{t('admin.audit.title')}</h1>
      <p className="page-intro">{t('admin.audit.intro')}</p>
      <Form<AuditFilter>
        layout="inline"
        className="panel admin-toolbar"
        onFinish={(values) => {
          const next: AuditFilter = {}
          for (const [key, value] of Object.entries(values)) {
            if (typeof value === 'string' && value.trim()) next[key as keyof AuditFilter] = value.trim()
          }
          setPages([])
          setFilter(next)
        }}
      >
        <Form.Item name="action" label={t('admin.audit.action')}>
          <Input placeholder="case.accept" className="admin-input" />
        </Form.Item>
        <Form.Item name="resourceType" label={t('admin.audit.resourceType')}>
          <Input placeholder="case" className="admin-input" />
        </Form.Item>
        <Form.Item name="resourceId" label={t('admin.audit.resourceId')}>
          <Input className="admin-input" />
        </Form.Item>
        <Form.Item name="actorId" label={t('admin.audit.actor')}>
          <Input className="admin-input" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('admin.audit.search')}
        </Button>
      </Form>
      <DataState query={query} isEmpty={(page) => page.items.length === 0} emptyText={t('admin.audit.none')}>
        {(page) => (
          <>
            <Table<AuditEntryView>
              rowKey="seq"
              size="small"
              className="audit-table"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={page.items}
              expandable={{
                expandedRowRender: (entry) => (
                  <pre className="audit-details">{JSON.stringify(entry.details, null, 2)}</pre>
                ),
                rowExpandable: (entry) => Object.keys(entry.details).length > 0,
              }}
              columns={[
                { title: '#', dataIndex: 'seq', key: 'seq' },
                {
                  title: t('admin.audit.time'),
                  key: 'time',
                  render: (_, e) => new Date(e.occurredAt).toLocaleString(language),
                },
                { title: t('admin.audit.action'), key: 'action', render: (_, e) => <code>{e.action}</code> },
                {
                  title: t('admin.audit.outcome'),
                  key: 'outcome',
                  render: (_, e) => (
                    <Tag color={OUTCOME_COLOURS[e.outcome] ?? 'default'}>
                      {t(
                        `admin.audit.outcome.${e.outcome === 'success' || e.outcome === 'failure' || e.outcome === 'denied' ? e.outcome : 'other'}`,
                      )}
                    </Tag>
                  ),
                },
                {
                  title: t('admin.audit.actor'),
                  key: 'actor',
                  render: (_, e) =>
                    `${t(`admin.audit.kind.${e.actorKind === 'staff' || e.actorKind === 'system' ? e.actorKind : 'user'}`)} ${e.actorId ?? ''}`,
                },
                {
                  title: t('admin.audit.resource'),
                  key: 'resource',
                  render: (_, e) => [e.resourceType, e.resourceId].filter(Boolean).join(' '),
                },
                { title: t('admin.audit.region'), key: 'region', render: (_, e) => e.regionCode ?? '' },
                { title: 'IP', key: 'ip', render: (_, e) => e.ip ?? '' },
              ]}
            />
            <div className="form-actions admin-pager">
              <Button disabled={pages.length === 0} onClick={() => setPages((p) => p.slice(0, -1))}>
                {t('admin.audit.newer')}
              </Button>
              <Button
                disabled={page.nextBeforeSeq === null}
                onClick={() =>
                  page.nextBeforeSeq !== null && setPages((p) => [...p, page.nextBeforeSeq as number])
                }
              >
                {t('admin.audit.older')}
              </Button>
            </div>
          </>
        )}
      </DataState>
    </>
  )
}
