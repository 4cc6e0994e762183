import { SubmitCase, SubmitCaseHeaders, SubmittedCase, WalkInCase, WalkInReceipt } from '@tongban/contracts'
import { applicant, requireActor, staffWith } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import type { CasesService } from '../cases.service.ts'
import { tags } from './route-policies.ts'

/** 申请 online, and 一窗受理 at a window. */
export function registerApplyingRoutes(app: App, cases: CasesService): void {
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
      const key = request.headers['idempotency-key']
      const answer = await cases.submit(request.body, key, requireActor(request), auditContext(request))
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
      const key = request.headers['idempotency-key']
      const answer = await cases.walkIn(request.body, key, requireActor(request), auditContext(request))
      return reply.code(answer.statusCode as 201).send(answer.body)
    },
  )
}
