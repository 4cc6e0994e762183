/** Statuses of a 办件 (the projection of its events). */
export const CASE_STATUSES = [
  'submitted',
  'pre_review',
  'correction_requested',
  'accepted',
  'reviewed',
  'suspended',
  'approved',
  'denied',
  'refused',
  'withdrawn',
  'completed',
  'delivered',
] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

/** The moves a department's staff make on a case (each appends one event). */
export const STAFF_MOVES = [
  'startPreReview',
  'accept',
  'refuse',
  'requestCorrection',
  'review',
  'approve',
  'deny',
  'complete',
  'deliver',
  'suspend',
  'resume',
] as const
export type StaffMove = (typeof STAFF_MOVES)[number]

/** The moves the applicant makes on their own case. */
export const APPLICANT_MOVES = ['resubmit', 'withdraw'] as const
export type ApplicantMove = (typeof APPLICANT_MOVES)[number]

/** The moves that can be made on a case, in the order a case usually meets them. */
export const CASE_MOVES = [
  'startPreReview',
  'accept',
  'refuse',
  'requestCorrection',
  'resubmit',
  'review',
  'approve',
  'deny',
  'complete',
  'deliver',
  'withdraw',
  'suspend',
  'resume',
] as const satisfies readonly (StaffMove | ApplicantMove)[]
export type CaseMove = (typeof CASE_MOVES)[number]

/** What a status is called, in both languages (problem details name statuses this way, never by code). */
export const CASE_STATUS_LABELS: Record<CaseStatus, { zh: string; en: string }> = {
  submitted: { zh: '已提交', en: 'Submitted' },
  pre_review: { zh: '预审中', en: 'In pre-review' },
  correction_requested: { zh: '待补正', en: 'Correction requested' },
  accepted: { zh: '已受理', en: 'Accepted' },
  reviewed: { zh: '已审查', en: 'Reviewed' },
  suspended: { zh: '已中止', en: 'Suspended' },
  approved: { zh: '准予许可', en: 'Approved' },
  denied: { zh: '不予许可', en: 'Denied' },
  refused: { zh: '不予受理', en: 'Refused' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  completed: { zh: '已办结', en: 'Completed' },
  delivered: { zh: '已出件', en: 'Delivered' },
}

/** What a move is called, in both languages (the 409 of an invalid move names the allowed ones this way). */
export const CASE_MOVE_LABELS: Record<CaseMove, { zh: string; en: string }> = {
  startPreReview: { zh: '开始预审', en: 'Start pre-review' },
  accept: { zh: '受理', en: 'Accept' },
  refuse: { zh: '不予受理', en: 'Refuse' },
  requestCorrection: { zh: '一次性告知补正', en: 'Request correction' },
  resubmit: { zh: '补正后重新提交', en: 'Resubmit' },
  review: { zh: '审查', en: 'Review' },
  approve: { zh: '准予许可', en: 'Approve' },
  deny: { zh: '不予许可', en: 'Deny' },
  complete: { zh: '办结', en: 'Complete' },
  deliver: { zh: '出件', en: 'Deliver' },
  withdraw: { zh: '撤回申请', en: 'Withdraw' },
  suspend: { zh: '中止办理', en: 'Suspend' },
  resume: { zh: '恢复办理', en: 'Resume' },
}

/** Time-limit warning levels (电子监察). `unknown`: the calendar lacks a year, the deadline is not known. */
export const WARNING_LEVELS = ['green', 'yellow', 'red', 'paused', 'unknown', 'none'] as const
export type WarningLevel = (typeof WARNING_LEVELS)[number]
