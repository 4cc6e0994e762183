import type { PublishedGuideView } from '@tongban/contracts'
import type { ValidateFunction } from 'ajv'
import type { Department, RegionStep } from './catalog.ports.ts'
import type { CatalogChangeKind } from './repositories/changes.repository.ts'
import type { TextMatch } from './repositories/search.repository.ts'

/**
 * A small time-bounded cache: entries live `ttlMs`, the oldest go when `max` is reached. `epoch` moves on
 * every invalidation: a value read before one (maybe stale already) is not stored when `set` is given the
 * epoch seen before reading.
 */
export class TtlCache<V> {
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

/** Departments with a published guide by region, then by each lexeme of their names. */
export type DepartmentIndex = Map<string, Map<string, string[]>>

/** What one node keeps in memory; the change log (catalog_changes) says what to drop. */
export class CatalogCaches {
  /** Latest published guide per implementation, as the JSON answer (≥ 5,000 fetches/s). */
  readonly guides = new TtlCache<string>(600_000, 20_000)
  /** Published guide versions by implementation, then version. */
  readonly versions = new TtlCache<Map<number, PublishedGuideView>>(600_000, 20_000)
  readonly validators = new TtlCache<ValidateFunction>(600_000, 5_000)
  readonly departments = new TtlCache<Department | null>(300_000, 200_000)
  /** When every department was last loaded into `departments` at once (for search hits). */
  allDepartments: { loaded: number; loading?: Promise<void> | undefined } = { loaded: 0 }
  readonly regionPaths = new TtlCache<RegionStep[]>(3_600_000, 50_000)
  /** First step of a search, by query: the matching texts, and the query's lexemes. */
  readonly textMatches = new TtlCache<{ matches: TextMatch[]; lexemes: Set<string> }>(600_000, 10_000)
  /** Rebuilt after a department's terms change. */
  departmentIndex: Promise<DepartmentIndex> | undefined
  synonyms: { loaded: number; byTerm: Map<string, string[]> } | undefined

  /** Drops what one change makes stale. */
  apply(kind: CatalogChangeKind, key: string | null): void {
    if (kind === 'guide' && key) {
      this.guides.delete(key)
      this.versions.delete(key)
    } else if (kind === 'text') this.textMatches.clear()
    else if (kind === 'department') this.departmentIndex = undefined
  }

  /** Drops every copy that a change can make stale. */
  dropAll(): void {
    this.guides.clear()
    this.versions.clear()
    this.textMatches.clear()
    this.departmentIndex = undefined
  }
}
