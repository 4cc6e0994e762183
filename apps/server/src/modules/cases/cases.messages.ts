import {
  CASE_MOVE_LABELS,
  CASE_STATUS_LABELS,
  type CaseMove,
  type CaseStatus,
  type FieldError,
  type LocalizedText,
  TASK_ACTION_LABELS,
  TASK_STATUS_LABELS,
  type TaskActionName,
  type TaskStatus,
} from '@tongban/contracts'
import { AppError, invalid, notFound } from '../../platform/errors.ts'

/** The bilingual messages of the cases module's problem details, field errors and warnings. */
export const messages = {
  noSuchCase: { zh: '办件不存在', en: 'No such case' },
  noSuchTask: { zh: '任务不存在', en: 'No such task' },
  noSuchDraft: { zh: '草稿不存在', en: 'No such draft' },
  noSuchMaterial: { zh: '材料不存在', en: 'No such material' },
  wrongProgressCode: { zh: '办件编号或查询码不正确', en: 'Wrong case number or query code' },
  notYourFile: (path: string) => ({
    zh: `材料文件不存在或不是您上传的（${path}），请重新上传`,
    en: `No such file among your uploads (${path}); upload it again`,
  }),
  noFile: { zh: '请选择文件', en: 'No file was sent' },
  noSuchGrant: (path: string) => ({
    zh: `用证授权不存在或不能用于本次申请（${path}），请重新选择电子证照`,
    en: `No such license grant for this application (${path}); choose the e-license again`,
  }),
  realNameLevel: (needed: number, held: number) => ({
    zh: `办理该事项须达到实名认证第 ${needed} 级（您的账户为第 ${held} 级），请先提升实名等级或到窗口核验身份后办理`,
    en: `This service needs real-name level ${needed} (your account has level ${held}): raise your level, or have your identity checked at a service window`,
  }),
  notTheApplicant: {
    zh: '申请人信息须与登录账户一致，不能填写他人信息',
    en: "The applicant's details must be those of the logged-in account",
  },
  noApplicantFacts: {
    zh: '无法读取登录账户的实名信息，请稍后再试',
    en: "The logged-in account's real-name details cannot be read; try again later",
  },
  badFileName: { zh: '文件名不合法', en: 'The file name is not acceptable' },
  declaration: { zh: '请阅读并同意申请承诺', en: 'The declaration must be accepted' },
  windowDeclaration: { zh: '申请人须签署告知承诺书', en: 'The applicant must sign the declaration' },
  itemOrBundle: { zh: '请选择一个事项或一件事', en: 'Name either an item implementation or a bundle' },
  regionRequired: { zh: '请选择办理地区', en: 'Choose the region to apply in' },
  unknownBundle: { zh: '一件事不存在或未发布', en: 'Unknown or unpublished bundle' },
  unpublishedPart: { zh: '一件事包含未发布的事项', en: 'The bundle contains an unpublished item' },
  unknownVersion: { zh: '事项不存在或该版本未发布', en: 'Unknown item or unpublished version' },
  unknownItem: { zh: '事项不存在或未发布', en: 'Unknown or unpublished item' },
  guideChanged: (version: number) => ({
    zh: `办事指南已更新（当前第 ${version} 版），请按现行指南受理`,
    en: `The guide has changed (now version ${version}); apply under the current one`,
  }),
  missingMaterial: (name: string, key: string) => ({
    zh: `缺少申请材料：${name}`,
    en: `Missing material: ${name} (${key})`,
  }),
  unknownMaterial: { zh: '办事指南中没有该材料', en: 'The guide asks for no such material' },
  licenseRequired: { zh: '该材料须以电子证照提供', en: 'This material must come from an electronic license' },
  uploadRequired: { zh: '该材料须上传文件', en: 'This material must be uploaded' },
  correctMaterial: (key: string) => ({ zh: `请补正材料：${key}`, en: `Please supply material ${key}` }),
  keyReused: {
    zh: '该 Idempotency-Key 已用于另一份申请，请为新的申请使用新的键',
    en: 'This Idempotency-Key was used for a different request; use a new key for a new application',
  },
  notItemsWindowClerk: {
    zh: '您不是该事项受理部门、受理地区的窗口受理人员',
    en: 'You are not a window clerk of the department and region that accept this item',
  },
  personMismatch: {
    zh: '姓名与该身份证号码的账户不符',
    en: 'The name does not match the account of this ID number',
  },
  companyMismatch: {
    zh: '企业名称与该统一社会信用代码的账户不符',
    en: 'The company name does not match the account of this credit code',
  },
  phoneToOpen: {
    zh: '现场开户须填写本人手机号码，用于激活账户和接收办件通知',
    en: 'Opening an account needs the applicant’s own mobile number, to activate it and receive notices',
  },
  phoneInUse: {
    zh: '该手机号码已被其他账户使用，请核实',
    en: 'Another account uses this phone number; please check it',
  },
  accountBeingOpened: {
    zh: '申请人账户正被同时开立，请稍后重试',
    en: 'The applicant’s account is being opened by another request; retry in a moment',
  },
  notYourStep: { zh: '您无权在该部门办理此环节', en: 'You may not make this move for this department' },
  claimedBy: (holder: string) => ({
    zh: `该任务已由 ${holder} 签收`,
    en: `The task is claimed by ${holder}`,
  }),
  holderOnly: { zh: '只能退回或转交自己签收的任务', en: 'Only the holder may release or hand over a task' },
  colleague: {
    zh: '接收人须是本部门具有该岗位的工作人员',
    en: 'The colleague must hold the role in the same department',
  },
  draftVersion: { zh: '请提供草稿版本', en: 'The draft version is required' },
  staleVersion: (current: number) => ({
    zh: `办件已被他人更新（当前第 ${current} 版），请刷新后重试`,
    en: `Someone else changed it first (now version ${current}); reload and retry`,
  }),
  partWithdrawnAlone: {
    zh: '一件事的部门办件不能单独撤回，请撤回整个一件事。',
    en: 'A part of a bundle is withdrawn only with the whole bundle. ',
  },
  pastPromised: (deadline: string) => ({
    zh: `已超过承诺时限（${deadline}）`,
    en: `Past the promised deadline (${deadline})`,
  }),
  daysLeft: (days: number) => ({ zh: `剩余 ${days} 个工作日`, en: `${days} working day(s) left` }),
  calendarMissing: (year: number) => ({
    zh: `工作日历缺少 ${year} 年的节假日数据，无法计算办理时限，请系统管理员补充`,
    en: `The working-day calendar has no data for ${year}: the deadline cannot be computed until a system administrator adds it`,
  }),
} satisfies Record<string, LocalizedText | ((...args: never[]) => LocalizedText)>

