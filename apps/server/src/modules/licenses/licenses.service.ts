import { randomBytes, randomUUID } from 'node:crypto'
import type {
  ChangeLicense,
  ChangeLicenseStatus,
  CreateLicenseGrant,
  CreateLicenseType,
  DidDocument,
  FieldError,
  IssueLicense,
  LocalizedText,
  UpdateLicenseType,
} from '@tongban/contracts'
import { generateLicenseId } from '@tongban/standards'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { Kysely, Transaction } from 'kysely'
import type { AuditEntry } from '../../platform/audit.ts'
import { type AuthenticatedActor, holdsRoleFor, type StaffRole } from '../../platform/authz.ts'
import { publicUrlOf } from '../../platform/config.ts'
import { batched } from '../../platform/db/batcher.ts'
import type { Database } from '../../platform/db/schema.ts'
import { SequenceBlocks, type SequenceTable } from '../../platform/db/sequence-blocks.ts'
import { AppError, invalid, notFound } from '../../platform/errors.ts'
import type { Platform } from '../../platform/platform.ts'
import type { DepartmentRecord, OrgService } from '../org/index.ts'
import {
  departmentDid,
  departmentDidDocument,
  type ExportedCredential,
  signLicenseCredential,
} from './licenses.credentials.ts'
import { type LicenseDocument, type SignedLicenseFile, signLicense } from './licenses.document.ts'
import { LicenseKeyRing, type Sm2Signer } from './licenses.keys.ts'
import { type CjkFontSource, LicensePdfRenderer } from './licenses.pdf.ts'
import type { CaseLookupPort, GuideResultPort, HolderDirectoryPort } from './licenses.ports.ts'
import {
  type GrantRecord,
  type LicenseRecord,
  LicensesRepository,
  type LicenseTypeRecord,
  type VerificationRow,
} from './licenses.repository.ts'
import { decodeQrToken, encodeQrToken, verificationUrl } from './licenses.tokens.ts'

export type AuditWho = Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>

export interface LicensesDependencies {
  org: OrgService
  cases: CaseLookupPort
  guides: GuideResultPort
  holders: HolderDirectoryPort
}

/** Roles that may issue, change, replace, suspend and revoke licenses of their department. */
export const ISSUING_ROLES: StaffRole[] = ['approver', 'department_admin']
/** Roles of the staff who work cases and may read a license granted to their department or case. */
export const READING_ROLES: StaffRole[] = ['window_clerk', 'reviewer', 'approver', 'department_admin']

const text = (zh: string, en: string): LocalizedText => ({ zh, en })
const TOKEN_MAC_PURPOSE = 'license-qr-token'
const TYPE_CACHE_MS = 30_000
/**
 * 流水号 are reserved this many at a time per process, like a PostgreSQL sequence's cache: one counter
 * update per block instead of one committed write per issue. Numbers stay unique across nodes; a process
 * that stops leaves the rest of its block unused (gaps, as rolled-back issues leave too).
 */
const SEQUENCE_BLOCK = 20
const LICENSE_SEQUENCES: SequenceTable = { name: 'license_sequences', keys: ['issuer_code', 'type_code'] }

/** YYYY-MM-DD in Asia/Shanghai. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}

function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1 + months, d))
  // the day before the anniversary: a 10-year card from 2026-11-23 runs to 2036-11-22
  date.setUTCDate(date.getUTCDate() - 1)
  return date.toISOString().slice(0, 10)
}

function licenseAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false })
  addFormats.default(ajv)
  return ajv
}

/** What one license version is issued from (a new license, or a 变更/补发 of `previous`). */
interface VersionParams {
  type: LicenseTypeRecord
  department: DepartmentRecord
  holder: { kind: 'person' | 'company'; accountId: string; name: string; identifier: string | null }
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
   * The 流水号 of a new license, from the process's reserved block (nextSequence), taken before signing:
   * no counter row is locked while signing (a rolled-back issue leaves a gap, as sequences do).
   */
  sequence?: number
}

/** A signed license version ready to insert. */
interface PreparedVersion {
  now: Date
  row: Omit<LicenseRecord, 'id' | 'status' | 'status_reason' | 'status_changed_at'>
}

/** A license with its decrypted fields and its status as of now (expiry is judged, not stored). */
export interface LicenseDetail {
  record: LicenseRecord
  type: LicenseTypeRecord
  department: DepartmentRecord
  fields: Record<string, unknown>
  status: 'valid' | 'expired' | 'suspended' | 'revoked' | 'superseded'
}

/** A verification answer; only disclosable fields, and those only while the license is valid. */
export interface Verification {
  status: LicenseDetail['status']
  licenseNo: string
  typeName: string
  issuerName: string
  validFrom: string
  validUntil: string | null
  fields: Record<string, unknown>
  checkedAt: Date
}

/**
 * 电子证照: license types, per-department signing keys, issuing (on case completion and by staff), 变更,
 * 补发, status, the holder's wallet, 亮证 tokens and their verification, and 用证授权.
 */
