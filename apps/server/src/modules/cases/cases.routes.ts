import multipart from '@fastify/multipart'
import {
  CalendarAdditionBody,
  CalendarAdditionList,
  CalendarAdditionView,
  CaseIdParams,
  CaseList,
  CaseMaterialParams,
  CaseMoveBody,
  CaseMoveParams,
  CaseSearchQuery,
  CaseSearchResult,
  CaseView,
  DraftView,
  ItemProcessingTimeList,
  ListQuery,
  ProgressBody,
  ProgressView,
  SaveDraft,
  SubmitCase,
  SubmitCaseHeaders,
  SubmittedCase,
  SupervisionCaseList,
  SupervisionQuery,
  TaskAction,
  TaskList,
  TaskParams,
  TaskQuery,
  TaskView,
  UploadView,
  WalkInCase,
  WalkInReceipt,
} from '@tongban/contracts'
import { Type } from 'typebox'
import {
  applicant,
  authenticated,
  holdsRoleFor,
  publicAccess,
  requireActor,
  staffWith,
} from '../../platform/authz.ts'
import { AppError, invalid } from '../../platform/errors.ts'
import { safeFileName } from '../../platform/files.ts'
import type { App } from '../../platform/http.ts'
import { auditContext } from '../../platform/platform.ts'
import {
  presentCalendarAddition,
  presentCase,
  presentCaseSummary,
  presentDraft,
  presentProgress,
  presentSearchItem,
  presentTask,
} from './cases.presenter.ts'
import type { CasesService } from './cases.service.ts'

const tags = ['cases']
const workers = staffWith('window_clerk', 'reviewer', 'approver')
const caseReaders = staffWith('window_clerk', 'reviewer', 'approver', 'department_admin')
const supervisors = staffWith('window_clerk', 'reviewer', 'approver', 'department_admin', 'system_admin')

