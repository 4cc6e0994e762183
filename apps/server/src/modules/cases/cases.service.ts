import { createHash, randomInt, timingSafeEqual } from 'node:crypto'
import type { Readable } from 'node:stream'
import {
  CASE_MOVE_LABELS,
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  type CalendarAdditionBody,
  type CaseMilestone,
  type CaseMove,
  type CaseMoveBody,
  type CaseSearchQuery,
  type CaseStatus,
  type DomainEvents,
  type FieldError,
  type LocalizedText,
  type MaterialRef,
  type SaveDraft,
  type SubmitCase,
  type SubmittedCase,
  type TaskAction,
  type TimeLimitSummary,
  type WalkInApplicant,
  type WalkInCase,
  type WalkInReceipt,
} from '@tongban/contracts'
import {
  type CalendarAddition,
  createWorkingDayCalendar,
  generateCaseNo,
  maskIdNumber,
  validateIdNumber,
  validateUscc,
  type WorkingDayCalendar,
} from '@tongban/standards'
import type { Kysely, Transaction } from 'kysely'
import { type AuditEntry, canonicalJson } from '../../platform/audit.ts'
import { type AuthenticatedActor, holdsRoleFor, type StaffRole } from '../../platform/authz.ts'
import { batched, batchedWrites } from '../../platform/db/batcher.ts'
import type { Database } from '../../platform/db/schema.ts'
import { AppError, invalid, notFound } from '../../platform/errors.ts'
import type { OutboxEvent } from '../../platform/events.ts'
import { MATERIAL_MEDIA_TYPES, type StoredFile } from '../../platform/files.ts'
import type { Notifier } from '../../platform/notify.ts'
import type { Platform } from '../../platform/platform.ts'
import type {
  ApplicantAccount,
  ApplicantAccountsPort,
  CatalogPort,
  ContactPort,
  DepartmentDirectoryPort,
  PublishedGuide,
  StaffDirectoryPort,
  WorkflowStep,
} from './cases.ports.ts'
import { defaultSteps } from './cases.ports.ts'
import {
  type CalendarAdditionRecord,
  type CaseEventRecord,
  type CaseMaterialRecord,
  type CaseRecord,
  CasesRepository,
  type CaseWithHistory,
  type ChildSummary,
  type DraftRecord,
  type MoveRow,
  type ProgressRow,
  regionPrefix,
  type SubmissionRows,
  type TaskWithCase,
  type TimeLimitColumns,
} from './cases.repository.ts'
import {
  allowedMoves,
  applyEvent,
  type CaseEventType,
  type CaseState,
  initialState,
  MOVES,
  movesOf,
} from './cases.state.ts'
import {
  deadlinesOf,
  pausedDays,
  shanghaiDate,
  type TimeLimitFacts,
  type Warning,
  warningOf,
} from './cases.time-limits.ts'

/** Who is making a change, for the audit entry. */
export type AuditWho = Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>

export interface CasesDependencies {
  catalog: CatalogPort
  staff?: StaffDirectoryPort
  contacts?: ContactPort
  notifier: Notifier
  /** 一窗受理: applicants' accounts (the identity module's). */
  applicants?: ApplicantAccountsPort
  /** Department names for 受理回执 (the org module's). */
  departments?: DepartmentDirectoryPort
}

