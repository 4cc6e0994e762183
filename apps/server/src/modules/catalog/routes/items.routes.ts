import { CreateItem, ItemCodeParams, ItemList, ItemQuery, ItemView, UpdateItem } from '@tongban/contracts'
import { publicAccess, requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { authorize, catalogAdmins, mayEditItems } from '../catalog.policy.ts'
import { presentItem } from '../catalog.presenter.ts'
import type { CatalogService } from '../catalog.service.ts'

const tags = ['catalog']
const base = '/api/v1/catalog'

/** 基本目录: public reads; system administrators add and change items. */
export function registerItemRoutes(app: App, catalog: CatalogService): void {
  registerItemReads(app, catalog)
  registerItemWrites(app, catalog)
}

/** Lists and reads base items. */
function registerItemReads(app: App, catalog: CatalogService): void {
  app.get(
    `${base}/items`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'Base catalog items (基本目录)',
        querystring: ItemQuery,
        response: { 200: ItemList },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, ...filter } = request.query
      const result = await catalog.listItems({ ...filter, limit, offset })
      return { items: result.items.map(presentItem), total: result.total }
    },
  )

  app.get(
    `${base}/items/:code`,
    {
      config: { policy: publicAccess },
      schema: { tags, summary: 'One base item', params: ItemCodeParams, response: { 200: ItemView } },
    },
    async (request) => presentItem(await catalog.getItem(request.params.code)),
  )
}

/** Adds and changes base items. */
function registerItemWrites(app: App, catalog: CatalogService): void {
  app.post(
    `${base}/items`,
    {
      config: { policy: catalogAdmins },
      schema: {
        tags,
        summary: 'Add a base item (system administrator)',
        body: CreateItem,
        response: { 201: ItemView },
      },
    },
    async (request, reply) => {
      authorize(mayEditItems(requireActor(request)))
      return reply.code(201).send(presentItem(await catalog.createItem(request.body, auditContext(request))))
    },
  )

  app.patch(
    `${base}/items/:code`,
    {
      config: { policy: catalogAdmins },
      schema: {
        tags,
        summary: 'Change a base item (optimistic concurrency on version)',
        params: ItemCodeParams,
        body: UpdateItem,
        response: { 200: ItemView },
      },
    },
    async (request) => {
      authorize(mayEditItems(requireActor(request)))
      return presentItem(await catalog.updateItem(request.params.code, request.body, auditContext(request)))
    },
  )
}
