import {
  BundleDraftView,
  BundleList,
  BundleParams,
  BundleQuery,
  BundleSummary,
  BundleVersionParams,
  BundleVersionView,
  BundleView,
  CatalogFile,
  ConsistencyQuery,
  ConsistencyReport,
  CreateImplementation,
  CreateItem,
  ExportQuery,
  GuideDraftView,
  GuideRegionQuery,
  GuideVersionParams,
  ImplementationList,
  ImplementationQuery,
  ImplementationView,
  ImportQuery,
  ImportResult,
  ITEM_TYPES,
  ItemCodeParams,
  ItemList,
  ItemQuery,
  ItemView,
  PREFILL_SOURCES,
  PublishBundle,
  PublishedGuideView,
  PublishGuide,
  SaveBundleDraft,
  SaveGuideDraft,
  SearchQuery,
  SearchResult,
  THEMES,
  UpdateImplementation,
  UpdateItem,
  UuidParams,
  Vocabulary,
} from '@tongban/contracts'
import { Type } from 'typebox'
import { publicAccess, requireActor } from '../../platform/authz.ts'
import type { App } from '../../platform/http.ts'
import { auditContext } from '../../platform/platform.ts'
import { fromCsv, fromJson, toCsv } from './catalog.import.ts'
import {
  assertCatalogAdmin,
  assertMayEdit,
  assertMayEditBundle,
  catalogAdmins,
  guideEditors,
} from './catalog.policy.ts'
import { presentDraft, presentImplementation, presentItem } from './catalog.presenter.ts'
import type { ImplementationRecord } from './catalog.repository.ts'
import { type CatalogService, presentBundle } from './catalog.service.ts'

const tags = ['catalog']
const base = '/api/v1/catalog'

