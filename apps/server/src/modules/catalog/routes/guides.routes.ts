import {
  GuideDraftView,
  GuideRegionQuery,
  GuideVersionParams,
  ImplementationList,
  PublishedGuideView,
  PublishGuide,
  SaveGuideDraft,
  SubmitDraft,
  UuidParams,
} from '@tongban/contracts'
import { type Actor, publicAccess, requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { authorize, guideEditors, mayEditImplementation } from '../catalog.policy.ts'
import { presentDraft } from '../catalog.presenter.ts'
import type { CatalogService } from '../catalog.service.ts'
import { presentWithNames } from './implementations.routes.ts'

const tags = ['catalog']
const base = '/api/v1/catalog'

/** Loads the implementation and refuses the caller unless they may maintain it and its guide. */
async function authorizeEditor(
  catalog: CatalogService,
  actor: Actor,
  implementationId: string,
): Promise<void> {
  authorize(mayEditImplementation(actor, await catalog.getImplementation(implementationId)))
}

/** 办事指南: published guides for everyone; drafts, review and publication for the implementation's admins. */
export function registerGuideRoutes(app: App, catalog: CatalogService): void {
  registerGuideReads(app, catalog)
  registerGuideDrafts(app, catalog)
  registerGuideReview(app, catalog)
}

/** Published guides: by region, the latest of an implementation, one version. */
function registerGuideReads(app: App, catalog: CatalogService): void {
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
      return {
        items: await Promise.all(result.items.map((row) => presentWithNames(catalog, row))),
        total: result.total,
      }
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
}

/** The guide draft: read and save. */
function registerGuideDrafts(app: App, catalog: CatalogService): void {
  app.get(
    `${base}/implementations/:id/guide/draft`,
    {
      config: { policy: guideEditors },
      schema: { tags, summary: 'The guide draft', params: UuidParams, response: { 200: GuideDraftView } },
    },
    async (request) => {
      await authorizeEditor(catalog, requireActor(request), request.params.id)
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
      await authorizeEditor(catalog, requireActor(request), request.params.id)
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
}

/** The review moves of a guide draft: submit (送审) and publish (审核发布). */
function registerGuideReview(app: App, catalog: CatalogService): void {
  app.post(
    `${base}/implementations/:id/guide/draft/submit`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary: 'Submit the draft for review (送审)',
        params: UuidParams,
        body: SubmitDraft,
        response: { 200: GuideDraftView },
      },
    },
    async (request) => {
      await authorizeEditor(catalog, requireActor(request), request.params.id)
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
      await authorizeEditor(catalog, requireActor(request), request.params.id)
      return reply
        .code(201)
        .send(await catalog.publish(request.params.id, request.body, auditContext(request)))
    },
  )
}
