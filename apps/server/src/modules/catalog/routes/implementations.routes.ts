import {
  CreateImplementation,
  ImplementationList,
  ImplementationQuery,
  ImplementationView,
  UpdateImplementation,
  UuidParams,
} from '@tongban/contracts'
import { publicAccess, requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { authorize, guideEditors, mayEditImplementation } from '../catalog.policy.ts'
import { presentImplementation } from '../catalog.presenter.ts'
import type { CatalogService } from '../catalog.service.ts'
import type { ImplementationRecord } from '../repositories/implementations.repository.ts'

const tags = ['catalog']
const base = '/api/v1/catalog'

/** An implementation as the API shows it, with its department's and region's names. */
export async function presentWithNames(catalog: CatalogService, row: ImplementationRecord) {
  return presentImplementation(
    row,
    await catalog.department(row.department_id),
    (await catalog.regionPath(row.region_code))[0]?.name ?? '',
  )
}

/** 实施清单: public reads; the department's admins (and system admins over it) add and change them. */
export function registerImplementationRoutes(app: App, catalog: CatalogService): void {
  registerImplementationReads(app, catalog)
  registerImplementationWrites(app, catalog)
}

/** Lists and reads implementations. */
function registerImplementationReads(app: App, catalog: CatalogService): void {
  app.get(
    `${base}/implementations`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'Implementations (实施清单); `region` includes its ancestors',
        querystring: ImplementationQuery,
        response: { 200: ImplementationList },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, ...filter } = request.query
      const result = await catalog.listImplementations({ ...filter, limit, offset })
      return {
        items: await Promise.all(result.items.map((row) => presentWithNames(catalog, row))),
        total: result.total,
      }
    },
  )

  app.get(
    `${base}/implementations/:id`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'One implementation',
        params: UuidParams,
        response: { 200: ImplementationView },
      },
    },
    async (request) => presentWithNames(catalog, await catalog.getImplementation(request.params.id)),
  )
}

/** Adds and changes implementations (四级四同 enforced). */
function registerImplementationWrites(app: App, catalog: CatalogService): void {
  app.post(
    `${base}/implementations`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary: 'Add an implementation (四级四同 enforced: name, type and legal basis equal the base item)',
        body: CreateImplementation,
        response: { 201: ImplementationView },
      },
    },
    async (request, reply) => {
      const placement = { region_code: request.body.regionCode, department_id: request.body.departmentId }
      authorize(mayEditImplementation(requireActor(request), placement))
      const created = await catalog.createImplementation(request.body, auditContext(request))
      return reply.code(201).send(await presentWithNames(catalog, created))
    },
  )

  app.patch(
    `${base}/implementations/:id`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary: 'Change an implementation’s local details or status (四级四同 enforced)',
        params: UuidParams,
        body: UpdateImplementation,
        response: { 200: ImplementationView },
      },
    },
    async (request) => {
      authorize(
        mayEditImplementation(requireActor(request), await catalog.getImplementation(request.params.id)),
      )
      const updated = await catalog.updateImplementation(
        request.params.id,
        request.body,
        auditContext(request),
      )
      return presentWithNames(catalog, updated)
    },
  )
}
