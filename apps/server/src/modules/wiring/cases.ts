import type { Platform } from '../../platform/platform.ts'
import type {
  ApplicantAccountsPort,
  ApplicantFact,
  ApplicantFactsPort,
  DepartmentDirectoryPort as CasesDepartmentDirectory,
  CasesPorts,
  CatalogPort,
  ContactPort,
  DemoPorts,
  GuideMaterial,
  LicenseGrantsPort,
  PublishedGuide,
  StaffDirectoryPort,
} from '../cases/index.ts'
import { type CatalogService, catalogService } from '../catalog/index.ts'
import { identityService, sameRealName } from '../identity/index.ts'
import { licensesService } from '../licenses/index.ts'
import { orgService } from '../org/index.ts'
import { UUID, unlessNotFound } from './not-found.ts'

// The cases module consumes the catalog, identity and org.

/** How often counted applications are added to the catalog's popularity figures. */
const POPULARITY_FLUSH_MS = 5_000

/** What the applicant supplies: an upload, or a license (免提交 when authorized); shared data the department fetches. */
function materialSourceOf(source: string): GuideMaterial['source'] | undefined {
  if (source === 'upload') return 'upload'
  if (source === 'license') return 'either'
  return undefined
}

type CatalogGuide = Awaited<ReturnType<CatalogService['getPublishedVersion']>>

/** A catalog guide version as the cases module's PublishedGuide. */
function publishedGuideOf(guide: CatalogGuide): PublishedGuide {
  const materials: GuideMaterial[] = []
  for (const material of guide.content.materials) {
    const source = materialSourceOf(material.source)
    // shared data and department-held materials are fetched by the department, not asked of the applicant
    if (source)
      materials.push({
        key: material.key,
        name: material.name,
        required: material.required,
        source,
        ...(material.licenseType ? { licenseType: material.licenseType } : {}),
      })
  }
  return {
    implementationId: guide.implementationId,
    version: guide.version,
    itemCode: guide.itemCode,
    itemName: guide.name,
    regionCode: guide.regionCode,
    departmentId: guide.departmentId,
    processingKind: guide.content.kind === 'immediate' ? 'immediate' : 'promised',
    legalLimitDays: guide.content.legalLimit,
    promisedLimitDays: Math.min(guide.content.promisedLimit, guide.content.legalLimit),
    materials,
    minRealNameLevel: minRealNameLevelOf(guide.type),
    applicantFields: applicantFieldsOf(guide.content.form.prefill),
  }
}

/**
 * 实名等级 an item needs of an online applicant: an administrative license (行政许可) creates rights, so
 * level 3 (identity verified; otherwise the applicant goes to a window); other items level 1.
 */
function minRealNameLevelOf(itemType: string): number {
  return itemType === 'administrative_license' ? 3 : 1
}

/** The account facts the form's prefill sources name: those fields say who applies, so the account answers them. */
const APPLICANT_PREFILLS: Record<string, ApplicantFact> = {
  'profile.name': 'name',
  'profile.idNumber': 'idNumber',
  'company.name': 'companyName',
  'company.uscc': 'uscc',
  'company.legalRepresentative': 'legalRepresentative',
}

/** The form fields prefilled from who applies (field → fact). */
function applicantFieldsOf(prefill: Record<string, string>): Record<string, ApplicantFact> {
  const fields: Record<string, ApplicantFact> = {}
  for (const [field, source] of Object.entries(prefill)) {
    const fact = APPLICANT_PREFILLS[source]
    if (fact) fields[field] = fact
  }
  return fields
}

/**
 * The catalog's service as the cases module's CatalogPort, without a database round trip per submission
 * once warm:
 * - the current version of an implementation comes from the catalog's published-guide answer, which the
 *   catalog keeps in memory and drops on every node when its change log (catalog_changes) says the guide
 *   changed; the version is parsed once per answer the catalog builds;
 * - a version's mapping is kept per guide object the catalog hands out (its cache returns the same frozen
 *   object until a change drops it);
 * - applications are counted in memory and added to the catalog's popularity every few seconds, one update
 *   per item instead of one per submission on the same hot row (best effort: a crash loses a few seconds
 *   of counts, which only rank search results; a failed update is logged and its counts dropped).
 */
