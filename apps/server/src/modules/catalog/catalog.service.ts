import {
  type BundleContent,
  type BundleDraftView,
  type BundleSummary,
  type BundleVersionView,
  type BundleView,
  type CatalogFile,
  type ConsistencyReport,
  type CreateImplementation,
  type CreateItem,
  type FieldError,
  type FormDocument,
  type GuideContent,
  type ImportResult,
  ITEM_TYPES,
  type ItemType,
  type LocalizedText,
  type PublishedGuideView,
  type SearchQuery,
  type SearchResult,
  THEMES,
  type UpdateImplementation,
  type UpdateItem,
} from '@tongban/contracts'
import { getRegion, regionAncestors } from '@tongban/standards'
import type { ValidateFunction } from 'ajv'
import type { Transaction } from 'kysely'
import type { AuditEntry } from '../../platform/audit.ts'
import type { Database } from '../../platform/db/schema.ts'
import { AppError, invalid, notFound } from '../../platform/errors.ts'
import type { Platform } from '../../platform/platform.ts'
import type { DepartmentRecord, OrgService } from '../org/index.ts'
import { checkForm, compileForm, mergeForms, validateWith } from './catalog.forms.ts'
import { type CatalogImport, runImport } from './catalog.import.ts'
import {
  type BundleDraftRecord,
  type CatalogChangeKind,
  CatalogRepository,
  type DepartmentSelection,
  type DraftRecord,
  type ImplementationRecord,
  type ItemRecord,
  type SearchDocumentRow,
  type SearchFilter,
  type SearchRow,
  type TextMatch,
} from './catalog.repository.ts'
import {
  describeTerms,
  expandTerms,
  indexTokens,
  parseQuery,
  type TermGroup,
  toTsQuery,
} from './catalog.text.ts'

/** What one change did to the search tables, for the change log and the caches. */
interface CatalogChanges {
  implementationId: string
  regionCode: string
  textCreated?: boolean
  departmentChanged?: boolean
  /** The text the implementation used before, when it now uses another. */
  unusedText?: string | null
}

/** Who is making a change, for the audit entry. */
export type AuditWho = Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>

/** The outbox topic announcing a new published guide version. */
export const GUIDE_PUBLISHED = 'catalog.guide-published'
/** The outbox topic announcing a new published bundle version. */
export const BUNDLE_PUBLISHED = 'catalog.bundle-published'

const text = (zh: string, en: string): LocalizedText => ({ zh, en })

/** How often each node reads the change log; another node's publication reaches its caches within this. */
const CHANGE_POLL_MS = 1_000
const CHANGE_BATCH = 1_000
/** More skipped sequence numbers than this, or a poll gap above CHANGE_GAP_MS: drop every cache instead. */
const CHANGE_GAP_LIMIT = 1_000
const CHANGE_GAP_MS = 60_000

const FOUR_SAME_LABELS: Record<string, LocalizedText> = {
  code: text('事项编码', 'item code'),
  name: text('事项名称', 'item name'),
  type: text('事项类型', 'item type'),
  legalBasis: text('设定依据', 'legal basis'),
}

/**
 * A small time-bounded cache: entries live `ttlMs`, the oldest go when `max` is reached. `epoch` moves on
 * every invalidation: a value read before one (maybe stale already) is not stored when `set` is given the
 * epoch seen before reading.
 */
class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>()
  epoch = 0
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}
  get(key: string): V | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expires < Date.now()) {
      this.entries.delete(key)
      return undefined
    }
    return entry.value
  }
  set(key: string, value: V, readAt?: number): void {
    if (readAt !== undefined && readAt !== this.epoch) return
    if (this.entries.size >= this.max && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs })
  }
  delete(key: string): void {
    this.epoch += 1
    this.entries.delete(key)
  }
  clear(): void {
    this.epoch += 1
    this.entries.clear()
  }
}

/** 政务服务事项目录: base items, implementations, guides and forms, bundles, search, import/export. */
export class CatalogService {
  readonly repository: CatalogRepository
  /** Latest published guide per implementation, as the JSON answer (≥ 5,000 fetches/s). */
  private readonly guideCache = new TtlCache<string>(600_000, 20_000)
  /** Published guide versions by implementation, then version. */
  private readonly versionCache = new TtlCache<Map<number, PublishedGuideView>>(600_000, 20_000)
  private readonly validators = new TtlCache<ValidateFunction>(600_000, 5_000)
  private readonly departments = new TtlCache<DepartmentRecord | null>(300_000, 200_000)
  /** When every department was last loaded into `departments` at once (for search hits). */
  private allDepartments: { loaded: number; loading?: Promise<void> | undefined } = { loaded: 0 }
  private readonly regionPaths = new TtlCache<{ code: string; name: string }[]>(3_600_000, 50_000)
  /** First step of a search, by query: the matching texts, and the query's lexemes. */
  private readonly textMatches = new TtlCache<{ matches: TextMatch[]; lexemes: Set<string> }>(600_000, 10_000)
  /** Departments with a published guide by region, then by each lexeme of their names; rebuilt after a change. */
  private departmentIndex: Promise<Map<string, Map<string, string[]>>> | undefined
  private synonymMap: { loaded: number; byTerm: Map<string, string[]> } | undefined
  /** Where this node is in the change log (catalog_changes), and sequence numbers it has not seen commit. */
  private changeFeed = {
    seq: -1,
    missing: new Map<number, number>(),
    lastPoll: 0,
    lastPrune: 0,
    timer: undefined as NodeJS.Timeout | undefined,
  }

  constructor(
    private readonly platform: Platform,
    private readonly org: OrgService,
  ) {
    this.repository = new CatalogRepository(platform.db)
  }

  // ------------------------------------------------------------------ caches on every node

  /**
   * Follows the change log (catalog_changes): every `intervalMs` this node reads what was changed, here or
   * on another node, and drops its copies (a guide, the matched texts, a region's department terms). A
   * change made on this node is dropped here at once, elsewhere within one interval.
   */
  async startChangeFeed(intervalMs = CHANGE_POLL_MS): Promise<void> {
    if (this.changeFeed.seq < 0) this.changeFeed.seq = await this.repository.latestChange()
    this.changeFeed.lastPoll = Date.now()
    if (this.platform.config.role !== 'worker') void this.warmUp()
    const schedule = () => {
      this.changeFeed.timer = setTimeout(() => {
        this.syncChanges()
          .catch((error: unknown) =>
            this.platform.logger.warn({ err: error }, 'catalog change feed poll failed'),
          )
          .finally(() => {
            if (this.changeFeed.timer) schedule()
          })
      }, intervalMs)
      this.changeFeed.timer.unref()
    }
    schedule()
  }

  /** Loads what every search needs (departments, their search terms) before the first search asks. */
  private async warmUp(): Promise<void> {
    try {
      await Promise.all([this.loadAllDepartments(), this.departmentsByLexeme()])
    } catch (error) {
      this.platform.logger.warn({ err: error }, 'catalog warm-up failed; searches load on demand')
    }
  }

  stopChangeFeed(): void {
    clearTimeout(this.changeFeed.timer)
    this.changeFeed.timer = undefined
  }

  /**
   * Reads the change log once and applies what is new; returns how many changes it applied. Sequence
   * numbers can commit out of order: one skipped over is looked for again for a minute. After a long gap
   * (the database was unreachable) every cache is dropped, as changes may have been pruned meanwhile.
   */
  async syncChanges(): Promise<number> {
    const feed = this.changeFeed
    if (feed.seq < 0) feed.seq = await this.repository.latestChange()
    const now = Date.now()
    if (now - feed.lastPoll > CHANGE_GAP_MS) this.dropCaches()
    let applied = 0
    for (;;) {
      const rows = await this.repository.changesSince(feed.seq, [...feed.missing.keys()], CHANGE_BATCH)
      for (const row of rows) {
        this.applyChange(row.kind as CatalogChangeKind, row.key)
        applied += 1
        feed.missing.delete(row.seq)
        if (row.seq <= feed.seq) continue
        if (row.seq - feed.seq > 1 + CHANGE_GAP_LIMIT) this.dropCaches()
        else for (let skipped = feed.seq + 1; skipped < row.seq; skipped += 1) feed.missing.set(skipped, now)
        feed.seq = row.seq
      }
      if (rows.length < CHANGE_BATCH) break
    }
    for (const [seq, since] of feed.missing) if (now - since > 60_000) feed.missing.delete(seq)
    if (feed.missing.size > CHANGE_GAP_LIMIT) {
      feed.missing.clear()
      this.dropCaches()
    }
    feed.lastPoll = now
    if (now - feed.lastPrune > 3_600_000) {
      feed.lastPrune = now
      await this.repository.pruneChanges(24)
    }
    return applied
  }

