import type {
  CaseCompleted,
  ChangeLicenseStatus,
  CreateLicenseGrant,
  CreateLicenseType,
  IssueLicense,
  UpdateLicenseType,
} from '@tongban/contracts'
import type { Transaction } from 'kysely'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import type { Database } from '../../platform/db/schema.ts'
import type { Platform } from '../../platform/platform.ts'
import { didDocumentOf, didOf, exportCredential } from './export/export-credential.ts'
import { exportPdf } from './export/export-pdf.ts'
import { grantLicense, listGrants, withdrawGrant } from './grants/grant-license.ts'
import { readThroughGrant } from './grants/read-through-grant.ts'
import { licenseForCase, licenseForCaseStaff, retryCaseLicense } from './issuing/case-license.ts'
import { issueLicense } from './issuing/issue-license.ts'
import { processIssueRequests, requestIssueForCase } from './issuing/issue-on-completion.ts'
import { type Reissue, reissueLicense } from './issuing/reissue-license.ts'
import { listPublishedKeys, rotateKeys } from './keys/rotate-keys.ts'
import type { AuditWho } from './licenses.audit.ts'
import { createLicensesContext, type LicensesContext } from './licenses.context.ts'
import type { SignedLicenseFile } from './licenses.document.ts'
import type { LicenseKeyRing } from './licenses.keys.ts'
import type { CjkFontSource } from './licenses.pdf.ts'
import { holderIdsOf, isGrantActive } from './licenses.policy.ts'
import type { LicensesPorts } from './licenses.ports.ts'
import type { GrantRecord, LicenseRecord, LicensesRepository } from './licenses.repository.ts'
import { getIssuedLicense, getOwnLicense, signedFileOf } from './reading/license-detail.ts'
import { listUses, listWallet } from './reading/wallet.ts'
import { changeLicenseStatus } from './status/change-status.ts'
import { createLicenseType, updateLicenseType } from './types/define-type.ts'
import { showLicense, verificationUrlOf } from './verification/show-license.ts'
import { verifyToken } from './verification/verify-token.ts'

export type { AuditWho } from './licenses.audit.ts'
export type { LicenseDetail } from './reading/license-detail.ts'
export type { Verification } from './verification/verify-token.ts'

/**
 * 电子证照: the module's use cases behind one facade, for its routes, its event consumer and other
 * modules — license types, per-department signing keys, issuing (by staff and on case completion), 变更,
 * 补发, status, the holder's wallet, 亮证 tokens and their verification, export, and 用证授权. Each method
 * is one use case of its own file.
 */
export class LicensesService {
  private readonly ctx: LicensesContext

  constructor(
    platform: Platform,
    readonly deps: LicensesPorts,
    options: { pdfFonts?: readonly CjkFontSource[] } = {},
  ) {
    this.ctx = createLicensesContext(platform, deps, options)
  }

  /** The module's queries (the demo data checks what exists). */
  get repository(): LicensesRepository {
    return this.ctx.repository
  }

  /** The departments' signing keys. */
  get keys(): LicenseKeyRing {
    return this.ctx.keys
  }

  /** Every license type by code, cached for a short while (the catalog checks 免提交 materials with it). */
  types() {
    return this.ctx.types.all()
  }

  /** One license type; 404 when there is none. */
  getType(code: string) {
    return this.ctx.types.get(code)
  }

  /** Whether a license type code is known. */
  async isKnownType(code: string): Promise<boolean> {
    return (await this.ctx.types.all()).has(code)
  }

  /** Defines a license type (department admin of the issuing department kind). */
  createType(input: CreateLicenseType, actor: AuthenticatedActor, who: AuditWho) {
    return createLicenseType(this.ctx, input, actor, who)
  }

  /** Changes a license type (optimistic concurrency on its version). */
  updateType(code: string, input: UpdateLicenseType, actor: AuthenticatedActor, who: AuditWho) {
    return updateLicenseType(this.ctx, code, input, actor, who)
  }

  /** Generates or rotates a department's signing keys (security admin; `null`: the platform itself). */
  rotateKeys(departmentId: string, actor: AuthenticatedActor | null, who: AuditWho) {
    return rotateKeys(this.ctx, departmentId, actor, who)
  }

  /** Every signing key ever used (of one department), with its validity period. */
  publishedKeys(departmentId?: string) {
    return listPublishedKeys(this.ctx, departmentId)
  }

  /** Staff issue (颁发). */
  issue(input: IssueLicense, actor: AuthenticatedActor, who: AuditWho, options: { issuedOn?: string } = {}) {
    return issueLicense(this.ctx, input, actor, who, options)
  }

  /** A license as its issuing staff see it. */
  staffView(id: string, actor: AuthenticatedActor) {
    return getIssuedLicense(this.ctx, id, actor)
  }