/** The service catalog: public reads, department-admin guide editing, system-admin catalog administration. */
export async function registerCatalogRoutes(app: App, catalog: CatalogService): Promise<void> {
  const present = async (row: ImplementationRecord) =>
    presentImplementation(
      row,
      await catalog.department(row.department_id),
      (await catalog.regionPath(row.region_code))[0]?.name ?? '',
    )

  app.get(
    `${base}/vocabulary`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'Code lists: item types, themes, prefill sources, license types',
        response: { 200: Vocabulary },
      },
    },
    async () => ({
      itemTypes: Object.entries(ITEM_TYPES).map(([code, name]) => ({ code, name: { ...name } })),
      themes: Object.entries(THEMES).map(([code, name]) => ({ code, name: { ...name } })),
      prefillSources: Object.entries(PREFILL_SOURCES).map(([code, name]) => ({ code, name: { ...name } })),
      licenseTypes: (await catalog.licenseTypes()).map((t) => ({
        code: t.code,
        name: t.name,
        issuerKind: t.issuer_kind,
        holder: t.holder,
      })),
    }),
  )

  // ---------------------------------------------------------------- base items

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
      assertCatalogAdmin(requireActor(request))
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
      assertCatalogAdmin(requireActor(request))
      return presentItem(await catalog.updateItem(request.params.code, request.body, auditContext(request)))
    },
  )

  // ---------------------------------------------------------------- implementations

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
      return { items: await Promise.all(result.items.map(present)), total: result.total }
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
    async (request) => present(await catalog.getImplementation(request.params.id)),
  )

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
      assertMayEdit(requireActor(request), {
        region_code: request.body.regionCode,
        department_id: request.body.departmentId,
      })
      const created = await catalog.createImplementation(request.body, auditContext(request))
      return reply.code(201).send(await present(created))
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
      assertMayEdit(requireActor(request), await catalog.getImplementation(request.params.id))
      return present(
        await catalog.updateImplementation(request.params.id, request.body, auditContext(request)),
      )
    },
  )

  // ---------------------------------------------------------------- guides

  app.get(
    `${base}/guides`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary:
          'Implementations with a published guide that apply in a region (the region and its ancestors)',
        querystring: GuideRegionQuery,
        response: { 200: ImplementationList },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, region } = request.query
      const result = await catalog.listImplementations({ region, publishedOnly: true, limit, offset })
      return { items: await Promise.all(result.items.map(present)), total: result.total }
    },
  )

  app.get(
    `${base}/implementations/:id/guide`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'The latest published guide (办事指南) with its form',
        params: UuidParams,
        response: { 200: PublishedGuideView },
      },
    },
    async (request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send((await catalog.publishedGuideJson(request.params.id)) as never),
  )

  app.get(
    `${base}/implementations/:id/guide/versions/:version`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'One published guide version (immutable)',
        params: GuideVersionParams,
        response: { 200: PublishedGuideView },
      },
    },
    async (request) => catalog.getPublishedVersion(request.params.id, request.params.version),
  )

  app.get(
    `${base}/implementations/:id/guide/draft`,
    {
      config: { policy: guideEditors },
      schema: { tags, summary: 'The guide draft', params: UuidParams, response: { 200: GuideDraftView } },
    },
    async (request) => {
      assertMayEdit(requireActor(request), await catalog.getImplementation(request.params.id))
      return presentDraft(await catalog.getDraft(request.params.id))
    },
  )

  app.put(
    `${base}/implementations/:id/guide/draft`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary:
          'Save the guide draft (the form schema is compiled now; promised ≤ legal limit; license types checked)',
        params: UuidParams,
        body: SaveGuideDraft,
        response: { 200: GuideDraftView },
      },
    },
    async (request) => {
      assertMayEdit(requireActor(request), await catalog.getImplementation(request.params.id))
      return presentDraft(
        await catalog.saveDraft(
          request.params.id,
          request.body.content,
          request.body.revision,
          auditContext(request),
        ),
      )
    },
  )

  app.post(
    `${base}/implementations/:id/guide/draft/submit`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary: 'Submit the draft for review (送审)',
        params: UuidParams,
        body: Type.Object({ revision: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 200: GuideDraftView },
      },
    },
    async (request) => {
      assertMayEdit(requireActor(request), await catalog.getImplementation(request.params.id))
      return presentDraft(
        await catalog.submitDraft(request.params.id, request.body.revision, auditContext(request)),
      )
    },
  )

  app.post(
    `${base}/implementations/:id/guide/publish`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary: 'Approve the submitted draft and publish it as the next immutable version',
        params: UuidParams,
        body: PublishGuide,
        response: { 201: PublishedGuideView },
      },
    },
    async (request, reply) => {
      assertMayEdit(requireActor(request), await catalog.getImplementation(request.params.id))
      return reply
        .code(201)
        .send(await catalog.publish(request.params.id, request.body, auditContext(request)))
    },
  )

  // ---------------------------------------------------------------- search, bundles

  app.get(
    `${base}/search`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary:
          'Search published services (Chinese full text, synonyms, typo tolerant); empty q lists by popularity',
        querystring: SearchQuery,
        response: { 200: SearchResult },
      },
    },
    async (request) => catalog.search(request.query),
  )

  app.get(
    `${base}/bundles`,
    {
      config: { policy: publicAccess },
      schema: { tags, summary: 'Bundles (一件事一次办)', response: { 200: BundleList } },
    },
    async () => ({ items: (await catalog.listBundles()).map(presentBundle) }),
  )

  app.get(
    `${base}/bundles/:code`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'A bundle in a region: merged form, merged materials and the fan-out to departments',
        params: BundleParams,
        querystring: BundleQuery,
        response: { 200: BundleView },
      },
    },
    async (request) => catalog.getBundle(request.params.code, request.query.region),
  )

  app.get(
    `${base}/bundles/:code/versions/:version`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'One published bundle version (immutable)',
        params: BundleVersionParams,
        response: { 200: BundleVersionView },
      },
    },
    async (request) => catalog.getBundleVersion(request.params.code, request.params.version),
  )

  // ---------------------------------------------------------------- bundle administration

  app.get(
    `${base}/bundles/:code/draft`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary: 'The bundle draft, with the merged form and materials it would publish',
        params: BundleParams,
        response: { 200: BundleDraftView },
      },
    },
    async (request) => {
      assertMayEditBundle(requireActor(request), await catalog.bundleLeads(request.params.code))
      return catalog.bundleDraftView(request.params.code)
    },
  )

  app.put(
    `${base}/bundles/:code/draft`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary:
          'Create or change a bundle as a draft (lead department admin): items must exist and be published, shared fields must agree in type',
        params: BundleParams,
        body: SaveBundleDraft,
        response: { 200: BundleDraftView },
      },
    },
    async (request) => {
      const { code } = request.params
      assertMayEditBundle(
        requireActor(request),
        await catalog.bundleLeads(code, request.body.content.leadDepartmentId),
      )
      return catalog.saveBundleDraft(code, request.body.content, request.body.revision, auditContext(request))
    },
  )

  app.post(
    `${base}/bundles/:code/draft/submit`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary: 'Submit the bundle draft for review (送审)',
        params: BundleParams,
        body: Type.Object({ revision: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 200: BundleDraftView },
      },
    },
    async (request) => {
      assertMayEditBundle(requireActor(request), await catalog.bundleLeads(request.params.code))
      return catalog.submitBundleDraft(request.params.code, request.body.revision, auditContext(request))
    },
  )

  app.post(
    `${base}/bundles/:code/publish`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary: 'Approve the submitted bundle draft and publish it as the next version (checked again)',
        params: BundleParams,
        body: PublishBundle,
        response: { 201: BundleSummary },
      },
    },
    async (request, reply) => {
      assertMayEditBundle(requireActor(request), await catalog.bundleLeads(request.params.code))
      return reply
        .code(201)
        .send(await catalog.publishBundle(request.params.code, request.body, auditContext(request)))
    },
  )

  // ---------------------------------------------------------------- administration

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
      const actor = requireActor(request)
      assertCatalogAdmin(actor)
      return catalog.consistencyReport(request.query.region)
    },
  )

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      /^text\/csv/,
      { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 },
      (_request, body, done) => done(null, body),
    )
    scope.post(
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
        assertCatalogAdmin(requireActor(request))
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
  })

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
      assertCatalogAdmin(requireActor(request))
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
