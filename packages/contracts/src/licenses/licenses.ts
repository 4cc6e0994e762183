import { type Static, Type } from 'typebox'

const Uuid = Type.String({ format: 'uuid' })
const Reason = Type.String({ minLength: 2, maxLength: 500, description: 'Why (recorded in the audit log)' })
const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD (Asia/Shanghai)' })
const Fields = Type.Record(Type.String(), Type.Unknown(), { description: '照面信息, per the type’s schema' })

/** 证照类型代码 (GB/T 36902 style): the issuing authority's USCC followed by a 3-digit serial. */
export const LicenseTypeCode = Type.String({ pattern: '^[0-9A-Z]{4,32}$', description: '证照类型代码' })

export const LICENSE_STATUSES = ['valid', 'suspended', 'revoked', 'superseded'] as const
export const VERIFICATION_STATUSES = ['valid', 'expired', 'suspended', 'revoked', 'superseded'] as const
export const VALIDITY_KINDS = ['long_term', 'fixed', 'explicit'] as const

/** One of a list of values, typed as their union (the schema is an anyOf of literals). */
const union = <const T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      { description },
    ),
  )

/** 证照类型 as the API shows it. */
export const LicenseTypeDefinition = Type.Object({
  code: Type.String(),
  name: Type.String(),
  issuerKind: Type.String({ description: 'Department kind that issues it' }),
  holderKind: Type.String({ description: 'person or company' }),
  validityKind: Type.String(),
  validityMonths: Type.Union([Type.Integer(), Type.Null()]),
  fieldsSchema: Type.Unknown(),
  disclosableFields: Type.Array(Type.String()),
  displayTemplate: Type.String(),
  issuanceMap: Type.Record(Type.String(), Type.String()),
  tokenMinutes: Type.Integer(),
  status: Type.String(),
  version: Type.Integer(),
})
export type LicenseTypeDefinition = Static<typeof LicenseTypeDefinition>

export const LicenseTypeList = Type.Object({ items: Type.Array(LicenseTypeDefinition) })
export const LicenseTypeParams = Type.Object({ code: LicenseTypeCode })

const typeDefinition = {
  validityKind: union(VALIDITY_KINDS, 'long_term (长期), fixed (months from the start) or explicit'),
  validityMonths: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1200 }), Type.Null()])),
  fieldsSchema: Type.Record(Type.String(), Type.Unknown(), {
    description: 'JSON Schema of the fields (an object schema; compiled with Ajv when saved)',
  }),
  disclosableFields: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 60 }),
  displayTemplate: Type.String({ maxLength: 4000 }),
  issuanceMap: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 80 }))),
  tokenMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
}

/** Defines a new license type (department admin of the issuing department kind). */
export const CreateLicenseType = Type.Object(
  {
    code: LicenseTypeCode,
    name: Type.String({ minLength: 2, maxLength: 60 }),
    issuerKind: Type.String({ minLength: 2, maxLength: 40 }),
    holderKind: union(['person', 'company'], 'person or company'),
    ...typeDefinition,
  },
  { additionalProperties: false },
)
export type CreateLicenseType = Static<typeof CreateLicenseType>

