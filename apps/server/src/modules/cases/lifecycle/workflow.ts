import type { PublishedGuide, WorkflowStep } from '../cases.ports.ts'
import type { CaseState } from '../cases.state.ts'

/** The default workflow (办理环节): accept → review → decide, in the implementing department. */
export function defaultSteps(): WorkflowStep[] {
  return [
    { key: 'accept', name: { zh: '受理', en: 'Acceptance' }, kind: 'accept', role: 'window_clerk' },
    { key: 'review', name: { zh: '审查', en: 'Review' }, kind: 'review', role: 'reviewer' },
    { key: 'decide', name: { zh: '决定', en: 'Decision' }, kind: 'decide', role: 'approver' },
  ]
}

/** The steps a case of the guide goes through: the item's own, or the default workflow. */
export function stepsOf(guide: Pick<PublishedGuide, 'steps'>): WorkflowStep[] {
  return guide.steps && guide.steps.length > 0 ? guide.steps : defaultSteps()
}

/** The step a new case waits on: the acceptance (the first step when the workflow names none). */
export function acceptStepOf(steps: WorkflowStep[]): WorkflowStep {
  const accept = steps.find((s) => s.kind === 'accept') ?? steps[0]
  if (!accept) throw new Error('a workflow has at least one step')
  return accept
}

/** The step whose task a case waits on in a state, if any. */
export function nextStep(state: CaseState, steps: WorkflowStep[]): WorkflowStep | undefined {
  const accept = steps.find((s) => s.kind === 'accept')
  const reviews = steps.filter((s) => s.kind === 'review')
  const decide = steps.find((s) => s.kind === 'decide')
  const status = state.status === 'suspended' ? state.resumeTo : state.status
  switch (status) {
    case 'submitted':
    case 'pre_review':
      return accept
    case 'accepted':
      return reviews[state.reviewsDone] ?? decide
    case 'reviewed':
    case 'approved':
    case 'denied':
      return decide
    case 'completed':
      return accept ?? decide
    default:
      return undefined
  }
}

/** The review step a case is at (its first once all are done), if the workflow has review steps. */
export function currentReview(state: CaseState, steps: WorkflowStep[]): WorkflowStep | undefined {
  const reviews = steps.filter((s) => s.kind === 'review')
  return reviews[state.reviewsDone] ?? reviews[0]
}