/** The staff roles that may see a case of their department (besides the workflow roles). */
const CASE_READERS: StaffRole[] = ['window_clerk', 'reviewer', 'approver', 'department_admin']
const QUERY_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const CALENDAR_TTL_MS = 60_000
/** Milestone notifications of different cases sent at the same time by one process. */
const NOTIFICATION_SENDERS = 8
/** Bounds of the size of a block of 办件编号 sequence numbers reserved at once (see caseNoFor). */
const SEQUENCE_BLOCK_MIN = 4
const SEQUENCE_BLOCK_MAX = 512
const TASK_STATUS_LABELS: Record<string, LocalizedText> = {
  open: { zh: '待签收', en: 'Open' },
  claimed: { zh: '已签收', en: 'Claimed' },
  done: { zh: '已完成', en: 'Done' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
}
const TASK_ACTION_LABELS: Record<string, LocalizedText> = {
  claim: { zh: '签收', en: 'Claim' },
  release: { zh: '退回', en: 'Release' },
  handOver: { zh: '转交', en: 'Hand over' },
}
/** Milestones the applicant is notified of. */
const NOTIFIED: CaseEventType[] = [
  'submitted',
  'accepted',
  'refused',
  'correction_requested',
  'approved',
  'denied',
  'completed',
  'delivered',
  'suspended',
  'resumed',
  'withdrawn',
]

/** What a case event's outbox payload says, as far as notifying the applicant goes. */
export interface MilestonePayload {
  caseId: string
  caseNo: string
  applicantId: string
  itemName: string
  seq: number
  parentId: string | null
  /** A walk-in's query code (SM4-encrypted), on its submission's notification only. */
  queryCodeEnc?: string
}

/** A case as read: the row with its form data in clear, history, materials and parts. */
export interface CaseDetail {
  record: CaseRecord
  formData: Record<string, unknown>
  events: CaseEventRecord[]
  materials: CaseMaterialRecord[]
  children: ChildSummary[]
  timeLimit: Warning & { facts: TimeLimitFacts }
}

/** The answer to a submission (or a walk-in's receipt), as stored with its idempotency key. */
export interface StoredAnswer<Body = SubmittedCase> {
  statusCode: number
  body: Body
}

/** 办件: applying, the lifecycle as events, department tasks, time limits and progress. */
export class CasesService {
  readonly repository: CasesRepository
  private calendarCache: { at: number; calendar: WorkingDayCalendar } | undefined
  /** The notification sender running in this process, if any (sends run one after another). */
  private sending: Promise<unknown> = Promise.resolve()
  private sendScheduled = false
  /** 办件编号 sequence numbers reserved by this process, by region and day, and reservations under way. */
  private readonly sequenceBlocks = new Map<string, SequenceBlock>()
  private readonly sequenceReservations = new Map<string, Promise<void>>()
  /** A case with its history; reads arriving together (moves, case views) share one statement. */
  private readonly findWithHistory: (id: string) => Promise<CaseWithHistory | undefined>
  /** A case's progress by number; queries arriving together share one statement. */
  private readonly findProgress: (caseNo: string) => Promise<ProgressRow | undefined>

  constructor(
    private readonly platform: Platform,
    readonly deps: CasesDependencies,
  ) {
    this.repository = new CasesRepository(platform.db, {
      outbox: (source) => platform.events.publishFromQuery(source),
      audit: (source) => platform.audit.insertFromQuery(source),
    })
    this.findWithHistory = batched((ids) => this.repository.findManyWithHistory(ids))
    this.findProgress = batched((caseNos) => this.repository.findManyProgress(caseNos))
  }

  /**
   * Common moves arriving together (one event-loop turn) are written by one statement and one commit
   * (applyMoves); a move whose case moved on first fails with MOVED_ON. Submissions likewise
   * (insertSubmissions), keyed by their idempotency keys: KEY_TAKEN when a concurrent request committed
   * the key first. See batchedWrites for two writes on one key and for a failed batch.
   */
  private readonly writeTogether = batchedWrites<MoveRow>({
    key: (move) => move.id,
    together: (moves) => this.repository.applyMoves(this.platform.db, moves),
    alone: (move) => this.writeMove(this.platform.db, move),
    refused: movedOn,
  })

  private readonly submitTogether = batchedWrites<SubmissionRows>({
    key: ({ idempotencyKey: k }) => `${k.account_id}\n${k.key}`,
    together: (submissions) =>
      this.repository.insertSubmissions(this.platform.db, submissions, this.idempotencyCutoff()),
    alone: (submission) => this.writeSubmission(this.platform.db, submission),
    refused: keyTaken,
  })

  /** Writes one submission; throws KEY_TAKEN when a live row holds its key. */
  private async writeSubmission(db: Kysely<Database>, submission: SubmissionRows): Promise<void> {
    const [written] = await this.repository.insertSubmissions(db, [submission], this.idempotencyCutoff())
    if (!written) throw keyTaken()
  }

  /** Writes one move; throws MOVED_ON when someone moved first. */
  private async writeMove(db: Kysely<Database>, move: MoveRow): Promise<void> {
    const [written] = await this.repository.applyMoves(db, [move])
    if (!written) throw movedOn()
  }

  /** Largest accepted upload, in bytes. */
  get uploadLimit(): number {
    return this.platform.config.uploadLimit
  }

  /**
   * Streams an uploaded material into the file store (only documents and photos, judged by content) and
   * records that this account uploaded it: the store is shared and content-addressed, so the record is
   * what lets the account, and only it, attach the file to its applications.
   */
  async storeUpload(
    content: Readable | Buffer,
    name: string,
    actor: AuthenticatedActor,
  ): Promise<StoredFile> {
    const stored = await this.platform.files.put(content, {
      maxBytes: this.uploadLimit,
      allowedMediaTypes: MATERIAL_MEDIA_TYPES,
    })
    await this.repository.insertUpload(this.platform.db, {
      account_id: actor.accountId,
      sha256: stored.sha256,
      name,
      uploaded_at: this.platform.clock.now(),
    })
    return stored
  }

  /**
   * 404 unless every file is one this account uploaded. A file someone else uploaded is answered exactly
   * like a file that does not exist, so nobody learns what others have uploaded.
   */
  async checkOwnFiles(actor: AuthenticatedActor, files: { path: string; sha256: string }[]): Promise<void> {
    if (files.length === 0) return
    const owned = await this.repository.findUploadedBy(
      actor.accountId,
      files.map((f) => f.sha256),
    )
    const foreign = files.find((f) => !owned.has(f.sha256))
    if (foreign)
      throw notFound({
        zh: `材料文件不存在或不是您上传的（${foreign.path}），请重新上传`,
        en: `No such file among your uploads (${foreign.path}); upload it again`,
      })
  }

  // ───────────── calendar

  /**
   * The working-day calendar: the shipped seed plus the database's additions. The one place a calendar
   * is made, cached for a minute (and dropped at once when this process adds to it).
   */
  async calendar(): Promise<WorkingDayCalendar> {
    const now = Date.now()
    if (this.calendarCache && now - this.calendarCache.at < CALENDAR_TTL_MS)
      return this.calendarCache.calendar
    const rows = await this.repository.findCalendarAdditions()
    const calendar = createWorkingDayCalendar(rows.map(toCalendarAddition))
    this.calendarCache = { at: now, calendar }
    return calendar
  }

  listCalendarAdditions(): Promise<CalendarAdditionRecord[]> {
    return this.repository.findCalendarAdditions()
  }

  /** Adds a holiday, a make-up working day or a whole year, then recomputes deadlines that were unknown. */
  async addCalendarAddition(input: CalendarAdditionBody, who: AuditWho): Promise<CalendarAdditionRecord> {
    const row = await this.platform.db.transaction().execute(async (trx) => {
      const inserted = await this.repository.insertCalendarAddition(trx, {
        kind: input.kind,
        date: input.kind === 'year' ? null : input.date,
        year: input.kind === 'year' ? input.year : null,
        name: input.kind === 'year' ? null : (input.name ?? null),
        created_by: who.actorId,
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'calendar.add',
        resourceType: 'holiday_calendar_addition',
        resourceId: inserted.id,
        regionCode: null,
        outcome: 'success',
        details: { ...input },
      })
      return inserted
    })
    this.calendarCache = undefined
    await this.recomputeUnknownDeadlines()
    return row
  }

  /** Cases whose deadline was unknown get it now, if the calendar has learnt the missing year. */
  async recomputeUnknownDeadlines(): Promise<number> {
    const calendar = await this.calendar()
    let fixed = 0
    for (const row of await this.repository.findWithUnknownDeadline()) {
      const deadlines = deadlinesOf(calendar, factsOf(row))
      if (!deadlines?.known) continue
      await this.repository.updateDeadlines(this.platform.db, row.id, {
        legal_deadline: deadlines.legal,
        promised_deadline: deadlines.promised,
        deadline_unknown: false,
        supervision_flag: null,
      })
      fixed++
    }
    return fixed
  }

  // ───────────── applying

  /**
   * 申请: files a case (or a bundle's parent and one child per department) in one transaction with its
   * first event, tasks, materials, the idempotency record, the outbox event and the audit entry, so that
   * nothing is acknowledged that is not committed, and a retried request gets the original answer.
   */
  async submit(
    input: SubmitCase,
    idempotencyKey: string,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<StoredAnswer> {
    const requestHash = createHash('sha256').update(canonicalJson(input)).digest('hex')
    let prepared: PreparedSubmission
    try {
      prepared = await this.prepareSubmission(input, actor)
    } catch (error) {
      // a retry of an application that was filed (its draft gone since, its guide unpublished since) still
      // gets the original answer: the stored answer is looked for only when the request would fail, so a
      // first submission does not pay for the look-up
      if (error instanceof AppError) {
        const replayed = await this.replayIdempotent(actor.accountId, idempotencyKey, requestHash)
        if (replayed) return replayed
      }
      throw error
    }
    const { guides, bundle } = prepared

    const now = this.platform.clock.now()
    const day = shanghaiDate(now)
    const queryCode = newQueryCode()
    const actingForId = actor.actingFor?.accountId ?? null
    const parentRegion = bundle?.regionCode ?? guides[0]!.regionCode
    // numbers come from this process's reserved block, so no counter row is written (or locked) per case
    // (a rolled-back submission, or a process that stops, leaves a gap, as any database sequence does)
    const parentNo = await this.caseNoFor(parentRegion, day)
    const childNos = bundle ? await Promise.all(guides.map((g) => this.caseNoFor(g.regionCode, day))) : []

    const build = (guide: ResolvedGuide | undefined, caseNo: string, parentId: string | null) => {
      const steps = guide?.steps && guide.steps.length > 0 ? guide.steps : defaultSteps()
      const state = applyEvent(initialState, {
        type: 'submitted',
        day,
        data: { reviewSteps: steps.filter((s) => s.kind === 'review').length, bundle: !guide },
      })
      return {
        row: {
          id: crypto.randomUUID(),
          case_no: caseNo,
          query_code_hash: this.queryCodeHash(caseNo, queryCode),
          applicant_id: actor.accountId,
          acting_for_id: actingForId,
          applicant_name: actor.actingFor?.name ?? actor.name,
          applicant_kind: actor.actingFor || actor.kind === 'company' ? 'company' : 'person',
          implementation_id: guide?.implementationId ?? null,
          guide_version: guide?.version ?? null,
          item_code: guide?.itemCode ?? null,
          item_name: guide?.itemName ?? bundle!.name,
          bundle_id: bundle?.bundleId ?? null,
          parent_id: parentId,
          region_code: guide?.regionCode ?? parentRegion,
          department_id: guide?.departmentId ?? null,
          status: 'submitted',
          version: 1,
          form_data_enc: this.encryptFormData(
            guide ? partData(input.formData, guide.fields) : input.formData,
          ),
          state,
          workflow: guide ? steps : [],
          processing_kind: guide?.processingKind ?? 'promised',
          legal_limit_days: guide?.legalLimitDays ?? 0,
          promised_limit_days: guide?.promisedLimitDays ?? 0,
          submitted_at: now,
          updated_at: now,
        },
        steps,
        guide,
      }
    }
    const parent = build(bundle ? undefined : guides[0], parentNo, null)
    const children = bundle ? guides.map((g, i) => build(g, childNos[i]!, parent.row.id)) : []
    const all = [parent, ...children]

    const answer: StoredAnswer = {
      statusCode: 201,
      body: {
        id: parent.row.id,
        caseNo: parent.row.case_no,
        queryCode,
        status: 'submitted',
        version: 1,
        children: children.map((c) => ({
          id: c.row.id,
          caseNo: c.row.case_no,
          departmentId: c.row.department_id!,
        })),
      },
    }
    const actorName = actor.actingFor ? `${actor.name}（代 ${actor.actingFor.name}）` : actor.name
    try {
      // one statement, committed on its own (with the submissions arriving with it): nothing is
      // acknowledged that is not committed
      await this.submitTogether({
        cases: all.map((c) => c.row),
        events: all.map((c) => ({
          case_id: c.row.id,
          seq: 1,
          region_code: c.row.region_code,
          type: 'submitted',
          actor_kind: actor.kind,
          actor_id: actor.accountId,
          actor_name: actorName,
          occurred_at: now,
          comment: null,
          attachments: [],
          data: c.row.parent_id
            ? { channel: 'online', parentCaseNo: parent.row.case_no }
            : children.length > 0
              ? { channel: 'online', children: children.map((x) => x.row.case_no) }
              : { channel: 'online' },
        })),
        tasks: all.flatMap(({ row, steps, guide }) => {
          if (!guide) return []
          const accept = steps.find((s) => s.kind === 'accept') ?? steps[0]!
          return [
            {
              case_id: row.id,
              step: accept.key,
              department_id: accept.departmentId ?? guide.departmentId,
              region_code: guide.regionCode,
              role: accept.role,
              created_at: now,
            },
          ]
        }),
        materials: all.flatMap(({ row, guide }) =>
          guide ? materialRows(row.id, materialsFor(guide, input.materials), now) : [],
        ),
        draftId: input.draftId ?? null,
        idempotencyKey: {
          account_id: actor.accountId,
          key: idempotencyKey,
          request_hash: requestHash,
          status_code: answer.statusCode,
          response: answer.body,
          created_at: now,
        },
        outbox: all.map((c) => milestoneEvent(c.row, 'submitted', 1)),
        notify: all.filter((c) => notifies(c.row, 'submitted')).map((c) => c.row.id),
        audit: this.platform.audit.jsonEntry({
          ...who,
          action: 'case.submit',
          resourceType: 'case',
          resourceId: parent.row.id,
          regionCode: parent.row.region_code,
          outcome: 'success',
          details: {
            caseNo: parent.row.case_no,
            implementationId: parent.row.implementation_id,
            bundleId: parent.row.bundle_id,
            children: children.map((c) => c.row.case_no),
          },
        }),
      })
    } catch (error) {
      // the same key committed by a concurrent request first: nothing was written; answer as it was answered
      const code = (error as { code?: string }).code
      if (code === KEY_TAKEN || code === '23505') {
        const again = await this.replayIdempotent(actor.accountId, idempotencyKey, requestHash)
        if (again) return again
      }
      throw error
    }
    this.platform.events.nudge()
    this.sendSoon()
    for (const guide of guides)
      await this.deps.catalog.recordApplication?.(guide.implementationId).catch(() => {})
    return answer
  }

  /** Everything checked before a submission is written: declaration, files, guides, form, materials, draft. */
  private async prepareSubmission(input: SubmitCase, actor: AuthenticatedActor): Promise<PreparedSubmission> {
    if (input.declaration !== true) {
      throw invalid([
        {
          path: '/declaration',
          code: 'declaration',
          message: { zh: '请阅读并同意申请承诺', en: 'The declaration must be accepted' },
        },
      ])
    }
    await this.checkOwnFiles(actor, fileRefs(input.materials, '/materials'))
    const resolved = await this.resolveGuides(input)
    await this.checkApplication(resolved.guides, input.formData, input.materials)
    if (input.draftId) await this.getOwnDraft(input.draftId, actor)
    return resolved
  }

  /** Keys stored before this moment are expired (IDEMPOTENCY_KEY_TTL_HOURS). */
  private idempotencyCutoff(): Date {
    return new Date(
      this.platform.clock.now().getTime() - this.platform.config.idempotencyKeyTtlHours * 3_600_000,
    )
  }

  /** Deletes expired idempotency keys (and the query codes in their stored answers); the number deleted. */
  async purgeExpiredIdempotencyKeys(batch = 1_000): Promise<number> {
    const cutoff = this.idempotencyCutoff()
    let total = 0
    for (;;) {
      const deleted = await this.repository.deleteIdempotencyKeys(cutoff, batch)
      total += deleted
      if (deleted < batch) return total
    }
  }

  private async replayIdempotent<Body = SubmittedCase>(
    accountId: string,
    key: string,
    requestHash: string,
  ): Promise<StoredAnswer<Body> | undefined> {
    const stored = await this.repository.findIdempotencyKey(accountId, key)
    // an expired key is forgotten: the request is a new one
    if (!stored || stored.created_at < this.idempotencyCutoff()) return undefined
    if (stored.request_hash !== requestHash) {
      throw new AppError('conflict', {
        detail: {
          zh: '该 Idempotency-Key 已用于另一份申请，请为新的申请使用新的键',
          en: 'This Idempotency-Key was used for a different request; use a new key for a new application',
        },
      })
    }
    return { statusCode: stored.status_code, body: stored.response as Body }
  }

  /**
   * The next 办件编号 of a region and day, from this process's reserved block of sequence numbers (one
   * counter write per block instead of one per case, like a PostgreSQL sequence's cache). A block lasts
   * about a second under load and holds a few numbers when quiet: its size doubles when the previous one
   * was used up within a second and halves when it lasted more than ten.
   */
  private async caseNoFor(regionCode: string, day: string): Promise<string> {
    const region = regionCode.slice(0, 6)
    const key = `${region}/${day}`
    for (;;) {
      const block = this.sequenceBlocks.get(key)
      if (block && block.next <= block.last)
        return generateCaseNo({ regionCode: region, date: day, sequence: block.next++ })
      let reservation = this.sequenceReservations.get(key)
      if (!reservation) {
        const now = Date.now()
        const previous = block ?? this.lastBlockOf(region)
        const lasted = previous ? now - previous.reservedAt : Number.POSITIVE_INFINITY
        const size = !previous
          ? SEQUENCE_BLOCK_MIN
          : lasted < 1_000
            ? Math.min(previous.size * 2, SEQUENCE_BLOCK_MAX)
            : lasted > 10_000
              ? Math.max(Math.floor(previous.size / 2), SEQUENCE_BLOCK_MIN)
              : previous.size
        reservation = this.repository
          .reserveSequences(this.platform.db, region, day, size)
          .then((last) => {
            // blocks of other days are done with
            for (const other of this.sequenceBlocks.keys())
              if (!other.endsWith(`/${day}`)) this.sequenceBlocks.delete(other)
            this.sequenceBlocks.set(key, { next: last - size + 1, last, size, reservedAt: now })
          })
          .finally(() => this.sequenceReservations.delete(key))
        this.sequenceReservations.set(key, reservation)
      }
      await reservation
    }
  }

  /** The latest block of a region on any day (a new day starts with yesterday's pace). */
  private lastBlockOf(region: string): SequenceBlock | undefined {
    let latest: SequenceBlock | undefined
    for (const [key, block] of this.sequenceBlocks)
      if (key.startsWith(`${region}/`) && (!latest || block.reservedAt > latest.reservedAt)) latest = block
    return latest
  }

  private queryCodeHash(caseNo: string, queryCode: string): string {
    return this.platform.vault.blindIndex('case-query-code', `${caseNo}\u0000${queryCode.toUpperCase()}`)
  }

  private async resolveGuides(input: {
    implementationId?: string | undefined
    guideVersion?: number | undefined
    bundleId?: string | undefined
    regionCode?: string | undefined
  }): Promise<{ guides: PublishedGuide[]; bundle?: { bundleId: string; name: string; regionCode: string } }> {
    if (Boolean(input.implementationId) === Boolean(input.bundleId)) {
      throw invalid([
        {
          path: '/implementationId',
          code: 'oneOf',
          message: { zh: '请选择一个事项或一件事', en: 'Name either an item implementation or a bundle' },
        },
      ])
    }
    if (input.bundleId) {
      if (!input.regionCode)
        throw invalid([
          {
            path: '/regionCode',
            code: 'required',
            message: { zh: '请选择办理地区', en: 'Choose the region to apply in' },
          },
        ])
      const bundle = await this.deps.catalog.getBundle(input.bundleId, input.regionCode)
      if (!bundle)
        throw invalid([
          unknownRef('/bundleId', { zh: '一件事不存在或未发布', en: 'Unknown or unpublished bundle' }),
        ])
      const guides: PublishedGuide[] = []
      for (const part of bundle.parts) {
        const guide = await this.deps.catalog.getPublishedVersion(part.implementationId, part.version)
        if (!guide)
          throw new AppError('unprocessable', {
            detail: { zh: '一件事包含未发布的事项', en: 'The bundle contains an unpublished item' },
          })
        guides.push({
          ...guide,
          ...(part.fields ? { fields: part.fields } : {}),
          ...(part.materials ? { materialKeys: part.materials } : {}),
        } as ResolvedGuide)
      }
      return {
        guides,
        bundle: { bundleId: bundle.bundleId, name: bundle.name, regionCode: bundle.regionCode },
      }
    }
    const guide = await this.deps.catalog.getPublishedVersion(input.implementationId!, input.guideVersion)
    if (!guide)
      throw invalid([
        unknownRef('/implementationId', {
          zh: '事项不存在或该版本未发布',
          en: 'Unknown item or unpublished version',
        }),
      ])
    return { guides: [guide] }
  }

  /** Form data through the catalog's schema; every required material present; every file known. */
  private async checkApplication(
    guides: PublishedGuide[],
    formData: Record<string, unknown>,
    materials: MaterialRef[],
  ): Promise<void> {
    const errors: FieldError[] = []
    const seen = new Set<string>()
    for (const guide of guides) {
      const fields = (guide as ResolvedGuide).fields
      for (const error of await this.deps.catalog.validateApplication(
        guide.implementationId,
        guide.version,
        partData(formData, fields),
      )) {
        // a bundle part's own field names are reported under the merged form's names
        const [, own = '', ...rest] = error.path.split('/')
        const path = fields?.[own] ? ['', fields[own], ...rest].join('/') : error.path
        const key = `${path}|${error.code}`
        if (!seen.has(key)) errors.push({ ...error, path: `/formData${path === '/' ? '' : path}` })
        seen.add(key)
      }
    }
    errors.push(...this.materialErrors(guides, materials))
    if (errors.length > 0) throw invalid(errors)
  }

  /** Required materials present, each of a kind the guide accepts; files were checked to be the caller's. */
  private materialErrors(
    guides: PublishedGuide[],
    materials: MaterialRef[],
    onlyKeys?: string[],
  ): FieldError[] {
    const errors: FieldError[] = []
    // a bundle's materials go by their merged keys; one two parts share is required when either requires it
    const known = new Map<string, PublishedGuide['materials'][number]>()
    for (const guide of guides) {
      for (const material of guide.materials) {
        const key = mergedMaterialKey(guide, material.key)
        const seen = known.get(key)
        known.set(key, seen ? { ...seen, required: seen.required || material.required } : material)
      }
    }
    const given = new Set(materials.map((m) => m.key))
    for (const [key, material] of known) {
      if (onlyKeys && !onlyKeys.includes(key)) continue
      if (material.required && !given.has(key)) {
        errors.push({
          path: '/materials',
          code: 'missing-material',
          message: {
            zh: `缺少申请材料：${material.name}`,
            en: `Missing material: ${material.name} (${key})`,
          },
        })
      }
    }
    for (const [i, ref] of materials.entries()) {
      const material = known.get(ref.key)
      if (!material) {
        errors.push({
          path: `/materials/${i}/key`,
          code: 'unknown-material',
          message: { zh: '办事指南中没有该材料', en: 'The guide asks for no such material' },
        })
        continue
      }
      if ('fileSha256' in ref) {
        if (material.source === 'license')
          errors.push({
            path: `/materials/${i}`,
            code: 'license-required',
            message: {
              zh: '该材料须以电子证照提供',
              en: 'This material must come from an electronic license',
            },
          })
      } else if (material.source === 'upload') {
        errors.push({
          path: `/materials/${i}`,
          code: 'upload-required',
          message: { zh: '该材料须上传文件', en: 'This material must be uploaded' },
        })
      }
    }
    return errors
  }

  // ───────────── 一窗受理 (walk-in applications)

  /**
   * 一窗受理: a window clerk files a case for an applicant at the counter — a person by ID card, or a
   * company by business licence with its agent (经办人), filed like an online agent filing (applicant =
   * agent, acting for = company; no online agent authorization is made) — and, when asked, accepts it at
   * once. Accounts the applicant lacks are opened (real-name L3 by counter, no password) in the same
   * transaction as the case, its events, tasks, materials, the idempotency record, outbox events and audit
   * entries: nothing half-written, nothing acknowledged before commit. A retry with the same key gets the
   * original receipt.
   */
  async walkIn(
    input: WalkInCase,
    idempotencyKey: string,
    clerk: AuthenticatedActor,
    who: AuditWho,
  ): Promise<StoredAnswer<WalkInReceipt>> {
    const requestHash = createHash('sha256')
      .update(canonicalJson({ walkIn: input }))
      .digest('hex')
    // not the hot path: the stored receipt is looked for first, so a retry has no side effects at all
    const replayed = await this.replayIdempotent<WalkInReceipt>(clerk.accountId, idempotencyKey, requestHash)
    if (replayed) return replayed
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.fileWalkIn(input, idempotencyKey, requestHash, clerk, who)
      } catch (error) {
        const code = (error as { code?: string }).code
        const raced = code === KEY_TAKEN || code === UNIQUE_VIOLATION
        // the same key committed by a concurrent request first (nothing was written here; a refusal such as
        // "phone in use" may come from the very account that request opened): answer as it was answered
        if (raced || error instanceof AppError) {
          const again = await this.replayIdempotent<WalkInReceipt>(
            clerk.accountId,
            idempotencyKey,
            requestHash,
          )
          if (again) return again
        }
        if (!raced) throw error
        // another window opened the applicant's account meanwhile: look them up again, once
        if (code === UNIQUE_VIOLATION && attempt === 1) continue
        throw new AppError('conflict', {
          cause: error,
          detail: {
            zh: '申请人账户正被同时开立，请稍后重试',
            en: 'The applicant’s account is being opened by another request; retry in a moment',
          },
        })
      }
    }
  }

  private async fileWalkIn(
    input: WalkInCase,
    idempotencyKey: string,
    requestHash: string,
    clerk: AuthenticatedActor,
    who: AuditWho,
  ): Promise<StoredAnswer<WalkInReceipt>> {
    const accounts = this.deps.applicants
    if (!accounts) throw new Error('the cases module has no applicant accounts port')
    const guide = await this.currentGuide(input.implementationId, input.guideVersion)
    const steps = guide.steps && guide.steps.length > 0 ? guide.steps : defaultSteps()
    const acceptStep = steps.find((s) => s.kind === 'accept') ?? steps[0]!
    const scope = {
      regionCode: guide.regionCode,
      departmentId: acceptStep.departmentId ?? guide.departmentId,
    }
    // the clerk must be one who accepts this item's cases: window clerk of its department, in its region
    if (
      !holdsRoleFor(clerk, ['window_clerk'], scope) ||
      (input.accept && !holdsRoleFor(clerk, [acceptStep.role], scope))
    )
      throw new AppError('forbidden', {
        detail: {
          zh: '您不是该事项受理部门、受理地区的窗口受理人员',
          en: 'You are not a window clerk of the department and region that accept this item',
        },
      })

    const now = this.platform.clock.now()
    const day = shanghaiDate(now)
    const applicant = checkWalkInApplicant(input.applicant, day)
    const errors: FieldError[] = [...applicant.errors]
    if (input.declaration !== true)
      errors.push({
        path: '/declaration',
        code: 'declaration',
        message: { zh: '申请人须签署告知承诺书', en: 'The applicant must sign the declaration' },
      })
    await this.checkOwnFiles(clerk, fileRefs(input.materials, '/materials'))
    try {
      await this.checkApplication([guide], input.formData, input.materials)
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'validation')) throw error
      errors.push(...(error.errors ?? []))
    }
    if (errors.length > 0) throw invalid(errors)

    // who they are: accounts found by their numbers must carry the name on the documents
    const mismatch = (path: string, what: LocalizedText) =>
      invalid([{ path, code: 'mismatch', message: what }])
    const personMismatch = (base: string) =>
      mismatch(`${base}/name`, {
        zh: '姓名与该身份证号码的账户不符',
        en: 'The name does not match the account of this ID number',
      })
    const findPerson = async (person: VerifiedPerson, base: string) => {
      const found = await accounts.findPerson(person.idNumber, clerk, who)
      if (found && !accounts.sameName(found.name, person.name)) throw personMismatch(base)
      if (found) return found
      // an account opened here has no password: its holder activates it with a code sent to this phone
      if (!person.phone)
        throw invalid([
          {
            path: `${base}/phone`,
            code: 'required',
            message: {
              zh: '现场开户须填写本人手机号码，用于激活账户和接收办件通知',
              en: 'Opening an account needs the applicant’s own mobile number, to activate it and receive notices',
            },
          },
        ])
      if (await accounts.phoneInUse(person.phone))
        throw invalid([
          {
            path: `${base}/phone`,
            code: 'duplicate',
            message: {
              zh: '该手机号码已被其他账户使用，请核实',
              en: 'Another account uses this phone number; please check it',
            },
          },
        ])
      return undefined
    }
    const person = applicant.person!
    const personBase = applicant.company ? '/applicant/agent' : '/applicant'
    const foundPerson = await findPerson(person, personBase)
    let foundCompany: ApplicantAccount | undefined
    if (applicant.company) {
      foundCompany = await accounts.findCompany(applicant.company.uscc)
      if (foundCompany && !accounts.sameName(foundCompany.name, applicant.company.name))
        throw mismatch('/applicant/name', {
          zh: '企业名称与该统一社会信用代码的账户不符',
          en: 'The company name does not match the account of this credit code',
        })
    }

    const [calendar, departmentName] = await Promise.all([
      this.calendar(),
      this.deps.departments?.findDepartmentName(guide.departmentId),
    ])
    const queryCode = newQueryCode()
    const caseNo = await this.caseNoFor(guide.regionCode, day)
    const caseId = crypto.randomUUID()
    const submitted = applyEvent(initialState, {
      type: 'submitted',
      day,
      data: { reviewSteps: steps.filter((s) => s.kind === 'review').length, bundle: false },
    })
    const accepted = input.accept ? applyEvent(submitted, { type: 'accepted', day }) : undefined
    const materials = materialsFor(guide, input.materials)
    const channel = { channel: 'window', clerkName: clerk.name }

    const open = async (
      trx: Transaction<Database>,
      account: Parameters<ApplicantAccountsPort['open']>[1],
      base: string,
    ) => {
      try {
        return await accounts.open(trx, account, clerk, who)
      } catch (error) {
        // the identity module names fields of the account; the caller sent them under the applicant
        if (error instanceof AppError && error.code === 'validation' && error.errors)
          throw invalid(error.errors.map((e) => ({ ...e, path: `${base}${e.path}` })))
        throw error
      }
    }

    const receipt = await this.platform.db.transaction().execute(async (trx) => {
      const agent =
        foundPerson ??
        (await open(
          trx,
          { kind: 'person', name: person.name, idNumber: person.idNumber, phone: person.phone },
          personBase,
        ))
      const company =
        applicant.company &&
        (foundCompany ??
          (await open(
            trx,
            { kind: 'company', name: applicant.company.name, uscc: applicant.company.uscc },
            '/applicant',
          )))
      const created = [...(foundPerson ? [] : [agent.id]), ...(company && !foundCompany ? [company.id] : [])]
      const row = {
        id: caseId,
        case_no: caseNo,
        query_code_hash: this.queryCodeHash(caseNo, queryCode),
        applicant_id: agent.id,
        acting_for_id: company?.id ?? null,
        applicant_name: company?.name ?? agent.name,
        applicant_kind: company ? 'company' : 'person',
        implementation_id: guide.implementationId,
        guide_version: guide.version,
        item_code: guide.itemCode,
        item_name: guide.itemName,
        bundle_id: null,
        parent_id: null,
        region_code: guide.regionCode,
        department_id: guide.departmentId,
        status: 'submitted',
        version: 1,
        form_data_enc: this.encryptFormData(input.formData),
        state: submitted,
        workflow: steps,
        processing_kind: guide.processingKind,
        legal_limit_days: guide.legalLimitDays,
        promised_limit_days: guide.promisedLimitDays,
        submitted_at: now,
        updated_at: now,
      }
      // the acceptance's projection, as an ordinary accept computes it from the case as submitted
      const projection = accepted
        ? this.projectionOf(
            {
              ...row,
              accepted_on: null,
              paused_since: null,
              paused_working_days: 0,
              completed_on: null,
            } as unknown as CaseRecord,
            accepted,
            calendar,
          )
        : undefined
      const answer: WalkInReceipt = {
        id: caseId,
        caseNo,
        queryCode,
        status: accepted?.status ?? 'submitted',
        version: accepted ? 2 : 1,
        itemName: guide.itemName,
        departmentName: departmentName ?? '',
        applicant: {
          kind: company ? 'company' : 'person',
          name: company?.name ?? agent.name,
          maskedId: maskIdNumber(applicant.company?.uscc ?? person.idNumber),
          agent: company
            ? { name: agent.name, maskedId: maskIdNumber(person.idNumber), accountCreated: !foundPerson }
            : null,
          accountCreated: company ? !foundCompany : !foundPerson,
        },
        acceptedAt: accepted ? now.toISOString() : null,
        legalDeadline: (projection?.legal_deadline as string | null | undefined) ?? null,
        promisedDeadline: (projection?.promised_deadline as string | null | undefined) ?? null,
        materials: materials.map((m) => ({ key: m.key, name: m.name })),
        clerk: { name: clerk.name },
      }
      await this.writeSubmission(trx, {
        cases: [row],
        events: [
          {
            case_id: caseId,
            seq: 1,
            region_code: row.region_code,
            type: 'submitted',
            actor_kind: 'staff',
            actor_id: clerk.accountId,
            actor_name: clerk.name,
            occurred_at: now,
            comment: input.comment ?? null,
            attachments: [],
            data: channel,
          },
        ],
        tasks: [
          {
            case_id: caseId,
            step: acceptStep.key,
            department_id: scope.departmentId,
            region_code: guide.regionCode,
            role: acceptStep.role,
            created_at: now,
          },
        ],
        materials: materialRows(caseId, materials, now),
        draftId: null,
        idempotencyKey: {
          account_id: clerk.accountId,
          key: idempotencyKey,
          request_hash: requestHash,
          status_code: 201,
          response: answer,
          created_at: now,
        },
        outbox: [milestoneEvent(row, 'submitted', 1)],
        notify: [caseId],
        notifyData: { queryCodeEnc: this.platform.vault.encrypt(queryCode) },
        audit: this.platform.audit.jsonEntry({
          ...who,
          action: 'case.walk-in',
          resourceType: 'case',
          resourceId: caseId,
          regionCode: row.region_code,
          outcome: 'success',
          details: {
            caseNo,
            implementationId: guide.implementationId,
            channel: 'window',
            clerkName: clerk.name,
            applicantId: agent.id,
            actingForId: company?.id ?? null,
            applicantKind: row.applicant_kind,
            applicant: answer.applicant.maskedId,
            accountsCreated: created,
            accept: input.accept,
          },
        }),
      })
      if (accepted && projection) {
        const next = nextStep(accepted, steps)
        await this.writeMove(trx, {
          id: caseId,
          version: 1,
          changes: { ...projection, accepted_at: now, state: accepted, updated_at: now },
          event: {
            seq: 2,
            region_code: row.region_code,
            type: 'accepted',
            actor_kind: 'staff',
            actor_id: clerk.accountId,
            actor_name: clerk.name,
            occurred_at: now,
            comment: null,
            attachments: [],
            data: channel,
          },
          closeTask: 'done',
          openTask: next
            ? {
                step: next.key,
                department_id: next.departmentId ?? guide.departmentId,
                role: next.role,
                region_code: row.region_code,
              }
            : null,
          outbox: milestoneEvent(row, 'accepted', 2),
          notify: notifies(row, 'accepted'),
          audit: this.platform.audit.jsonEntry({
            ...who,
            action: 'case.accept',
            resourceType: 'case',
            resourceId: caseId,
            regionCode: row.region_code,
            outcome: 'success',
            details: { caseNo, from: 'submitted', to: accepted.status, version: 2, channel: 'window' },
          }),
        })
      }
      return answer
    })
    this.platform.events.nudge()
    this.sendSoon()
    await this.deps.catalog.recordApplication?.(guide.implementationId).catch(() => {})
    return { statusCode: 201, body: receipt }
  }

  /** The current published version of an implementation; 400 when unknown, or when `version` is not it. */
  private async currentGuide(implementationId: string, version: number | undefined): Promise<PublishedGuide> {
    const guide = await this.deps.catalog.getPublishedVersion(implementationId)
    if (!guide)
      throw invalid([
        unknownRef('/implementationId', { zh: '事项不存在或未发布', en: 'Unknown or unpublished item' }),
      ])
    if (version !== undefined && version !== guide.version)
      throw invalid([
        {
          path: '/guideVersion',
          code: 'not-current',
          message: {
            zh: `办事指南已更新（当前第 ${guide.version} 版），请按现行指南受理`,
            en: `The guide has changed (now version ${guide.version}); apply under the current one`,
          },
        },
      ])
    return guide
  }

  // ───────────── reading

  /** A case its applicant (or the company an agent acts for) or staff of its departments may see; 404 to anyone else. */
  async getVisible(id: string, actor: AuthenticatedActor): Promise<CaseRecord> {
    const record = await this.repository.findById(id)
    if (!record || !this.canSee(record, actor)) throw notFound({ zh: '办件不存在', en: 'No such case' })
    return record
  }

  canSee(record: CaseRecord, actor: AuthenticatedActor): boolean {
    if (actor.kind !== 'staff') return isOwner(record, actor)
    const steps = record.workflow as unknown as WorkflowStep[]
    const departments = new Set([
      record.department_id,
      ...steps.map((s) => s.departmentId ?? record.department_id),
    ])
    return [...departments].some((departmentId) =>
      holdsRoleFor(actor, CASE_READERS, { regionCode: record.region_code, departmentId }),
    )
  }

  /** A case with its timeline, materials, parts and time limit, in one read; 404 to whoever may not see it. */
  async detail(id: string, actor: AuthenticatedActor): Promise<CaseDetail> {
    const [found, calendar] = await Promise.all([this.findVisibleWithHistory(id, actor), this.calendar()])
    const { record, events, materials, children } = found
    return {
      record,
      formData: this.formDataOf(record),
      events,
      materials,
      children,
      timeLimit: this.timeLimitOf(record, calendar),
    }
  }

  private async findVisibleWithHistory(id: string, actor: AuthenticatedActor): Promise<CaseWithHistory> {
    const found = await this.findWithHistory(id)
    if (!found || !this.canSee(found.record, actor)) throw notFound({ zh: '办件不存在', en: 'No such case' })
    return found
  }

  /** Form data as stored: SM4-encrypted JSON, as it holds personal identifiers (ID numbers, phones). */
  private encryptFormData(data: Record<string, unknown>): string {
    return this.platform.vault.encrypt(JSON.stringify(data))
  }

  /**
   * The form data of a case or draft in clear (a row from before encryption as it is). Only for whoever
   * may see the case: its applicant, staff of its departments, and modules acting on their behalf.
   */
  formDataOf(row: { form_data: unknown; form_data_enc: string | null }): Record<string, unknown> {
    if (row.form_data_enc) return JSON.parse(this.platform.vault.decrypt(row.form_data_enc))
    return (row.form_data ?? {}) as Record<string, unknown>
  }

  /**
   * Encrypts the form data of cases and drafts stored in plaintext before form data was encrypted, in
   * batches (rows another node is encrypting are skipped); run when a node starts. The number encrypted.
   */
  async encryptPlaintextFormData(batch = 500): Promise<number> {
    let total = 0
    for (const table of ['cases', 'case_drafts'] as const) {
      for (;;) {
        const done = await this.platform.db.transaction().execute(async (trx) => {
          const rows = await this.repository.findPlaintextFormData(trx, table, batch)
          for (const row of rows)
            await this.repository.storeEncryptedFormData(
              trx,
              table,
              row.id,
              this.encryptFormData((row.form_data ?? {}) as Record<string, unknown>),
            )
          return rows.length
        })
        total += done
        if (done < batch) break
      }
    }
    return total
  }

  timeLimitOf(record: TimeLimitColumns, calendar: WorkingDayCalendar): Warning & { facts: TimeLimitFacts } {
    const facts = factsOf(record)
    const deadlines = record.deadline_unknown
      ? deadlinesOf(calendar, facts)
      : record.promised_deadline && record.legal_deadline
        ? { known: true as const, legal: record.legal_deadline, promised: record.promised_deadline }
        : undefined
    return { ...warningOf(calendar, facts, deadlines, shanghaiDate(this.platform.clock.now())), facts }
  }

  /** The time limit of a task's case. */
  taskTimeLimit(row: TaskWithCase, calendar: WorkingDayCalendar): TimeLimitSummary {
    return this.timeLimitSummary({ ...row, status: row.case_status }, calendar)
  }

  /** The time limit in brief, as task queues and searches show it next to each case. */
  timeLimitSummary(record: TimeLimitColumns, calendar: WorkingDayCalendar): TimeLimitSummary {
    const limit = this.timeLimitOf(record, calendar)
    return {
      acceptedAt: record.accepted_at?.toISOString() ?? null,
      acceptedOn: record.accepted_on,
      legalDeadline: record.legal_deadline,
      promisedDeadline: record.promised_deadline,
      workingDaysLeft: limit.workingDaysLeft,
      level: limit.level,
      clockStopped: record.paused_since !== null,
      warning: limit.warning,
    }
  }

  /**
   * 办件查询 (staff): cases in the caller's scope — the departments and region subtrees of their case-reading
   * grants, the same rule as `canSee` — by case number (prefix), item, status, applicant name prefix and
   * date of submission, newest first. A search by applicant name looks a person up, so it is audited.
   */
  async search(actor: AuthenticatedActor, query: CaseSearchQuery, who: AuditWho) {
    const scopes = actor.roles
      .filter((g) => CASE_READERS.includes(g.role))
      .map((g) => ({ regionPrefix: regionPrefix(g.regionCode), departmentId: g.departmentId }))
    const calendar = await this.calendar()
    if (scopes.length === 0) return { items: [], total: 0, calendar }
    const startOf = (day: string) => new Date(`${day}T00:00:00+08:00`)
    const result = await this.repository.search({
      scopes,
      ...(query.caseNo ? { caseNoPrefix: query.caseNo.trim().toUpperCase() } : {}),
      ...(query.item ? { item: query.item.trim() } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.applicant ? { applicantPrefix: query.applicant.trim() } : {}),
      ...(query.from ? { submittedFrom: startOf(query.from) } : {}),
      ...(query.to ? { submittedBefore: new Date(startOf(query.to).getTime() + 86_400_000) } : {}),
      limit: query.limit ?? 20,
      offset: query.offset ?? 0,
    })
    if (query.applicant) {
      await this.platform.db.transaction().execute((trx) =>
        this.platform.audit.append(trx, {
          ...who,
          action: 'case.search',
          resourceType: 'case',
          resourceId: null,
          regionCode: null,
          outcome: 'success',
          details: { ...query, found: result.total },
        }),
      )
    }
    return { ...result, calendar }
  }

  /**
   * A material file of a case, for its applicant and for staff who may see the case (404 to anyone else,
   * and for a file the case does not list). Every staff download is audited before a byte is sent.
   */
  async openMaterial(caseId: string, sha256: string, actor: AuthenticatedActor, who: AuditWho) {
    const record = await this.getVisible(caseId, actor)
    const material = await this.repository.findMaterialFile(caseId, sha256)
    const file = material && (await this.platform.files.find(sha256))
    if (!material || !file) throw notFound({ zh: '材料不存在', en: 'No such material' })
    if (actor.kind === 'staff') {
      await this.platform.db.transaction().execute((trx) =>
        this.platform.audit.append(trx, {
          ...who,
          action: 'case.material.download',
          resourceType: 'case',
          resourceId: record.id,
          regionCode: record.region_code,
          outcome: 'success',
          details: {
            caseNo: record.case_no,
            materialKey: material.material_key,
            sha256,
            name: material.name,
          },
        }),
      )
    }
    return { file, name: material.name, content: await this.platform.files.read(sha256) }
  }

  async listMine(actor: AuthenticatedActor, filter: { status?: string; limit: number; offset: number }) {
    const status = CASE_STATUSES.find((s) => s === filter.status)
    if (filter.status !== undefined && !status)
      return { items: [], total: 0, calendar: await this.calendar() }
    const accountIds = [actor.accountId, ...(actor.actingFor ? [actor.actingFor.accountId] : [])]
    const [result, calendar] = await Promise.all([
      this.repository.findForApplicant({
        accountIds,
        limit: filter.limit,
        offset: filter.offset,
        ...(status ? { status } : {}),
      }),
      this.calendar(),
    ])
    return { ...result, calendar }
  }

  /** 办件进度查询: status and milestones for whoever holds the case number and query code; 404 otherwise. */
  async progress(caseNo: string, queryCode: string) {
    const row = await this.findProgress(caseNo.trim().toUpperCase())
    const given = Buffer.from(this.queryCodeHash(caseNo.trim().toUpperCase(), queryCode.trim()), 'hex')
    // compare against something even for an unknown number, so timing does not tell which numbers exist
    const expected = Buffer.from(row?.query_code_hash ?? '0'.repeat(given.length * 2), 'hex')
    const match = expected.length === given.length && timingSafeEqual(expected, given)
    if (!row || !match)
      throw notFound({ zh: '办件编号或查询码不正确', en: 'Wrong case number or query code' })
    return row
  }

  // ───────────── lifecycle

  /**
   * Makes a move on a case: checks who may (403), the version the caller saw (409 stale-version) and the
   * state (409 invalid-transition naming the moves possible now), then appends the event, updates the
   * projection, moves the task, and writes the outbox event and the audit entry in one transaction.
   * Answers the case as it now is, built from what was read before and written in the transaction (the
   * version check guarantees nobody changed it in between).
   */
  async move(
    id: string,
    move: CaseMove,
    body: CaseMoveBody,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<CaseDetail> {
    const [found, calendar] = await Promise.all([this.findVisibleWithHistory(id, actor), this.calendar()])
    const { record, liveTask: live } = found
    const state = record.state as unknown as CaseState
    const steps = record.workflow as unknown as WorkflowStep[]
    const spec = MOVES[move]
    if (spec.by === 'applicant' ? actor.kind === 'staff' : !this.mayWork(record, move, state, actor))
      throw new AppError('forbidden', {
        detail: { zh: '您无权在该部门办理此环节', en: 'You may not make this move for this department' },
      })
    if (record.version !== body.version) throw staleVersion(record.version)
    const allowed = movesOf(state, record.parent_id !== null)
    if (!allowed.includes(move)) throw invalidMove(record, move, allowed)
    this.checkMoveBody(move, body)
    await this.checkOwnFiles(actor, [
      ...fileRefs(body.materials ?? [], '/materials'),
      ...fileRefs(body.attachments ?? [], '/attachments'),
    ])
    if (move === 'resubmit') await this.checkResubmission(record, body, found.events)
    if (
      spec.by === 'staff' &&
      live?.status === 'claimed' &&
      live.claimed_by !== actor.accountId &&
      !['suspend', 'resume'].includes(move)
    ) {
      throw new AppError('conflict', {
        detail: { zh: `该任务已由 ${live.claimed_by} 签收`, en: `The task is claimed by ${live.claimed_by}` },
      })
    }

    const now = this.platform.clock.now()
    const today = shanghaiDate(now)
    const data: Record<string, unknown> = {}
    if (body.reason) data.reason = body.reason
    if (body.legalBasis) data.legalBasis = body.legalBasis
    if (body.items) data.items = body.items
    if (body.method) data.method = body.method
    if (body.trackingNumber) data.trackingNumber = body.trackingNumber
    if (body.licenseId) data.licenseId = body.licenseId
    let approximatePause = false
    if ((move === 'resume' || move === 'resubmit') && state.pausedSince) {
      const paused = pausedDays(calendar, state.pausedSince, today)
      data.pausedWorkingDays = paused.days
      approximatePause = !paused.exact
    }
    const next = applyEvent(state, { type: spec.event, day: today, data })
    const projection = this.projectionOf(record, next, calendar)
    if (spec.event === 'accepted') projection.accepted_at = now
    if (approximatePause) projection.supervision_flag = 'calendar-missing'
    const formData = move === 'resubmit' && body.formData ? body.formData : undefined
    if (formData) {
      projection.form_data_enc = this.encryptFormData(formData)
      projection.form_data = null
    }
    // the task the case waits on next: the live one stays when it is the same step (a claim survives a
    // suspension), otherwise it is closed and the next step's opened
    const step = nextStep(next, steps)
    const target = step && {
      step: step.key,
      department_id: step.departmentId ?? record.department_id!,
      role: step.role,
      region_code: record.region_code,
    }
    const keep =
      live &&
      target &&
      live.step === target.step &&
      live.department_id === target.department_id &&
      live.role === target.role
    const event = {
      seq: record.version + 1,
      region_code: record.region_code,
      type: spec.event,
      actor_kind: actor.kind,
      actor_id: actor.accountId,
      actor_name: actor.name,
      occurred_at: now,
      comment: body.comment ?? null,
      attachments: body.attachments ?? [],
      data,
    }
    let withdrawal: { withdrawnParts: string[]; decidedParts: string[] } | undefined
    const auditEntry = (): AuditEntry => ({
      ...who,
      action: `case.${move}`,
      resourceType: 'case',
      resourceId: id,
      regionCode: record.region_code,
      outcome: 'success',
      details: {
        caseNo: record.case_no,
        from: record.status,
        to: next.status,
        version: record.version + 1,
        ...(withdrawal ?? {}),
      },
    })
    // built when written: a bundle's withdrawal adds what happened to its parts to the audit entry
    const row = (): MoveRow => ({
      id,
      version: record.version,
      changes: { ...projection, state: next, updated_at: now },
      event,
      closeTask: live && !keep ? (next.status === 'withdrawn' ? 'cancelled' : 'done') : null,
      openTask: target && !keep ? target : null,
      outbox: milestoneEvent(record, spec.event, record.version + 1, next.decision),
      notify: notifies(record, spec.event),
      audit: this.platform.audit.jsonEntry(auditEntry()),
    })
    const withdrawingBundle = state.isBundle && move === 'withdraw'
    const replacingMaterials = move === 'resubmit' && (body.materials?.length ?? 0) > 0
    const decidingPart =
      record.parent_id !== null &&
      (spec.event === 'approved' || spec.event === 'denied' || spec.event === 'refused')
    try {
      if (!withdrawingBundle && !replacingMaterials && !decidingPart) {
        // the common move: one statement, committed on its own, together with the moves arriving with it
        await this.writeTogether(row())
      } else {
        await this.platform.db.transaction().execute(async (trx) => {
          // a bundle withdrawn takes its parts with it; their rows are locked before the parent's, in the
          // order a part's decision locks them (part, then parent), so the two never deadlock
          if (withdrawingBundle) {
            withdrawal = await this.withdrawParts(trx, record, actor, now, calendar)
            Object.assign(data, withdrawal)
          }
          await this.writeMove(trx, row())
          if (replacingMaterials) {
            await this.repository.supersedeMaterials(
              trx,
              id,
              body.materials!.map((m) => m.key),
              now,
            )
            await this.repository.insertMaterials(trx, materialRows(id, body.materials!, now))
          }
          if (decidingPart) await this.decideParent(trx, record, next, data, now)
        })
      }
    } catch (error) {
      if ((error as { code?: string }).code === MOVED_ON) throw staleVersion(record.version + 1)
      throw error
    }
    this.platform.events.nudge()
    this.sendSoon()

    const after = {
      ...record,
      ...(projection as Partial<CaseRecord>),
      state: next as unknown as CaseRecord['state'],
      version: record.version + 1,
      updated_at: now,
    }
    const replaced = new Set(move === 'resubmit' ? (body.materials ?? []).map((m) => m.key) : [])
    const withdrawn = new Set(withdrawal?.withdrawnParts ?? [])
    return {
      record: after,
      formData: formData ?? this.formDataOf(record),
      events: [
        ...found.events,
        {
          ...event,
          case_id: id,
          attachments: event.attachments as unknown as CaseEventRecord['attachments'],
          data: event.data as unknown as CaseEventRecord['data'],
        },
      ],
      materials:
        replaced.size > 0
          ? [
              ...found.materials.filter((m) => !replaced.has(m.material_key)),
              ...materialRows(id, body.materials ?? [], now).map((m) => ({ ...m, superseded_at: null })),
            ]
          : found.materials,
      children: found.children.map((c) => (withdrawn.has(c.case_no) ? { ...c, status: 'withdrawn' } : c)),
      timeLimit: this.timeLimitOf(after, calendar),
    }
  }

  /**
   * 一件事撤回: every part of the bundle still before its decision is withdrawn with it (an event of its own,
   * its department task cancelled); a part already decided keeps its decision. Runs in the parent's
   * withdrawal transaction, so the bundle and its parts are withdrawn together or not at all.
   */
  private async withdrawParts(
    trx: Transaction<Database>,
    parent: CaseRecord,
    actor: AuthenticatedActor,
    now: Date,
    calendar: WorkingDayCalendar,
  ): Promise<{ withdrawnParts: string[]; decidedParts: string[] }> {
    const withdrawnParts: string[] = []
    const decidedParts: string[] = []
    for (const { id } of await this.repository.findChildren(parent.id, trx)) {
      const part = (await this.repository.findByIdForUpdate(trx, id))!
      const state = part.state as unknown as CaseState
      if (!allowedMoves(state).includes('withdraw')) {
        decidedParts.push(part.case_no)
        continue
      }
      const next = applyEvent(state, { type: 'withdrawn', day: shanghaiDate(now) })
      if (
        !(await this.repository.updateProjection(trx, part.id, part.version, {
          ...this.projectionOf(part, next, calendar),
          state: JSON.stringify(next),
          updated_at: now,
        }))
      )
        throw staleVersion(part.version)
      await this.repository.insertEvent(trx, {
        case_id: part.id,
        seq: part.version + 1,
        region_code: part.region_code,
        type: 'withdrawn',
        actor_kind: actor.kind,
        actor_id: actor.accountId,
        actor_name: actor.name,
        occurred_at: now,
        comment: '随一件事整体撤回',
        attachments: [],
        data: { parentCaseNo: parent.case_no },
      })
      await this.moveTask(trx, part, part.workflow as unknown as WorkflowStep[], next, now)
      await this.publish(trx, part, 'withdrawn', part.version + 1)
      withdrawnParts.push(part.case_no)
    }
    return { withdrawnParts, decidedParts }
  }

  /** Whether a staff member holds the role of the step the move belongs to, in its department and region. */
  private mayWork(record: CaseRecord, move: CaseMove, state: CaseState, actor: AuthenticatedActor): boolean {
    if (actor.kind !== 'staff') return false
    const steps = record.workflow as unknown as WorkflowStep[]
    const byKind = (kind: WorkflowStep['kind']) => steps.filter((s) => s.kind === kind)
    const review = byKind('review')[state.reviewsDone] ?? byKind('review')[0]
    let candidates: WorkflowStep[]
    switch (move) {
      case 'startPreReview':
      case 'accept':
      case 'refuse':
        candidates = byKind('accept')
        break
      case 'requestCorrection':
        candidates = state.acceptedOn && review ? [review] : byKind('accept')
        break
      case 'review':
        candidates = review ? [review] : []
        break
      case 'approve':
      case 'deny':
      case 'complete':
        candidates = byKind('decide')
        break
      case 'deliver':
        candidates = [...byKind('accept'), ...byKind('decide')]
        break
      default:
        candidates = steps
    }
    return candidates.some((step) =>
      holdsRoleFor(actor, [step.role], {
        regionCode: record.region_code,
        departmentId: step.departmentId ?? record.department_id,
      }),
    )
  }

  private checkMoveBody(move: CaseMove, body: CaseMoveBody): void {
    const need = (path: string, ok: unknown, message: LocalizedText): FieldError[] =>
      ok ? [] : [{ path, code: 'required', message }]
    const errors: FieldError[] = []
    if (move === 'refuse') {
      errors.push(
        ...need('/reason', body.reason, { zh: '不予受理须说明理由', en: 'A refusal needs a reason' }),
      )
      errors.push(
        ...need('/legalBasis', body.legalBasis, {
          zh: '不予受理须写明法律依据',
          en: 'A refusal needs its legal basis',
        }),
      )
    }
    if (move === 'deny')
      errors.push(
        ...need('/reason', body.reason, { zh: '不予许可须说明理由', en: 'A denial needs a reason' }),
      )
    if (move === 'suspend')
      errors.push(
        ...need('/reason', body.reason, {
          zh: '中止须说明理由（如现场核查、听证）',
          en: 'A suspension needs a reason (e.g. inspection, hearing)',
        }),
      )
    if (move === 'requestCorrection')
      errors.push(
        ...need('/items', body.items?.length, {
          zh: '须一次性告知全部需补正的材料和内容',
          en: 'List everything to correct, at once',
        }),
      )
    if (move === 'deliver') {
      errors.push(
        ...need('/method', body.method, { zh: '请选择出件方式', en: 'Choose how the result is delivered' }),
      )
      if (body.method === 'post')
        errors.push(
          ...need('/trackingNumber', body.trackingNumber, {
            zh: '邮寄须填写运单号',
            en: 'Delivery by post needs a tracking number',
          }),
        )
    }
    if (errors.length > 0) throw invalid(errors)
  }

  /** A resubmission must fix what was asked: every material listed as missing or defective is supplied again. */
  private async checkResubmission(
    record: CaseRecord,
    body: CaseMoveBody,
    events: CaseEventRecord[],
  ): Promise<void> {
    const request = [...events].reverse().find((e) => e.type === 'correction_requested')
    const items = ((request?.data as { items?: { kind: string; key: string }[] })?.items ?? []).filter(
      (i) => i.kind === 'material',
    )
    const given = new Set((body.materials ?? []).map((m) => m.key))
    const errors: FieldError[] = items
      .filter((i) => !given.has(i.key))
      .map((i) => ({
        path: '/materials',
        code: 'missing-material',
        message: { zh: `请补正材料：${i.key}`, en: `Please supply material ${i.key}` },
      }))
    if (record.implementation_id && record.guide_version) {
      const guide = await this.deps.catalog.getPublishedVersion(
        record.implementation_id,
        record.guide_version,
      )
      if (guide) {
        if (body.formData) {
          for (const e of await this.deps.catalog.validateApplication(
            guide.implementationId,
            guide.version,
            body.formData,
          ))
            errors.push({ ...e, path: `/formData${e.path === '/' ? '' : e.path}` })
        }
        errors.push(...this.materialErrors([guide], body.materials ?? [], []))
      }
    }
    if (errors.length > 0) throw invalid(errors)
  }

  /** The projection columns of a new state: status, deadlines, completion. */
  private projectionOf(record: CaseRecord, next: CaseState, calendar: WorkingDayCalendar) {
    const projection: Partial<Record<keyof Database['cases'], unknown>> = {
      status: next.status,
      accepted_on: next.acceptedOn,
      paused_since: next.pausedSince,
      paused_working_days: next.pausedWorkingDays,
    }
    if (next.acceptedOn && !next.pausedSince) {
      const deadlines = deadlinesOf(calendar, {
        ...factsOf(record),
        acceptedOn: next.acceptedOn,
        pausedWorkingDays: next.pausedWorkingDays,
      })
      if (deadlines?.known) {
        Object.assign(projection, {
          legal_deadline: deadlines.legal,
          promised_deadline: deadlines.promised,
          deadline_unknown: false,
          supervision_flag: null,
        })
      } else if (deadlines) {
        Object.assign(projection, {
          legal_deadline: null,
          promised_deadline: null,
          deadline_unknown: true,
          supervision_flag: 'calendar-missing',
        })
      }
    }
    if (next.completedOn && !record.completed_on) {
      projection.completed_on = next.completedOn
      if (next.acceptedOn) {
        const elapsed = pausedDays(calendar, next.acceptedOn, next.completedOn)
        projection.elapsed_working_days = Math.max(0, elapsed.days - next.pausedWorkingDays)
      }
    }
    return projection
  }

  /** Closes the live task and opens the next step's, unless it is the same step (a claim survives a suspension). */
  private async moveTask(
    trx: Transaction<Database>,
    record: CaseRecord,
    steps: WorkflowStep[],
    next: CaseState,
    now: Date,
  ): Promise<void> {
    const live = await this.repository.findLiveTask(trx, record.id)
    const step = nextStep(next, steps)
    const target = step && {
      step: step.key,
      department_id: step.departmentId ?? record.department_id!,
      role: step.role,
    }
    if (
      live &&
      target &&
      live.step === target.step &&
      live.department_id === target.department_id &&
      live.role === target.role
    )
      return
    if (live)
      await this.repository.closeTask(trx, live.id, now, next.status === 'withdrawn' ? 'cancelled' : 'done')
    if (target)
      await this.repository.insertTask(trx, {
        case_id: record.id,
        ...target,
        region_code: record.region_code,
        created_at: now,
      })
  }

  /**
   * 并联审批: when a part of a bundle is decided, its parent is approved once every part is, or denied as soon
   * as one is, naming the department and its reason. The parent row lock serializes parts decided at once.
   */
  private async decideParent(
    trx: Transaction<Database>,
    child: CaseRecord,
    next: CaseState,
    data: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    const parent = await this.repository.findByIdForUpdate(trx, child.parent_id!)
    if (parent?.status !== 'submitted') return
    const siblings = await this.repository.findChildren(parent.id, trx)
    const decisions = siblings.map((s) => (s.id === child.id ? next : (s.state as unknown as CaseState)))
    const deniedHere = next.status === 'denied' || next.status === 'refused'
    const allApproved = decisions.every((s) => s.decision === 'approved')
    if (!deniedHere && !allApproved) return
    let state = parent.state as unknown as CaseState
    let version = parent.version
    const today = shanghaiDate(now)
    const append = async (
      type: CaseEventType,
      eventData: Record<string, unknown>,
      comment: string | null,
    ) => {
      state = applyEvent(state, { type, day: today })
      if (
        !(await this.repository.updateProjection(trx, parent.id, version, {
          status: state.status,
          state: JSON.stringify(state),
          completed_on: state.completedOn,
          updated_at: now,
        }))
      )
        throw staleVersion(version)
      version += 1
      await this.repository.insertEvent(trx, {
        case_id: parent.id,
        seq: version,
        region_code: parent.region_code,
        type,
        actor_kind: 'system',
        actor_id: null,
        actor_name: null,
        occurred_at: now,
        comment,
        attachments: [],
        data: eventData,
      })
      await this.publish(trx, parent, type, version, state.decision)
    }
    if (deniedHere) {
      await append(
        'denied',
        {
          departmentId: child.department_id,
          itemName: child.item_name,
          caseNo: child.case_no,
          reason: data.reason ?? null,
        },
        `${child.item_name}：${String(data.reason ?? '不予办理')}`,
      )
    } else {
      await append('approved', { parts: siblings.map((s) => s.case_no) }, null)
    }
    await append('completed', {}, null)
  }

  private async publish(
    trx: Transaction<Database>,
    record: MilestoneSource,
    type: CaseEventType,
    seq: number,
    decision: CaseState['decision'] = null,
  ): Promise<void> {
    await this.repository.publishEvent(
      trx,
      this.platform.events.publishQuery([milestoneEvent(record, type, seq, decision)]),
      notifies(record, type),
    )
  }

  /**
   * Sends waiting milestone notifications soon, in processes that do background work (worker or all):
   * after each committed step, at most once per 50 ms. API-only processes leave them to the workers' poll.
   */
  private sendSoon(): void {
    if (this.platform.config.role === 'api' || this.sendScheduled) return
    this.sendScheduled = true
    setTimeout(() => {
      this.sendScheduled = false
      void this.sendNotifications().catch((err) =>
        this.platform.logger.error({ err }, 'sending case notifications failed'),
      )
    }, 50).unref()
  }

  /**
   * Sends the milestone notifications waiting to be sent, each case's in order; a failed one is retried
   * later (and holds back the case's later ones). At least once: a process dying between sending and
   * recording it sends it again. Calls in one process run one after another. The number sent.
   */
  sendNotifications(limit = 100): Promise<number> {
    const run = this.sending.then(() => this.sendWaitingNotifications(limit))
    this.sending = run.catch(() => 0)
    return run
  }

  private async sendWaitingNotifications(limit: number): Promise<number> {
    let sent = 0
    for (;;) {
      const claimed = await this.repository.claimNotifications(limit, 15)
      const sentIds: number[] = []
      // a batch holds at most one milestone per case (its oldest waiting), so they may go out side by side
      // without changing any case's order: a few at a time, as a provider round trip is mostly waiting
      let next = 0
      const sender = async () => {
        for (let row = claimed[next++]; row; row = claimed[next++]) {
          try {
            await this.notifyMilestone(row.topic, row.payload as MilestonePayload)
            sentIds.push(row.event_id)
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error)
            this.platform.logger.warn(
              { eventId: row.event_id, err: error },
              'case notification failed; will retry',
            )
            await this.repository.failNotification(row.event_id, message)
          }
        }
      }
      await Promise.all(Array.from({ length: NOTIFICATION_SENDERS }, sender))
      // the sent ones are forgotten together (one statement per batch); a process dying before this
      // statement sends them again: at least once
      await this.repository.deleteNotifications(sentIds)
      const sentNow = sentIds.length
      sent += sentNow
      // a case's next milestone becomes claimable once the one before it is sent
      if (sentNow === 0) return sent
    }
  }

  /** Tells the applicant of a milestone, by e-mail when known and by SMS. */
  async notifyMilestone(topic: string, payload: MilestonePayload): Promise<void> {
    const type = topic.replace(/^case\./, '') as CaseEventType
    const contact = await this.deps.contacts?.findContact(payload.applicantId)
    const params: Record<string, string> = {
      caseNo: payload.caseNo,
      itemName: payload.itemName,
      milestone: type,
      seq: String(payload.seq),
    }
    // a walk-in's applicant was handed the query code on paper; the message repeats it
    if (payload.queryCodeEnc) params.queryCode = this.platform.vault.decrypt(payload.queryCodeEnc)
    if (contact?.email)
      await this.deps.notifier.send({ channel: 'email', to: contact.email, template: `case.${type}`, params })
    await this.deps.notifier.send({
      channel: 'sms',
      to: contact?.phone ?? `account:${payload.applicantId}`,
      template: `case.${type}`,
      params,
    })
  }

  // ───────────── tasks

  async listTasks(
    actor: AuthenticatedActor,
    filter: { status?: 'open' | 'claimed' | 'done' | 'mine'; limit: number; offset: number },
  ) {
    const scopes = actor.roles.flatMap((g) =>
      g.role === 'window_clerk' || g.role === 'reviewer' || g.role === 'approver'
        ? [{ role: g.role, departmentId: g.departmentId, regionCode: g.regionCode }]
        : [],
    )
    const mine = filter.status === 'mine'
    const status = mine ? 'claimed' : filter.status === 'mine' ? undefined : filter.status
    return this.repository.findTasks({
      scopes,
      ...(status ? { status } : {}),
      ...(mine ? { claimedBy: actor.accountId } : {}),
      limit: filter.limit,
      offset: filter.offset,
    })
  }

  /** 签收 / 退回 / 转交: claim, release, or hand a task to a named colleague of the same department. */
  async changeTask(
    id: string,
    action: 'claim' | 'release' | 'handOver',
    body: TaskAction,
    actor: AuthenticatedActor,
    who: AuditWho,
  ) {
    const task = await this.repository.findTask(id)
    const scope = task && { regionCode: task.region_code, departmentId: task.department_id }
    if (!task || !holdsRoleFor(actor, [task.role as StaffRole], scope!))
      throw notFound({ zh: '任务不存在', en: 'No such task' })
    if (task.version !== body.version) throw staleVersion(task.version)
    const moves: Record<string, string[]> = {
      claim: ['open'],
      release: ['claimed'],
      handOver: ['open', 'claimed'],
    }
    if (!moves[action]!.includes(task.status)) {
      const allowed = Object.keys(moves).filter((a) => moves[a]!.includes(task.status))
      const status = TASK_STATUS_LABELS[task.status] ?? { zh: task.status, en: task.status }
      throw new AppError('invalid-transition', {
        allowed,
        detail: {
          zh: `任务当前状态为「${status.zh}」，不能${TASK_ACTION_LABELS[action]!.zh}。${
            allowed.length > 0
              ? `当前可执行：${allowed.map((a) => TASK_ACTION_LABELS[a]!.zh).join('、')}`
              : '当前没有可执行的操作'
          }`,
          en: `The task is ${status.en.toLowerCase()}: “${TASK_ACTION_LABELS[action]!.en}” is not possible now. ${
            allowed.length > 0
              ? `Possible now: ${allowed.map((a) => TASK_ACTION_LABELS[a]!.en).join(', ')}`
              : 'No action is possible now'
          }`,
        },
      })
    }
    if (
      (action === 'release' || (action === 'handOver' && task.status === 'claimed')) &&
      task.claimed_by !== actor.accountId
    )
      throw new AppError('forbidden', {
        detail: { zh: '只能退回或转交自己签收的任务', en: 'Only the holder may release or hand over a task' },
      })
    let claimedBy: string | null = action === 'claim' ? actor.accountId : null
    if (action === 'handOver') {
      if (!body.to)
        throw invalid([
          { path: '/to', code: 'required', message: { zh: '请指定接收人', en: 'Name the colleague' } },
        ])
      const grants = await this.deps.staff?.findRoleGrants(body.to)
      const colleague = {
        kind: 'staff' as const,
        accountId: body.to,
        name: body.to,
        roles: grants ?? [],
        realNameLevel: 3,
      }
      if (!grants || !holdsRoleFor(colleague, [task.role as StaffRole], scope!))
        throw invalid([
          {
            path: '/to',
            code: 'colleague',
            message: {
              zh: '接收人须是本部门具有该岗位的工作人员',
              en: 'The colleague must hold the role in the same department',
            },
          },
        ])
      claimedBy = body.to
    }
    await this.platform.db.transaction().execute(async (trx) => {
      if (
        !(await this.repository.updateTask(trx, id, task.version, {
          status: claimedBy ? 'claimed' : 'open',
          claimed_by: claimedBy,
        }))
      )
        throw staleVersion(task.version + 1)
      await this.platform.audit.append(trx, {
        ...who,
        action: `task.${action}`,
        resourceType: 'case_task',
        resourceId: id,
        regionCode: task.region_code,
        outcome: 'success',
        details: { caseId: task.case_id, step: task.step, claimedBy },
      })
    })
    return (await this.repository.findTaskWithCase(id))!
  }

  // ───────────── drafts

  async saveDraft(input: SaveDraft, actor: AuthenticatedActor, draftId?: string): Promise<DraftRecord> {
    await this.checkOwnFiles(actor, fileRefs(input.materials, '/materials'))
    const now = this.platform.clock.now()
    const fields = {
      implementation_id: input.implementationId ?? null,
      guide_version: input.guideVersion ?? null,
      bundle_id: input.bundleId ?? null,
      form_data_enc: this.encryptFormData(input.formData),
      materials: input.materials,
      updated_at: now,
    }
    if (!draftId) {
      return this.repository.insertDraft(this.platform.db, {
        ...fields,
        account_id: actor.accountId,
        acting_for_id: actor.actingFor?.accountId ?? null,
      })
    }
    const draft = await this.getOwnDraft(draftId, actor)
    if (input.version === undefined)
      throw invalid([
        {
          path: '/version',
          code: 'required',
          message: { zh: '请提供草稿版本', en: 'The draft version is required' },
        },
      ])
    const updated = await this.repository.updateDraft(draftId, input.version, fields)
    if (!updated) throw staleVersion(draft.version)
    return updated
  }

  async getOwnDraft(id: string, actor: AuthenticatedActor): Promise<DraftRecord> {
    const draft = await this.repository.findDraft(id)
    if (!draft || draft.account_id !== actor.accountId)
      throw notFound({ zh: '草稿不存在', en: 'No such draft' })
    return draft
  }

  listDrafts(actor: AuthenticatedActor): Promise<DraftRecord[]> {
    return this.repository.findDrafts(actor.accountId)
  }

  // ───────────── supervision

  /** 电子监察: open cases in the caller's regions by warning level, with counts per level. */
  async supervise(
    actor: AuthenticatedActor,
    filter: { level?: string; region?: string; department?: string; limit: number },
  ) {
    const grants = actor.roles.filter((g) => g.role !== 'security_admin' && g.role !== 'audit_admin')
    const region = filter.region ?? grants[0]?.regionCode
    if (
      !region ||
      !grants.some((g) =>
        holdsRoleFor({ ...actor, roles: [g] }, [g.role], {
          regionCode: region,
          departmentId: filter.department ?? g.departmentId,
        }),
      )
    )
      throw new AppError('forbidden')
    const departmentBound = grants.every((g) => g.departmentId !== null)
    const department =
      filter.department ?? (departmentBound ? (grants[0]?.departmentId ?? undefined) : undefined)
    const calendar = await this.calendar()
    const today = shanghaiDate(this.platform.clock.now())
    const cutoffs = yellowCutoffs(calendar, today)
    if (cutoffs) {
      // levels counted and filtered by the database, every open case counted; the time limit of the cases
      // shown is computed here (days left and the warning's words)
      const found = await this.repository.supervise({
        regionPrefix: regionPrefix(region),
        ...(department ? { departmentId: department } : {}),
        today,
        cutoffs,
        ...(filter.level ? { level: filter.level } : {}),
        limit: filter.limit,
      })
      return {
        counts: found.counts,
        items: found.items.map((row) => ({ row, limit: this.timeLimitOf(row, calendar) })),
      }
    }
    // the calendar lacks this year: every level is worked out here, over at most 2,000 open cases
    const rows = await this.repository.findOpen({
      regionPrefix: regionPrefix(region),
      ...(department ? { departmentId: department } : {}),
      limit: 2_000,
    })
    const counts: Record<string, number> = {}
    const items = []
    for (const row of rows) {
      const limit = this.timeLimitOf(row, calendar)
      counts[limit.level] = (counts[limit.level] ?? 0) + 1
      if (filter.level && limit.level !== filter.level) continue
      if (items.length < filter.limit) items.push({ row, limit })
    }
    return { items, counts }
  }

  averageProcessingTime(filter: { region?: string; department?: string }) {
    return this.repository.averageProcessingTime({
      ...(filter.region ? { regionPrefix: regionPrefix(filter.region) } : {}),
      ...(filter.department ? { departmentId: filter.department } : {}),
    })
  }
}