/** The comments of the events a bundle's cascade appends (Chinese only, as the clerk would write them). */
export const cascadeComments = {
  withdrawnWithBundle: '随一件事整体撤回',
  partDenied: (itemName: string, reason: unknown) => `${itemName}：${String(reason ?? '不予办理')}`,
}

/** A field error: the field's path, a stable code, the message. */
export function fieldError(path: string, code: string, message: LocalizedText): FieldError {
  return { path, code, message }
}

/** 400 naming one field. */
export function invalidField(path: string, code: string, message: LocalizedText): AppError {
  return invalid([fieldError(path, code, message)])
}

/** 404: the same answer whether the case does not exist or is not the caller's to see. */
export function noSuchCase(): AppError {
  return notFound(messages.noSuchCase)
}

/** 409 stale-version: someone changed the record first; `current` is its version now. */
export function staleVersion(current: number): AppError {
  return new AppError('stale-version', { detail: messages.staleVersion(current) })
}

/** 403 for a move the caller may not make on this case. */
export function notYourStep(): AppError {
  return new AppError('forbidden', { detail: messages.notYourStep })
}

/** "… not possible now. Possible now: …", or "no … is possible now", in both languages. */
function possibleNow(
  why: LocalizedText,
  allowed: LocalizedText[],
  nothing: LocalizedText,
): { zh: string; en: string } {
  if (allowed.length === 0) return { zh: `${why.zh}${nothing.zh}`, en: `${why.en}${nothing.en}` }
  return {
    zh: `${why.zh}当前可执行：${allowed.map((a) => a.zh).join('、')}`,
    en: `${why.en}Possible now: ${allowed.map((a) => a.en).join(', ')}`,
  }
}

/** 409 for a move not possible now, naming the status and the moves that are, in both languages. */
export function invalidMove(
  record: { status: CaseStatus; parent_id: string | null },
  move: CaseMove,
  allowed: CaseMove[],
): AppError {
  const status = CASE_STATUS_LABELS[record.status]
  const wanted = CASE_MOVE_LABELS[move]
  const why =
    move === 'withdraw' && record.parent_id
      ? messages.partWithdrawnAlone
      : {
          zh: `办件当前状态为「${status.zh}」，不能${wanted.zh}。`,
          en: `The case is ${status.en.toLowerCase()}: “${wanted.en}” is not possible now. `,
        }
  return new AppError('invalid-transition', {
    allowed,
    detail: possibleNow(
      why,
      allowed.map((m) => CASE_MOVE_LABELS[m]),
      { zh: '当前没有可执行的操作', en: 'No move is possible now' },
    ),
  })
}

/** 409 for a task action not possible in the task's status, naming the actions that are. */
export function invalidTaskAction(
  status: TaskStatus,
  action: TaskActionName,
  allowed: TaskActionName[],
): AppError {
  const label = TASK_STATUS_LABELS[status]
  const wanted = TASK_ACTION_LABELS[action]
  return new AppError('invalid-transition', {
    allowed,
    detail: possibleNow(
      {
        zh: `任务当前状态为「${label.zh}」，不能${wanted.zh}。`,
        en: `The task is ${label.en.toLowerCase()}: “${wanted.en}” is not possible now. `,
      },
      allowed.map((a) => TASK_ACTION_LABELS[a]),
      { zh: '当前没有可执行的操作', en: 'No action is possible now' },
    ),
  })
}
