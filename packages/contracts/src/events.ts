import { type Static, type TSchema, Type } from 'typebox'

/**
 * The catalogue of domain events: every topic the platform publishes, with its payload. Events are written
 * to the outbox in the transaction of the change they announce, delivered to in-process consumers, and,
 * when NATS is configured, published on the JetStream stream TONGBAN as subject `tongban.<topic>` with the
 * payload as JSON. A consumer reads what it needs from the payload, never the producer's tables.
 */

const Id = Type.String({ description: 'uuid' })
const NullableId = Type.Union([Id, Type.Null()])

/** Every `case.<event>` topic: which case, whose, where, and its decision so far. */
export const CaseMilestone = Type.Object({
  caseId: Id,
  caseNo: Type.String(),
  /** The event's sequence number in the case's history. */
  seq: Type.Integer({ minimum: 1 }),
  applicantId: Id,
  /** The company the applicant acted for, when they did. */
  actingForId: NullableId,
  itemName: Type.String(),
  regionCode: Type.String(),
  /** The bundle (一件事) the case is a part of. */
  parentId: NullableId,
  /** The implementing department; null for a bundle's parent. */
  departmentId: NullableId,
  /** The regional implementation (实施清单) and the guide version applied for; null for a bundle's parent. */
  implementationId: NullableId,
  guideVersion: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  /** The decision once taken (批准 / 不予批准); null before it, and for a case refused or withdrawn. */
  decision: Type.Union([Type.Literal('approved'), Type.Literal('denied'), Type.Null()]),
})
export type CaseMilestone = Static<typeof CaseMilestone>

/** `case.completed` (办结): the milestone, and the application form the result is made from. */
export const CaseCompleted = Type.Intersect([
  CaseMilestone,
  Type.Object({
    /**
     * The form data as the case stores it: SM4-encrypted under the platform's master key, so personal data
     * is never in clear in the outbox or on NATS; null for a bundle's parent.
     */
    formDataEnc: Type.Union([Type.String(), Type.Null()]),
  }),
])
export type CaseCompleted = Static<typeof CaseCompleted>

/** `catalog.guide-published`: a new published version of a regional implementation's guide. */
export const GuidePublished = Type.Object({
  implementationId: Id,
  version: Type.Integer({ minimum: 1 }),
  itemCode: Type.String(),
  regionCode: Type.String(),
  departmentId: Id,
})
export type GuidePublished = Static<typeof GuidePublished>

/** `catalog.bundle-published`: a new published version of a 一件事 bundle. */
export const BundlePublished = Type.Object({
  code: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  itemCodes: Type.Array(Type.String()),
  leadDepartmentId: Id,
})
export type BundlePublished = Static<typeof BundlePublished>

/** `account.disabled` / `account.enabled`. */
export const AccountStatusChanged = Type.Object({
  accountId: Id,
  kind: Type.Union([Type.Literal('person'), Type.Literal('company'), Type.Literal('staff')]),
})
export type AccountStatusChanged = Static<typeof AccountStatusChanged>

/** `license.issued`: a license (or a new version of one) signed and in its holder's wallet. */
export const LicenseIssued = Type.Object({
  licenseId: Id,
  licenseNo: Type.String(),
  typeCode: Type.String(),
  holderAccountId: Id,
  departmentId: Id,
  caseId: NullableId,
  version: Type.Integer({ minimum: 1 }),
})
export type LicenseIssued = Static<typeof LicenseIssued>

/**
 * `license.issue-failed`: an approved, completed case's license could not be issued. The reason is for the
 * case's staff (who may retry when `retryable`) and its applicant; until a license exists the case has
 * nothing to deliver as an e-license.
 */
export const LicenseIssueFailed = Type.Object({
  caseId: Id,
  caseNo: Type.String(),
  applicantId: Id,
  actingForId: NullableId,
  departmentId: NullableId,
  /** The license type the case's 办理结果 is bound to, when it is known. */
  typeCode: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Object({ zh: Type.String(), en: Type.String() }),
  retryable: Type.Boolean(),
})
export type LicenseIssueFailed = Static<typeof LicenseIssueFailed>

/** `license.revoked`, `license.suspended`, `license.valid` (resumed): a license's status changed. */
export const LicenseStatusChanged = Type.Object({ licenseId: Id, reason: Type.String() })
export type LicenseStatusChanged = Static<typeof LicenseStatusChanged>

/** `audit.checkpoint`: a signed checkpoint of the audit chain, also written to the file store. */
export const AuditCheckpointed = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  at: Type.String({ format: 'date-time' }),
  /** Its key in the file store. */
  key: Type.String(),
  /** SM2 public key (uncompressed hex) and signature (r‖s hex) over the checkpoint document. */
  publicKey: Type.String(),
  signature: Type.String(),
})
export type AuditCheckpointed = Static<typeof AuditCheckpointed>

/** The case event types that are published as `case.<type>`. */
export const CASE_EVENT_TYPES = [
  'submitted',
  'pre_review_started',
  'accepted',
  'refused',
  'correction_requested',
  'resubmitted',
  'reviewed',
  'approved',
  'denied',
  'completed',
  'delivered',
  'withdrawn',
  'suspended',
  'resumed',
] as const
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number]

type CaseTopics = { [T in Exclude<CaseEventType, 'completed'> as `case.${T}`]: typeof CaseMilestone }

/** Topic → payload schema, for every event the platform publishes. */
export const DOMAIN_EVENTS = {
  ...(Object.fromEntries(
    CASE_EVENT_TYPES.filter((t) => t !== 'completed').map((t) => [`case.${t}`, CaseMilestone]),
  ) as CaseTopics),
  'case.completed': CaseCompleted,
  'catalog.guide-published': GuidePublished,
  'catalog.bundle-published': BundlePublished,
  'account.disabled': AccountStatusChanged,
  'account.enabled': AccountStatusChanged,
  'license.issued': LicenseIssued,
  'license.issue-failed': LicenseIssueFailed,
  'license.revoked': LicenseStatusChanged,
  'license.suspended': LicenseStatusChanged,
  'license.valid': LicenseStatusChanged,
  'audit.checkpoint': AuditCheckpointed,
} satisfies Record<string, TSchema>

/** Topic → payload type. */
export type DomainEvents = { [T in keyof typeof DOMAIN_EVENTS]: Static<(typeof DOMAIN_EVENTS)[T]> }
export type DomainTopic = keyof DomainEvents