/** The case columns a milestone event carries. */
type MilestoneSource = Pick<
  CaseRecord,
  | 'id'
  | 'case_no'
  | 'applicant_id'
  | 'acting_for_id'
  | 'item_name'
  | 'region_code'
  | 'parent_id'
  | 'department_id'
  | 'implementation_id'
  | 'guide_version'
  | 'form_data_enc'
>

/** The outbox event of a case event: what consumers (notifications, licenses) need to know of it. */
function milestoneEvent(
  record: MilestoneSource,
  type: CaseEventType,
  seq: number,
  decision: CaseState['decision'] = null,
): OutboxEvent<DomainEvents> {
  const payload: CaseMilestone = {
    caseId: record.id,
    caseNo: record.case_no,
    seq,
    applicantId: record.applicant_id,
    actingForId: record.acting_for_id,
    itemName: record.item_name,
    regionCode: record.region_code,
    parentId: record.parent_id,
    departmentId: record.department_id,
    implementationId: record.implementation_id,
    guideVersion: record.guide_version,
    decision,
  }
  if (type === 'completed')
    return {
      topic: 'case.completed',
      payload: { ...payload, formDataEnc: record.form_data_enc ?? null },
      aggregateId: record.id,
    }
  return { topic: `case.${type}`, payload, aggregateId: record.id }
}