  /** 变更 or 补发: a new version; the current one is superseded. */
  reissue(id: string, reissue: Reissue, actor: AuthenticatedActor, who: AuditWho): Promise<LicenseRecord> {
    return reissueLicense(this.ctx, id, reissue, actor, who)
  }

  /** 注销, 暂停 and 恢复. */
  changeStatus(id: string, input: ChangeLicenseStatus, actor: AuthenticatedActor, who: AuditWho) {
    return changeLicenseStatus(this.ctx, id, input, actor, who)
  }

  /** Queues a completed case for automatic issuance, in the transaction of the event's receipt. */
  requestIssueForCase(completion: CaseCompleted, trx: Transaction<Database>): Promise<void> {
    return requestIssueForCase(this.ctx, completion, trx)
  }

  /** Works the queue of automatic issuance; answers how many requests were finished. */
  processIssueRequests(limit?: number): Promise<number> {
    return processIssueRequests(this.ctx, limit)
  }

  /** The license a case yields: issued, pending, failed (why, retryable), not applicable, or none yet. */
  licenseForCase(caseId: string) {
    return licenseForCase(this.ctx, caseId)
  }

  /** The same, for a staff member: only the case department's staff see it. */
  licenseForCaseStaff(caseId: string, actor: AuthenticatedActor) {
    return licenseForCaseStaff(this.ctx, caseId, actor)
  }

  /** Staff retry a failed issuance of the case's license, once its cause is fixed. */
  retryCaseLicense(caseId: string, actor: AuthenticatedActor) {
    return retryCaseLicense(this.ctx, caseId, actor)
  }

  /** The accounts whose licenses the caller holds: their own and the company they act for. */
  holderIds(actor: AuthenticatedActor): string[] {
    return holderIdsOf(actor)
  }

  /** 证照夹: the caller's licenses and those of the company they act for. */
  wallet(actor: AuthenticatedActor) {
    return listWallet(this.ctx, actor)
  }

  /** One of the caller's licenses; someone else's is answered as not existing. */
  own(id: string, actor: AuthenticatedActor) {
    return getOwnLicense(this.ctx, id, actor)
  }

  /** The signed document and SM2 signature, as stored when it was issued. */
  signedFile(record: LicenseRecord): SignedLicenseFile {
    return signedFileOf(this.ctx, record)
  }

  /** 亮证: a short-lived token for the QR code of a valid license the caller holds. */
  qrToken(id: string, actor: AuthenticatedActor) {
    return showLicense(this.ctx, id, actor)
  }

  /** The public verification page a QR code of the token opens. */
  verificationUrl(token: string): string {
    return verificationUrlOf(this.ctx, token)
  }

  /** One of the caller's valid licenses as a PDF. */
  pdfOf(id: string, actor: AuthenticatedActor) {
    return exportPdf(this.ctx, id, actor)
  }

  /** A department's did:web identifier. */
  departmentDid(departmentId: string): string {
    return didOf(this.ctx, departmentId)
  }

  /** A department's DID document. */
  didDocument(departmentId: string) {
    return didDocumentOf(this.ctx, departmentId)
  }

  /** One of the caller's valid licenses as a W3C Verifiable Credential (audited). */
  exportCredential(id: string, actor: AuthenticatedActor, who: AuditWho) {
    return exportCredential(this.ctx, id, actor, who)
  }

  /** Online verification of a scanned 亮证 token. */
  verifyToken(token: string) {
    return verifyToken(this.ctx, token)
  }

  /** 用证授权: lets a department or a case use the caller's license. */
  grant(id: string, input: CreateLicenseGrant, actor: AuthenticatedActor, who: AuditWho) {
    return grantLicense(this.ctx, id, input, actor, who)
  }

  /** The caller's grants of one of their licenses. */
  grants(id: string, actor: AuthenticatedActor) {
    return listGrants(this.ctx, id, actor)
  }

  /** Withdraws a grant at once. */
  withdrawGrant(id: string, grantId: string, actor: AuthenticatedActor, who: AuditWho) {
    return withdrawGrant(this.ctx, id, grantId, actor, who)
  }

  /** "Who used my license, when, for what". */
  reads(id: string, actor: AuthenticatedActor) {
    return listUses(this.ctx, id, actor)
  }

  /** Whether a grant is in force now. */
  isActive(grant: GrantRecord): boolean {
    return isGrantActive(grant, this.ctx.now())
  }

  /** Staff read a license through a grant to their department or one of its cases (logged). */
  readThroughGrant(grantId: string, actor: AuthenticatedActor, who: AuditWho) {
    return readThroughGrant(this.ctx, grantId, actor, who)
  }
}
