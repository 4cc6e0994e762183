import {
  TASK_ACTION_BODIES,
  TASK_ACTIONS,
  type TaskActionName,
  TaskList,
  TaskParams,
  TaskQuery,
  TaskView,
} from '@tongban/contracts'
import { requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { presentTask } from '../cases.presenter.ts'
import type { CasesService } from '../cases.service.ts'
import { tags, workers } from './route-policies.ts'

/** Each task action's path and what it does. */
const TASK_ROUTES: Record<TaskActionName, { path: string; summary: string }> = {
  claim: { path: 'claim', summary: '签收: claim an open task of my department and role' },
  release: { path: 'release', summary: '退回: give back a task I claimed' },
  handOver: {
    path: 'hand-over',
    summary: '转交: hand a task to a colleague holding its role in its department',
  },
}

/** Task queues (办理任务) and what can be done with a task. */
export function registerTaskRoutes(app: App, cases: CasesService): void {
  app.get(
    '/api/v1/tasks',
    {
      config: { policy: workers },
      schema: {
        tags,
        summary: 'My departments’ task queues',
        querystring: TaskQuery,
        response: { 200: TaskList },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, status } = request.query
      const [result, calendar] = await Promise.all([
        cases.listTasks(requireActor(request), { limit, offset, ...(status ? { status } : {}) }),
        cases.calendar(),
      ])
      return {
        items: result.items.map((row) => presentTask(row, cases.taskTimeLimit(row, calendar))),
        total: result.total,
      }
    },
  )

  for (const action of TASK_ACTIONS)
    app.post(
      `/api/v1/tasks/:id/${TASK_ROUTES[action].path}`,
      {
        config: { policy: workers },
        schema: {
          tags,
          summary: TASK_ROUTES[action].summary,
          params: TaskParams,
          body: TASK_ACTION_BODIES[action],
          response: { 200: TaskView },
        },
      },
      async (request) => {
        const actor = requireActor(request)
        const row = await cases.changeTask(
          request.params.id,
          action,
          request.body,
          actor,
          auditContext(request),
        )
        return presentTask(row, cases.taskTimeLimit(row, await cases.calendar()))
      },
    )
}