/**
 * Whether a case event is a milestone the applicant is told of: a bundle's parts speak through the parent
 * (their submission and withdrawal are the parent's).
 */
function notifies(record: Pick<CaseRecord, 'parent_id'>, type: CaseEventType): boolean {
  if (!NOTIFIED.includes(type)) return false
  return !(record.parent_id && (type === 'submitted' || type === 'withdrawn'))
}

/** How many thresholds of yellow warnings are computed: promised limits up to 5 × this many working days. */
const YELLOW_CUTOFFS = 400

/**
 * For T = 1 … YELLOW_CUTOFFS, the last date at most T working days after `today` (the day before the
 * (T+1)-th working day after it): a deadline on or before it has at most T working days left. Past the end
 * of the calendar's years every known deadline is nearer, so the rest are the end of time. Undefined when
 * the calendar lacks `today`'s year (no level can be computed then).
 */
function yellowCutoffs(calendar: WorkingDayCalendar, today: string): string[] | undefined {
  const cached = cutoffCache.get(calendar)
  if (cached?.today === today) return cached.cutoffs
  const dayAfter = (day: string) => new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10)
  try {
    calendar.isWorkingDay(today)
  } catch {
    return undefined
  }
  const cutoffs: string[] = []
  let day = today
  let working = 0
  try {
    while (cutoffs.length < YELLOW_CUTOFFS) {
      const next = dayAfter(day)
      if (calendar.isWorkingDay(next)) {
        working += 1
        if (working >= 2) cutoffs.push(day)
      }
      day = next
    }
  } catch {
    while (cutoffs.length < YELLOW_CUTOFFS) cutoffs.push('9999-12-31')
  }
  cutoffCache.set(calendar, { today, cutoffs })
  return cutoffs
}
const cutoffCache = new WeakMap<WorkingDayCalendar, { today: string; cutoffs: string[] }>()