  private applyChange(kind: CatalogChangeKind, key: string | null): void {
    if (kind === 'guide' && key) {
      this.guideCache.delete(key)
      this.versionCache.delete(key)
    } else if (kind === 'text') this.textMatches.clear()
    else if (kind === 'department') this.departmentIndex = undefined
  }

  private dropCaches(): void {
    this.guideCache.clear()
    this.versionCache.clear()
    this.textMatches.clear()
    this.departmentIndex = undefined
  }

  // ------------------------------------------------------------------ reference lookups (cached)

  async department(id: string): Promise<DepartmentRecord | undefined> {
    let department = this.departments.get(id)
    if (department === undefined) {
      department = (await this.org.findDepartment(id)) ?? null
      this.departments.set(id, department)
    }
    return department ?? undefined
  }

  /**
   * Loads every department into the cache with one query, at most every five minutes: the hits of a
   * search name departments anywhere, and one look-up per department would cost more than the search.
   */
  private async loadAllDepartments(): Promise<void> {
    if (Date.now() - this.allDepartments.loaded < 300_000) return
    this.allDepartments.loading ??= (async () => {
      const { items } = await this.org.listDepartments({ limit: 1_000_000, offset: 0 })
      for (const department of items) this.departments.set(department.id, department)
      this.allDepartments.loaded = Date.now()
    })().finally(() => {
      this.allDepartments.loading = undefined
    })
    await this.allDepartments.loading
  }

  /**
   * The region and its ancestors, nearest first. National codes (GB/T 2260, the table org loads into its
   * regions) are resolved from the standards package without a query; township and village codes by org.
   */
  async regionPath(code: string): Promise<{ code: string; name: string }[]> {
    let path = this.regionPaths.get(code)
    if (!path) {
      const national = getRegion(code)
      path =
        national && !national.retired
          ? [national, ...regionAncestors(code)].map((r) => ({ code: r.code, name: r.name }))
          : (await this.org.regionPath(code)).map((r) => ({ code: r.code, name: r.name }))
      this.regionPaths.set(code, path)
    }
    return path
  }

  async licenseTypes() {
    return this.repository.licenseTypes()
  }

  // ------------------------------------------------------------------ base items

  async getItem(code: string): Promise<ItemRecord> {
    const item = await this.repository.findItemByCode(code)
    if (!item) throw notFound(text(`事项 ${code} 不存在`, `Item ${code} does not exist`))
    return item
  }

  listItems(filter: {
    type?: ItemType
    departmentKind?: string
    theme?: string
    limit: number
    offset: number
  }) {
    return this.repository.findItems(filter)
  }

  async createItem(input: CreateItem, who: AuditWho): Promise<ItemRecord> {
    await this.platform.db.transaction().execute(async (trx) => {
      if (await this.repository.findItemByCode(input.code, trx))
        throw new AppError('duplicate', {
          errors: [
            { path: '/code', code: 'duplicate', message: text('该事项编码已存在', 'An item has this code') },
          ],
        })
      const id = await this.repository.insertItem(trx, {
        code: input.code,
        name: input.name,
        type: input.type,
        legalBasis: input.legalBasis,
        departmentKind: input.departmentKind,
        levels: input.levels,
        audience: input.audience,
        themes: input.themes ?? [],
        keywords: input.keywords ?? [],
        description: input.description ?? '',
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'catalog.item.create',
        resourceType: 'catalog_item',
        resourceId: id,
        regionCode: null,
        outcome: 'success',
        details: { code: input.code, name: input.name, type: input.type },
      })
    })
    return this.getItem(input.code)
  }

