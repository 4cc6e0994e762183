import type {
  BundleContent,
  BundleDraftView,
  BundleSummary,
  BundleVersionView,
  BundleView,
  CatalogFile,
  ConsistencyReport,
  CreateImplementation,
  CreateItem,
  FieldError,
  GuideContent,
  ImportResult,
  ItemType,
  PublishDraft,
  PublishedGuideView,
  SearchQuery,
  SearchResult,
  UpdateImplementation,
  UpdateItem,
} from '@tongban/contracts'
import type { Platform } from '../../platform/platform.ts'
import {
  bundleDraftView,
  bundleLeads,
  publishBundle,
  publishReviewedBundle,
  saveBundleDraft,
  submitBundleDraft,
} from './bundles/bundle-review.ts'
import {
  getBundle,
  getBundleSummary,
  getBundleVersion,
  type ListedBundle,
  listBundles,
} from './bundles/read-bundles.ts'
import { ChangeFeed } from './catalog.change-feed.ts'
import { type CatalogContext, createCatalogContext } from './catalog.context.ts'
import type { AuditWho, CatalogPorts, Department, LicenseTypeEntry, RegionStep } from './catalog.ports.ts'
import {
  getGuideDraft,
  publishGuide,
  publishReviewedGuide,
  saveGuideDraft,
  submitGuideDraft,
} from './guides/guide-review.ts'
import { getPublishedVersion, publishedGuideJson, validateApplication } from './guides/published-guides.ts'
import { consistencyReport } from './implementations/consistency-report.ts'
import { createImplementation } from './implementations/create-implementation.ts'
import { getImplementation, listImplementations } from './implementations/read-implementations.ts'
import { updateImplementation } from './implementations/update-implementation.ts'
import { createItem } from './items/create-item.ts'
import { getItem, listItems } from './items/read-items.ts'
import { updateItem } from './items/update-item.ts'
import type { DraftRecord } from './repositories/drafts.repository.ts'
import type { ImplementationRecord } from './repositories/implementations.repository.ts'
import type { ItemRecord } from './repositories/items.repository.ts'
import { departmentsByLexeme } from './search/match-texts.ts'
import { searchCatalog } from './search/search-catalog.ts'
import type { CatalogImport } from './transfer/catalog-file.ts'
import { exportCatalog } from './transfer/export-catalog.ts'
import { importCatalog } from './transfer/import-catalog.ts'

/**
 * 政务服务事项目录: the catalog's public service — base items, implementations, guides and forms, bundles,
 * search, import/export — for its routes and other modules. Each method is one use case (see the files it
 * calls); this node's caches and change feed live here.
 */
export class CatalogService {
  private readonly ctx: CatalogContext
  private readonly feed: ChangeFeed

  constructor(platform: Platform, ports: CatalogPorts) {
    this.ctx = createCatalogContext(platform, ports)
    this.feed = new ChangeFeed(this.ctx)
  }

  // ------------------------------------------------------------------ caches on every node

  /** Follows the change log (catalog_changes), so that changes made on any node reach this node's caches. */
  startChangeFeed(intervalMs?: number): Promise<void> {
    return this.feed.start(() => this.warmUp(), intervalMs)
  }

  /** Stops following the change log (the process is closing). */
  stopChangeFeed(): void {
    this.feed.stop()
  }

  /** Reads the change log once and applies what is new; how many changes it applied. */
  syncChanges(): Promise<number> {
    return this.feed.sync()
  }

  /** Loads what every search needs (departments, their search terms) before the first search asks. */
  private async warmUp(): Promise<void> {
    try {
      await Promise.all([this.ctx.directory.loadAllDepartments(), departmentsByLexeme(this.ctx)])
    } catch (error) {
      this.ctx.platform.logger.warn({ err: error }, 'catalog warm-up failed; searches load on demand')
    }
  }

  // ------------------------------------------------------------------ reference data

  /** A department by id (cached on this node); undefined when unknown. */
  department(id: string): Promise<Department | undefined> {
    return this.ctx.directory.department(id)
  }

  /** A region and its ancestors, nearest first (cached on this node). */
  regionPath(code: string): Promise<RegionStep[]> {
    return this.ctx.directory.regionPath(code)
  }

  /** The license types a guide's 免提交 material may name. */
  licenseTypes(): Promise<LicenseTypeEntry[]> {
    return this.ctx.licenseTypes.listLicenseTypes()
  }

  // ------------------------------------------------------------------ base items and implementations

  /** 基本目录事项 by code; not found when unknown. */
  getItem(code: string): Promise<ItemRecord> {
    return getItem(this.ctx, code)
  }

  /** Base items, by code, filtered by type, department kind or theme. */
  listItems(filter: {
    type?: ItemType
    departmentKind?: string
    theme?: string
    limit: number
    offset: number
  }) {
    return listItems(this.ctx, filter)
  }

  /** Adds a base item (its code unique). */
  createItem(input: CreateItem, who: AuditWho): Promise<ItemRecord> {
    return createItem(this.ctx, input, who)
  }

  /** Changes a base item (optimistic concurrency on its version). */
  updateItem(code: string, input: UpdateItem, who: AuditWho): Promise<ItemRecord> {
    return updateItem(this.ctx, code, input, who)
  }

  /** 实施清单条目 by id; not found when unknown. */
  getImplementation(id: string): Promise<ImplementationRecord> {
    return getImplementation(this.ctx, id)
  }

  /** Implementations; a region filter includes its ancestors. */
  listImplementations(filter: Parameters<typeof listImplementations>[1]) {
    return listImplementations(this.ctx, filter)
  }

