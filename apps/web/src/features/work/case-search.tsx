import { CASE_STATUSES, type CaseSearchResult } from '@tongban/contracts'
import { Button, Form, Input, Select, Table } from 'antd'
import { Link, useSearchParams } from 'react-router'
import { endpoints } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'
import { LevelTag, StatusTag, statusLabel } from '../cases/case-parts.tsx'

const FILTERS = ['caseNo', 'item', 'applicant', 'status', 'from', 'to'] as const
type Filters = Partial<Record<(typeof FILTERS)[number], string>>

/**
 * 办件查询: cases of the staff member's departments and regions by case number, item, applicant
 * (masked names), status and submission dates, with their time limits. Filters live in the URL.
 */
export default function CaseSearchPage() {
  const t = useT()
  const { language } = usePreferences()
  const [params, setParams] = useSearchParams()
  const filters: Filters = Object.fromEntries(
    FILTERS.map((name) => [name, params.get(name) ?? undefined]).filter(([, value]) => value),
  )
  const query = useApiQuery<CaseSearchResult>(endpoints.caseSearch, { ...filters, limit: 50 })
  const [form] = Form.useForm<Filters>()

  return (
    <>
      <h1 className="page-title">{t('work.search.title')}</h1>
      <Form<Filters>
        form={form}
        layout="inline"
        className="panel admin-toolbar"
        initialValues={filters}
        onFinish={(values) => {
          const next = new URLSearchParams()
          for (const name of FILTERS) {
            const value = values[name]?.trim()
            if (value) next.set(name, value)
          }
          setParams(next)
        }}
      >
        <Form.Item name="caseNo" label={t('case.caseNo')}>
          <Input className="admin-input" maxLength={40} />
        </Form.Item>
        <Form.Item name="item" label={t('case.item')}>
          <Input className="admin-input" maxLength={100} />
        </Form.Item>
        <Form.Item name="applicant" label={t('work.search.applicant')}>
          <Input className="admin-input" maxLength={50} />
        </Form.Item>
        <Form.Item name="status" label={t('case.status')}>
          <Select
            allowClear
            className="admin-select"
            placeholder={t('search.any')}
            aria-label={t('case.status')}
            options={CASE_STATUSES.map((status) => ({ value: status, label: statusLabel(t, status) }))}
          />
        </Form.Item>
        <Form.Item name="from" label={t('work.search.from')}>
          <Input type="date" className="admin-input-date" />
        </Form.Item>
        <Form.Item name="to" label={t('work.search.to')}>
          <Input type="date" className="admin-input-date" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('admin.audit.search')}
        </Button>
      </Form>
      <DataState
        query={query}
        isEmpty={(result) => result.items.length === 0}
        emptyText={t('work.search.none')}
      >
        {(result) => (
          <>
            <p className="result-total">{t('search.total', { total: result.total })}</p>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={result.items}
              columns={[
                {
                  title: t('work.col.case'),
                  key: 'case',
                  render: (_, item) => (
                    <div className="search-hit-main">
                      <Link className="result-name" to={`/work/cases/${item.id}`}>
                        {item.itemName}
                      </Link>
                      <span className="result-meta">{item.caseNo}</span>
                    </div>
                  ),
                },
                {
                  title: t('work.search.applicant'),
                  key: 'applicant',
                  render: (_, item) => item.applicant.name ?? '—',
                },
                {
                  title: t('case.status'),
                  key: 'status',
                  render: (_, item) => <StatusTag status={item.status} />,
                },
                {
                  title: t('work.col.limit'),
                  key: 'limit',
                  render: (_, item) => <LevelTag level={item.timeLimit.level} />,
                },
                {
                  title: t('case.submittedAt'),
                  key: 'submitted',
                  render: (_, item) => new Date(item.submittedAt).toLocaleString(language),
                },
              ]}
            />
          </>
        )}
      </DataState>
    </>
  )
}