/** Changes a license type's definition (optimistic concurrency on version). */
export const UpdateLicenseType = Type.Object(
  {
    ...typeDefinition,
    name: Type.String({ minLength: 2, maxLength: 60 }),
    status: union(['active', 'retired'], 'active or retired'),
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
)
export type UpdateLicenseType = Static<typeof UpdateLicenseType>

/** A published signing key with its validity (the current one has validUntil null). */
export const LicenseKeyView = Type.Object({
  keyId: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  issuerCode: Type.String({ description: 'The department’s USCC' }),
  algorithm: Type.String({ description: 'SM2 (licenses) or Ed25519 (W3C credentials)' }),
  publicKey: Type.String({ description: 'SM2: 04‖x‖y hex; Ed25519: raw key, base64url' }),
  validFrom: Type.String({ format: 'date-time' }),
  validUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
export type LicenseKeyView = Static<typeof LicenseKeyView>
export const LicenseKeyList = Type.Object({ items: Type.Array(LicenseKeyView) })
export const DepartmentKeyParams = Type.Object({ departmentId: Uuid })

/** Holder of a license as given at issuance. */
export const LicenseHolderInput = Type.Object(
  {
    kind: union(['person', 'company'], 'person or company'),
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    identifier: Type.Optional(
      Type.String({ minLength: 1, maxLength: 40, description: '公民身份号码 or 统一社会信用代码' }),
    ),
  },
  { additionalProperties: false },
)

/** Staff issue (颁发) of a license. */
export const IssueLicense = Type.Object(
  {
    typeCode: LicenseTypeCode,
    departmentId: Uuid,
    holder: LicenseHolderInput,
    fields: Fields,
    validFrom: Type.Optional(DateOnly),
    validUntil: Type.Optional(DateOnly),
    caseId: Type.Optional(Uuid),
    reason: Reason,
  },
  { additionalProperties: false },
)
export type IssueLicense = Static<typeof IssueLicense>

/** 变更: a new version with changed fields (and optionally validity). */
export const ChangeLicense = Type.Object(
  { fields: Fields, validUntil: Type.Optional(DateOnly), reason: Reason },
  { additionalProperties: false },
)
export type ChangeLicense = Static<typeof ChangeLicense>

/** 补发: a new version with the same content. */
export const ReplaceLicense = Type.Object({ reason: Reason }, { additionalProperties: false })
export type ReplaceLicense = Static<typeof ReplaceLicense>

/** 注销 / 暂停 / 恢复. */
export const ChangeLicenseStatus = Type.Object(
  { action: union(['revoke', 'suspend', 'resume'], 'revoke (注销), suspend or resume'), reason: Reason },
  { additionalProperties: false },
)
export type ChangeLicenseStatus = Static<typeof ChangeLicenseStatus>

export const LicenseIdParams = Type.Object({ id: Uuid })

/** A license as its holder or an authorized reader sees it. */
export const LicenseView = Type.Object({
  id: Type.String(),
  licenseNo: Type.String({ description: '电子证照标识 (GB/T 36904)' }),
  typeCode: Type.String(),
  typeName: Type.String(),
  issuer: Type.Object({ departmentId: Type.String(), name: Type.String(), code: Type.String() }),
  holder: Type.Object({ kind: Type.String(), accountId: Type.String(), name: Type.String() }),
  fields: Fields,
  issuedAt: Type.String({ format: 'date-time' }),
  validFrom: Type.String(),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'valid, expired, suspended, revoked or superseded' }),
  version: Type.Integer(),
  previousId: Type.Union([Type.String(), Type.Null()]),
})
export type LicenseView = Static<typeof LicenseView>
export const LicenseList = Type.Object({ items: Type.Array(LicenseView) })

/** The signed document and its signature: what an offline verifier checks. */
export const SignedLicense = Type.Object({
  document: Type.Record(Type.String(), Type.Unknown(), {
    description: 'GB/T 36903-style metadata and fields; signed as canonical JSON (keys sorted, no spaces)',
  }),
  signature: Type.Object({
    algorithm: Type.Literal('SM2-SM3'),
    keyId: Type.String(),
    userId: Type.String({ description: 'SM2 signer ID used in Z (GM/T 0009 default)' }),
    value: Type.String({ description: 'r‖s, 128 hex' }),
  }),
})
export type SignedLicense = Static<typeof SignedLicense>

/** A 亮证 token: show `url` as a QR code until `expiresAt`. */
export const LicenseQrView = Type.Object({
  token: Type.String(),
  url: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  qrSvg: Type.String(),
})
export type LicenseQrView = Static<typeof LicenseQrView>

export const VerifyLicenseQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 400 }) })

