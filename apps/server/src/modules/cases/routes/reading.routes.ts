import {
  CaseIdParams,
  CaseList,
  CaseMaterialParams,
  CaseSearchQuery,
  CaseSearchResult,
  CaseView,
  ListQuery,
  ProgressBody,
  ProgressView,
} from '@tongban/contracts'
import { applicant, authenticated, publicAccess, requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { presentCase, presentCaseSummary, presentProgress, presentSearchItem } from '../cases.presenter.ts'
import type { CasesService } from '../cases.service.ts'
import { caseReaders, tags } from './route-policies.ts'

/** Reading cases: staff search, one case and its material files, my cases, public progress. */
export function registerReadingRoutes(app: App, cases: CasesService): void {
  registerSearch(app, cases)
  registerCase(app, cases)
  registerMine(app, cases)
}

/** 办件查询 (staff). */
function registerSearch(app: App, cases: CasesService): void {
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
}

/** One case, and its material files. */
function registerCase(app: App, cases: CasesService): void {
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
      const { id, sha256 } = request.params
      const { file, name, content } = await cases.openMaterial(
        id,
        sha256,
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
}

/** My cases, and the public progress query. */
function registerMine(app: App, cases: CasesService): void {
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
}

/** An attachment header carrying a UTF-8 file name (RFC 6266), with an ASCII fallback for old clients. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}