/** Applying, the case lifecycle, task queues, progress, time limits and supervision. */
export async function registerCasesRoutes(app: App, cases: CasesService): Promise<void> {
  await app.register(async (child) => {
    await child.register(multipart, {
      // keep the name as sent, so that a name with directories is refused rather than silently cut
      preservePath: true,
      limits: { fileSize: app.initialConfig.bodyLimit, files: 1, fields: 5, parts: 6 },
    })
    registerUpload(child as App, cases)
  })

  app.post(
    '/api/v1/cases',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'Apply: file a case for an item or a bundle (Idempotency-Key required)',
        headers: SubmitCaseHeaders,
        body: SubmitCase,
        response: { 200: SubmittedCase, 201: SubmittedCase },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const answer = await cases.submit(
        request.body,
        request.headers['idempotency-key'],
        actor,
        auditContext(request),
      )
      return reply.code(answer.statusCode as 201).send(answer.body)
    },
  )

  app.post(
    '/api/v1/walk-ins',
    {
      config: { policy: staffWith('window_clerk') },
      schema: {
        tags,
        summary:
          '一窗受理: a window clerk files (and accepts) a case for an applicant at the counter, opening their account if they have none (Idempotency-Key required)',
        headers: SubmitCaseHeaders,
        body: WalkInCase,
        response: { 200: WalkInReceipt, 201: WalkInReceipt },
      },
    },
    async (request, reply) => {
      const answer = await cases.walkIn(
        request.body,
        request.headers['idempotency-key'],
        requireActor(request),
        auditContext(request),
      )
      return reply.code(answer.statusCode as 201).send(answer.body)
    },
  )

  app.get(
    '/api/v1/cases',
    {
      config: { policy: caseReaders },
      schema: {
        tags,
        summary:
          '办件查询 (staff): cases in my departments and regions by number, item, status, applicant name prefix and date',
        querystring: CaseSearchQuery,
        response: { 200: CaseSearchResult },
      },
    },
    async (request) => {
      const result = await cases.search(requireActor(request), request.query, auditContext(request))
      return {
        items: result.items.map((row) =>
          presentSearchItem(row, cases.timeLimitSummary(row, result.calendar)),
        ),
        total: result.total,
      }
    },
  )

  app.get(
    '/api/v1/cases/:id/materials/:sha256',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary:
          'Download a material file of a case (its applicant, or staff who may see the case; staff downloads are audited)',
        params: CaseMaterialParams,
        produces: ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'],
      },
    },
    async (request, reply) => {
      const { file, name, content } = await cases.openMaterial(
        request.params.id,
        request.params.sha256,
        requireActor(request),
        auditContext(request),
      )
      return reply
        .header('content-type', file.mediaType)
        .header('content-length', String(file.sizeBytes))
        .header('content-disposition', contentDisposition(name))
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(content)
    },
  )

  app.get(
    '/api/v1/cases/:id',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary: 'A case with its full timeline',
        params: CaseIdParams,
        response: { 200: CaseView },
      },
    },
    async (request) => presentCase(await cases.detail(request.params.id, requireActor(request))),
  )

  app.post(
    '/api/v1/cases/:id/:move',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary:
          'Make a move on a case (accept, refuse, requestCorrection, resubmit, review, approve, deny, complete, deliver, withdraw, suspend, resume)',
        params: CaseMoveParams,
        body: CaseMoveBody,
        response: { 200: CaseView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      return presentCase(
        await cases.move(request.params.id, request.params.move, request.body, actor, auditContext(request)),
      )
    },
  )

  app.get(
    '/api/v1/me/cases',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'My cases (and my company’s, for an agent)',
        querystring: ListQuery,
        response: { 200: CaseList },
      },
    },
    async (request) => {
      const { limit = 20, offset = 0, status } = request.query
      const result = await cases.listMine(requireActor(request), {
        limit,
        offset,
        ...(status ? { status } : {}),
      })
      return {
        items: result.items.map((row) =>
          presentCaseSummary(row, cases.timeLimitOf(row, result.calendar).level),
        ),
        total: result.total,
      }
    },
  )

  app.post(
    '/api/v1/progress',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary:
          '办件进度查询: status and milestones of a case by its number and query code, sent as a form body (the code stays out of URLs and logs); no personal data',
        body: ProgressBody,
        response: { 200: ProgressView },
      },
    },
    async (request) => presentProgress(await cases.progress(request.body.caseNo, request.body.queryCode)),
  )

  app.post(
    '/api/v1/case-drafts',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'Save an application as a draft',
        body: SaveDraft,
        response: { 201: DraftView },
      },
    },
    async (request, reply) => {
      const draft = await cases.saveDraft(request.body, requireActor(request))
      return reply.code(201).send(presentDraft(draft, cases.formDataOf(draft)))
    },
  )

  app.put(
    '/api/v1/case-drafts/:id',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'Update a draft (version required)',
        params: CaseIdParams,
        body: SaveDraft,
        response: { 200: DraftView },
      },
    },
    async (request) => {
      const draft = await cases.saveDraft(request.body, requireActor(request), request.params.id)
      return presentDraft(draft, cases.formDataOf(draft))
    },
  )

  app.get(
    '/api/v1/case-drafts/:id',
    {
      config: { policy: applicant },
      schema: { tags, summary: 'Resume a draft', params: CaseIdParams, response: { 200: DraftView } },
    },
    async (request) => {
      const draft = await cases.getOwnDraft(request.params.id, requireActor(request))
      return presentDraft(draft, cases.formDataOf(draft))
    },
  )

  app.get(
    '/api/v1/case-drafts',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'My drafts',
        response: { 200: Type.Object({ items: Type.Array(DraftView) }) },
      },
    },
    async (request) => ({
      items: (await cases.listDrafts(requireActor(request))).map((d) => presentDraft(d, cases.formDataOf(d))),
    }),
  )

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

  for (const [path, action] of [
    ['claim', 'claim'],
    ['release', 'release'],
    ['hand-over', 'handOver'],
  ] as const) {
    app.post(
      `/api/v1/tasks/:id/${path}`,
      {
        config: { policy: workers },
        schema: {
          tags,
          summary: `Task: ${path}`,
          params: TaskParams,
          body: TaskAction,
          response: { 200: TaskView },
        },
      },
      async (request) => {
        const row = await cases.changeTask(
          request.params.id,
          action,
          request.body,
          requireActor(request),
          auditContext(request),
        )
        return presentTask(row, cases.taskTimeLimit(row, await cases.calendar()))
      },
    )
  }

  app.get(
    '/api/v1/calendar/additions',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags,
        summary: 'Holiday calendar additions and covered years',
        response: { 200: CalendarAdditionList },
      },
    },
    async () => ({
      items: (await cases.listCalendarAdditions()).map(presentCalendarAddition),
      coveredYears: (await cases.calendar()).coveredYears(),
    }),
  )

  app.post(
    '/api/v1/calendar/additions',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags,
        summary: 'Add a holiday, a make-up working day, or declare a whole year entered',
        body: CalendarAdditionBody,
        response: { 201: CalendarAdditionView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      // the national calendar is a province-level (or higher) administrator's business
      if (
        !actor.roles.some(
          (g) => g.role === 'system_admin' && g.departmentId === null && g.regionCode.endsWith('0000'),
        )
      )
        throw new AppError('forbidden')
      return reply
        .code(201)
        .send(presentCalendarAddition(await cases.addCalendarAddition(request.body, auditContext(request))))
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
        items: result.items.map(({ row, limit: t }) => ({
          id: row.id,
          caseNo: row.case_no,
          itemName: row.item_name,
          status: row.status,
          regionCode: row.region_code,
          departmentId: row.department_id,
          level: t.level,
          promisedDeadline: row.promised_deadline,
          legalDeadline: row.legal_deadline,
          workingDaysLeft: t.workingDaysLeft,
          flag: row.supervision_flag,
          warning: t.warning,
        })),
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
        querystring: Type.Object({
          region: Type.Optional(Type.String({ pattern: '^(\\d{6}|\\d{12})$' })),
          department: Type.Optional(Type.String({ format: 'uuid' })),
        }),
        response: { 200: ItemProcessingTimeList },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const region = request.query.region ?? actor.roles[0]?.regionCode ?? '000000'
      if (
        !actor.roles.some((g) =>
          holdsRoleFor({ ...actor, roles: [g] }, [g.role], {
            regionCode: region,
            departmentId: request.query.department ?? g.departmentId,
          }),
        )
      )
        throw new AppError('forbidden')
      const rows = await cases.averageProcessingTime({
        region,
        ...(request.query.department ? { department: request.query.department } : {}),
      })
      return {
        items: rows.map((r) => ({
          implementationId: r.implementation_id!,
          itemName: String(r.item_name),
          completed: Number(r.completed),
          averageWorkingDays: Math.round(Number(r.average) * 100) / 100,
        })),
      }
    },
  )
}