export class LicensesService {
  readonly repository: LicensesRepository
  readonly keys: LicenseKeyRing
  private readonly pdf: LicensePdfRenderer
  private readonly ajv = licenseAjv()
  private readonly validators = new Map<string, { schema: string; validate: ValidateFunction }>()
  private typeCache: { at: number; types: Map<string, LicenseTypeRecord> } | undefined
  private readonly departments = new Map<string, { at: number; department: DepartmentRecord }>()
  private readonly sequences: SequenceBlocks
  /** Marks a 亮证 token used and reads its license; verifications arriving together share one statement. */
  private readonly consumeToken: (use: {
    tokenId: string
    licenseId: string
    expiresAt: Date
  }) => Promise<VerificationRow | undefined>

  constructor(
    private readonly platform: Platform,
    readonly deps: LicensesDependencies,
    options: { pdfFonts?: readonly CjkFontSource[] } = {},
  ) {
    this.repository = new LicensesRepository(platform.db)
    this.sequences = new SequenceBlocks(platform.db, LICENSE_SEQUENCES, {
      sizes: { min: SEQUENCE_BLOCK, max: SEQUENCE_BLOCK },
    })
    this.consumeToken = batched((uses) => this.repository.consumeTokensAndRead(uses))
    this.keys = new LicenseKeyRing(platform, this.repository)
    this.pdf = new LicensePdfRenderer(options.pdfFonts)
  }

  private get db(): Kysely<Database> {
    return this.platform.db
  }

  private now(): Date {
    return this.platform.clock.now()
  }

  // ------------------------------------------------------------------ types

  /** Every license type, cached for a short while (the list is small and read on every issuance). */
  async types(): Promise<Map<string, LicenseTypeRecord>> {
    if (this.typeCache && Date.now() - this.typeCache.at < TYPE_CACHE_MS) return this.typeCache.types
    const types = new Map((await this.repository.findTypes()).map((t) => [t.code, t]))
    this.typeCache = { at: Date.now(), types }
    return types
  }

  async getType(code: string): Promise<LicenseTypeRecord> {
    const type = (await this.types()).get(code) ?? (await this.repository.findType(code))
    if (!type) throw notFound(text(`证照类型 ${code} 不存在`, `License type ${code} does not exist`))
    return type
  }

  /** Whether a license type code is known (the catalog's check of 免提交 materials). */
  async isKnownType(code: string): Promise<boolean> {
    return (await this.types()).has(code)
  }

  /** Compiles a fields schema, or answers which part of it is wrong. */
  private compile(schema: unknown, path = '/fieldsSchema'): ValidateFunction {
    const key = JSON.stringify(schema)
    const cached = this.validators.get(key)
    if (cached) return cached.validate
    const s = schema as { type?: unknown }
    if (!s || typeof s !== 'object' || s.type !== 'object')
      throw invalid([
        {
          path,
          code: 'schema',
          message: text(
            '字段定义必须是 type 为 object 的 JSON Schema',
            'The fields schema must be an object schema',
          ),
        },
      ])
    try {
      const validate = this.ajv.compile(schema as object)
      if (this.validators.size > 500) this.validators.clear()
      this.validators.set(key, { schema: key, validate })
      return validate
    } catch (error) {
      throw invalid([
        {
          path,
          code: 'schema',
          message: text(
            `字段定义不是有效的 JSON Schema：${(error as Error).message}`,
            `The fields schema is not a valid JSON Schema: ${(error as Error).message}`,
          ),
        },
      ])
    }
  }

  private checkDefinition(input: {
    fieldsSchema: unknown
    disclosableFields: string[]
    validityKind: string
    validityMonths?: number | null | undefined
  }): void {
    this.compile(input.fieldsSchema)
    const properties = Object.keys(
      ((input.fieldsSchema as { properties?: Record<string, unknown> }).properties ?? {}) as object,
    )
    const errors: FieldError[] = []
    input.disclosableFields.forEach((field, i) => {
      if (!properties.includes(field))
        errors.push({
          path: `/disclosableFields/${i}`,
          code: 'unknownField',
          message: text(
            `可公开字段 ${field} 不在字段定义中`,
            `Disclosable field ${field} is not in the schema`,
          ),
        })
    })
    if ((input.validityKind === 'fixed') !== (input.validityMonths != null))
      errors.push({
        path: '/validityMonths',
        code: 'validity',
        message: text(
          '固定有效期须填写月数，其他有效期规则不填',
          'Months are given exactly for a fixed validity',
        ),
      })
    if (errors.length > 0) throw invalid(errors)
  }

  /** Department admins administer the types their department kind issues (region-wide admins: all). */
  private async mayAdministerType(actor: AuthenticatedActor, issuerKind: string): Promise<boolean> {
    for (const grant of actor.roles) {
      if (grant.role !== 'department_admin') continue
      if (grant.departmentId === null) return true
      const department = await this.department(grant.departmentId)
      if (department?.kind === issuerKind) return true
    }
    return false
  }

  async createType(input: CreateLicenseType, actor: AuthenticatedActor, who: AuditWho) {
    if (!(await this.mayAdministerType(actor, input.issuerKind))) throw new AppError('forbidden')
    this.checkDefinition(input)
    const row = await this.db.transaction().execute(async (trx) => {
      const created = await this.repository.insertType(trx, {
        code: input.code,
        name: input.name,
        issuer_kind: input.issuerKind,
        holder: input.holderKind,
        validity_kind: input.validityKind,
        validity_months: input.validityMonths ?? null,
        fields_schema: JSON.stringify(input.fieldsSchema),
        disclosable_fields: input.disclosableFields,
        display_template: input.displayTemplate,
        issuance_map: JSON.stringify(input.issuanceMap ?? {}),
        token_minutes: input.tokenMinutes ?? 5,
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'license-type.create',
        resourceType: 'license_type',
        resourceId: input.code,
        regionCode: null,
        outcome: 'success',
        details: { name: input.name },
      })
      return created
    })
    this.typeCache = undefined
    return row
  }