  /**
   * Changes a base item. Implementations keep what they recorded: any that now differ appear in the
   * consistency report until their departments follow (四级四同 is never fixed silently).
   */
  async updateItem(code: string, input: UpdateItem, who: AuditWho): Promise<ItemRecord> {
    const current = await this.getItem(code)
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.type !== undefined ? { type: input.type } : {}),
      ...(input.legalBasis !== undefined ? { legal_basis: input.legalBasis } : {}),
      ...(input.levels !== undefined ? { levels: input.levels } : {}),
      ...(input.audience !== undefined ? { audience: input.audience } : {}),
      ...(input.themes !== undefined ? { themes: input.themes } : {}),
      ...(input.keywords !== undefined ? { keywords: input.keywords } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
    }
    await this.platform.db.transaction().execute(async (trx) => {
      if (!(await this.repository.updateItem(trx, current.id, input.version, changes)))
        throw new AppError('stale-version', {
          detail: text(
            `事项已更新到第 ${current.version} 版`,
            `The item is now at version ${current.version}`,
          ),
        })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'catalog.item.update',
        resourceType: 'catalog_item',
        resourceId: current.id,
        regionCode: null,
        outcome: 'success',
        details: { code, changes },
      })
    })
    return this.getItem(code)
  }

  // ------------------------------------------------------------------ implementations

  async getImplementation(id: string): Promise<ImplementationRecord> {
    const implementation = await this.repository.findImplementation(id)
    if (!implementation) throw notFound(text('实施清单条目不存在', 'The implementation does not exist'))
    return implementation
  }

  async listImplementations(filter: {
    region?: string
    department?: string
    item?: string
    publishedOnly?: boolean
    limit: number
    offset: number
  }) {
    const regionCodes = filter.region ? (await this.regionPath(filter.region)).map((r) => r.code) : undefined
    return this.repository.findImplementations({
      ...(regionCodes ? { regionCodes } : {}),
      ...(filter.department ? { departmentId: filter.department } : {}),
      ...(filter.item ? { itemCode: filter.item } : {}),
      ...(filter.publishedOnly ? { publishedOnly: true } : {}),
      limit: filter.limit,
      offset: filter.offset,
    })
  }

  /** 四级四同: the fields of `given` that differ from the base item, as field errors. */
  fourSameErrors(
    item: ItemRecord,
    given: {
      code?: string | undefined
      name?: string | undefined
      type?: string | undefined
      legalBasis?: string | undefined
    },
    base = '',
  ): FieldError[] {
    const expected: Record<string, string> = {
      code: item.code,
      name: item.name,
      type: item.type,
      legalBasis: item.legal_basis,
    }
    const errors: FieldError[] = []
    for (const field of ['code', 'name', 'type', 'legalBasis'] as const) {
      const value = given[field]
      if (value === undefined || value === expected[field]) continue
      const label = FOUR_SAME_LABELS[field]!
      errors.push({
        path: `${base}/${field}`,
        code: 'fourSame',
        message: text(
          `四级四同：${label.zh}须与基本目录一致（应为“${expected[field]}”）`,
          `Four-level consistency: the ${label.en} must equal the base catalog's ("${expected[field]}")`,
        ),
      })
    }
    return errors
  }

  /** Checks that a department may implement an item in a region: it sits there and is of the item's kind. */
  private async checkPlacement(
    item: ItemRecord,
    regionCode: string,
    departmentId: string,
  ): Promise<DepartmentRecord> {
    const department = await this.department(departmentId)
    if (!department)
      throw invalid([
        { path: '/departmentId', code: 'department', message: text('部门不存在', 'Unknown department') },
      ])
    if (department.region_code !== regionCode)
      throw invalid([
        {
          path: '/regionCode',
          code: 'region',
          message: text(
            '实施区划须为实施部门所在区划',
            "The region must be the implementing department's region",
          ),
        },
      ])
    if (department.kind !== item.department_kind)
      throw invalid([
        {
          path: '/departmentId',
          code: 'departmentKind',
          message: text(
            `该事项应由 ${item.department_kind} 类部门实施`,
            `This item is implemented by ${item.department_kind} departments`,
          ),
        },
      ])
    return department
  }

  async createImplementation(input: CreateImplementation, who: AuditWho): Promise<ImplementationRecord> {
    const item = await this.repository.findItemByCode(input.itemCode)
    if (!item)
      throw invalid([
        { path: '/itemCode', code: 'item', message: text('基本目录中没有该事项', 'No such base item') },
      ])
    const errors = this.fourSameErrors(item, input)
    if (errors.length > 0) throw invalid(errors)
    await this.checkPlacement(item, input.regionCode, input.departmentId)
    const id = await this.platform.db.transaction().execute(async (trx) => {
      const existing = await this.repository.findImplementationByKey(
        { itemId: item.id, regionCode: input.regionCode, departmentId: input.departmentId },
        trx,
      )
      if (existing)
        throw new AppError('duplicate', {
          detail: text('该部门已实施此事项', 'The department already implements this item'),
        })
      const id = await this.repository.insertImplementation(trx, {
        itemId: item.id,
        regionCode: input.regionCode,
        departmentId: input.departmentId,
        code: item.code,
        name: item.name,
        type: item.type,
        legalBasis: item.legal_basis,
        localNotes: input.localNotes ?? '',
        origin: 'api',
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'catalog.implementation.create',
        resourceType: 'catalog_implementation',
        resourceId: id,
        regionCode: input.regionCode,
        outcome: 'success',
        details: { itemCode: item.code, departmentId: input.departmentId },
      })
      return id
    })
    return this.getImplementation(id)
  }

  async updateImplementation(
    id: string,
    input: UpdateImplementation,
    who: AuditWho,
  ): Promise<ImplementationRecord> {
    const current = await this.getImplementation(id)
    const item = await this.getItem(current.item_code)
    const errors = this.fourSameErrors(item, input)
    if (errors.length > 0) throw invalid(errors)
    const changes = {
      // a checked write brings an imported row back in line with its base item
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.type !== undefined ? { type: input.type } : {}),
      ...(input.legalBasis !== undefined ? { legal_basis: input.legalBasis } : {}),
      ...(input.localNotes !== undefined ? { local_notes: input.localNotes } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
    }
    const published =
      current.published_version === null
        ? undefined
        : await this.repository.findVersion(id, current.published_version)
    const department = await this.department(current.department_id)
    const searchChanges = await this.platform.db.transaction().execute(async (trx) => {
      if (!(await this.repository.updateImplementation(trx, id, input.version, changes)))
        throw new AppError('stale-version', {
          detail: text(
            `实施清单已更新到第 ${current.version} 版`,
            `The implementation is now at version ${current.version}`,
          ),
        })
      // the search document follows: gone while suspended, rebuilt (name, status) while published
      const updated = (await this.repository.findImplementation(id, trx))!
      const searchChanges =
        updated.status === 'active' && published
          ? await this.writeSearchDocument(
              trx,
              searchDocument(updated, item, department, published.content, published.version),
            )
          : await this.recordChanges(trx, {
              implementationId: id,
              regionCode: updated.region_code,
              unusedText: await this.repository.deleteSearchDocument(trx, id),
            })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'catalog.implementation.update',
        resourceType: 'catalog_implementation',
        resourceId: id,
        regionCode: current.region_code,
        outcome: 'success',
        details: changes,
      })
      return searchChanges
    })
    await this.changed(searchChanges)
    return this.getImplementation(id)
  }

  /** Every implementation whose code, name, type or legal basis differs from its base item, by region and department. */
  async consistencyReport(region?: string): Promise<ConsistencyReport> {
    const regionCodes = region ? await this.org.repository.findSubtreeCodes(region) : undefined
    const [rows, checked] = await Promise.all([
      this.repository.findInconsistent(regionCodes),
      this.repository.countImplementations(regionCodes),
    ])
    const violations: ConsistencyReport['violations'] = []
    for (const row of rows) {
      const department = await this.department(row.department_id)
      const regionName = (await this.regionPath(row.region_code))[0]?.name ?? row.region_code
      const pairs: [string, string, string][] = [
        ['code', row.expected_code, row.code],
        ['name', row.expected_name, row.name],
        ['type', row.expected_type, row.type],
        ['legalBasis', row.expected_legal_basis, row.legal_basis],
      ]
      for (const [field, expected, actual] of pairs) {
        if (expected === actual) continue
        violations.push({
          implementationId: row.id,
          itemCode: row.item_code,
          regionCode: row.region_code,
          regionName,
          departmentId: row.department_id,
          departmentName: department?.name ?? '',
          field,
          expected,
          actual,
        })
      }
    }
    return { checked, violations }
  }

  // ------------------------------------------------------------------ guides

  /** Checks a guide's rules beyond its shape; paths point into the request body (`/content/…`). */
  async guideErrors(content: GuideContent): Promise<FieldError[]> {
    const errors: FieldError[] = []
    if (content.promisedLimit > content.legalLimit)
      errors.push({
        path: '/content/promisedLimit',
        code: 'promisedAboveLegal',
        message: text(
          `承诺时限（${content.promisedLimit} 个工作日）不能超过法定时限（${content.legalLimit} 个工作日）`,
          `The promised limit (${content.promisedLimit} working days) may not exceed the legal limit (${content.legalLimit})`,
        ),
      })
    if (content.kind === 'immediate' && content.promisedLimit !== 0)
      errors.push({
        path: '/content/promisedLimit',
        code: 'immediate',
        message: text(
          '即办件的承诺时限为 0 个工作日',
          'An immediate item (即办件) has a promised limit of 0',
        ),
      })
    if (content.kind === 'promised' && content.promisedLimit < 1)
      errors.push({
        path: '/content/promisedLimit',
        code: 'promised',
        message: text(
          '承诺件的承诺时限至少为 1 个工作日',
          'A promised item (承诺件) needs at least 1 working day',
        ),
      })
    if (content.fees.free && content.fees.items.length > 0)
      errors.push({
        path: '/content/fees/items',
        code: 'free',
        message: text('不收费的事项不能列收费项目', 'A free item lists no fees'),
      })
    if (!content.fees.free && content.fees.items.length === 0)
      errors.push({
        path: '/content/fees/items',
        code: 'fees',
        message: text('收费事项须列明收费项目及依据', 'List the fees and their basis'),
      })
    const licenseTypes = new Set((await this.repository.licenseTypes()).map((t) => t.code))
    const keys = new Set<string>()
    for (const [index, material] of content.materials.entries()) {
      const path = `/content/materials/${index}`
      if (keys.has(material.key))
        errors.push({
          path: `${path}/key`,
          code: 'duplicate',
          message: text(`材料“${material.name}”的键重复`, `Material "${material.name}" repeats a key`),
        })
      keys.add(material.key)
      if (material.source === 'license' && !(material.licenseType && licenseTypes.has(material.licenseType)))
        errors.push({
          path: `${path}/licenseType`,
          code: 'licenseType',
          message: text(
            `材料“${material.name}”引用的证照类型 ${material.licenseType ?? '（未填）'} 不存在`,
            `Material "${material.name}" names an unknown license type ${material.licenseType ?? '(none)'}`,
          ),
        })
      if (material.source === 'shared' && !material.sharedResource)
        errors.push({
          path: `${path}/sharedResource`,
          code: 'sharedResource',
          message: text(
            `材料“${material.name}”须写明共享数据资源`,
            `Material "${material.name}" needs its shared data resource`,
          ),
        })
    }
    errors.push(...checkForm(content.form, '/content/form'))
    return errors
  }

  async getDraft(implementationId: string): Promise<DraftRecord> {
    const draft = await this.repository.findDraft(implementationId)
    if (!draft) throw notFound(text('没有正在编辑的办事指南草稿', 'There is no guide draft'))
    return draft
  }

  /** Saves the draft guide (creating it); `revision` guards against overwriting someone else's save. */
  async saveDraft(
    implementationId: string,
    content: GuideContent,
    revision: number | undefined,
    who: AuditWho,
  ): Promise<DraftRecord> {
    const implementation = await this.getImplementation(implementationId)
    const errors = await this.guideErrors(content)
    if (errors.length > 0) throw invalid(errors)
    await this.platform.db.transaction().execute(async (trx) => {
      const current = await this.repository.lockDraft(trx, implementationId)
      if (current && revision !== undefined && current.revision !== revision)
        throw new AppError('stale-version', {
          detail: text(
            `草稿已更新到第 ${current.revision} 稿`,
            `The draft is now at revision ${current.revision}`,
          ),
        })
      const saved = await this.repository.upsertDraft(trx, implementationId, content, who.actorId)
      await this.platform.audit.append(trx, {
        ...who,
        action: 'catalog.guide.save-draft',
        resourceType: 'catalog_implementation',
        resourceId: implementationId,
        regionCode: implementation.region_code,
        outcome: 'success',
        details: { revision: saved },
      })
    })
    return this.getDraft(implementationId)
  }

  /** Submits the draft for review (送审). */
  async submitDraft(implementationId: string, revision: number, who: AuditWho): Promise<DraftRecord> {
    const implementation = await this.getImplementation(implementationId)
    await this.platform.db.transaction().execute(async (trx) => {
      const draft = await this.lockedDraftAt(trx, implementationId, revision)
      if (draft.status !== 'draft')
        throw new AppError('invalid-transition', {
          allowed: ['publish'],
          detail: text('草稿已送审', 'The draft is already submitted'),
        })
      await this.repository.markSubmitted(trx, implementationId, who.actorId)
      await this.platform.audit.append(trx, {
        ...who,
        action: 'catalog.guide.submit',
        resourceType: 'catalog_implementation',
        resourceId: implementationId,
        regionCode: implementation.region_code,
        outcome: 'success',
        details: { revision },
      })
    })
    return this.getDraft(implementationId)
  }

  private async lockedDraftAt(
    trx: Parameters<CatalogRepository['lockDraft']>[0],
    implementationId: string,
    revision: number,
  ): Promise<DraftRecord> {
    return draftAt(
      await this.repository.lockDraft(trx, implementationId),
      revision,
      text('没有正在编辑的办事指南草稿', 'There is no guide draft'),
    )
  }

  /**
   * Publishes the reviewed draft as the next immutable version: the version row, the search document,
   * the outbox event and the audit entry commit together; the draft is removed.
   */
  async publish(
    implementationId: string,
    input: { revision: number; comment?: string | undefined },
    who: AuditWho,
  ): Promise<PublishedGuideView> {
    const implementation = await this.getImplementation(implementationId)
    const item = await this.getItem(implementation.item_code)
    const department = await this.department(implementation.department_id)
    const published = await this.platform.db.transaction().execute(async (trx) => {
      const draft = await this.lockedDraftAt(trx, implementationId, input.revision)
      if (draft.status !== 'submitted')
        throw new AppError('invalid-transition', {
          allowed: ['submit'],
          detail: text('草稿须先送审再发布', 'Submit the draft for review before publishing'),
        })
      const version = (implementation.published_version ?? 0) + 1
      await this.repository.deleteDraft(trx, implementationId)
      const changes = await this.writePublication(
        trx,
        { implementation, item, department },
        draft.content,
        version,
        who,
        { submittedBy: draft.submitted_by, comment: input.comment ?? '', revision: input.revision },
      )
      return { version, changes }
    })
    await this.changed(published.changes)
    this.platform.events.nudge()
    return this.getPublishedVersion(implementationId, published.version)
  }

  /**
   * Publishes a guide that was reviewed outside this platform (the demo catalog, a province's existing
   * published lists) as the next version, in one transaction, with the same checks as a draft.
   */
  async publishReviewed(implementationId: string, content: GuideContent, who: AuditWho): Promise<number> {
    const implementation = await this.getImplementation(implementationId)
    const item = await this.getItem(implementation.item_code)
    const department = await this.department(implementation.department_id)
    const errors = await this.guideErrors(content)
    if (errors.length > 0) throw invalid(errors)
    const version = (implementation.published_version ?? 0) + 1
    const changes = await this.platform.db.transaction().execute((trx) =>
      this.writePublication(trx, { implementation, item, department }, content, version, who, {
        submittedBy: null,
        comment: 'reviewed outside the platform',
        revision: 0,
      }),
    )
    await this.changed(changes)
    return version
  }

  /**
   * The version row, search document, change-log rows, outbox event and audit entry of one publication, in
   * `trx`. Returns the changes, for `changed` once committed.
   */
  private async writePublication(
    trx: Transaction<Database>,
    context: {
      implementation: ImplementationRecord
      item: ItemRecord
      department: DepartmentRecord | undefined
    },
    content: GuideContent,
    version: number,
    who: AuditWho,
    review: { submittedBy: string | null; comment: string; revision: number },
  ): Promise<CatalogChanges> {
    const { implementation, item, department } = context
    const implementationId = implementation.id
    await this.repository.insertVersion(trx, {
      implementationId,
      version,
      content,
      publishedBy: who.actorId,
      submittedBy: review.submittedBy,
      comment: review.comment,
    })
    const changes =
      implementation.status === 'active'
        ? await this.writeSearchDocument(
            trx,
            searchDocument(implementation, item, department, content, version),
          )
        : await this.recordChanges(trx, { implementationId, regionCode: implementation.region_code })
    await this.platform.events.publish(
      trx,
      GUIDE_PUBLISHED,
      {
        implementationId,
        version,
        itemCode: implementation.item_code,
        regionCode: implementation.region_code,
        departmentId: implementation.department_id,
      },
      implementationId,
    )
    await this.platform.audit.append(trx, {
      ...who,
      action: 'catalog.guide.publish',
      resourceType: 'catalog_implementation',
      resourceId: implementationId,
      regionCode: implementation.region_code,
      outcome: 'success',
      details: { version, revision: review.revision },
    })
    return changes
  }

  /** Writes an implementation's search document and the change-log rows saying what it changed. */
  private async writeSearchDocument(
    trx: Transaction<Database>,
    row: SearchDocumentRow,
  ): Promise<CatalogChanges> {
    const written = await this.repository.upsertSearchDocument(trx, row)
    return this.recordChanges(trx, {
      implementationId: row.implementationId,
      regionCode: row.regionCode,
      textCreated: written.textCreated,
      departmentChanged: written.departmentChanged,
      unusedText: written.previousTextId !== written.textId ? written.previousTextId : null,
    })
  }

  /** Records in the change log what other nodes must drop from their caches. */
  private async recordChanges(trx: Transaction<Database>, changes: CatalogChanges): Promise<CatalogChanges> {
    await this.repository.recordChange(trx, 'guide', changes.implementationId)
    if (changes.textCreated) await this.repository.recordChange(trx, 'text', null)
    if (changes.departmentChanged) await this.repository.recordChange(trx, 'department', changes.regionCode)
    return changes
  }

  /**
   * After a committed change: drops this node's copies at once (other nodes follow the change log), and
   * deletes the text the implementation no longer uses when nothing else does.
   */
  private async changed(changes: CatalogChanges): Promise<void> {
    this.applyChange('guide', changes.implementationId)
    if (changes.textCreated) this.applyChange('text', null)
    if (changes.departmentChanged) this.applyChange('department', changes.regionCode)
    if (!changes.unusedText) return
    try {
      await this.repository.deleteUnusedText(changes.unusedText)
    } catch (error) {
      // another publication started using it meanwhile (foreign key): it stays, as it should
      this.platform.logger.debug({ err: error, textId: changes.unusedText }, 'search text kept')
    }
  }

  /**
   * One published guide version, immutable: the cases module calls this with the version a case was
   * filed under, so a later publication never changes what the applicant saw.
   */
  async getPublishedVersion(implementationId: string, version: number): Promise<PublishedGuideView> {
    const cached = this.versionCache.get(implementationId)?.get(version)
    if (cached) return cached
    const epoch = this.versionCache.epoch
    const [implementation, row] = await Promise.all([
      this.getImplementation(implementationId),
      this.repository.findVersion(implementationId, version),
    ])
    if (!row)
      throw notFound(text(`办事指南第 ${version} 版不存在`, `Guide version ${version} does not exist`))
    const item = await this.getItem(implementation.item_code)
    const department = await this.department(implementation.department_id)
    const region = (await this.regionPath(implementation.region_code))[0]
    const view: PublishedGuideView = {
      implementationId,
      version,
      publishedAt: row.published_at.toISOString(),
      itemCode: item.code,
      implementationCode: `${department?.uscc ?? ''}${item.code}`,
      name: implementation.name,
      type: implementation.type,
      typeName:
        ITEM_TYPES[implementation.type as keyof typeof ITEM_TYPES] ??
        text(implementation.type, implementation.type),
      legalBasis: implementation.legal_basis,
      audience: item.audience,
      themes: item.themes,
      regionCode: implementation.region_code,
      regionName: region?.name ?? '',
      departmentId: implementation.department_id,
      departmentName: department?.name ?? '',
      localNotes: implementation.local_notes,
      content: row.content,
    }
    // shared by every caller from the cache: frozen so that no caller can change what others see
    deepFreeze(view)
    const versions = this.versionCache.get(implementationId) ?? new Map<number, PublishedGuideView>()
    versions.set(version, view)
    this.versionCache.set(implementationId, versions, epoch)
    return view
  }

  /** The latest published guide as its JSON answer, served from memory after the first fetch. */
  async publishedGuideJson(implementationId: string): Promise<string> {
    const cached = this.guideCache.get(implementationId)
    if (cached) return cached
    const epoch = this.guideCache.epoch
    const implementation = await this.getImplementation(implementationId)
    if (implementation.published_version === null || implementation.status !== 'active')
      throw notFound(text('该事项尚未发布办事指南', 'No guide has been published for this implementation'))
    const json = JSON.stringify(
      await this.getPublishedVersion(implementationId, implementation.published_version),
    )
    this.guideCache.set(implementationId, json, epoch)
    return json
  }

  /**
   * Validates application data against the form of a published guide version; the field errors are in
   * the problem format (an empty list means valid). For the cases module, at filing.
   */
  async validateApplication(implementationId: string, version: number, data: unknown): Promise<FieldError[]> {
    const key = `${implementationId}@${version}`
    let validate = this.validators.get(key)
    if (!validate) {
      const guide = await this.getPublishedVersion(implementationId, version)
      const compiled = compileForm(guide.content.form)
      if (!compiled.ok) throw new Error(`published form of ${key} does not compile: ${compiled.message}`)
      validate = compiled.validate
      this.validators.set(key, validate)
    }
    return validateWith(validate, data)
  }

  /** Counts an application filed against an implementation (search ranks popular items first among equals). */
  async recordApplication(implementationId: string, count = 1): Promise<void> {
    await this.repository.incrementPopularity(implementationId, count)
  }

  // ------------------------------------------------------------------ search

  private async synonymsOf(term: string): Promise<string[]> {
    if (!this.synonymMap || Date.now() - this.synonymMap.loaded > 300_000) {
      const rows = await this.repository.synonyms()
      const groups = new Map<string, string[]>()
      for (const row of rows) groups.set(row.canonical, [...(groups.get(row.canonical) ?? []), row.term])
      const byTerm = new Map<string, string[]>()
      for (const row of rows) byTerm.set(row.term, groups.get(row.canonical) ?? [])
      this.synonymMap = { loaded: Date.now(), byTerm }
    }
    return this.synonymMap.byTerm.get(term) ?? []
  }

  /**
   * Full-text search of published guides. The query is cut by jieba and each term expanded with its
   * synonyms; all terms must match (a second, lenient pass accepts any term when nothing matched), or
   * the name must be trigram-similar or contain the text (typos, substrings). Region filter: the region
   * and its ancestors (a county user sees the county's, city's and province's items).
   *
   * Two steps: the query is matched against the distinct guide texts (a few hundred, cached per query on
   * each node until a new text is published), then the region's implementations using those texts are
   * read through the (text, region) index. A department whose name shares a term with the query has its
   * implementations matched on text and name together, as one document, like before the split.
   */
  async search(query: SearchQuery): Promise<SearchResult> {
    const parsed = parseQuery(query.q)
    const regionCodes = query.region ? (await this.regionPath(query.region)).map((r) => r.code) : undefined
    const filter: SearchFilter = {
      ...(regionCodes ? { regionCodes } : {}),
      ...(query.department ? { departmentId: query.department } : {}),
      ...(query.audience ? { audience: query.audience } : {}),
      ...(query.theme ? { theme: query.theme } : {}),
      ...(query.onlineOnly ? { onlineOnly: true } : {}),
    }
    const offset = query.offset ?? 0
    const take = offset + (query.limit ?? 20)
    let hits: { rows: SearchRow[]; total: number }
    let terms: string[] = []
    if (parsed.terms.length === 0) {
      const rows = await this.repository.listPopular(filter, take)
      hits = { rows, total: Number(rows[0]?.total ?? 0) }
    } else {
      const synonyms = new Map<string, string[]>()
      for (const term of parsed.terms) synonyms.set(term, await this.synonymsOf(term))
      const groups = expandTerms(parsed.terms, (term) => synonyms.get(term) ?? [])
      terms = describeTerms(groups)
      hits = await this.findMatches(parsed.text, groups, '&', filter, take)
      if (hits.total === 0 && groups.length > 1)
        hits = await this.findMatches(parsed.text, groups, '|', filter, take)
    }
    const rows = hits.rows.slice(offset, take)
    if (rows.some((row) => this.departments.get(row.department_id) === undefined))
      await this.loadAllDepartments()
    const departments = await Promise.all(rows.map((row) => this.department(row.department_id)))
    const items = rows.map((row, index) => ({
      implementationId: row.implementation_id,
      itemCode: row.item_code,
      name: row.name,
      regionCode: row.region_code,
      departmentId: row.department_id,
      departmentName: departments[index]?.name ?? '',
      audience: row.audience,
      themes: row.themes,
      visits: row.visits,
      onlineDepth: row.online_depth,
      publishedVersion: row.version,
      popularity: Number(row.popularity),
      relevance: Number(row.relevance),
    }))
    return { items, total: Math.min(hits.total, 1000), terms }
  }

  /** The first `take` hits of one pass (terms joined with `join`), and how many there are. */
  private async findMatches(
    text: string,
    groups: TermGroup[],
    join: '&' | '|',
    filter: SearchFilter,
    take: number,
  ): Promise<{ rows: SearchRow[]; total: number }> {
    const query = { text, tsQuery: toTsQuery(groups, join) }
    const tokens = [...new Set(groups.flat(2))]
    const { matches, lexemes } = await this.matchTexts(query, tokens)
    let departments: DepartmentSelection
    if (filter.regionCodes) {
      const index = await this.departmentsByLexeme()
      const ids = new Set<string>()
      for (const region of filter.regionCodes) {
        const located = index.get(region)
        if (located) for (const lexeme of lexemes) for (const id of located.get(lexeme) ?? []) ids.add(id)
      }
      departments = { ids: [...ids] }
    } else {
      departments = { anyTsQuery: tokens.join(' | ') }
    }
    const byDepartment = !('ids' in departments) || departments.ids.length > 0
    const [textRows, departmentRows] = await Promise.all([
      matches.length > 0 ? this.repository.searchByTexts(matches, filter, take, departments) : [],
      byDepartment
        ? this.repository.searchByDepartments(
            query,
            matches.map((m) => m.id),
            departments,
            filter,
            take,
          )
        : [],
    ])
    const total = Number(textRows[0]?.total ?? 0) + Number(departmentRows[0]?.total ?? 0)
    if (departmentRows.length === 0) return { rows: textRows, total }
    return { rows: [...textRows, ...departmentRows].sort(compareHits).slice(0, take), total }
  }

  /** The texts a query matches, and the query's lexemes; cached until a new text is published. */
  private async matchTexts(
    query: { text: string; tsQuery: string },
    tokens: string[],
  ): Promise<{ matches: TextMatch[]; lexemes: Set<string> }> {
    const key = `${query.tsQuery}\n${query.text}`
    const cached = this.textMatches.get(key)
    if (cached) return cached
    const epoch = this.textMatches.epoch
    const [matches, lexemes] = await Promise.all([
      this.repository.matchTexts(query),
      this.repository.lexemesOf(tokens),
    ])
    const value = { matches, lexemes: new Set(lexemes) }
    this.textMatches.set(key, value, epoch)
    return value
  }

  /** Departments with a published guide by region and lexeme of their names (loaded once, then after changes). */
  private departmentsByLexeme(): Promise<Map<string, Map<string, string[]>>> {
    if (!this.departmentIndex) {
      const loading = this.repository.departmentTerms().then((rows) => {
        const index = new Map<string, Map<string, string[]>>()
        for (const row of rows) {
          const located = index.get(row.region_code) ?? new Map<string, string[]>()
          index.set(row.region_code, located)
          for (const lexeme of row.lexemes) {
            const ids = located.get(lexeme)
            if (ids) ids.push(row.department_id)
            else located.set(lexeme, [row.department_id])
          }
        }
        return index
      })
      loading.catch(() => {
        if (this.departmentIndex === loading) this.departmentIndex = undefined
      })
      this.departmentIndex = loading
    }
    return this.departmentIndex
  }

  // ------------------------------------------------------------------ bundles

  async listBundles() {
    const bundles = await this.repository.findBundles()
    const members = await this.repository.bundleItemCodes(bundles.map((b) => b.id))
    return bundles.map((bundle) => ({
      ...bundle,
      itemCodes: (members.get(bundle.id) ?? []).map((m) => m.code),
    }))
  }

  /**
   * A bundle (一件事) as it is offered in a region: each member item resolved to its published
   * implementation nearest to the region (county before city before province), one merged form, one
   * de-duplicated materials list, and the fan-out telling the cases module which department gets what.
   */
  async getBundle(code: string, regionCode: string): Promise<BundleView> {
    const bundle = (await this.listBundles()).find((b) => b.code === code)
    if (!bundle) throw notFound(text(`一件事 ${code} 不存在`, `Bundle ${code} does not exist`))
    const path = (await this.regionPath(regionCode)).map((r) => r.code)
    const items = await this.repository.findItemsByCodes(bundle.itemCodes)
    const candidates = await this.repository.findPublishedFor(
      items.map((i) => i.id),
      path,
    )
    const missing: string[] = []
    const resolved: { implementation: ImplementationRecord; guide: PublishedGuideView }[] = []
    for (const itemCode of bundle.itemCodes) {
      const nearest = candidates
        .filter((c) => c.item_code === itemCode)
        .sort(
          (a, b) =>
            path.indexOf(a.region_code) - path.indexOf(b.region_code) ||
            a.department_id.localeCompare(b.department_id),
        )[0]
      if (!nearest || nearest.published_version === null) {
        missing.push(itemCode)
        continue
      }
      resolved.push({
        implementation: nearest,
        guide: await this.getPublishedVersion(nearest.id, nearest.published_version),
      })
    }
    const merged = mergeForms(
      resolved.map((r) => ({ itemCode: r.guide.itemCode, form: r.guide.content.form })),
    )
    const materials = mergeMaterials(resolved.map((r) => r.guide))
    return {
      code: bundle.code,
      name: bundle.name,
      description: bundle.description,
      audience: bundle.audience,
      themes: bundle.themes,
      itemCodes: bundle.itemCodes,
      leadDepartmentId: bundle.lead_department_id,
      version: bundle.version,
      regionCode,
      available: missing.length === 0,
      missing,
      form: merged.form,
      materials: materials.list,
      fanOut: resolved.map((r, index) => ({
        itemCode: r.guide.itemCode,
        implementationId: r.implementation.id,
        version: r.guide.version,
        departmentId: r.guide.departmentId,
        departmentName: r.guide.departmentName,
        regionCode: r.guide.regionCode,
        fields: merged.fieldMaps[index] ?? {},
        materials: materials.keyMaps[index] ?? {},
      })),
    }
  }

  // ------------------------------------------------------------------ bundle administration

  /**
   * The departments whose admins may maintain a bundle: its current lead (the draft's, else the published
   * bundle's; null when catalog administrators maintain it) and a proposed new lead. An unknown department
   * is left out: the draft's checks report it.
   */
  async bundleLeads(code: string, proposed?: string): Promise<(DepartmentRecord | null)[]> {
    const [draft, bundle] = await Promise.all([
      this.repository.findBundleDraft(code),
      this.repository.findBundleByCode(code),
    ])
    const current = draft ? draft.lead_department_id : bundle ? bundle.lead_department_id : undefined
    const leads: (DepartmentRecord | null)[] = []
    if (current === null) leads.push(null)
    for (const id of new Set([current, proposed])) {
      if (!id) continue
      const department = await this.department(id)
      if (department) leads.push(department)
    }
    return leads
  }

  async getBundleDraft(code: string): Promise<BundleDraftRecord> {
    const draft = await this.repository.findBundleDraft(code)
    if (!draft) throw notFound(text(`一件事 ${code} 没有正在编辑的草稿`, `Bundle ${code} has no draft`))
    return draft
  }

  /** The draft with what it would publish: the merged form, the merged materials, the shared fields. */
  async bundleDraftView(code: string): Promise<BundleDraftView> {
    const [draft, bundle] = await Promise.all([
      this.getBundleDraft(code),
      this.repository.findBundleByCode(code),
    ])
    const { preview } = await this.checkBundle(draft.content)
    return {
      code: draft.code,
      status: draft.status,
      revision: draft.revision,
      content: draft.content,
      publishedVersion: bundle?.version ?? null,
      updatedAt: draft.updated_at.toISOString(),
      preview,
    }
  }

  /**
   * Checks a bundle's content: the lead department exists; every item exists and has a published guide
   * in the lead department's region or a region above or below it (where the bundle is offered); fields
   * the items share — the same key, or the same prefill source — have the same type in every published
   * form. Returns the field errors (paths into the request), and, when there are none, the preview.
   */
  async checkBundle(
    content: BundleContent,
  ): Promise<{ errors: FieldError[]; preview: BundleDraftView['preview'] }> {
    const none = { form: mergeForms([]).form, materials: [], sharedFields: [] }
    const errors: FieldError[] = []
    const lead = await this.department(content.leadDepartmentId)
    if (!lead)
      errors.push({
        path: '/content/leadDepartmentId',
        code: 'department',
        message: text('牵头部门不存在', 'The lead department does not exist'),
      })
    const items = await this.repository.findItemsByCodes(content.itemCodes)
    for (const [index, code] of content.itemCodes.entries())
      if (!items.some((i) => i.code === code))
        errors.push({
          path: `/content/itemCodes/${index}`,
          code: 'item',
          message: text(`基本目录中没有事项 ${code}`, `There is no base item ${code}`),
        })
    if (!lead || errors.length > 0) return { errors, preview: none }

    const path = await this.regionPath(lead.region_code)
    const scope = [
      ...new Set([
        ...path.map((r) => r.code),
        ...(await this.org.repository.findSubtreeCodes(lead.region_code)),
      ]),
    ]
    const forms = await this.repository.findPublishedForms(
      items.map((i) => i.id),
      scope,
    )
    for (const [index, code] of content.itemCodes.entries()) {
      if (forms.some((f) => f.item_code === code)) continue
      const name = items.find((i) => i.code === code)?.name ?? code
      errors.push({
        path: `/content/itemCodes/${index}`,
        code: 'unpublished',
        message: text(
          `事项“${name}”（${code}）在${path[0]?.name ?? lead.region_code}及其上下级区划没有已发布的办事指南`,
          `Item ${code} (${name}) has no published guide in ${path[0]?.name ?? lead.region_code} or the regions above or below it`,
        ),
      })
    }
    errors.push(...sharedFieldConflicts(forms))
    if (errors.length > 0) return { errors, preview: none }

    // the preview: for each item, its published guide nearest the lead department (its region, then above)
    const near = (regionCode: string) => {
      const at = path.findIndex((r) => r.code === regionCode)
      return at < 0 ? path.length : at
    }
    const guides: PublishedGuideView[] = []
    for (const code of content.itemCodes) {
      const best = forms
        .filter((f) => f.item_code === code)
        .sort((a, b) => near(a.region_code) - near(b.region_code))[0]!
      guides.push(await this.getPublishedVersion(best.implementation_id, best.version))
    }
    const merged = mergeForms(guides.map((g) => ({ itemCode: g.itemCode, form: g.content.form })))
    const users = new Map<string, string[]>()
    for (const [index, map] of merged.fieldMaps.entries())
      for (const target of Object.values(map))
        users.set(target, [...(users.get(target) ?? []), guides[index]!.itemCode])
    const properties = (merged.form.schema.properties ?? {}) as Record<string, Record<string, unknown>>
    return {
      errors,
      preview: {
        form: merged.form,
        materials: mergeMaterials(guides).list,
        sharedFields: [...users]
          .filter(([, codes]) => codes.length > 1)
          .map(([field, codes]) => ({
            field,
            type: typeSignature(properties[field] ?? {}),
            itemCodes: codes,
          })),
      },
    }
  }

  /** Saves a bundle draft (creating it); `revision` guards against overwriting someone else's save. */
  async saveBundleDraft(
    code: string,
    content: BundleContent,
    revision: number | undefined,
    who: AuditWho,
  ): Promise<BundleDraftView> {
    const { errors } = await this.checkBundle(content)
    if (errors.length > 0) throw invalid(errors)
    const lead = (await this.department(content.leadDepartmentId))!
    await this.platform.db.transaction().execute(async (trx) => {
      const current = await this.repository.lockBundleDraft(trx, code)
      if (current && revision !== undefined && current.revision !== revision)
        throw new AppError('stale-version', {
          detail: text(
            `草稿已更新到第 ${current.revision} 稿`,
            `The draft is now at revision ${current.revision}`,
          ),
        })
      const saved = await this.repository.upsertBundleDraft(trx, code, content, who.actorId)
      await this.platform.audit.append(trx, {
        ...who,
        action: 'catalog.bundle.save-draft',
        resourceType: 'catalog_bundle',
        resourceId: code,
        regionCode: lead.region_code,
        outcome: 'success',
        details: {
          revision: saved,
          itemCodes: content.itemCodes,
          leadDepartmentId: content.leadDepartmentId,
        },
      })
    })
    return this.bundleDraftView(code)
  }

  /** Submits the bundle draft for review (送审). */
  async submitBundleDraft(code: string, revision: number, who: AuditWho): Promise<BundleDraftView> {
    await this.platform.db.transaction().execute(async (trx) => {
      const draft = await this.lockedBundleDraftAt(trx, code, revision)
      if (draft.status !== 'draft')
        throw new AppError('invalid-transition', {
          allowed: ['publish'],
          detail: text('草稿已送审', 'The draft is already submitted'),
        })
      await this.repository.markBundleSubmitted(trx, code, who.actorId)
      await this.platform.audit.append(trx, {
        ...who,
        action: 'catalog.bundle.submit',
        resourceType: 'catalog_bundle',
        resourceId: code,
        regionCode: null,
        outcome: 'success',
        details: { revision },
      })
    })
    return this.bundleDraftView(code)
  }

  private async lockedBundleDraftAt(
    trx: Transaction<Database>,
    code: string,
    revision: number,
  ): Promise<BundleDraftRecord> {
    return draftAt(
      await this.repository.lockBundleDraft(trx, code),
      revision,
      text(`一件事 ${code} 没有正在编辑的草稿`, `Bundle ${code} has no draft`),
    )
  }

  /**
   * Publishes the reviewed bundle draft as the bundle's next version, checked again (an item may have been
   * withdrawn or a form changed since the draft was saved): the bundle and its members, the immutable
   * version, the outbox event and the audit entry commit together; the draft is removed.
   */
  async publishBundle(
    code: string,
    input: { revision: number; comment?: string | undefined },
    who: AuditWho,
  ): Promise<BundleSummary> {
    const draft = await this.getBundleDraft(code)
    const { errors } = await this.checkBundle(draft.content)
    if (errors.length > 0) throw invalid(errors)
    await this.platform.db.transaction().execute(async (trx) => {
      const locked = await this.lockedBundleDraftAt(trx, code, input.revision)
      if (locked.status !== 'submitted')
        throw new AppError('invalid-transition', {
          allowed: ['submit'],
          detail: text('草稿须先送审再发布', 'Submit the draft for review before publishing'),
        })
      await this.repository.deleteBundleDraft(trx, code)
      await this.writeBundlePublication(trx, code, locked.content, who, {
        submittedBy: locked.submitted_by,
        comment: input.comment ?? '',
        revision: input.revision,
      })
    })
    this.platform.events.nudge()
    return this.getBundleSummary(code)
  }

  /**
   * Publishes a bundle reviewed outside this platform (the demo catalog, a province's existing list) as
   * its next version, with the same checks as a draft.
   */
  async publishReviewedBundle(code: string, content: BundleContent, who: AuditWho): Promise<BundleSummary> {
    const { errors } = await this.checkBundle(content)
    if (errors.length > 0) throw invalid(errors)
    await this.platform.db.transaction().execute((trx) =>
      this.writeBundlePublication(trx, code, content, who, {
        submittedBy: null,
        comment: 'reviewed outside the platform',
        revision: 0,
      }),
    )
    return this.getBundleSummary(code)
  }

  private async writeBundlePublication(
    trx: Transaction<Database>,
    code: string,
    content: BundleContent,
    who: AuditWho,
    review: { submittedBy: string | null; comment: string; revision: number },
  ): Promise<void> {
    const items = await this.repository.findItemsByCodes(content.itemCodes, trx)
    const existing = await this.repository.findBundleByCode(code, trx)
    const version = (existing?.version ?? 0) + 1
    const id = await this.repository.upsertBundle(
      trx,
      { code, ...content, version },
      content.itemCodes.map((c) => items.find((i) => i.code === c)!.id),
    )
    await this.repository.insertBundleVersion(trx, {
      bundleId: id,
      version,
      content,
      publishedBy: who.actorId,
      submittedBy: review.submittedBy,
      comment: review.comment,
    })
    await this.platform.events.publish(
      trx,
      BUNDLE_PUBLISHED,
      { code, version, itemCodes: content.itemCodes, leadDepartmentId: content.leadDepartmentId },
      id,
    )
    await this.platform.audit.append(trx, {
      ...who,
      action: 'catalog.bundle.publish',
      resourceType: 'catalog_bundle',
      resourceId: code,
      regionCode: null,
      outcome: 'success',
      details: { version, revision: review.revision, itemCodes: content.itemCodes },
    })
  }

  async getBundleSummary(code: string): Promise<BundleSummary> {
    const bundle = (await this.listBundles()).find((b) => b.code === code)
    if (!bundle) throw notFound(text(`一件事 ${code} 不存在`, `Bundle ${code} does not exist`))
    return presentBundle(bundle)
  }

  /** One published bundle version (immutable). */
  async getBundleVersion(code: string, version: number): Promise<BundleVersionView> {
    const row = await this.repository.findBundleVersion(code, version)
    if (!row)
      throw notFound(text(`一件事 ${code} 没有第 ${version} 版`, `Bundle ${code} has no version ${version}`))
    return {
      code,
      version: row.version,
      publishedAt: row.published_at.toISOString(),
      comment: row.comment,
      content: row.content as BundleVersionView['content'],
    }
  }

  // ------------------------------------------------------------------ import / export

  /** Loads base items and implementations from a file, all or nothing. */
  async importCatalog(
    file: CatalogImport,
    options: { dryRun: boolean },
    who: AuditWho,
  ): Promise<ImportResult> {
    return runImport(this.platform, this.repository, this.org, file, options, who)
  }

  async exportCatalog(): Promise<Required<CatalogFile>> {
    const [items, implementations] = await Promise.all([
      this.repository.allItems(),
      this.repository.allImplementations(),
    ])
    // one query for every department rather than one per row (an export may hold a million rows)
    const departments = new Map(
      (await this.org.listDepartments({ limit: 1_000_000, offset: 0 })).items.map((d) => [d.id, d]),
    )
    const rows = implementations.map((m) => ({
      itemCode: m.item_code,
      regionCode: m.region_code,
      departmentUscc: departments.get(m.department_id)?.uscc ?? '',
      name: m.name,
      type: m.type,
      legalBasis: m.legal_basis,
      localNotes: m.local_notes,
    }))
    return {
      items: items.map((i) => ({
        code: i.code,
        name: i.name,
        type: i.type,
        legalBasis: i.legal_basis,
        departmentKind: i.department_kind,
        levels: i.levels,
        audience: i.audience,
        themes: i.themes,
        keywords: i.keywords,
        description: i.description,
      })),
      implementations: rows,
    }
  }
}

