import type { FieldError, LocalizedText } from '@tongban/contracts'
import type { Transaction } from 'kysely'
import type { AuditEntry } from '../../platform/audit.ts'
import type { AuthenticatedActor, RoleGrant } from '../../platform/authz.ts'
import type { Database } from '../../platform/db/schema.ts'

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
 * to it in cases.catalog-adapter.ts; tests use a fake.
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
 * (cases.identity-adapter.ts); never its tables.
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

/** The default workflow: accept → review → decide, in the implementing department. */
export function defaultSteps(): WorkflowStep[] {
  return [
    { key: 'accept', name: { zh: '受理', en: 'Acceptance' }, kind: 'accept', role: 'window_clerk' },
    { key: 'review', name: { zh: '审查', en: 'Review' }, kind: 'review', role: 'reviewer' },
    { key: 'decide', name: { zh: '决定', en: 'Decision' }, kind: 'decide', role: 'approver' },
  ]
}
