import {
  CalendarAdditionBody,
  CalendarAdditionList,
  CalendarAdditionView,
  ItemProcessingTimeList,
  ProcessingTimeQuery,
  SupervisionCaseList,
  SupervisionQuery,
} from '@tongban/contracts'
import { requireActor, staffWith } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import {
  presentCalendarAddition,
  presentCalendarAdditions,
  presentProcessingTime,
  presentSupervisionCase,
} from '../cases.presenter.ts'
import type { CasesService } from '../cases.service.ts'
import { supervisors, tags } from './route-policies.ts'

/** The working-day calendar's additions, and 电子监察 (supervision). */
export function registerSupervisionRoutes(app: App, cases: CasesService): void {
  const administrators = staffWith('system_admin')

  app.get(
    '/api/v1/calendar/additions',
    {
      config: { policy: administrators },
      schema: {
        tags,
        summary: 'Holiday calendar additions and covered years',
        response: { 200: CalendarAdditionList },
      },
    },
    async () => presentCalendarAdditions(await cases.listCalendarAdditions(), await cases.calendar()),
  )

  app.post(
    '/api/v1/calendar/additions',
    {
      config: { policy: administrators },
      schema: {
        tags,
        summary: 'Add a holiday, a make-up working day, or declare a whole year entered',
        body: CalendarAdditionBody,
        response: { 201: CalendarAdditionView },
      },
    },
    async (request, reply) => {
      const added = await cases.addCalendarAddition(
        request.body,
        requireActor(request),
        auditContext(request),
      )
      return reply.code(201).send(presentCalendarAddition(added))
    },
  )

  app.get(
    '/api/v1/supervision/cases',
    {
      config: { policy: supervisors },
      schema: {
        tags,
        summary: '电子监察: open cases by warning level, region and department',
        querystring: SupervisionQuery,
        response: { 200: SupervisionCaseList },
      },
    },
    async (request) => {
      const { limit = 100, level, region, department } = request.query
      const result = await cases.supervise(requireActor(request), {
        limit,
        ...(level ? { level } : {}),
        ...(region ? { region } : {}),
        ...(department ? { department } : {}),
      })
      return {
        counts: result.counts,
        items: result.items.map(({ row, limit: t }) => presentSupervisionCase(row, t)),
      }
    },
  )

  app.get(
    '/api/v1/supervision/items',
    {
      config: { policy: supervisors },
      schema: {
        tags,
        summary: 'Average processing time (working days) per item',
        querystring: ProcessingTimeQuery,
        response: { 200: ItemProcessingTimeList },
      },
    },
    async (request) => {
      const { region, department } = request.query
      const rows = await cases.averageProcessingTime(requireActor(request), {
        ...(region ? { region } : {}),
        ...(department ? { department } : {}),
      })
      return { items: rows.map(presentProcessingTime) }
    },
  )
}
