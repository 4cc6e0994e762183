import { CaseIdParams, DraftList, DraftView, SaveDraft } from '@tongban/contracts'
import { applicant, requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { presentDraft } from '../cases.presenter.ts'
import type { CasesService } from '../cases.service.ts'
import { tags } from './route-policies.ts'

/** 草稿: the applicant's unsubmitted applications. */
export function registerDraftRoutes(app: App, cases: CasesService): void {
  const policy = applicant

  app.post(
    '/api/v1/case-drafts',
    {
      config: { policy },
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
      config: { policy },
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
      config: { policy },
      schema: { tags, summary: 'Resume a draft', params: CaseIdParams, response: { 200: DraftView } },
    },
    async (request) => {
      const draft = await cases.getOwnDraft(request.params.id, requireActor(request))
      return presentDraft(draft, cases.formDataOf(draft))
    },
  )

  app.get(
    '/api/v1/case-drafts',
    { config: { policy }, schema: { tags, summary: 'My drafts', response: { 200: DraftList } } },
    async (request) => ({
      items: (await cases.listDrafts(requireActor(request))).map((d) => presentDraft(d, cases.formDataOf(d))),
    }),
  )
}