/** What a verifier learns from a genuine token: the status and only the disclosable fields. */
export const LicenseVerification = Type.Object({
  genuine: Type.Literal(true),
  status: union(VERIFICATION_STATUSES, 'valid, expired, suspended, revoked or superseded'),
  licenseNo: Type.String(),
  typeName: Type.String(),
  issuerName: Type.String(),
  validFrom: Type.String(),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  fields: Fields,
  checkedAt: Type.String({ format: 'date-time' }),
})
export type LicenseVerification = Static<typeof LicenseVerification>

/** 用证授权 request. */
export const CreateLicenseGrant = Type.Object(
  {
    departmentId: Type.Optional(Uuid),
    caseId: Type.Optional(Uuid),
    purpose: Type.String({ minLength: 2, maxLength: 200 }),
    validUntil: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)
export type CreateLicenseGrant = Static<typeof CreateLicenseGrant>

export const LicenseGrantView = Type.Object({
  id: Type.String(),
  licenseId: Type.String(),
  granteeKind: Type.String({ description: 'department or case' }),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  caseId: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.String(),
  validUntil: Type.String({ format: 'date-time' }),
  grantedAt: Type.String({ format: 'date-time' }),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  active: Type.Boolean(),
})
export type LicenseGrantView = Static<typeof LicenseGrantView>
export const LicenseGrantList = Type.Object({ items: Type.Array(LicenseGrantView) })
export const LicenseGrantParams = Type.Object({ id: Uuid, grantId: Uuid })
export const GrantIdParams = Type.Object({ grantId: Uuid })

/** A license read by staff through a grant, with the grant. */
export const GrantedLicenseView = Type.Object({ license: LicenseView, grant: LicenseGrantView })
export type GrantedLicenseView = Static<typeof GrantedLicenseView>

/** One use of a license by a grantee. */
export const LicenseReadView = Type.Object({
  readAt: Type.String({ format: 'date-time' }),
  readerName: Type.String(),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
  caseId: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.String(),
  grantId: Type.String(),
})
export type LicenseReadView = Static<typeof LicenseReadView>
export const LicenseReadList = Type.Object({ items: Type.Array(LicenseReadView) })

/** Reading a license through a grant, optionally inside a case. */
export const ReadGrantedLicenseQuery = Type.Object({ caseId: Type.Optional(Uuid) })

/** A license exported as a W3C Verifiable Credential (data model 1.1, JWT encoding, EdDSA over Ed25519). */
export const LicenseCredentialView = Type.Object({
  format: Type.Literal('jwt_vc_json', {
    description: 'VC Data Model 1.1 credential as a JWT (the `vc` claim)',
  }),
  jwt: Type.String({
    description: 'The signed credential (compact JWS); verify it with the issuer’s did:web document',
  }),
  issuer: Type.String({ description: 'The issuing department’s did:web identifier' }),
  verificationMethod: Type.String({
    description: 'DID URL of the Ed25519 key that signed it (the JWT’s kid)',
  }),
  credentialId: Type.String({ description: 'The credential’s own id (jti), a urn:uuid' }),
  issuedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'End of the license’s validity (null: 长期有效)',
  }),
})
export type LicenseCredentialView = Static<typeof LicenseCredentialView>

/** A verification method of a department's DID document: an Ed25519 public key as a JWK. */
export const DidVerificationMethod = Type.Object({
  id: Type.String(),
  type: Type.Literal('JsonWebKey2020'),
  controller: Type.String(),
  publicKeyJwk: Type.Object({ kty: Type.Literal('OKP'), crv: Type.Literal('Ed25519'), x: Type.String() }),
  expires: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'End of a rotated-out key’s signing period: credentials it signed later are not genuine',
    }),
  ),
})

/** A department's did:web DID document: every Ed25519 key it has used for credentials. */
export const DidDocument = Type.Object({
  '@context': Type.Array(Type.String()),
  id: Type.String({ description: 'did:web:<host>:departments:<department id>' }),
  verificationMethod: Type.Array(DidVerificationMethod),
  assertionMethod: Type.Array(Type.String()),
})
export type DidDocument = Static<typeof DidDocument>
export const DepartmentDidParams = Type.Object({ departmentId: Uuid })