  async updateType(code: string, input: UpdateLicenseType, actor: AuthenticatedActor, who: AuditWho) {
    const existing = await this.repository.findType(code)
    if (!existing) throw notFound()
    if (!(await this.mayAdministerType(actor, existing.issuer_kind))) throw new AppError('forbidden')
    this.checkDefinition(input)
    const row = await this.db.transaction().execute(async (trx) => {
      const updated = await this.repository.updateType(trx, code, input.version, {
        name: input.name,
        status: input.status,
        validity_kind: input.validityKind,
        validity_months: input.validityMonths ?? null,
        fields_schema: JSON.stringify(input.fieldsSchema),
        disclosable_fields: input.disclosableFields,
        display_template: input.displayTemplate,
        issuance_map: JSON.stringify(input.issuanceMap ?? {}),
        token_minutes: input.tokenMinutes ?? existing.token_minutes,
      })
      if (!updated)
        throw new AppError('stale-version', {
          detail: text(
            '证照类型已被他人修改，请刷新后重试',
            'The license type was changed; reload and retry',
          ),
        })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'license-type.update',
        resourceType: 'license_type',
        resourceId: code,
        regionCode: null,
        outcome: 'success',
        details: { version: updated.version },
      })
      return updated
    })
    this.typeCache = undefined
    return row
  }

  // ------------------------------------------------------------------ keys

  private async department(id: string): Promise<DepartmentRecord | undefined> {
    const cached = this.departments.get(id)
    if (cached && Date.now() - cached.at < TYPE_CACHE_MS) return cached.department
    const department = await this.deps.org.findDepartment(id)
    if (department) this.departments.set(id, { at: Date.now(), department })
    return department
  }

  private async getDepartment(id: string): Promise<DepartmentRecord> {
    const department = await this.department(id)
    if (!department) throw notFound(text('部门不存在', 'The department does not exist'))
    return department
  }

  /** Generates the department's first keys or rotates them (security admin of the department's scope). */
  async rotateKeys(departmentId: string, actor: AuthenticatedActor | null, who: AuditWho) {
    const department = await this.getDepartment(departmentId)
    if (
      actor &&
      !holdsRoleFor(actor, ['security_admin'], { regionCode: department.region_code, departmentId })
    )
      throw new AppError('forbidden')
    return this.db.transaction().execute(async (trx) => {
      const keys = await this.keys.rotate(trx, departmentId, who.actorId)
      await this.platform.audit.append(trx, {
        ...who,
        action: 'license-key.rotate',
        resourceType: 'department',
        resourceId: departmentId,
        regionCode: department.region_code,
        outcome: 'success',
        details: { keyIds: keys.map((k) => k.id) },
      })
      return keys
    })
  }

  /** Every signing key ever used, with its validity period: what offline verifiers trust. */
  publishedKeys(departmentId?: string) {
    return this.repository.findKeys(departmentId ? { departmentId } : {})
  }

  // ------------------------------------------------------------------ issuing

  private validateFields(type: LicenseTypeRecord, fields: Record<string, unknown>): void {
    const validate = this.compile(type.fields_schema)
    if (validate(fields)) return
    throw invalid(
      (validate.errors ?? []).map((e) => ({
        path: `/fields${e.instancePath}${e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : ''}`,
        code: e.keyword,
        message: text(
          `照面信息不符合证照类型的要求：${e.message ?? ''}`,
          `Field ${e.message ?? 'is invalid'}`,
        ),
      })),
      text('照面信息不符合证照类型的字段定义', 'The fields do not match the license type'),
    )
  }

  private validity(
    type: LicenseTypeRecord,
    validFrom: string,
    validUntil: string | undefined,
  ): { validFrom: string; validUntil: string | null } {
    if (type.validity_kind === 'long_term') return { validFrom, validUntil: validUntil ?? null }
    if (type.validity_kind === 'fixed')
      return { validFrom, validUntil: validUntil ?? addMonths(validFrom, type.validity_months ?? 12) }
    if (!validUntil)
      throw invalid([
        {
          path: '/validUntil',
          code: 'required',
          message: text('该类证照须填写有效期截止日期', 'This license type needs an end date'),
        },
      ])
    if (validUntil < validFrom)
      throw invalid([
        {
          path: '/validUntil',
          code: 'range',
          message: text('有效期截止日期早于起始日期', 'The end date is before the start date'),
        },
      ])
    return { validFrom, validUntil }
  }

  /** The next 流水号 of an issuer and type, from this process's reserved block (reserving another when used up). */
  private nextSequence(issuerCode: string, typeCode: string): Promise<number> {
    return this.sequences.next(issuerCode, typeCode)
  }

  /**
   * Signs and stores one license version in the given transaction: the 流水号 is new unless this is a
   * 变更/补发 of `previous`, whose version it supersedes.
   */
  private async issueIn(trx: Transaction<Database>, params: VersionParams): Promise<LicenseRecord> {
    return this.store(trx, this.prepare(params), params)
  }

  /**
   * Builds and signs one license version, outside any transaction (SM2 signing is the costly part of an
   * issue; a connection need not wait for it): the GB/T 36904 identifier, the GB/T 36903 document, its SM2
   * signature, and the encrypted row to insert.
   */
  private prepare(params: VersionParams): PreparedVersion {
    const { type, department, signer } = params
    const now = this.now()
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
      issuer: { name: department.name, code: department.uscc, regionCode: department.region_code },
      issuedOn: params.issuedOn ?? shanghaiDate(now),
      validFrom: params.validFrom,
      validUntil: params.validUntil,
      version,
      fields: params.fields,
      signedAt: now.toISOString(),
      keyId: signer.keyId,
    }
    const signed = signLicense(document, signer.privateKey)
    const { vault } = this.platform
    return {
      now,
      row: {
        license_no: licenseNo,
        type_code: type.code,
        issuer_department_id: department.id,
        region_code: department.region_code,
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
  private async store(
    db: Kysely<Database>,
    prepared: PreparedVersion,
    params: VersionParams,
    audit?: { who: AuditWho; action: string; details: Record<string, unknown> },
  ): Promise<LicenseRecord> {
    const { type, department } = params
    const { now } = prepared
    const { license_no: licenseNo, version } = prepared.row
    const id = randomUUID()
    const record = await this.repository.insertLicense(db, { ...prepared.row, id }, [
      this.platform.events.publishQuery([
        {
          topic: 'license.issued',
          payload: {
            licenseId: id,
            licenseNo,
            typeCode: type.code,
            holderAccountId: params.holder.accountId,
            departmentId: department.id,
            caseId: params.caseId,
            version,
          },
          aggregateId: id,
        },
      ]),
      ...(audit
        ? [
            this.platform.audit.insertQuery(
              this.licenseAuditEntry(audit.who, audit.action, { id, ...prepared.row }, audit.details),
            ),
          ]
        : []),
    ])
    if (params.previous) await this.repository.setStatus(db, params.previous.id, 'superseded', null, now)
    return record
  }

  /**
   * Staff issue (颁发) with a reason; the issuing department must issue licenses of this type. `issuedOn`
   * dates a license first issued on paper (the demo data's licenses); the signature is always made now.
   */
  async issue(
    input: IssueLicense,
    actor: AuthenticatedActor,
    who: AuditWho,
    options: { issuedOn?: string } = {},
  ): Promise<LicenseDetail> {
    const department = await this.getDepartment(input.departmentId)
    if (
      !holdsRoleFor(actor, ISSUING_ROLES, {
        regionCode: department.region_code,
        departmentId: department.id,
      })
    )
      throw new AppError('forbidden')
    const type = await this.getType(input.typeCode)
    this.checkIssuable(type, department, input.holder.kind)
    this.validateFields(type, input.fields)
    const period = this.validity(type, input.validFrom ?? shanghaiDate(this.now()), input.validUntil)
    const signer = await this.keys.sm2Signer(department.id)
    const sequence = await this.nextSequence(department.uscc, type.code)
    const params: VersionParams = {
      signer,
      sequence,
      type,
      department,
      holder: {
        kind: input.holder.kind as 'person' | 'company',
        accountId: input.holder.accountId,
        name: input.holder.name,
        identifier: input.holder.identifier ?? null,
      },
      fields: input.fields,
      ...period,
      caseId: input.caseId ?? null,
      createdBy: actor.accountId,
      ...(options.issuedOn ? { issuedOn: options.issuedOn } : {}),
    }
    const prepared = this.prepare(params)
    // one statement, committed on its own: the license, its outbox event and its audit entry
    const record = await this.store(this.db, prepared, params, {
      who,
      action: 'license.issue',
      details: { reason: input.reason },
    })
    // the caller sees what was just stored, without reading it back
    return { record, type, department, fields: input.fields, status: this.statusOf(record) }
  }

  private checkIssuable(type: LicenseTypeRecord, department: DepartmentRecord, holderKind: string): void {
    if (type.status !== 'active')
      throw new AppError('unprocessable', {
        detail: text('该证照类型已停用', 'This license type is retired'),
      })
    if (type.issuer_kind !== department.kind)
      throw new AppError('unprocessable', {
        detail: text('该部门不签发此类证照', 'This department does not issue licenses of this type'),
      })
    if (type.holder !== holderKind)
      throw invalid([
        {
          path: '/holder/kind',
          code: 'holderKind',
          message: text(
            `此类证照的持证主体应为${type.holder === 'person' ? '自然人' : '法人'}`,
            `Licenses of this type are held by a ${type.holder}`,
          ),
        },
      ])
  }

  private async auditLicense(
    trx: Transaction<Database>,
    who: AuditWho,
    action: string,
    record: Pick<LicenseRecord, 'id' | 'region_code' | 'license_no'>,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.platform.audit.append(trx, this.licenseAuditEntry(who, action, record, details))
  }

  private licenseAuditEntry(
    who: AuditWho,
    action: string,
    record: Pick<LicenseRecord, 'id' | 'region_code' | 'license_no'>,
    details: Record<string, unknown>,
  ): AuditEntry {
    return {
      ...who,
      action,
      resourceType: 'license',
      resourceId: record.id,
      regionCode: record.region_code,
      outcome: 'success',
      details: { licenseNo: record.license_no, ...details },
    }
  }

  /** The license as the issuing staff may touch it: 404 unless they hold an issuing role for it. */
  private async issuedBy(id: string, actor: AuthenticatedActor): Promise<LicenseDetail> {
    const detail = await this.detail(id)
    if (
      !holdsRoleFor(actor, ISSUING_ROLES, {
        regionCode: detail.department.region_code,
        departmentId: detail.department.id,
      })
    )
      throw notFound()
    return detail
  }

  /** A license as its issuing staff see it. */
  staffView(id: string, actor: AuthenticatedActor): Promise<LicenseDetail> {
    return this.issuedBy(id, actor)
  }

  /** 变更 (new fields) or 补发 (same fields): a new version; the current one is superseded. */
  async reissue(
    id: string,
    kind: 'change' | 'replace',
    input: ChangeLicense | { reason: string },
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<LicenseRecord> {
    const current = await this.issuedBy(id, actor)
    const fields = 'fields' in input ? input.fields : current.fields
    if (kind === 'change') this.validateFields(current.type, fields)
    const validUntil =
      'validUntil' in input && input.validUntil ? input.validUntil : current.record.valid_until
    const document = this.signedFile(current.record).document
    const signer = await this.keys.sm2Signer(current.department.id)
    return this.db.transaction().execute(async (trx) => {
      const locked = await this.repository.findByIdForUpdate(trx, id)
      if (!locked || locked.status === 'superseded' || locked.status === 'revoked')
        throw new AppError('invalid-transition', {
          detail: text(
            '只能对现行有效或暂停的证照变更或补发',
            'Only a current license can be changed or replaced',
          ),
        })
      const record = await this.issueIn(trx, {
        signer,
        type: current.type,
        department: current.department,
        holder: {
          kind: locked.holder_kind as 'person' | 'company',
          accountId: locked.holder_account_id,
          name: locked.holder_name,
          identifier: document.holder.identifier,
        },
        fields,
        validFrom: String(locked.valid_from),
        validUntil,
        caseId: locked.case_id,
        previous: locked,
        createdBy: actor.accountId,
      })
      await this.auditLicense(trx, who, `license.${kind}`, record, { reason: input.reason, previousId: id })
      return record
    })
  }

  /** 注销, 暂停 and 恢复: effective on the next verification. */
  async changeStatus(
    id: string,
    input: ChangeLicenseStatus,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<LicenseRecord> {
    await this.issuedBy(id, actor)
    return this.db.transaction().execute(async (trx) => {
      const locked = await this.repository.findByIdForUpdate(trx, id)
      if (!locked) throw notFound()
      const next = ({ revoke: 'revoked', suspend: 'suspended', resume: 'valid' } as const)[
        input.action as 'revoke' | 'suspend' | 'resume'
      ]
      const allowed =
        (input.action === 'revoke' && ['valid', 'suspended'].includes(locked.status)) ||
        (input.action === 'suspend' && locked.status === 'valid') ||
        (input.action === 'resume' && locked.status === 'suspended')
      if (!allowed)
        throw new AppError('invalid-transition', {
          detail: text(`证照当前状态为 ${locked.status}`, `The license is ${locked.status}`),
        })
      await this.repository.setStatus(trx, id, next, input.reason, this.now())
      await this.platform.events.publish(trx, `license.${next}`, { licenseId: id, reason: input.reason }, id)
      await this.auditLicense(trx, who, `license.${input.action}`, locked, { reason: input.reason })
      return { ...locked, status: next, status_reason: input.reason }
    })
  }

  /**
   * Outbox consumer of case.completed, inside the event's transaction: queues the case for automatic
   * issuance (the receipt and the request commit together, so a completed case is never forgotten).
   */
  async requestIssueForCase(caseId: string, trx: Transaction<Database>): Promise<void> {
    await this.repository.requestIssue(trx, caseId)
  }

  /**
   * Works the queue of completed cases: issues the license each item's guide promises as its 办理结果 (a
   * license type of that name) to the applicant, or to the company the agent acted for, with fields from
   * the type's issuance map. A case that gets no license says why (audited); a transient failure (no
   * signing key yet) is retried on the next pass.
   */
  async processIssueRequests(limit = 50): Promise<number> {
    let processed = 0
    for (const request of await this.repository.findPendingIssues(limit)) {
      try {
        await this.issueForCase(request.case_id)
        processed += 1
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        this.platform.logger.warn(
          { caseId: request.case_id, err: error },
          'automatic license issuance failed; will retry',
        )
        await this.repository.retryIssueLater(request.case_id, message)
      }
    }
    return processed
  }

  private async issueForCase(caseId: string): Promise<void> {
    const system: AuditWho = { actorId: null, actorKind: 'system', ip: null, requestId: null }
    const finish = (outcome: 'not-applicable' | 'failed', why: string, regionCode: string | null = null) =>
      this.db.transaction().execute(async (trx) => {
        if (!(await this.repository.lockPendingIssue(trx, caseId))) return
        await this.repository.finishIssue(trx, caseId, outcome, this.now(), { error: why })
        if (outcome === 'failed') {
          this.platform.logger.warn({ caseId, why }, 'license not issued for case')
          await this.platform.audit.append(trx, {
            ...system,
            action: 'license.issue',
            resourceType: 'case',
            resourceId: caseId,
            regionCode,
            outcome: 'failure',
            details: { why },
          })
        }
      })
    const facts = await this.deps.cases.findCase(caseId)
    if (!facts?.implementationId || facts.guideVersion === null || !facts.departmentId)
      return finish('not-applicable', 'not a case of one item')
    const result = await this.deps.guides.resultOf(facts.implementationId, facts.guideVersion)
    const type = [...(await this.types()).values()].find((t) => t.name === result && t.status === 'active')
    if (!type) return finish('not-applicable', `the result ${result ?? '(none)'} is not a license type`)
    const department = await this.getDepartment(facts.departmentId)
    const fail = (why: string) => finish('failed', `${type.code}: ${why}`, facts.regionCode)
    const holderId = type.holder === 'company' ? facts.actingForId : facts.applicantId
    if (!holderId) return fail('no company holder: the applicant did not act for a company')
    if (type.issuer_kind !== department.kind) return fail('the case department does not issue this type')
    const holder = await this.deps.holders.findHolder(holderId)
    if (!holder) return fail('holder account not found')
    const today = shanghaiDate(this.now())
    const fields: Record<string, unknown> = {}
    for (const [field, source] of Object.entries(type.issuance_map as Record<string, string>)) {
      const value =
        source === '$holder.name'
          ? holder.name
          : source === '$holder.identifier'
            ? holder.identifier
            : source === '$issuedOn'
              ? today
              : facts.formData[source]
      if (value !== undefined && value !== null && value !== '') fields[field] = value
    }
    const validate = this.compile(type.fields_schema)
    if (!validate(fields))
      return fail(`fields do not match the type: ${this.ajv.errorsText(validate.errors)}`)
    const signer = await this.keys.sm2Signer(department.id)
    const sequence = await this.nextSequence(department.uscc, type.code)
    const params: VersionParams = {
      signer,
      sequence,
      type,
      department,
      holder: { kind: type.holder as 'person' | 'company', accountId: holderId, ...holder },
      fields,
      ...this.validity(type, today, undefined),
      caseId,
      createdBy: null,
    }
    const prepared = this.prepare(params)
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.repository.lockPendingIssue(trx, caseId))) return
      const record = await this.store(trx, prepared, params)
      await this.repository.finishIssue(trx, caseId, 'issued', this.now(), { licenseId: record.id })
      await this.auditLicense(trx, system, 'license.issue', record, { caseId, automatic: true })
    })
  }

  // ------------------------------------------------------------------ reading

  private statusOf(record: LicenseRecord): LicenseDetail['status'] {
    if (record.status !== 'valid') return record.status as LicenseDetail['status']
    if (record.valid_until && String(record.valid_until) < shanghaiDate(this.now())) return 'expired'
    return 'valid'
  }

  private async describe(record: LicenseRecord): Promise<LicenseDetail> {
    const [type, department] = await Promise.all([
      this.getType(record.type_code),
      this.getDepartment(record.issuer_department_id),
    ])
    return {
      record,
      type,
      department,
      fields: JSON.parse(this.platform.vault.decrypt(record.fields_enc)) as Record<string, unknown>,
      status: this.statusOf(record),
    }
  }

  private async detail(id: string): Promise<LicenseDetail> {
    const record = await this.repository.findById(id)
    if (!record) throw notFound()
    return this.describe(record)
  }

  /** The accounts whose licenses the caller holds: their own and the company they act for. */
  holderIds(actor: AuthenticatedActor): string[] {
    return [actor.accountId, ...(actor.actingFor ? [actor.actingFor.accountId] : [])]
  }

  /** 证照夹: the caller's licenses and those of the company they act for. */
  async wallet(actor: AuthenticatedActor): Promise<LicenseDetail[]> {
    const records = await this.repository.findByHolders(this.holderIds(actor))
    return Promise.all(records.map((r) => this.describe(r)))
  }

  /** One of the caller's licenses; someone else's is answered as not existing. */
  async own(id: string, actor: AuthenticatedActor): Promise<LicenseDetail> {
    const record = await this.repository.findById(id)
    if (!record || !this.holderIds(actor).includes(record.holder_account_id)) throw notFound()
    return this.describe(record)
  }

  /** The signed document and SM2 signature, as stored when it was issued. */
  signedFile(record: LicenseRecord): SignedLicenseFile {
    return JSON.parse(this.platform.vault.decrypt(record.document_enc)) as SignedLicenseFile
  }

  // ------------------------------------------------------------------ 亮证 and verification

  private mac = (body: string): string => this.platform.vault.blindIndex(TOKEN_MAC_PURPOSE, body)

  /** A short-lived token for the QR code of a valid license the caller holds. */
  async qrToken(id: string, actor: AuthenticatedActor): Promise<{ token: string; expiresAt: Date }> {
    return this.tokenFor(await this.own(id, actor))
  }

  private async tokenFor(detail: LicenseDetail): Promise<{ token: string; expiresAt: Date }> {
    if (detail.status !== 'valid')
      throw new AppError('invalid-transition', {
        detail: text('证照不在有效状态，不能亮证', 'Only a valid license can be shown'),
      })
    const expiresAt = new Date(this.now().getTime() + detail.type.token_minutes * 60_000)
    const token = encodeQrToken(
      { licenseId: detail.record.id, tokenId: randomBytes(12).toString('hex'), expiresAt },
      this.mac,
    )
    if (Math.random() < 0.01) await this.repository.purgeTokenUses(new Date(this.now().getTime() - 3_600_000))
    return { token, expiresAt }
  }

  /** The public verification page a QR code of the token opens. */
  verificationUrl(token: string): string {
    return verificationUrl(publicUrlOf(this.platform.config), token)
  }

  /**
   * The PDF rendering of one of the caller's valid licenses, with the QR code of a fresh token (it expires
   * like one shown on screen, so a printed copy cannot be used for long) and the signed file attached.
   */
  async pdfOf(id: string, actor: AuthenticatedActor): Promise<{ bytes: Uint8Array; licenseNo: string }> {
    const detail = await this.own(id, actor)
    if (detail.status !== 'valid')
      throw new AppError('invalid-transition', {
        detail: text('证照不在有效状态，不能下载', 'Only a valid license can be downloaded'),
      })
    const { token, expiresAt } = await this.tokenFor(detail)
    const properties = (detail.type.fields_schema as { properties?: Record<string, { title?: string }> })
      .properties
    const bytes = await this.pdf.render({
      file: this.signedFile(detail.record),
      displayTemplate: detail.type.display_template,
      fieldTitles: Object.fromEntries(
        Object.entries(properties ?? {}).map(([name, p]) => [name, p.title ?? name]),
      ),
      issuerName: detail.department.name,
      verificationUrl: this.verificationUrl(token),
      tokenExpiresAt: expiresAt,
      generatedAt: this.now(),
    })
    return { bytes, licenseNo: detail.record.license_no }
  }

  // ------------------------------------------------------------------ W3C credentials

  /** A department's did:web identifier under this installation's public URL. */
  departmentDid(departmentId: string): string {
    return departmentDid(publicUrlOf(this.platform.config), departmentId)
  }

  /** A department's DID document: every Ed25519 key it has used, rotated-out ones with their end. */
  async didDocument(departmentId: string): Promise<DidDocument> {
    await this.getDepartment(departmentId)
    const keys = await this.repository.findKeys({ departmentId })
    return departmentDidDocument(
      this.departmentDid(departmentId),
      keys
        .filter((k) => k.algorithm === 'Ed25519')
        .map((k) => ({ keyId: k.id, publicKey: k.public_key, validUntil: k.valid_until })),
    )
  }

  /**
   * Exports one of the caller's valid licenses as a W3C Verifiable Credential (VC-JWT) signed with the
   * issuing department's current Ed25519 key; audited, as it makes a credential that travels on its own.
   */
  async exportCredential(
    id: string,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<ExportedCredential & { issuer: string }> {
    const detail = await this.own(id, actor)
    if (detail.status !== 'valid')
      throw new AppError('invalid-transition', {
        detail: text('证照不在有效状态，不能导出', 'Only a valid license can be exported'),
      })
    const signer = await this.keys.ed25519Signer(detail.department.id)
    const issuer = this.departmentDid(detail.department.id)
    const credential = await signLicenseCredential({
      did: issuer,
      signer,
      file: this.signedFile(detail.record),
      now: this.now(),
    })
    await this.platform.audit.record({
      ...who,
      action: 'license.export-credential',
      resourceType: 'license',
      resourceId: detail.record.id,
      regionCode: detail.record.region_code,
      outcome: 'success',
      details: {
        licenseNo: detail.record.license_no,
        credentialId: credential.credentialId,
        verificationMethod: credential.verificationMethod,
      },
    })
    return { ...credential, issuer }
  }

  /**
   * Online verification of a scanned token: forged, expired and replayed tokens are refused with nothing
   * disclosed; a genuine one answers the license's status as of now and, while it is valid, the fields
   * its type allows to disclose.
   */
  async verifyToken(token: string): Promise<Verification> {
    const now = this.now()
    const decoded = decodeQrToken(token, this.mac, now)
    if (!decoded.ok) {
      if (decoded.error === 'expired')
        throw new AppError('gone', {
          detail: text(
            '亮证码已过期，请持证人刷新后重新出示',
            'The code has expired; ask the holder to refresh it',
          ),
          errors: [{ path: '/query/token', code: 'expired', message: text('已过期', 'Expired') }],
        })
      throw new AppError('unprocessable', {
        detail: text('亮证码无效：不是本平台签发或已被篡改', 'The code is not genuine: forged or altered'),
        errors: [{ path: '/query/token', code: 'forged', message: text('无效', 'Not genuine') }],
      })
    }
    const row = await this.consumeToken({
      tokenId: decoded.claims.tokenId,
      licenseId: decoded.claims.licenseId,
      expiresAt: decoded.claims.expiresAt,
    })
    if (!row)
      throw new AppError('unprocessable', {
        detail: text('亮证码无效', 'The code is not genuine'),
        errors: [{ path: '/query/token', code: 'forged', message: text('无效', 'Not genuine') }],
      })
    if (!row.fresh)
      throw new AppError('conflict', {
        detail: text(
          '该亮证码已被核验过，不能重复使用，请持证人刷新后重新出示',
          'The code was already used; ask the holder to show a fresh one',
        ),
        errors: [{ path: '/query/token', code: 'replayed', message: text('重复使用', 'Replayed') }],
      })
    const status = this.statusOf(row as unknown as LicenseRecord)
    const [type, department] = await Promise.all([
      this.getType(row.type_code),
      this.department(row.issuer_department_id),
    ])
    const disclosed: Record<string, unknown> = {}
    if (status === 'valid') {
      const fields = JSON.parse(this.platform.vault.decrypt(row.fields_enc)) as Record<string, unknown>
      for (const name of type.disclosable_fields) if (name in fields) disclosed[name] = fields[name]
    }
    return {
      status,
      licenseNo: row.license_no,
      typeName: type.name,
      issuerName: department?.name ?? '',
      validFrom: String(row.valid_from),
      validUntil: row.valid_until === null ? null : String(row.valid_until),
      fields: disclosed,
      checkedAt: now,
    }
  }

  // ------------------------------------------------------------------ 用证授权

  /** Grants a department or a case the use of the caller's license; someone else's license is 404. */
  async grant(id: string, input: CreateLicenseGrant, actor: AuthenticatedActor, who: AuditWho) {
    const detail = await this.own(id, actor)
    const now = this.now()
    const errors: FieldError[] = []
    if (Boolean(input.departmentId) === Boolean(input.caseId))
      errors.push({
        path: '/departmentId',
        code: 'grantee',
        message: text('请指定一个部门或一个办件', 'Name either a department or a case'),
      })
    if (Date.parse(input.validUntil) <= now.getTime())
      errors.push({
        path: '/validUntil',
        code: 'range',
        message: text('授权截止时间须晚于现在', 'The grant must end in the future'),
      })
    if (errors.length > 0) throw invalid(errors)
    if (input.departmentId && !(await this.department(input.departmentId)))
      throw invalid([
        { path: '/departmentId', code: 'unknown', message: text('部门不存在', 'No such department') },
      ])
    if (input.caseId) {
      const facts = await this.deps.cases.findCase(input.caseId)
      if (!facts || !this.holderIds(actor).includes(facts.actingForId ?? facts.applicantId))
        throw invalid([
          { path: '/caseId', code: 'unknown', message: text('办件不存在', 'No such case of yours') },
        ])
    }
    return this.db.transaction().execute(async (trx) => {
      const grant = await this.repository.insertGrant(trx, {
        license_id: id,
        grantee_kind: input.caseId ? 'case' : 'department',
        grantee_department_id: input.departmentId ?? null,
        grantee_case_id: input.caseId ?? null,
        purpose: input.purpose,
        valid_until: new Date(input.validUntil),
        granted_by: actor.accountId,
        granted_at: now,
      })
      await this.auditLicense(trx, who, 'license.grant', detail.record, {
        grantId: grant.id,
        departmentId: input.departmentId,
        caseId: input.caseId,
        purpose: input.purpose,
      })
      return grant
    })
  }

  async grants(id: string, actor: AuthenticatedActor): Promise<GrantRecord[]> {
    await this.own(id, actor)
    return this.repository.findGrants(id)
  }

  async withdrawGrant(id: string, grantId: string, actor: AuthenticatedActor, who: AuditWho) {
    const detail = await this.own(id, actor)
    const grant = await this.repository.findGrant(grantId)
    if (!grant || grant.license_id !== id) throw notFound()
    return this.db.transaction().execute(async (trx) => {
      const withdrawn = await this.repository.withdrawGrant(trx, grantId, this.now())
      if (!withdrawn)
        throw new AppError('invalid-transition', {
          detail: text('授权已撤回', 'The grant is already withdrawn'),
        })
      await this.auditLicense(trx, who, 'license.grant-withdraw', detail.record, { grantId })
      return withdrawn
    })
  }

  /** "Who used my license, when, for what". */
  async reads(id: string, actor: AuthenticatedActor) {
    await this.own(id, actor)
    return this.repository.findReads([id])
  }

  isActive(grant: GrantRecord): boolean {
    return grant.withdrawn_at === null && grant.valid_until.getTime() > this.now().getTime()
  }

  /**
   * Staff read a license through a grant: the grant must be active and name their department, or a case
   * of their department. Anything else is 404 with nothing disclosed. Every read is logged for the holder
   * and in the audit log.
   */
  async readThroughGrant(
    grantId: string,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<{ detail: LicenseDetail; grant: GrantRecord }> {
    const grant = await this.repository.findGrant(grantId)
    if (!grant || !this.isActive(grant)) throw notFound()
    let departmentId = grant.grantee_department_id
    if (grant.grantee_kind === 'case') {
      const facts = grant.grantee_case_id ? await this.deps.cases.findCase(grant.grantee_case_id) : undefined
      departmentId = facts?.departmentId ?? null
    }
    const department = departmentId ? await this.department(departmentId) : undefined
    if (
      !department ||
      !holdsRoleFor(actor, READING_ROLES, { regionCode: department.region_code, departmentId: department.id })
    )
      throw notFound()
    const detail = await this.detail(grant.license_id)
    await this.db.transaction().execute(async (trx) => {
      await this.repository.insertRead(trx, {
        license_id: grant.license_id,
        grant_id: grant.id,
        reader_account_id: actor.accountId,
        reader_name: actor.name,
        department_id: department.id,
        case_id: grant.grantee_case_id,
        purpose: grant.purpose,
        read_at: this.now(),
      })
      await this.auditLicense(trx, who, 'license.read', detail.record, {
        grantId: grant.id,
        departmentId: department.id,
        caseId: grant.grantee_case_id,
      })
    })
    return { detail, grant }
  }
}
