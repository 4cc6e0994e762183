import {
  BundleDraftView,
  BundleList,
  BundleParams,
  BundleQuery,
  BundleSummary,
  BundleVersionParams,
  BundleVersionView,
  BundleView,
  PublishBundle,
  SaveBundleDraft,
  SubmitDraft,
} from '@tongban/contracts'
import { publicAccess, requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { authorize, guideEditors, mayEditBundleLedBy } from '../catalog.policy.ts'
import { presentBundle } from '../catalog.presenter.ts'
import type { CatalogService } from '../catalog.service.ts'

const tags = ['catalog']
const base = '/api/v1/catalog'

/** 一件事: published bundles for everyone; drafts, review and publication for the lead department's admins. */
export function registerBundleRoutes(app: App, catalog: CatalogService): void {
  registerBundleReads(app, catalog)
  registerBundleDrafts(app, catalog)
  registerBundleReview(app, catalog)
}

/** Published bundles: the list, one in a region, one version. */
function registerBundleReads(app: App, catalog: CatalogService): void {
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
}

/** The bundle draft: read (with its preview) and save. */
function registerBundleDrafts(app: App, catalog: CatalogService): void {
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
      authorize(mayEditBundleLedBy(requireActor(request), await catalog.bundleLeads(request.params.code)))
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
      const leads = await catalog.bundleLeads(code, request.body.content.leadDepartmentId)
      authorize(mayEditBundleLedBy(requireActor(request), leads))
      return catalog.saveBundleDraft(code, request.body.content, request.body.revision, auditContext(request))
    },
  )
}

/** The review moves of a bundle draft: submit (送审) and publish (审核发布). */
function registerBundleReview(app: App, catalog: CatalogService): void {
  app.post(
    `${base}/bundles/:code/draft/submit`,
    {
      config: { policy: guideEditors },
      schema: {
        tags,
        summary: 'Submit the bundle draft for review (送审)',
        params: BundleParams,
        body: SubmitDraft,
        response: { 200: BundleDraftView },
      },
    },
    async (request) => {
      authorize(mayEditBundleLedBy(requireActor(request), await catalog.bundleLeads(request.params.code)))
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
      authorize(mayEditBundleLedBy(requireActor(request), await catalog.bundleLeads(request.params.code)))
      return reply
        .code(201)
        .send(await catalog.publishBundle(request.params.code, request.body, auditContext(request)))
    },
  )
}
