import {
  CatalogFile,
  ConsistencyQuery,
  ConsistencyReport,
  ExportQuery,
  ImportQuery,
  ImportResult,
} from '@tongban/contracts'
import { Type } from 'typebox'
import { requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { authorize, catalogAdmins, mayAdministerCatalog } from '../catalog.policy.ts'
import type { CatalogService } from '../catalog.service.ts'
import { fromCsv, fromJson, toCsv } from '../transfer/catalog-file.ts'

const tags = ['catalog']
const base = '/api/v1/catalog'

/** Catalog administration: the 四级四同 report, import and export (system administrators). */
export async function registerAdminRoutes(app: App, catalog: CatalogService): Promise<void> {
  registerConsistency(app, catalog)
  await app.register(async (scope) => registerImport(scope, catalog))
  registerExport(app, catalog)
}

/** The 四级四同 report. */
function registerConsistency(app: App, catalog: CatalogService): void {
  app.get(
    `${base}/consistency`,
    {
      config: { policy: catalogAdmins },
      schema: {
        tags,
        summary:
          '四级四同 report: every implementation differing from its base item, by region and department',
        querystring: ConsistencyQuery,
        response: { 200: ConsistencyReport },
      },
    },
    async (request) => {
      authorize(mayAdministerCatalog(requireActor(request)))
      return catalog.consistencyReport(request.query.region)
    },
  )
}

/** Import (JSON, or CSV in a scope that parses text/csv). */
function registerImport(app: App, catalog: CatalogService): void {
  app.addContentTypeParser(
    /^text\/csv/,
    { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 },
    (_request, body, done) => done(null, body),
  )
  app.post(
    `${base}/import`,
    {
      config: { policy: catalogAdmins },
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Import base items and implementations (JSON, or CSV with a record column); all or nothing; dryRun only validates',
        querystring: ImportQuery,
        body: {
          content: {
            'application/json': { schema: CatalogFile },
            'text/csv': { schema: Type.String({ maxLength: 20 * 1024 * 1024 }) },
          },
        },
        response: { 200: ImportResult, 422: ImportResult },
      },
    },
    async (request, reply) => {
      authorize(mayAdministerCatalog(requireActor(request)))
      const body = request.body as string | CatalogFile
      const file = typeof body === 'string' ? fromCsv(body) : fromJson(body)
      const result = await catalog.importCatalog(
        file,
        { dryRun: (request.query as { dryRun?: boolean }).dryRun ?? false },
        auditContext(request),
      )
      return reply.code(result.ok ? 200 : 422).send(result)
    },
  )
}

/** Export, in the import format. */
function registerExport(app: App, catalog: CatalogService): void {
  app.get(
    `${base}/export`,
    {
      config: { policy: catalogAdmins },
      schema: {
        tags,
        summary:
          'Export base items and implementations as JSON or CSV, the import format (system administrator)',
        querystring: ExportQuery,
      },
    },
    async (request, reply) => {
      authorize(mayAdministerCatalog(requireActor(request)))
      const file = await catalog.exportCatalog()
      if ((request.query as { format?: string }).format === 'csv')
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="catalog.csv"')
          .send(toCsv(file))
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(file))
    },
  )
}
