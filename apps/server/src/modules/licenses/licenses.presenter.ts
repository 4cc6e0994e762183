import type {
  LicenseCredentialView,
  LicenseGrantView,
  LicenseKeyView,
  LicenseReadView,
  LicenseTypeDefinition,
  LicenseVerification,
  LicenseView,
} from '@tongban/contracts'
import type { PublishedSigningKey } from './keys/rotate-keys.ts'
import type { ExportedCredential } from './licenses.credentials.ts'
import type { GrantRecord, LicenseTypeRecord } from './licenses.repository.ts'
import type { LicenseDetail } from './reading/license-detail.ts'
import type { LicenseUse } from './reading/wallet.ts'
import type { Verification } from './verification/verify-token.ts'

/** A license type as the API shows it. */
export function presentType(t: LicenseTypeRecord): LicenseTypeDefinition {
  return {
    code: t.code,
    name: t.name,
    issuerKind: t.issuer_kind,
    holderKind: t.holder,
    validityKind: t.validity_kind,
    validityMonths: t.validity_months,
    fieldsSchema: t.fields_schema,
    disclosableFields: t.disclosable_fields,
    displayTemplate: t.display_template,
    issuanceMap: t.issuance_map as Record<string, string>,
    tokenMinutes: t.token_minutes,
    status: t.status,
    version: t.version,
  }
}

/** A published signing key (never its private part). */
export function presentKey(k: PublishedSigningKey): LicenseKeyView {
  return {
    keyId: k.id,
    departmentId: k.department_id,
    departmentName: k.department_name,
    issuerCode: k.issuer_code,
    algorithm: k.algorithm,
    publicKey: k.public_key,
    validFrom: k.valid_from.toISOString(),
    validUntil: k.valid_until ? k.valid_until.toISOString() : null,
  }
}

/** A license with its fields, as its holder or the staff entitled to it see it. */
export function presentLicense(d: LicenseDetail): LicenseView {
  const r = d.record
  return {
    id: r.id,
    licenseNo: r.license_no,
    typeCode: r.type_code,
    typeName: d.type.name,
    issuer: { departmentId: d.department.id, name: d.department.name, code: d.department.uscc },
    holder: { kind: r.holder_kind, accountId: r.holder_account_id, name: r.holder_name },
    fields: d.fields,
    issuedAt: r.issued_at.toISOString(),
    validFrom: String(r.valid_from),
    validUntil: r.valid_until === null ? null : String(r.valid_until),
    status: d.status,
    version: r.version,
    previousId: r.previous_id,
  }
}

/** A grant (用证授权), with whether it is in force now. */
export function presentGrant(g: GrantRecord, active: boolean): LicenseGrantView {
  return {
    id: g.id,
    licenseId: g.license_id,
    granteeKind: g.grantee_kind,
    departmentId: g.grantee_department_id,
    caseId: g.grantee_case_id,
    purpose: g.purpose,
    validUntil: g.valid_until.toISOString(),
    grantedAt: g.granted_at.toISOString(),
    withdrawnAt: g.withdrawn_at ? g.withdrawn_at.toISOString() : null,
    active,
  }
}

/** One use of a license through a grant, for its holder. */
export function presentUse(r: LicenseUse): LicenseReadView {
  return {
    readAt: r.read_at.toISOString(),
    readerName: r.reader_name,
    departmentId: r.department_id,
    departmentName: r.department_name ?? null,
    caseId: r.case_id,
    purpose: r.purpose,
    grantId: r.grant_id,
  }
}

/** A verification answer: genuine, the status, and what may be disclosed. */
export function presentVerification(v: Verification): LicenseVerification {
  return {
    genuine: true,
    status: v.status,
    licenseNo: v.licenseNo,
    typeName: v.typeName,
    issuerName: v.issuerName,
    validFrom: v.validFrom,
    validUntil: v.validUntil,
    fields: v.fields,
    checkedAt: v.checkedAt.toISOString(),
  }
}

/** An exported W3C credential (VC-JWT). */
export function presentCredential(c: ExportedCredential & { issuer: string }): LicenseCredentialView {
  return {
    format: 'jwt_vc_json' as const,
    jwt: c.jwt,
    issuer: c.issuer,
    verificationMethod: c.verificationMethod,
    credentialId: c.credentialId,
    issuedAt: c.issuedAt.toISOString(),
    expiresAt: c.expiresAt ? c.expiresAt.toISOString() : null,
  }
}