  /** Adds an implementation (四级四同 and placement checked). */
  createImplementation(input: CreateImplementation, who: AuditWho): Promise<ImplementationRecord> {
    return createImplementation(this.ctx, input, who)
  }

  /** Changes an implementation's local details or status; its search document follows. */
  updateImplementation(
    id: string,
    input: UpdateImplementation,
    who: AuditWho,
  ): Promise<ImplementationRecord> {
    return updateImplementation(this.ctx, id, input, who)
  }

  /** 四级四同 report: implementations differing from their base item. */
  consistencyReport(region?: string): Promise<ConsistencyReport> {
    return consistencyReport(this.ctx, region)
  }

  // ------------------------------------------------------------------ guides

  /** An implementation's guide draft; not found when there is none. */
  getDraft(implementationId: string): Promise<DraftRecord<GuideContent>> {
    return getGuideDraft(this.ctx, implementationId)
  }

  /** Saves the guide draft once it passes the guide rules. */
  saveDraft(implementationId: string, content: GuideContent, revision: number | undefined, who: AuditWho) {
    return saveGuideDraft(this.ctx, implementationId, content, revision, who)
  }

  /** Submits the guide draft for review (送审). */
  submitDraft(implementationId: string, revision: number, who: AuditWho): Promise<DraftRecord<GuideContent>> {
    return submitGuideDraft(this.ctx, implementationId, revision, who)
  }

  /** Publishes the reviewed guide draft as the next immutable version (审核发布). */
  publish(implementationId: string, input: PublishDraft, who: AuditWho): Promise<PublishedGuideView> {
    return publishGuide(this.ctx, implementationId, input, who)
  }

  /** Publishes a guide reviewed outside this platform as the next version. */
  publishReviewed(implementationId: string, content: GuideContent, who: AuditWho): Promise<number> {
    return publishReviewedGuide(this.ctx, implementationId, content, who)
  }

  /** One published guide version, immutable (the one a case was filed under). */
  getPublishedVersion(implementationId: string, version: number): Promise<PublishedGuideView> {
    return getPublishedVersion(this.ctx, implementationId, version)
  }

  /** The latest published guide as its JSON answer, from this node's memory once warm. */
  publishedGuideJson(implementationId: string): Promise<string> {
    return publishedGuideJson(this.ctx, implementationId)
  }

  /** Field errors of application data against a published version's form; empty when valid. */
  validateApplication(implementationId: string, version: number, data: unknown): Promise<FieldError[]> {
    return validateApplication(this.ctx, implementationId, version, data)
  }

  /** Counts applications filed against an implementation (search ranks popular items first among equals). */
  async recordApplication(implementationId: string, count = 1): Promise<void> {
    await this.ctx.repositories.search.incrementPopularity(implementationId, count)
  }

  /** Full-text search of published guides (jieba terms, synonyms, typos; region and its ancestors). */
  search(query: SearchQuery): Promise<SearchResult> {
    return searchCatalog(this.ctx, query)
  }

  // ------------------------------------------------------------------ bundles

  /** Every published bundle (一件事) with its member items. */
  listBundles(): Promise<ListedBundle[]> {
    return listBundles(this.ctx)
  }

  /** A bundle as offered in a region: merged form and materials, and the fan-out to departments. */
  getBundle(code: string, regionCode: string): Promise<BundleView> {
    return getBundle(this.ctx, code, regionCode)
  }

  /** A published bundle as listed; not found when unknown. */
  getBundleSummary(code: string): Promise<BundleSummary> {
    return getBundleSummary(this.ctx, code)
  }

  /** One published bundle version (immutable). */
  getBundleVersion(code: string, version: number): Promise<BundleVersionView> {
    return getBundleVersion(this.ctx, code, version)
  }

  /** The lead departments whose admins may maintain a bundle (current and proposed). */
  bundleLeads(code: string, proposed?: string): Promise<(Department | null)[]> {
    return bundleLeads(this.ctx, code, proposed)
  }

  /** The bundle draft with the merged form and materials it would publish. */
  bundleDraftView(code: string): Promise<BundleDraftView> {
    return bundleDraftView(this.ctx, code)
  }

  /** Saves the bundle draft once it passes the bundle's checks. */
  saveBundleDraft(code: string, content: BundleContent, revision: number | undefined, who: AuditWho) {
    return saveBundleDraft(this.ctx, code, content, revision, who)
  }

  /** Submits the bundle draft for review (送审). */
  submitBundleDraft(code: string, revision: number, who: AuditWho): Promise<BundleDraftView> {
    return submitBundleDraft(this.ctx, code, revision, who)
  }

  /** Publishes the reviewed bundle draft as its next version, checked again (审核发布). */
  publishBundle(code: string, input: PublishDraft, who: AuditWho): Promise<BundleSummary> {
    return publishBundle(this.ctx, code, input, who)
  }

  /** Publishes a bundle reviewed outside this platform as its next version. */
  publishReviewedBundle(code: string, content: BundleContent, who: AuditWho): Promise<BundleSummary> {
    return publishReviewedBundle(this.ctx, code, content, who)
  }

  // ------------------------------------------------------------------ import / export

  /** Loads base items and implementations from a file, all or nothing. */
  importCatalog(file: CatalogImport, options: { dryRun: boolean }, who: AuditWho): Promise<ImportResult> {
    return importCatalog(this.ctx, file, options, who)
  }

  /** Every base item and implementation, in the import format. */
  exportCatalog(): Promise<Required<CatalogFile>> {
    return exportCatalog(this.ctx)
  }
}
