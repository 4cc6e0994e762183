import type { Readable } from 'node:stream'
import type {
  AnyMoveBody,
  CalendarAdditionBody,
  CaseMove,
  CaseSearchQuery,
  SaveDraft,
  SubmitCase,
  TaskActionBodies,
  TaskActionName,
  TimeLimitSummary,
  WalkInCase,
} from '@tongban/contracts'
import type { WorkingDayCalendar } from '@tongban/standards'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import type { Platform } from '../../platform/platform.ts'
import { walkIn } from './apply/file-walk-in.ts'
import { purgeExpiredIdempotencyKeys } from './apply/idempotency.ts'
import { submitCase } from './apply/submit-case.ts'
import { addCalendarAddition, listCalendarAdditions } from './calendar.ts'
import { type AuditWho, type CasesContext, createCasesContext } from './cases.context.ts'
import type { CasesDependencies } from './cases.ports.ts'
import { shanghaiDate, timeLimitSummary } from './cases.time-limits.ts'
import { getOwnDraft, listDrafts, saveDraft } from './drafts.ts'
import { encryptPlaintextFormData, formDataOf } from './form-data.ts'
import { makeMove } from './lifecycle/make-move.ts'
import {
  type CaseFacts,
  caseDetail,
  caseProgress,
  findCaseFacts,
  getVisible,
  listMine,
  openMaterial,
  searchCases,
  timeLimitToday,
} from './reading.ts'
import type { CasesRepository } from './repository/cases.repository.ts'
import type { TaskWithCase, TimeLimitColumns } from './repository/records.ts'
import { averageProcessingTime, supervise } from './supervision.ts'
import { changeTask, listTasks } from './tasks.ts'
import { storeUpload } from './uploads.ts'

/**
 * 办件: the module's use cases behind one facade, for its routes, its workers and other modules (through
 * index.ts). Each method is one use case; the rules are in the files it calls.
 */
export class CasesService {
  private readonly context: CasesContext

  constructor(platform: Platform, deps: CasesDependencies) {
    this.context = createCasesContext(platform, deps)
  }

  /** The ports the module was given. */
  get deps(): CasesDependencies {
    return this.context.ports
  }

  /** Largest accepted upload, in bytes. */
  get uploadLimit(): number {
    return this.context.platform.config.uploadLimit
  }

  submit = (input: SubmitCase, idempotencyKey: string, actor: AuthenticatedActor, who: AuditWho) =>
    submitCase(this.context, input, idempotencyKey, actor, who)

  walkIn = (input: WalkInCase, idempotencyKey: string, clerk: AuthenticatedActor, who: AuditWho) =>
    walkIn(this.context, input, idempotencyKey, clerk, who)

  move = (id: string, move: CaseMove, body: AnyMoveBody, actor: AuthenticatedActor, who: AuditWho) =>
    makeMove(this.context, id, { move, body }, actor, who)

  detail = (id: string, actor: AuthenticatedActor) => caseDetail(this.context, id, actor)

  getVisible = (id: string, actor: AuthenticatedActor) => getVisible(this.context, id, actor)

  /** What another module may read of a case; undefined when there is no such case. */
  findCaseFacts = (caseId: string): Promise<CaseFacts | undefined> => findCaseFacts(this.context, caseId)

  search = (actor: AuthenticatedActor, query: CaseSearchQuery, who: AuditWho) =>
    searchCases(this.context, actor, query, who)

  openMaterial = (caseId: string, sha256: string, actor: AuthenticatedActor, who: AuditWho) =>
    openMaterial(this.context, caseId, sha256, actor, who)

  listMine = (actor: AuthenticatedActor, filter: { status?: string; limit: number; offset: number }) =>
    listMine(this.context, actor, filter)

  progress = (caseNo: string, queryCode: string) => caseProgress(this.context, caseNo, queryCode)

  listTasks = (
    actor: AuthenticatedActor,
    filter: { status?: 'open' | 'claimed' | 'done' | 'mine'; limit: number; offset: number },
  ) => listTasks(this.context, actor, filter)

  changeTask = <A extends TaskActionName>(
    id: string,
    action: A,
    body: TaskActionBodies[A],
    actor: AuthenticatedActor,
    who: AuditWho,
  ) => changeTask(this.context, id, action, body, actor, who)

  saveDraft = (input: SaveDraft, actor: AuthenticatedActor, draftId?: string) =>
    saveDraft(this.context, input, actor, draftId)

  getOwnDraft = (id: string, actor: AuthenticatedActor) => getOwnDraft(this.context, id, actor)

  listDrafts = (actor: AuthenticatedActor) => listDrafts(this.context, actor)

  storeUpload = (content: Readable | Buffer, name: string, actor: AuthenticatedActor) =>
    storeUpload(this.context, content, name, actor)

  /** The working-day calendar (the shipped seed and the database's additions). */
  calendar = (): Promise<WorkingDayCalendar> => this.context.calendar.get()

  listCalendarAdditions = () => listCalendarAdditions(this.context)

  addCalendarAddition = (input: CalendarAdditionBody, actor: AuthenticatedActor, who: AuditWho) =>
    addCalendarAddition(this.context, input, actor, who)

  supervise = (
    actor: AuthenticatedActor,
    filter: { level?: string; region?: string; department?: string; limit: number },
  ) => supervise(this.context, actor, filter)

  averageProcessingTime = (actor: AuthenticatedActor, filter: { region?: string; department?: string }) =>
    averageProcessingTime(this.context, actor, filter)

  /** Sends the milestone notifications waiting (workers); the number sent. */
  sendNotifications = (limit?: number) => this.context.notifications.send(limit)

  /** Deletes expired idempotency keys (workers); the number deleted. */
  purgeExpiredIdempotencyKeys = (batch?: number) => purgeExpiredIdempotencyKeys(this.context, batch)

  /** Encrypts form data stored before encryption (at start-up); the number of rows encrypted. */
  encryptPlaintextFormData = (batch?: number) => encryptPlaintextFormData(this.context, batch)

  /** A case's or draft's form data in clear, for whoever may see it. */
  formDataOf = (row: { form_data: unknown; form_data_enc: string | null }) =>
    formDataOf(this.context.platform.vault, row)

  /** A case's time limit today. */
  timeLimitOf = (record: TimeLimitColumns, calendar: WorkingDayCalendar) =>
    timeLimitToday(this.context, record, calendar)

  /** A case's time limit today, in brief. */
  timeLimitSummary = (record: TimeLimitColumns, calendar: WorkingDayCalendar): TimeLimitSummary =>
    timeLimitSummary(record, calendar, shanghaiDate(this.context.platform.clock.now()))

  /** The time limit of a task's case, in brief. */
  taskTimeLimit = (row: TaskWithCase, calendar: WorkingDayCalendar): TimeLimitSummary =>
    this.timeLimitSummary({ ...row, status: row.case_status }, calendar)
}
