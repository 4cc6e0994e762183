import { AlertOutlined, FileSearchOutlined, SolutionOutlined, UnorderedListOutlined } from '@ant-design/icons'
import type { TaskView } from '@tongban/contracts'
import { Segmented, Table } from 'antd'
import { lazy, useState } from 'react'
import { Route, Routes, useNavigate } from 'react-router'
import { apiFetch } from '../../api/client.ts'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { DataState } from '../../components/data-state.tsx'
import { useShowError } from '../../components/error-display.tsx'
import { NotFound } from '../../components/lazy-not-found.ts'
import { StaffLayout, type StaffMenuItem } from '../../components/staff-layout.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'
import { LevelTag } from '../cases/case-parts.tsx'
import { isWindowClerk } from './clerk-role.ts'

const WorkCasePage = lazy(() => import('./work-case.tsx'))
const CaseSearchPage = lazy(() => import('./case-search.tsx'))
const WalkInPage = lazy(() => import('./walk-in-page.tsx'))
const SupervisionPage = lazy(() => import('./supervision-page.tsx'))

/** The workbench menu; 窗口受理 only for staff holding the window clerk role. */
function workMenu(windowClerk: boolean): StaffMenuItem[] {
  return [
    { path: '/work', label: 'work.menu.tasks', icon: <UnorderedListOutlined /> },
    ...(windowClerk
      ? [{ path: '/work/walk-in', label: 'work.menu.walkIn' as const, icon: <SolutionOutlined /> }]
      : []),
    { path: '/work/cases', label: 'work.menu.cases', icon: <FileSearchOutlined /> },
    { path: '/work/supervision', label: 'work.menu.supervision', icon: <AlertOutlined /> },
  ]
}

/** 时限: the warning colour and name, and the working days left (negative: overdue). */
function TaskLimit({ task }: { task: TaskView }) {
  const t = useT()
  const { level, workingDaysLeft, promisedDeadline } = task.timeLimit
  return (
    <span className="task-limit" data-testid="task-limit" data-level={level}>
      <LevelTag level={level} />
      {workingDaysLeft !== null ? (
        <span className="result-meta">
          {' '}
          {workingDaysLeft >= 0
            ? t('case.daysLeft', { n: workingDaysLeft })
            : t('case.daysOverdue', { n: -workingDaysLeft })}
        </span>
      ) : null}
      {promisedDeadline ? <span className="result-meta"> · {promisedDeadline}</span> : null}
    </span>
  )
}

type Filter = 'open' | 'mine' | 'all'

function TaskQueue() {
  const t = useT()
  const { language } = usePreferences()
  const navigate = useNavigate()
  const showError = useShowError()
  const [filter, setFilter] = useState<Filter>('all')
  const query = useApiQuery<Page<TaskView>>(endpoints.workTasks, {
    ...(filter === 'all' ? {} : { status: filter }),
    limit: 50,
  })
  const [claiming, setClaiming] = useState<string>()

  async function claim(task: TaskView) {
    setClaiming(task.id)
    try {
      await apiFetch<TaskView>(endpoints.taskAction(task.id, 'claim'), {
        method: 'POST',
        body: { version: task.version },
      })
      navigate(`/work/cases/${task.caseId}?task=${task.id}`)
    } catch (problem) {
      showError(problem)
      query.reload()
    } finally {
      setClaiming(undefined)
    }
  }

  return (
    <>
      <h1 className="page-title">{t('work.tasksTitle')}</h1>
      <Segmented<Filter>
        className="work-filter"
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'all', label: t('work.filter.all') },
          { value: 'open', label: t('work.filter.open') },
          { value: 'mine', label: t('work.filter.mine') },
        ]}
      />
      <DataState query={query} isEmpty={(page) => page.items.length === 0} emptyText={t('work.empty')}>
        {(page) => (
          <Table<TaskView>
            rowKey="id"
            className="task-table"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={page.items}
            columns={[
              {
                title: t('work.col.case'),
                key: 'case',
                render: (_, task) => (
                  <div className="search-hit-main">
                    <span className="result-name">{task.itemName}</span>
                    <span className="result-meta">{task.caseNo}</span>
                  </div>
                ),
              },
              {
                title: t('work.col.step'),
                key: 'step',
                render: (_, task) => t(`work.step.${task.step}` as MessageKey) ?? task.step,
              },
              {
                title: t('work.col.limit'),
                key: 'limit',
                render: (_, task) => <TaskLimit task={task} />,
              },
              {
                title: t('work.col.status'),
                key: 'status',
                render: (_, task) => t(`work.task.${task.status}` as MessageKey) ?? task.status,
              },
              {
                title: t('work.col.created'),
                key: 'created',
                render: (_, task) => new Date(task.createdAt).toLocaleString(language),
              },
              {
                title: t('work.col.actions'),
                key: 'actions',
                render: (_, task) => (
                  <span className="form-actions">
                    {task.status === 'open' ? (
                      <button
                        type="button"
                        className="link-button"
                        disabled={claiming === task.id}
                        onClick={() => void claim(task)}
                      >
                        {t('work.claim')}
                      </button>
                    ) : null}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => navigate(`/work/cases/${task.caseId}?task=${task.id}`)}
                    >
                      {t('work.open')}
                    </button>
                  </span>
                ),
              },
            ]}
          />
        )}
      </DataState>
    </>
  )
}

/** Staff workbench (/work): the task queue, 一窗受理, 办件查询 and the case page with its moves. */
export default function WorkArea() {
  const { claims } = useAuth()
  return (
    <StaffLayout title="work.title" menu={workMenu(isWindowClerk(claims))}>
      <Routes>
        <Route index element={<TaskQueue />} />
        <Route path="walk-in" element={<WalkInPage />} />
        <Route path="cases" element={<CaseSearchPage />} />
        <Route path="cases/:caseId" element={<WorkCasePage />} />
        <Route path="supervision" element={<SupervisionPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </StaffLayout>
  )
}