export function catalogForCases(
  platform: Platform,
  options: { flushMs?: number } = {},
): CatalogPort & { flushApplications(): Promise<void> } {
  const catalog = catalogService(platform)
  const currentVersions = new Map<string, { json: string; version: number }>()
  const mapped = new WeakMap<CatalogGuide, PublishedGuide>()
  const counts = applicationCounts(platform, catalog, options.flushMs ?? POPULARITY_FLUSH_MS)
  const currentVersion = async (implementationId: string) => {
    // throws not-found when nothing is published or the implementation is not active
    const json = await catalog.publishedGuideJson(implementationId)
    let current = currentVersions.get(implementationId)
    if (current?.json !== json) {
      current = { json, version: (JSON.parse(json) as { version: number }).version }
      if (currentVersions.size >= 20_000) currentVersions.clear()
      currentVersions.set(implementationId, current)
    }
    return current.version
  }
  return {
    async getPublishedVersion(implementationId, version) {
      // implementation ids are uuids: anything else names no implementation (not a database error, a 500)
      if (!UUID.test(implementationId)) return undefined
      return unlessNotFound(platform, `guide ${implementationId}`, async () => {
        const guide = await catalog.getPublishedVersion(
          implementationId,
          version ?? (await currentVersion(implementationId)),
        )
        let published = mapped.get(guide)
        if (!published) {
          published = publishedGuideOf(guide)
          mapped.set(guide, published)
        }
        return published
      })
    },
    validateApplication: (implementationId, version, data) =>
      catalog.validateApplication(implementationId, version, data),
    async getBundle(bundleId, regionCode) {
      const bundle = await unlessNotFound(platform, `bundle ${bundleId}`, () =>
        catalog.getBundle(bundleId, regionCode),
      )
      if (!bundle?.available) return undefined
      return {
        bundleId: bundle.code,
        name: bundle.name,
        regionCode,
        parts: bundle.fanOut.map((part) => ({
          implementationId: part.implementationId,
          version: part.version,
          fields: part.fields,
          materials: part.materials,
        })),
      }
    },
    recordApplication: async (implementationId) => counts.add(implementationId),
    flushApplications: () => counts.flush(),
  }
}

/** Applications counted in memory per implementation, added to the catalog's popularity every `flushMs`. */
function applicationCounts(platform: Platform, catalog: CatalogService, flushMs: number) {
  let counts = new Map<string, number>()
  let timer: NodeJS.Timeout | undefined
  const flush = async () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    const due = counts
    counts = new Map()
    for (const [implementationId, count] of due)
      await catalog.recordApplication(implementationId, count).catch((err: unknown) => {
        platform.logger.warn({ err, implementationId, count }, 'application counts dropped')
      })
  }
  return {
    add(implementationId: string) {
      counts.set(implementationId, (counts.get(implementationId) ?? 0) + 1)
      if (timer) return
      timer = setTimeout(() => void flush(), flushMs)
      timer.unref()
    },
    flush,
  }
}

/** The identity module's accounts as the cases module's ApplicantAccountsPort (一窗受理). */
function applicantAccountsForCases(platform: Platform): ApplicantAccountsPort {
  const identity = identityService(platform)
  return {
    async findPerson(idNumber, clerk, who) {
      // the clerk's look-up by the ID card in front of them: audited by the identity module
      const person = await unlessNotFound(platform, 'person', () =>
        identity.lookUpPerson(idNumber, clerk, who),
      )
      return person && { id: person.id, name: person.name }
    },
    async findCompany(uscc) {
      const company = await identity.findCompanyByUscc(uscc)
      return company && { id: company.id, name: company.name }
    },
    phoneInUse: (phone) => identity.phoneInUse(phone),
    sameName: sameRealName,
    async open(trx, account, clerk, who) {
      const opened = await identity.openAccountAtCounter(trx, account, clerk, who)
      return { id: opened.id, name: opened.name }
    },
  }
}

/** The org module's departments as the cases module's DepartmentDirectoryPort (受理回执). */
function departmentsForCases(platform: Platform): CasesDepartmentDirectory {
  const org = orgService(platform)
  return {
    async findDepartmentName(departmentId) {
      // a department id that is not a uuid (a fake catalog's) is simply unknown
      if (!UUID.test(departmentId)) return undefined
      return (await org.findDepartment(departmentId))?.name
    },
  }
}

/** The identity module's staff role grants, for handing a task over to a colleague. */
function staffForCases(platform: Platform): StaffDirectoryPort {
  const identity = identityService(platform)
  return {
    async findRoleGrants(accountId) {
      const actor = await identity.actorFor(accountId)
      return actor?.kind === 'staff' ? actor.roles : undefined
    },
  }
}

