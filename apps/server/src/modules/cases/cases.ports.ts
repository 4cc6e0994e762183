import type { FieldError, LocalizedText } from '@tongban/contracts'
import type { Transaction } from 'kysely'
import type { AuditEntry } from '../../platform/audit.ts'
import type { AuthenticatedActor, RoleGrant } from '../../platform/authz.ts'
import type { Database } from '../../platform/db/schema.ts'
import type { Notifier } from '../../platform/notify.ts'
import type { Platform } from '../../platform/platform.ts'

/** The staff roles that work case steps. */
export type WorkflowRole = 'window_clerk' | 'reviewer' | 'approver'

/** One step of an item's workflow (办理环节): who works it, in which department. */
export interface WorkflowStep {
  key: string
  name: LocalizedText
  kind: 'accept' | 'review' | 'decide'
  role: WorkflowRole
  /** The department working the step; the implementing department when absent. */
  departmentId?: string
}

/** A material the guide asks for (申请材料). */
export interface GuideMaterial {
  key: string
  name: string
  required: boolean
  /** Where it may come from: an uploaded file, an electronic license (用证授权), or either. */
  source: 'upload' | 'license' | 'either'
  /** For a license material: the license type (by code) a cited grant must be of. */
  licenseType?: string | undefined
}

/** What the cases module needs of a published 办事指南 version of a regional implementation (实施清单). */
export interface PublishedGuide {
  implementationId: string
  version: number
  itemCode: string
  itemName: string
  regionCode: string
  departmentId: string
  /** 即办件 (completed the day it is accepted) or 承诺件. */
  processingKind: 'immediate' | 'promised'
  legalLimitDays: number
  promisedLimitDays: number
  materials: GuideMaterial[]
  /** The item's own steps; the default is accept → review → decide in the implementing department. */
  steps?: WorkflowStep[]
  /** 实名等级: the lowest real-name level an online applicant must hold (an administrative license: 3). */
  minRealNameLevel?: number | undefined
  /** Form fields that say who applies (form field → the applicant's fact): taken from the account. */
  applicantFields?: Record<string, ApplicantFact> | undefined
}

/** A fact about the applicant a form may ask for, which the account (not the form) answers. */
export type ApplicantFact = 'name' | 'idNumber' | 'companyName' | 'uscc' | 'legalRepresentative'

/** Who an online applicant is, from their account: a person, and the company they act for (if any). */
export interface ApplicantFacts {
  name: string
  idNumber?: string | undefined
  company?: { name: string; uscc: string; legalRepresentative: string } | undefined
}

/** The identity module's accounts as who is applying (their real name and ID number, decrypted). */
export interface ApplicantFactsPort {
  /** The facts of the caller (and the company an agent acts for); undefined when the account is unknown. */
  findApplicantFacts(actor: AuthenticatedActor): Promise<ApplicantFacts | undefined>
}

/** A 用证授权 as a material cites it: whose license, of what type, for whom, and whether in force. */
export interface CitedGrant {
  id: string
  /** The license holder's account. */
  holderAccountId: string
  licenseType: string
  /** The grant is neither withdrawn nor expired, and its license is valid. */
  active: boolean
  /** The department the grant names, or the case. */
  departmentId: string | null
  caseId: string | null
}

/** The licenses module's grants, to check a cited one (用证授权) before a case relies on it. */
export interface LicenseGrantsPort {
  findGrant(grantId: string): Promise<CitedGrant | undefined>
}

/** 一件事: the parts a bundle application fans out into, one per department. */
export interface BundleDescription {
  bundleId: string
  name: string
  regionCode: string
  /**
   * `fields`: the part's own form field → the key in the bundle's merged form; `materials`: its own
   * material key → the key in the bundle's merged materials list.
   */
  parts: {
    implementationId: string
    version: number
    fields?: Record<string, string>
    materials?: Record<string, string>
  }[]
}

/**
 * The narrow view of the catalog the cases module works through. The catalog module's service is adapted
 * to it in modules/wiring.ts; tests use a fake.
 */
export interface CatalogPort {
  /** A published version; the current one when `version` is absent. Undefined when unknown or unpublished. */
  getPublishedVersion(implementationId: string, version?: number): Promise<PublishedGuide | undefined>
  /** Field errors of form data against the version's form schema; empty when valid. */
  validateApplication(
    implementationId: string,
    version: number,
    data: Record<string, unknown>,
  ): Promise<FieldError[]>
  /** A bundle as offered in a region; undefined when unknown or not available there. */
  getBundle(bundleId: string, regionCode: string): Promise<BundleDescription | undefined>
  /** Counts an application for the item's statistics; best effort, and may be buffered. */
  recordApplication?(implementationId: string): Promise<void>
  /** Hands buffered application counts over now (when the process stops). */
  flushApplications?(): Promise<void>
}

