import { CASE_MOVE_BODIES, CASE_MOVES, CaseIdParams, type CaseMove, CaseView } from '@tongban/contracts'
import { applicant, requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { presentCase } from '../cases.presenter.ts'
import type { CasesService } from '../cases.service.ts'
import { isApplicantMove } from '../cases.state.ts'
import { tags, workers } from './route-policies.ts'

/** What each move does, as the API document says it (who makes it, what it takes). */
const MOVE_SUMMARIES: Record<CaseMove, string> = {
  startPreReview: '开始预审: start the pre-review of a submitted case (its acceptance step’s staff)',
  accept: '受理: accept the case; the time limit starts (its acceptance step’s staff)',
  refuse: '不予受理: refuse the case, with the reason and the legal basis (its acceptance step’s staff)',
  requestCorrection:
    '一次性告知补正: ask for everything to correct at once; after acceptance the clock stops (the acceptance or the current review step’s staff)',
  resubmit: '补正后重新提交: the applicant resubmits the corrected form and the materials asked for',
  review: '审查: complete the review step the case is at (its reviewer)',
  approve: '准予许可: approve (its decision step’s staff)',
  deny: '不予许可: deny, with the reason (its decision step’s staff)',
  complete: '办结: close the decided case (its decision step’s staff)',
  deliver:
    '出件: deliver the result — as a license, at the window, or by post with the tracking number (the acceptance or decision step’s staff)',
  withdraw: '撤回申请: the applicant withdraws before the decision (a bundle with its undecided parts)',
  suspend: '中止办理: suspend, with the reason; the clock stops (the staff of any of its steps)',
  resume: '恢复办理: resume a suspended case (the staff of any of its steps)',
}

/** The moves on a case, one route each, at `POST /api/v1/cases/:id/<move>`. */
export function registerMoveRoutes(app: App, cases: CasesService): void {
  for (const move of CASE_MOVES)
    app.post(
      `/api/v1/cases/:id/${move}`,
      {
        config: { policy: isApplicantMove(move) ? applicant : workers },
        schema: {
          tags,
          summary: MOVE_SUMMARIES[move],
          params: CaseIdParams,
          body: CASE_MOVE_BODIES[move],
          response: { 200: CaseView },
        },
      },
      async (request) => {
        const actor = requireActor(request)
        return presentCase(
          await cases.move(request.params.id, move, request.body, actor, auditContext(request)),
        )
      },
    )
}
