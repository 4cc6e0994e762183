import type {
  DepartmentView,
  ItemProcessingTimeList,
  SupervisionCase,
  SupervisionCaseList,
} from '@tongban/contracts'
import { Segmented, Select, Table } from 'antd'
import { useState } from 'react'
import { Link } from 'react-router'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { type Translate, usePreferences, useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { DataState } from '../../components/data-state.tsx'
import { pickLocalized } from '../../i18n/i18n.ts'
import { LevelTag } from '../cases/case-parts.tsx'
import './supervision.css'

type LevelFilter = 'red' | 'yellow' | 'all'

/** The region a staff member supervises: that of their first role grant (their own region). */
function useSupervisedRegion(): string | undefined {
  const { claims } = useAuth()
  return claims?.roles?.[0]?.regionCode
}

/** 剩余 n 个工作日, or 已超期 n 个工作日 — never a negative "left". */
export function daysText(t: Translate, days: number | null): string {
  if (days === null) return '—'
  return days >= 0 ? t('case.daysLeft', { n: days }) : t('case.daysOverdue', { n: -days })
}

/** The red and yellow cards, counted by level, and the filtered list of open cases. */
function WarningCases({ region, department }: { region: string | undefined; department?: string }) {
  const t = useT()
  const { language } = usePreferences()
  const [level, setLevel] = useState<LevelFilter>('all')
  const query = useApiQuery<SupervisionCaseList>(endpoints.supervisionCases, {
    ...(region ? { region } : {}),
    ...(department ? { department } : {}),
    ...(level === 'all' ? {} : { level }),
    limit: 200,
  })
  const counts = query.data?.counts ?? {}
  return (
    <section className="portal-section" aria-labelledby="supervision-cases">
      <h2 id="supervision-cases" className="section-title">
        {t('supervision.cases')}
      </h2>
      <ul className="supervision-counts" data-testid="supervision-counts">
        {(['red', 'yellow', 'green', 'paused'] as const).map((name) => (
          <li key={name} className={`supervision-count level-${name}`} data-level={name}>
            <LevelTag level={name} />
            <strong>{counts[name] ?? 0}</strong>
          </li>
        ))}
      </ul>
      <Segmented<LevelFilter>
        value={level}
        onChange={setLevel}
        aria-label={t('supervision.level')}
        options={[
          { value: 'all', label: t('supervision.level.all') },
          { value: 'red', label: t('case.level.red') },
          { value: 'yellow', label: t('case.level.yellow') },
        ]}
      />
      <DataState
        query={query}
        isEmpty={(list) => list.items.length === 0}
        emptyText={t('supervision.noCases')}
      >
        {(list) => (
          <Table<SupervisionCase>
            rowKey="id"
            size="small"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            dataSource={list.items}
            data-testid="supervision-list"
            columns={[
              {
                key: 'caseNo',
                title: t('supervision.caseNo'),
                render: (_, row) => <Link to={`/work/cases/${row.id}`}>{row.caseNo}</Link>,
              },
              { key: 'item', title: t('case.item'), dataIndex: 'itemName' },
              {
                key: 'level',
                title: t('supervision.level'),
                render: (_, row) => <LevelTag level={row.level} />,
              },
              {
                key: 'left',
                title: t('supervision.left'),
                render: (_, row) => daysText(t, row.workingDaysLeft),
              },
              {
                key: 'deadline',
                title: t('supervision.deadline'),
                render: (_, row) => row.promisedDeadline ?? row.legalDeadline ?? '—',
              },
              {
                key: 'warning',
                title: t('supervision.warning'),
                render: (_, row) => (row.warning ? pickLocalized(row.warning, language) : ''),
              },
            ]}
          />
        )}
      </DataState>
    </section>
  )
}

/** 平均办理时间: the average working days from acceptance to completion, per item. */
function ProcessingTimes({ region, department }: { region: string | undefined; department?: string }) {
  const t = useT()
  const query = useApiQuery<ItemProcessingTimeList>(endpoints.supervisionItems, {
    ...(region ? { region } : {}),
    ...(department ? { department } : {}),
  })
  return (
    <section className="portal-section" aria-labelledby="supervision-items">
      <h2 id="supervision-items" className="section-title">
        {t('supervision.items')}
      </h2>
      <DataState
        query={query}
        isEmpty={(list) => list.items.length === 0}
        emptyText={t('supervision.noItems')}
      >
        {(list) => (
          <Table
            rowKey="implementationId"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={list.items}
            data-testid="supervision-items"
            columns={[
              { key: 'item', title: t('case.item'), dataIndex: 'itemName' },
              { key: 'completed', title: t('supervision.completed'), dataIndex: 'completed' },
              {
                key: 'average',
                title: t('supervision.average'),
                render: (_, row) => t('supervision.days', { n: row.averageWorkingDays.toFixed(1) }),
              },
            ]}
          />
        )}
      </DataState>
    </section>
  )
}

/** /work/supervision: 电子监察 — yellow and red cards by department, and processing time per item. */
export default function SupervisionPage() {
  const t = useT()
  const region = useSupervisedRegion()
  const departments = useApiQuery<Page<DepartmentView>>(region ? endpoints.departments : null, {
    region,
    within: true,
    limit: 200,
  })
  const [department, setDepartment] = useState<string>()
  return (
    <>
      <h1 className="page-title">{t('supervision.title')}</h1>
      <p className="page-intro">{t('supervision.intro')}</p>
      <div className="supervision-filter">
        <span id="supervision-department">{t('supervision.department')}</span>
        <Select
          allowClear
          className="supervision-select"
          placeholder={t('supervision.allDepartments')}
          value={department}
          onChange={setDepartment}
          aria-labelledby="supervision-department"
          options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
          data-testid="supervision-department"
        />
      </div>
      <WarningCases region={region} department={department} />
      <ProcessingTimes region={region} department={department} />
    </>
  )
}