/** A bundle as listed (the API shape of `listBundles` rows). */
export function presentBundle(bundle: {
  code: string
  name: string
  description: string
  audience: string[]
  themes: string[]
  itemCodes: string[]
  lead_department_id: string | null
  version: number
}): BundleSummary {
  return {
    code: bundle.code,
    name: bundle.name,
    description: bundle.description,
    audience: bundle.audience,
    themes: bundle.themes,
    itemCodes: bundle.itemCodes,
    leadDepartmentId: bundle.lead_department_id,
    version: bundle.version,
  }
}

/** A field's JSON type as compared across forms: its type, and its format when it has one. */
function typeSignature(definition: Record<string, unknown>): string {
  const type =
    typeof definition.type === 'string' ? definition.type : JSON.stringify(definition.type ?? 'any')
  return typeof definition.format === 'string' ? `${type} (${definition.format})` : type
}

/**
 * Fields two member items share — the same key, or the same prefill source — must have the same type in
 * every published form of the items, or the merged form cannot serve both. One error per field.
 */
function sharedFieldConflicts(forms: { item_code: string; form: FormDocument }[]): FieldError[] {
  const fields = new Map<string, { key: string; title: string; bySignature: Map<string, Set<string>> }>()
  for (const { item_code: itemCode, form } of forms) {
    const properties = (form.schema.properties ?? {}) as Record<string, Record<string, unknown>>
    for (const [key, definition] of Object.entries(properties)) {
      const source = form.prefill[key]
      for (const identity of source ? [`key:${key}`, `prefill:${source}`] : [`key:${key}`]) {
        let field = fields.get(identity)
        if (!field) {
          const title = typeof definition.title === 'string' ? definition.title : key
          field = { key, title, bySignature: new Map() }
          fields.set(identity, field)
        }
        const signature = typeSignature(definition)
        field.bySignature.set(signature, (field.bySignature.get(signature) ?? new Set()).add(itemCode))
      }
    }
  }
  const errors: FieldError[] = []
  const reported = new Set<string>()
  for (const field of fields.values()) {
    const itemCodes = new Set([...field.bySignature.values()].flatMap((codes) => [...codes]))
    if (field.bySignature.size < 2 || itemCodes.size < 2 || reported.has(field.key)) continue
    reported.add(field.key)
    const types = [...field.bySignature].map(([signature, codes]) => `${signature}: ${[...codes].join(', ')}`)
    errors.push({
      path: '/content/itemCodes',
      code: 'sharedFieldType',
      message: text(
        `共用字段“${field.title}”（${field.key}）在各事项表单中的类型不一致（${types.join('；')}），无法合并为一张表`,
        `The shared field "${field.title}" (${field.key}) has different types in the items' forms (${types.join('; ')}), so they cannot be merged into one form`,
      ),
    })
  }
  return errors
}