/** The identity module's accounts as where to notify an applicant (their phone in clear, their e-mail). */
function contactsForCases(platform: Platform): ContactPort {
  const identity = identityService(platform)
  return {
    async findContact(accountId) {
      const account = await unlessNotFound(platform, `account ${accountId}`, () =>
        identity.getAccount(accountId),
      )
      if (!account) {
        platform.logger.warn({ accountId }, 'no account to notify; the notification goes to its address')
        return undefined
      }
      const phone = account.phone_enc ? platform.vault.decrypt(account.phone_enc) : undefined
      return { ...(phone ? { phone } : {}), ...(account.email ? { email: account.email } : {}) }
    },
  }
}

/** The identity module's accounts as who applies: the person's real name and ID number, the company's data. */
function applicantFactsForCases(platform: Platform): ApplicantFactsPort {
  const identity = identityService(platform)
  const find = (id: string) => unlessNotFound(platform, `account ${id}`, () => identity.getAccount(id))
  return {
    async findApplicantFacts(actor) {
      const account = await find(actor.accountId)
      if (!account) return undefined
      const companyId = account.kind === 'company' ? account.id : actor.actingFor?.accountId
      const company = companyId === account.id ? account : companyId ? await find(companyId) : undefined
      const representative = company?.legal_representative_id
        ? await find(company.legal_representative_id)
        : undefined
      return {
        name: account.name,
        idNumber: account.id_number_enc ? platform.vault.decrypt(account.id_number_enc) : undefined,
        company: company?.uscc
          ? { name: company.name, uscc: company.uscc, legalRepresentative: representative?.name ?? '' }
          : undefined,
      }
    },
  }
}

/** The licenses module's 用证授权 records as grants a material cites: whose license, which type, in force. */
function grantsForCases(platform: Platform): LicenseGrantsPort {
  return {
    async findGrant(grantId) {
      // grant ids are uuids: anything else names no grant (not a database error)
      if (!UUID.test(grantId)) return undefined
      const licenses = licensesService(platform)
      const grant = await licenses.repository.findGrant(grantId)
      const license = grant && (await licenses.repository.findById(grant.license_id))
      if (!grant || !license) return undefined
      return {
        id: grant.id,
        holderAccountId: license.holder_account_id,
        licenseType: license.type_code,
        active: licenses.isActive(grant) && license.status === 'valid',
        departmentId: grant.grantee_kind === 'department' ? grant.grantee_department_id : null,
        caseId: grant.grantee_kind === 'case' ? grant.grantee_case_id : null,
      }
    },
  }
}

/** The identity module's demo accounts and the catalog's implementations, for the cases demo. */
function demoForCases(platform: Platform): DemoPorts {
  const identity = identityService(platform)
  const catalog = catalogService(platform)
  const decrypt = (value: string | null) => (value ? platform.vault.decrypt(value) : undefined)
  return {
    directory: {
      async findAccount(login) {
        const account = await identity.findByLogin(login)
        if (!account) return undefined
        const { id, name } = account
        return { id, name, idNumber: decrypt(account.id_number_enc), phone: decrypt(account.phone_enc) }
      },
      async findCompany(personId, name) {
        const company = (await identity.companiesActedFor(personId)).find((c) => c.name === name)
        if (!company) return undefined
        const record = await identity.getAccount(company.accountId)
        const representative = record.legal_representative_id
          ? (await identity.getAccount(record.legal_representative_id)).name
          : ''
        return {
          id: company.accountId,
          name: company.name,
          uscc: company.uscc,
          legalRepresentative: representative,
        }
      },
      async actorFor(accountId, companyId) {
        const actor = await identity.actorFor(accountId, companyId)
        return actor && actor.kind !== 'anonymous' ? actor : undefined
      },
    },
    catalog: {
      async findImplementation(itemName, regionCode) {
        const filter = { region: regionCode, publishedOnly: true, limit: 1_000, offset: 0 }
        const { items } = await catalog.listImplementations(filter)
        return items.find((i) => i.region_code === regionCode && i.name === itemName)?.id
      },
    },
  }
}

/** What the cases module consumes: the catalog, accounts (applicants, staff, contacts), departments, demo data. */
export const casesPorts: CasesPorts = {
  catalog: (platform) => catalogForCases(platform),
  staff: staffForCases,
  contacts: contactsForCases,
  applicants: applicantAccountsForCases,
  departments: departmentsForCases,
  applicantFacts: applicantFactsForCases,
  grants: grantsForCases,
  demo: demoForCases,
}
