import type { AuditEntry } from '../../platform/audit.ts'
import { batched } from '../../platform/db/batcher.ts'
import type { Platform } from '../../platform/platform.ts'
import { WorkingDayCalendars } from './calendar.ts'
import { CaseNumbers } from './case-numbers.ts'
import type { CasesDependencies } from './cases.ports.ts'
import { MilestoneNotifications } from './notifications.ts'
import { CalendarRepository } from './repository/calendar.repository.ts'
import { CaseChangesRepository } from './repository/case-changes.repository.ts'
import { CaseWrites } from './repository/case-writes.ts'
import { CasesRepository } from './repository/cases.repository.ts'
import { DraftsRepository } from './repository/drafts.repository.ts'
import { IdempotencyRepository } from './repository/idempotency.repository.ts'
import { NotificationsRepository } from './repository/notifications.repository.ts'
import type { CaseWithHistory, ProgressRow } from './repository/records.ts'
import { SupervisionRepository } from './repository/supervision.repository.ts'
import { TasksRepository } from './repository/tasks.repository.ts'
import { UploadsRepository } from './repository/uploads.repository.ts'

/** Who is making a change, for the audit entry. */
export type AuditWho = Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>

/**
 * What every use case of the module works with: the platform, the ports, the repositories, and the
 * mechanisms shared by all requests of a process (batched reads and writes, case numbers, the calendar,
 * notifications).
 */
export interface CasesContext {
  platform: Platform
  ports: CasesDependencies
  repositories: {
    cases: CasesRepository
    tasks: TasksRepository
    supervision: SupervisionRepository
    drafts: DraftsRepository
    uploads: UploadsRepository
    idempotency: IdempotencyRepository
    calendar: CalendarRepository
    notifications: NotificationsRepository
    changes: CaseChangesRepository
  }
  /** Case changes and submissions: batched, or in a caller's transaction. */
  writes: CaseWrites
  /** A case with its history; reads arriving together (moves, case views) share one statement. */
  findWithHistory: (id: string) => Promise<CaseWithHistory | undefined>
  /** A case's progress by number; queries arriving together share one statement. */
  findProgress: (caseNo: string) => Promise<ProgressRow | undefined>
  caseNumbers: CaseNumbers
  calendar: WorkingDayCalendars
  notifications: MilestoneNotifications
}

/** Keys stored before this moment are expired (IDEMPOTENCY_KEY_TTL_HOURS). */
export function keysExpiredBefore(platform: Platform): Date {
  return new Date(platform.clock.now().getTime() - platform.config.idempotencyKeyTtlHours * 3_600_000)
}

/** Builds the module's context on a platform (one per process; the demo makes its own, on its clock). */
export function createCasesContext(platform: Platform, ports: CasesDependencies): CasesContext {
  const db = platform.db
  const repositories = {
    cases: new CasesRepository(db),
    tasks: new TasksRepository(db),
    supervision: new SupervisionRepository(db),
    drafts: new DraftsRepository(db),
    uploads: new UploadsRepository(db),
    idempotency: new IdempotencyRepository(db),
    calendar: new CalendarRepository(db),
    notifications: new NotificationsRepository(db),
    changes: new CaseChangesRepository({
      outbox: (source) => platform.events.publishFromQuery(source),
      audit: (source) => platform.audit.insertFromQuery(source),
    }),
  }
  return {
    platform,
    ports,
    repositories,
    writes: new CaseWrites(db, repositories.changes, () => keysExpiredBefore(platform)),
    findWithHistory: batched((ids) => repositories.cases.findManyWithHistory(ids)),
    findProgress: batched((caseNos) => repositories.cases.findManyProgress(caseNos)),
    caseNumbers: new CaseNumbers(db),
    calendar: new WorkingDayCalendars(repositories.calendar),
    notifications: new MilestoneNotifications(platform, repositories.notifications, ports),
  }
}

/** After a step committed: the relay looks for its outbox event now, its notification goes out soon. */
export function afterCommit(ctx: CasesContext): void {
  ctx.platform.events.nudge()
  ctx.notifications.sendSoon()
}