/** Staff accounts' role grants, to check that a task is handed to a colleague who may work it. */
export interface StaffDirectoryPort {
  findRoleGrants(accountId: string): Promise<RoleGrant[] | undefined>
}

/** Where to notify an applicant. */
export interface ContactPort {
  findContact(accountId: string): Promise<{ phone?: string; email?: string } | undefined>
}

/** An applicant's account as the window sees it. */
export interface ApplicantAccount {
  id: string
  name: string
}

/** What a window clerk verified of an applicant who has no account yet, to open one. */
export type CounterAccount =
  | { kind: 'person'; name: string; idNumber: string; phone?: string | undefined }
  | { kind: 'company'; name: string; uscc: string }

/**
 * 一窗受理: applicants' accounts, found and opened for a window clerk through the identity module's service
 * (modules/wiring.ts); never its tables.
 */
export interface ApplicantAccountsPort {
  /** The person with this (valid) ID number, by the identity module's blind index; a sensitive read, audited. */
  findPerson(
    idNumber: string,
    clerk: AuthenticatedActor,
    who: Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>,
  ): Promise<ApplicantAccount | undefined>
  /** The company with this (valid) credit code. */
  findCompany(uscc: string): Promise<ApplicantAccount | undefined>
  /** Whether some account already uses the phone number. */
  phoneInUse(phone: string): Promise<boolean>
  /** Whether two spellings are the same name, as accounts compare names. */
  sameName(a: string, b: string): boolean
  /**
   * Opens the account (real-name level 3 by counter, raised by the clerk, no password) in the caller's
   * transaction, audited there: it commits with the case or not at all. Throws a validation problem whose
   * paths are relative to the applicant (`/name`, `/idNumber`, `/uscc`).
   */
  open(
    trx: Transaction<Database>,
    account: CounterAccount,
    clerk: AuthenticatedActor,
    who: Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>,
  ): Promise<ApplicantAccount>
}

/** Departments' names, as a 受理回执 prints them. */
export interface DepartmentDirectoryPort {
  findDepartmentName(departmentId: string): Promise<string | undefined>
}

/** A demo account as the identity module knows it. */
export interface DemoAccount {
  id: string
  name: string
  idNumber?: string | undefined
  phone?: string | undefined
}

/** The identity module's demo accounts, as the cases demo needs them. */
export interface DemoDirectory {
  /** A person or staff account by its login name (phone number or username). */
  findAccount(login: string): Promise<DemoAccount | undefined>
  /** A company the person acts for (legal representative or agent), by the company's name. */
  findCompany(
    personId: string,
    name: string,
  ): Promise<{ id: string; name: string; uscc: string; legalRepresentative: string } | undefined>
  /** The actor of an account, acting for a company when given. */
  actorFor(accountId: string, companyId?: string): Promise<AuthenticatedActor | undefined>
}

/** The catalog's published implementations, as the demo finds them. */
export interface DemoCatalog {
  /** The implementation of an item (by name) located in a region; undefined when there is none. */
  findImplementation(itemName: string, regionCode: string): Promise<string | undefined>
}

/** What the demo seed needs of other modules. */
export interface DemoPorts {
  directory: DemoDirectory
  catalog: DemoCatalog
}

/** The ports as the module works with them once registered on a platform. */
export interface CasesDependencies {
  catalog: CatalogPort
  staff?: StaffDirectoryPort | undefined
  contacts?: ContactPort | undefined
  notifier: Notifier
  /** 一窗受理: applicants' accounts (the identity module's). */
  applicants?: ApplicantAccountsPort | undefined
  /** Department names for 受理回执 (the org module's). */
  departments?: DepartmentDirectoryPort | undefined
  /** Who an online applicant is (the identity module's); without it forms are not bound to the account. */
  applicantFacts?: ApplicantFactsPort | undefined
  /** 用证授权 records (the licenses module's); without it no material may cite a grant. */
  grants?: LicenseGrantsPort | undefined
}

/**
 * Everything the cases module consumes from other modules and providers, each made for a platform: the
 * installed ones are connected in modules/wiring.ts; tests pass fakes. Only the catalog is required: a
 * walk-in needs `applicants`, the demo `demo`; without `staff` no task can be handed over, without
 * `contacts` notifications go to the account's SMS address; `notifier` defaults to the platform's.
 */
export interface CasesPorts {
  catalog: (platform: Platform) => CatalogPort
  staff?: (platform: Platform) => StaffDirectoryPort
  contacts?: (platform: Platform) => ContactPort
  notifier?: (platform: Platform) => Notifier
  applicants?: (platform: Platform) => ApplicantAccountsPort
  departments?: (platform: Platform) => DepartmentDirectoryPort
  applicantFacts?: (platform: Platform) => ApplicantFactsPort
  grants?: (platform: Platform) => LicenseGrantsPort
  demo?: (platform: Platform) => DemoPorts
}