/** Search order: relevance, then popularity, then name and id (as the SQL orders each step). */
function compareHits(a: SearchRow, b: SearchRow): number {
  return (
    Number(b.relevance) - Number(a.relevance) ||
    Number(b.popularity) - Number(a.popularity) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    (a.implementation_id < b.implementation_id ? -1 : a.implementation_id > b.implementation_id ? 1 : 0)
  )
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** The search document of a published guide: tokens by weight (A name, B keywords/themes/type, C department, D guide text). */
export function searchDocument(
  implementation: ImplementationRecord,
  item: ItemRecord,
  department: Pick<DepartmentRecord, 'name' | 'short_name'> | undefined,
  content: GuideContent,
  version: number,
): SearchDocumentRow {
  const themeNames = item.themes.map((t) => THEMES[t as keyof typeof THEMES]?.zh ?? t)
  const typeName = ITEM_TYPES[item.type as keyof typeof ITEM_TYPES]?.zh ?? ''
  return {
    implementationId: implementation.id,
    itemCode: item.code,
    regionCode: implementation.region_code,
    departmentId: implementation.department_id,
    name: implementation.name,
    audience: item.audience,
    themes: item.themes,
    visits: content.visits,
    onlineDepth: content.onlineDepth,
    version,
    weighted: {
      a: join(implementation.name),
      b: join(...item.keywords, ...themeNames, typeName),
      c: departmentTokens(department),
      d: join(item.description, content.conditions, content.result, ...content.materials.map((m) => m.name)),
    },
  }
}

const join = (...texts: string[]) => indexTokens(texts.filter(Boolean).join(' ')).join(' ')

/** The search tokens of a department (weight C of its implementations' documents): name and short name. */
export function departmentTokens(
  department: Pick<DepartmentRecord, 'name' | 'short_name'> | undefined,
): string {
  return join(department?.name ?? '', department?.short_name ?? '')
}

/** A locked draft at the revision its editor last saw: 404 when there is none, 409 when it moved on. */
function draftAt<T extends { revision: number }>(
  draft: T | undefined,
  revision: number,
  missing: LocalizedText,
): T {
  if (!draft) throw notFound(missing)
  if (draft.revision !== revision)
    throw new AppError('stale-version', {
      detail: text(`草稿已更新到第 ${draft.revision} 稿`, `The draft is now at revision ${draft.revision}`),
    })
  return draft
}

/**
 * One materials list for a bundle: a license material is the same material wherever it comes from the
 * same license type, a shared one from the same resource, others when they have the same name. The
 * merged material is required when any item requires it, with the most copies any item asks for. Merged
 * keys are unique across the items (an item's own `m1` and another's `m1` may be different materials);
 * `keyMaps[i]` maps the i-th item's own material keys to the merged ones, so its case gets its own.
 */
export function mergeMaterials(guides: PublishedGuideView[]): {
  list: BundleView['materials']
  keyMaps: Record<string, string>[]
} {
  const list: BundleView['materials'] = []
  const index = new Map<string, number>()
  const keyMaps = guides.map((guide) => {
    const keyMap: Record<string, string> = {}
    for (const material of guide.content.materials) {
      const identity =
        material.source === 'license'
          ? `license:${material.licenseType}`
          : material.source === 'shared'
            ? `shared:${material.sharedResource}`
            : `${material.source}:${material.name}`
      const at = index.get(identity)
      if (at === undefined) {
        let key = material.key
        for (let n = 2; list.some((m) => m.key === key); n += 1) key = `${material.key}_${n}`
        index.set(identity, list.length)
        list.push({
          key,
          name: material.name,
          form: material.form,
          copies: material.copies,
          required: material.required,
          source: material.source,
          ...(material.licenseType ? { licenseType: material.licenseType } : {}),
          ...(material.sharedResource ? { sharedResource: material.sharedResource } : {}),
          usedBy: [guide.itemCode],
        })
        keyMap[material.key] = key
        continue
      }
      const existing = list[at]!
      existing.required ||= material.required
      existing.copies = Math.max(existing.copies, material.copies)
      if (!existing.usedBy.includes(guide.itemCode)) existing.usedBy.push(guide.itemCode)
      keyMap[material.key] = existing.key
    }
    return keyMap
  })
  return { list, keyMaps }
}