const keyTaken = () =>
  Object.assign(new Error('the Idempotency-Key is held by another request'), { code: KEY_TAKEN })
const movedOn = () => Object.assign(new Error('the case moved on'), { code: MOVED_ON })

/** Error codes of a write that did not happen: the Idempotency-Key is held by a committed request; the case moved on. */
const KEY_TAKEN = 'TB001'
const MOVED_ON = 'TB002'

/** A block of 办件编号 sequence numbers reserved by this process. */
interface SequenceBlock {
  next: number
  last: number
  size: number
  /** Date.now() when it was reserved. */
  reservedAt: number
}

/** A submission as checked: its guides (with each bundle part's field map) and the bundle, if any. */
interface PreparedSubmission {
  guides: ResolvedGuide[]
  bundle?: { bundleId: string; name: string; regionCode: string }
}

function isOwner(record: CaseRecord, actor: AuthenticatedActor): boolean {
  if (record.applicant_id === actor.accountId) return true
  if (
    record.acting_for_id &&
    (record.acting_for_id === actor.accountId || record.acting_for_id === actor.actingFor?.accountId)
  )
    return true
  return false
}

/** The file references of materials or attachments, with the JSON Pointer of each. */
function fileRefs(refs: readonly object[], base: string): { path: string; sha256: string }[] {
  return refs.flatMap((ref, i) =>
    'fileSha256' in ref && typeof ref.fileSha256 === 'string'
      ? [{ path: `${base}/${i}/fileSha256`, sha256: ref.fileSha256 }]
      : [],
  )
}

