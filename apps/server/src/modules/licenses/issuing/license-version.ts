import { randomUUID } from 'node:crypto'
import { generateLicenseId } from '@tongban/standards'
import type { Kysely } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import { type AuditWho, licenseAuditEntry } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { shanghaiDate } from '../licenses.dates.ts'
import { type LicenseDocument, signLicense } from '../licenses.document.ts'
import type { Sm2Signer } from '../licenses.keys.ts'
import type { Department } from '../licenses.ports.ts'
import type { LicenseRecord, LicenseTypeRecord } from '../licenses.repository.ts'

/** The holder (持证主体) a license version is issued to. */
export interface Holder {
  kind: 'person' | 'company'
  accountId: string
  name: string
  identifier: string | null
}

/** What one license version is issued from (a new license, or a 变更/补发 of `previous`). */
export interface VersionParams {
  type: LicenseTypeRecord
  department: Department
  holder: Holder
  fields: Record<string, unknown>
  validFrom: string
  validUntil: string | null
  caseId: string | null
  previous?: LicenseRecord
  createdBy: string | null
  /** 颁证日期 when it is not today: a license issued on paper before and entered now. */
  issuedOn?: string
  /** Fetched before the transaction: on the embedded database a transaction holds the only connection. */
  signer: Sm2Signer
  /**
   * The 流水号 of a new license, from the process's reserved block, taken before signing: no counter row
   * is locked while signing (a rolled-back issue leaves a gap, as sequences do).
   */
  sequence?: number
}

/** A signed license version ready to insert. */
export interface PreparedVersion {
  now: Date
  row: Omit<LicenseRecord, 'id' | 'status' | 'status_reason' | 'status_changed_at'>
}

/** The audit entry stored with a version, when the caller wants it in the same statement. */
export interface VersionAudit {
  who: AuditWho
  action: string
  details: Record<string, unknown>
}

/**
 * Builds and signs one license version, outside any transaction (SM2 signing is the costly part of an
 * issue; a connection need not wait for it): the GB/T 36904 identifier, the GB/T 36903 document, its SM2
 * signature, and the encrypted row to insert.
 */
export function prepareVersion(ctx: LicensesContext, params: VersionParams): PreparedVersion {
  const { type, department, signer } = params
  const now = ctx.now()
  const sequence = params.previous?.sequence ?? params.sequence
  if (sequence === undefined) throw new Error('a new license needs a sequence number')
  const version = params.previous ? params.previous.version + 1 : 1
  const licenseNo = generateLicenseId({
    licenseTypeCode: type.code,
    issuerCode: department.uscc,
    sequence,
    version,
  })
  const document: LicenseDocument = {
    licenseId: licenseNo,
    licenseType: { code: type.code, name: type.name },
    holder: { kind: params.holder.kind, name: params.holder.name, identifier: params.holder.identifier },
    issuer: { name: department.name, code: department.uscc, regionCode: department.regionCode },
    issuedOn: params.issuedOn ?? shanghaiDate(now),
    validFrom: params.validFrom,
    validUntil: params.validUntil,
    version,
    fields: params.fields,
    signedAt: now.toISOString(),
    keyId: signer.keyId,
  }
  const signed = signLicense(document, signer.privateKey)
  const { vault } = ctx.platform
  return {
    now,
    row: {
      license_no: licenseNo,
      type_code: type.code,
      issuer_department_id: department.id,
      region_code: department.regionCode,
      holder_kind: params.holder.kind,
      holder_account_id: params.holder.accountId,
      holder_name: params.holder.name,
      fields_enc: vault.encrypt(JSON.stringify(params.fields)),
      document_enc: vault.encrypt(JSON.stringify(signed)),
      signature: signed.signature.value,
      key_id: signer.keyId,
      issued_at: now,
      valid_from: params.validFrom,
      valid_until: params.validUntil,
      version,
      sequence,
      previous_id: params.previous?.id ?? null,
      case_id: params.caseId,
      created_by: params.createdBy,
    },
  }
}

/**
 * Stores a prepared version with its outbox event (and, when given, its audit entry) in one statement,
 * and supersedes the previous version: in the caller's transaction, or on its own for a new license.
 */
export async function storeVersion(
  ctx: LicensesContext,
  db: Kysely<Database>,
  prepared: PreparedVersion,
  params: VersionParams,
  audit?: VersionAudit,
): Promise<LicenseRecord> {
  const { platform } = ctx
  const { license_no: licenseNo, version } = prepared.row
  const id = randomUUID()
  const issued = platform.events.publishQuery([
    {
      topic: 'license.issued',
      payload: {
        licenseId: id,
        licenseNo,
        typeCode: params.type.code,
        holderAccountId: params.holder.accountId,
        departmentId: params.department.id,
        caseId: params.caseId,
        version,
      },
      aggregateId: id,
    },
  ])
  const audited = audit
    ? [
        platform.audit.insertQuery(
          licenseAuditEntry(audit.who, audit.action, { id, ...prepared.row }, audit.details),
        ),
      ]
    : []
  const record = await ctx.repository.insertLicense(db, { ...prepared.row, id }, [issued, ...audited])
  if (params.previous)
    await ctx.repository.setStatus(db, params.previous.id, 'superseded', null, prepared.now)
  return record
}
