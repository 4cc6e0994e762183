import { notFound } from '../../../platform/errors.ts'
import { messages } from '../licenses.messages.ts'
import type { LicensesRepository, LicenseTypeRecord } from '../licenses.repository.ts'

/** How long a node trusts its list of license types (the list is small and read on every issuance). */
const TYPE_CACHE_MS = 30_000

/** 证照类型: every license type, cached for a short while; forgotten when a type is defined or changed. */
export class LicenseTypeCatalog {
  private cache: { at: number; types: Map<string, LicenseTypeRecord> } | undefined

  constructor(private readonly repository: LicensesRepository) {}

  /** Every license type by code. */
  async all(): Promise<Map<string, LicenseTypeRecord>> {
    if (this.cache && Date.now() - this.cache.at < TYPE_CACHE_MS) return this.cache.types
    const types = new Map((await this.repository.findTypes()).map((t) => [t.code, t]))
    this.cache = { at: Date.now(), types }
    return types
  }

  /** One license type; 404 when there is none of that code. */
  async get(code: string): Promise<LicenseTypeRecord> {
    const type = (await this.all()).get(code) ?? (await this.repository.findType(code))
    if (!type) throw notFound(messages.typeNotFound(code))
    return type
  }

  /** The active type whose name is a guide's 办理结果, if any. */
  async activeNamed(name: string | undefined): Promise<LicenseTypeRecord | undefined> {
    return [...(await this.all()).values()].find((t) => t.name === name && t.status === 'active')
  }

  /** Drops the cached list (after a type was defined or changed on this node). */
  forget(): void {
    this.cache = undefined
  }
}