/** 409 for a move not possible now, naming the status and the moves that are, in both languages. */
function invalidMove(record: CaseRecord, move: CaseMove, allowed: CaseMove[]): AppError {
  const status = CASE_STATUS_LABELS[record.status as CaseStatus] ?? { zh: record.status, en: record.status }
  const wanted = CASE_MOVE_LABELS[move]
  const why =
    move === 'withdraw' && record.parent_id
      ? {
          zh: '一件事的部门办件不能单独撤回，请撤回整个一件事。',
          en: 'A part of a bundle is withdrawn only with the whole bundle. ',
        }
      : {
          zh: `办件当前状态为「${status.zh}」，不能${wanted.zh}。`,
          en: `The case is ${status.en.toLowerCase()}: “${wanted.en}” is not possible now. `,
        }
  return new AppError('invalid-transition', {
    allowed,
    detail:
      allowed.length > 0
        ? {
            zh: `${why.zh}当前可执行：${allowed.map((m) => CASE_MOVE_LABELS[m].zh).join('、')}`,
            en: `${why.en}Possible now: ${allowed.map((m) => CASE_MOVE_LABELS[m].en).join(', ')}`,
          }
        : { zh: `${why.zh}当前没有可执行的操作`, en: `${why.en}No move is possible now` },
  })
}

