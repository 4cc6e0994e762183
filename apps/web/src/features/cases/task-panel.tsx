import type { TaskActionName, TaskView } from '@tongban/contracts'
import { Alert, Button, Form, Input } from 'antd'
import { useState } from 'react'
import { apiFetch } from '../../api/client.ts'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'
import { taskActionPath, taskActionsFor } from './moves.ts'

/** Sends one task action; a refusal's field errors go beside the hand-over field. */
function useTaskAction(onDone: (action: TaskActionName) => void) {
  const { language } = usePreferences()
  const [form] = Form.useForm<{ to: string }>()
  const [busy, setBusy] = useState<TaskActionName>()
  const [error, setError] = useState<unknown>()
  async function act(task: TaskView, action: TaskActionName, to?: string) {
    setBusy(action)
    setError(undefined)
    try {
      await apiFetch<TaskView>(endpoints.taskAction(task.id, taskActionPath(action)), {
        method: 'POST',
        body: { version: task.version, ...(action === 'handOver' ? { to: to?.trim() ?? '' } : {}) },
      })
      form.resetFields()
      onDone(action)
    } catch (problem) {
      const { applied } = applyProblemToForm(form, problem, language)
      if (applied.length === 0) setError(problem)
    } finally {
      setBusy(undefined)
    }
  }
  return { form, busy, error, act }
}

/** 转交: the colleague who takes the task over, by their staff account id. */
function HandOverForm({ task, sender }: { task: TaskView; sender: ReturnType<typeof useTaskAction> }) {
  const t = useT()
  return (
    <Form
      form={sender.form}
      layout="vertical"
      className="hand-over-form"
      onFinish={(values) => void sender.act(task, 'handOver', values.to)}
    >
      <Form.Item
        name="to"
        label={t('work.handOverTo')}
        extra={t('work.handOverHint')}
        rules={[{ required: true, whitespace: true, message: t('work.required.to') }]}
      >
        <Input maxLength={100} autoComplete="off" />
      </Form.Item>
      <Button htmlType="submit" loading={sender.busy === 'handOver'} data-testid="task-handOver">
        {t('work.handOver')}
      </Button>
    </Form>
  )
}

/** One task of the case: its step and holder, with 签收, 退回 and 转交 as the caller may use them. */
function TaskRow({ task, onDone }: { task: TaskView; onDone: (action: TaskActionName) => void }) {
  const t = useT()
  const { claims } = useAuth()
  const sender = useTaskAction(onDone)
  const actions = taskActionsFor(task, claims?.sub ?? '')
  const mine = task.claimedBy !== null && task.claimedBy === claims?.sub
  return (
    <li className="task-row" data-testid={`task-${task.step}`}>
      <div>
        <strong>{t(`work.step.${task.step}` as MessageKey) ?? task.step}</strong>{' '}
        <span className="result-meta" data-testid="task-status">
          {mine ? t('work.claimed') : task.claimedBy ? t('work.claimedByOther') : t('work.task.open')}
        </span>
      </div>
      <div className="form-actions">
        {actions.includes('claim') ? (
          <Button
            loading={sender.busy === 'claim'}
            onClick={() => void sender.act(task, 'claim')}
            data-testid="task-claim"
          >
            {t('work.claim')}
          </Button>
        ) : null}
        {actions.includes('release') ? (
          <Button
            loading={sender.busy === 'release'}
            onClick={() => void sender.act(task, 'release')}
            data-testid="task-release"
          >
            {t('work.release')}
          </Button>
        ) : null}
      </div>
      {actions.includes('handOver') ? <HandOverForm task={task} sender={sender} /> : null}
      <ProblemAlert error={sender.error} />
    </li>
  )
}

/** 办理任务 of this case in the caller's queues, and what the caller may do with each. */
export function TaskPanel({ caseId }: { caseId: string }) {
  const t = useT()
  const query = useApiQuery<Page<TaskView>>(endpoints.workTasks, { limit: 200 })
  const [done, setDone] = useState<TaskActionName>()
  const tasks = (query.data?.items ?? []).filter((task) => task.caseId === caseId)
  return (
    <section className="portal-section" aria-labelledby="tasks-title">
      <h2 id="tasks-title" className="section-title">
        {t('work.caseTasks')}
      </h2>
      {done ? (
        <Alert
          type="success"
          showIcon
          role="status"
          className="task-notice"
          title={t(`work.taskDone.${done}`)}
        />
      ) : null}
      {tasks.length === 0 ? (
        <p className="result-meta">{query.loading ? t('app.loading') : t('work.noCaseTasks')}</p>
      ) : (
        <ul className="task-rows">
          {tasks.map((task) => (
            <TaskRow
              key={task.id}
              task={task}
              onDone={(action) => {
                setDone(action)
                query.reload()
              }}
            />
          ))}
        </ul>
      )}
    </section>
  )
}