const TRAVERSAL = /(^|[\\/])\.\.([\\/]|$)|[\\/]|^\./

/** Uploads one material file: streamed into the file store, its type judged from its content. */
function registerUpload(app: App, cases: CasesService): void {
  app.post(
    '/api/v1/uploads',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary: 'Upload a material (multipart/form-data, one file: PDF, JPEG, PNG or WebP)',
        consumes: ['multipart/form-data'],
        response: { 201: UploadView },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('unsupported-media-type')
      const limit = cases.uploadLimit
      const part = await request.file({ limits: { fileSize: limit + 1, files: 1 } })
      if (!part)
        throw invalid([
          { path: '/file', code: 'required', message: { zh: '请选择文件', en: 'No file was sent' } },
        ])
      const name = safeFileName(part.filename)
      if (!name || TRAVERSAL.test(part.filename) || name !== part.filename.normalize('NFC').trim()) {
        part.file.resume()
        throw invalid([
          {
            path: '/file/name',
            code: 'file-name',
            message: { zh: '文件名不合法', en: 'The file name is not acceptable' },
          },
        ])
      }
      const stored = await cases.storeUpload(part.file, name, requireActor(request))
      return reply.code(201).send({ ...stored, name })
    },
  )
}

/** An attachment header carrying a UTF-8 file name (RFC 6266), with an ASCII fallback for old clients. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}