function staleVersion(current: number): AppError {
  return new AppError('stale-version', {
    detail: {
      zh: `办件已被他人更新（当前第 ${current} 版），请刷新后重试`,
      en: `Someone else changed it first (now version ${current}); reload and retry`,
    },
  })
}

function unknownRef(path: string, message: LocalizedText): FieldError {
  return { path, code: 'unknown', message }
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

function factsOf(record: TimeLimitColumns): TimeLimitFacts {
  return {
    processingKind: record.processing_kind as 'immediate' | 'promised',
    legalLimitDays: record.legal_limit_days,
    promisedLimitDays: record.promised_limit_days,
    acceptedOn: record.accepted_on,
    pausedWorkingDays: record.paused_working_days,
    pausedSince: record.paused_since,
    finished:
      record.completed_on !== null ||
      ['approved', 'denied', 'withdrawn', 'refused', 'delivered'].includes(record.status),
  }
}

/** A bundle part's own material key as the bundle's merged materials list names it (itself for one item). */
function mergedMaterialKey(guide: PublishedGuide, ownKey: string): string {
  return (guide as ResolvedGuide).materialKeys?.[ownKey] ?? ownKey
}

/** The materials of one case (a bundle part gets those its own guide asks for, under its own keys). */
function materialsFor(guide: PublishedGuide, materials: MaterialRef[]): MaterialRef[] {
  return guide.materials.flatMap((own) => {
    const key = mergedMaterialKey(guide, own.key)
    return materials.filter((m) => m.key === key).map((m) => ({ ...m, key: own.key }))
  })
}

function materialRows(caseId: string, materials: MaterialRef[], at: Date) {
  return materials.map((m) => ({
    case_id: caseId,
    material_key: m.key,
    name: m.name,
    file_sha256: 'fileSha256' in m ? m.fileSha256 : null,
    license_grant_id: 'licenseGrantId' in m ? m.licenseGrantId : null,
    added_at: at,
  }))
}

function toCalendarAddition(row: CalendarAdditionRecord): CalendarAddition {
  if (row.kind === 'year') return { kind: 'year', year: row.year! }
  return { kind: row.kind as 'holiday' | 'workday', date: row.date!, ...(row.name ? { name: row.name } : {}) }
}

/** A bundle part as resolved: its guide and how its own fields map to the merged form. */
type ResolvedGuide = PublishedGuide & {
  fields?: Record<string, string>
  materialKeys?: Record<string, string>
}

/** A bundle part's own form data, taken from the merged form; the whole data for a single item. */
function partData(
  formData: Record<string, unknown>,
  fields: Record<string, string> | undefined,
): Record<string, unknown> {
  if (!fields) return formData
  const data: Record<string, unknown> = {}
  for (const [own, merged] of Object.entries(fields)) if (merged in formData) data[own] = formData[merged]
  return data
}

/** SQLSTATE of a unique violation (an account opened by a concurrent request, a key taken). */
const UNIQUE_VIOLATION = '23505'

/** A new query code (查询码): 8 characters that are not easily confused. */
function newQueryCode(): string {
  return Array.from({ length: 8 }, () => QUERY_CODE_ALPHABET[randomInt(QUERY_CODE_ALPHABET.length)]).join('')
}

/** A person as the clerk verified them: the ID number in its standard form. */
interface VerifiedPerson {
  name: string
  idNumber: string
  phone?: string | undefined
}

/**
 * A walk-in applicant's numbers checked against the national standards (GB 11643, GB 32100): field errors
 * under `/applicant`, or the person (the company's agent, for a company) and the company.
 */
function checkWalkInApplicant(
  applicant: WalkInApplicant,
  today: string,
): { errors: FieldError[]; person?: VerifiedPerson; company?: { name: string; uscc: string } } {
  const errors: FieldError[] = []
  const checkPerson = (
    given: { name: string; idNumber: string; phone?: string | undefined },
    base: string,
  ): VerifiedPerson | undefined => {
    const id = validateIdNumber(given.idNumber.trim(), { today })
    if (!id.ok) {
      errors.push({ path: `${base}/idNumber`, code: id.error.code, message: id.error.message })
      return undefined
    }
    return { name: given.name.normalize('NFC').trim(), idNumber: id.value, phone: given.phone }
  }
  if (applicant.kind === 'person') {
    const person = checkPerson(applicant, '/applicant')
    return { errors, ...(person ? { person } : {}) }
  }
  const uscc = validateUscc(applicant.uscc.trim())
  if (!uscc.ok) errors.push({ path: '/applicant/uscc', code: uscc.error.code, message: uscc.error.message })
  const person = checkPerson(applicant.agent, '/applicant/agent')
  return {
    errors,
    ...(person ? { person } : {}),
    ...(uscc.ok ? { company: { name: applicant.name.normalize('NFC').trim(), uscc: uscc.value } } : {}),
  }
}
