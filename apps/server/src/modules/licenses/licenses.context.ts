import { batched } from '../../platform/db/batcher.ts'
import { SequenceBlocks, type SequenceTable } from '../../platform/db/sequence-blocks.ts'
import type { Platform } from '../../platform/platform.ts'
import { DepartmentCache } from './licenses.departments.ts'
import { LicenseKeyRing } from './licenses.keys.ts'
import { type CjkFontSource, LicensePdfRenderer } from './licenses.pdf.ts'
import type { LicensesPorts } from './licenses.ports.ts'
import { LicensesRepository, type VerificationRow } from './licenses.repository.ts'
import { FieldSchemas } from './types/field-schemas.ts'
import { LicenseTypeCatalog } from './types/type-catalog.ts'

/**
 * 流水号 are reserved this many at a time per process, like a PostgreSQL sequence's cache: one counter
 * update per block instead of one committed write per issue. Numbers stay unique across nodes; a process
 * that stops leaves the rest of its block unused (gaps, as rolled-back issues leave too).
 */
const SEQUENCE_BLOCK = 20
const LICENSE_SEQUENCES: SequenceTable = { name: 'license_sequences', keys: ['issuer_code', 'type_code'] }

/** One 亮证 token to mark used, with the license it names. */
export interface TokenUse {
  tokenId: string
  licenseId: string
  expiresAt: Date
}

/** What every use case of the licenses module works with: the platform, its tables, caches and ports. */
export interface LicensesContext {
  platform: Platform
  repository: LicensesRepository
  ports: LicensesPorts
  keys: LicenseKeyRing
  types: LicenseTypeCatalog
  departments: DepartmentCache
  schemas: FieldSchemas
  /** The next 流水号 of an issuer (its USCC) and a license type. */
  sequences: SequenceBlocks
  /** Marks a 亮证 token used and reads its license; verifications arriving together share one statement. */
  consumeToken: (use: TokenUse) => Promise<VerificationRow | undefined>
  pdf: LicensePdfRenderer
  now(): Date
}

/** Builds the context of one licenses service (one per process, or one per simulated node in tests). */
export function createLicensesContext(
  platform: Platform,
  ports: LicensesPorts,
  options: { pdfFonts?: readonly CjkFontSource[] } = {},
): LicensesContext {
  const repository = new LicensesRepository(platform.db)
  return {
    platform,
    repository,
    ports,
    keys: new LicenseKeyRing(platform, repository),
    types: new LicenseTypeCatalog(repository),
    departments: new DepartmentCache(ports.departments),
    schemas: new FieldSchemas(),
    sequences: new SequenceBlocks(platform.db, LICENSE_SEQUENCES, {
      sizes: { min: SEQUENCE_BLOCK, max: SEQUENCE_BLOCK },
    }),
    consumeToken: batched((uses: TokenUse[]) => repository.consumeTokensAndRead(uses)),
    pdf: new LicensePdfRenderer(options.pdfFonts),
    now: () => platform.clock.now(),
  }
}
