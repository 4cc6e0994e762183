/**
 * API paths the web app calls, relative to /api/v1, in one place; checked against the server's
 * OpenAPI document (`/openapi.json`). Response types come from @tongban/contracts.
 */
const id = (value: string) => encodeURIComponent(value)

export const endpoints = {
  /** 政务服务事项 search (public): `SearchQuery` → `SearchResult`. */
  catalogSearch: '/catalog/search',
  /** Code lists (public): item types, themes, prefill sources, license types → `Vocabulary`. */
  catalogVocabulary: '/catalog/vocabulary',
  /** The latest published guide (办事指南) of an implementation, with its form → `PublishedGuideView`. */
  guide: (implementationId: string) => `/catalog/implementations/${id(implementationId)}/guide`,
  /** One published guide version (immutable). */
  guideVersion: (implementationId: string, version: number) =>
    `/catalog/implementations/${id(implementationId)}/guide/versions/${version}`,
  /** Implementations (实施清单), for the admin console → `ImplementationList`. */
  implementations: '/catalog/implementations',
  /** A guide draft of an implementation (editors) → `GuideDraftView`. */
  guideDraft: (implementationId: string) => `/catalog/implementations/${id(implementationId)}/guide/draft`,
  guideDraftSubmit: (implementationId: string) =>
    `/catalog/implementations/${id(implementationId)}/guide/draft/submit`,
  guidePublish: (implementationId: string) =>
    `/catalog/implementations/${id(implementationId)}/guide/publish`,
  /** 部门 list (public): `DepartmentList` of @tongban/contracts. */
  departments: '/departments',
  /** One 部门 (public) → `DepartmentView`. */
  department: (departmentId: string) => `/departments/${id(departmentId)}`,
  /** 行政区划 below a region (public): `{ items: RegionView[] }`. */
  regionChildren: (code: string) => `/regions/${id(code)}/children`,
  /** The logged-in account → `MeView`. */
  me: '/me',
  /** The applicant's own data in full, by prefill source (owner only, audited) → `PrefillView`. */
  mePrefill: '/me/prefill',
  /** Apply (Idempotency-Key header) → `SubmittedCase`. */
  cases: '/cases',
  /** 一窗受理 by a window clerk: POST `WalkInCase` (Idempotency-Key header) → 201 `WalkInReceipt`. */
  walkIns: '/walk-ins',
  /** A case with its timeline → `CaseView`. */
  case: (caseId: string) => `/cases/${id(caseId)}`,
  /** A move on a case (`CaseMoveBody`) → `CaseView`; 409 with `allowed` when the move is invalid. */
  caseMove: (caseId: string, move: string) => `/cases/${id(caseId)}/${id(move)}`,
  /** Staff 办件查询 (GET `CaseSearchQuery`) → `CaseSearchResult`; POST applies. */
  caseSearch: '/cases',
  /** A material file of a case, for staff (audited) or the applicant. */
  caseMaterial: (caseId: string, sha256: string) => `/cases/${id(caseId)}/materials/${id(sha256)}`,
  /** My cases → `CaseList`. */
  myCases: '/me/cases',
  /** Drafts: POST creates, PUT /:id updates → `DraftView`. */
  drafts: '/case-drafts',
  draft: (draftId: string) => `/case-drafts/${id(draftId)}`,
  /** Material upload (multipart, field `file`) → `UploadView`. */
  uploads: '/uploads',
  /** Public progress query (办件编号 + 查询码 as a POST body `ProgressBody`) → `ProgressView`. */
  caseProgress: '/progress',
  /** Verify a scanned 亮证 token (GET ?token=) → `LicenseVerification`; 410 expired, 409 replayed, 422 forged. */
  licenseVerification: '/licenses/verify',
  /** 证照夹: my licenses and those of the company I act for → `LicenseList`. */
  myLicenses: '/me/licenses',
  /** One of my licenses → `LicenseView`. */
  myLicense: (licenseId: string) => `/me/licenses/${id(licenseId)}`,
  /** 亮证: POST → a short-lived, single-use token with its URL (`LicenseQrView`). */
  myLicenseQr: (licenseId: string) => `/me/licenses/${id(licenseId)}/qr`,
  /** The SM2-signed license document (`SignedLicense`). */
  myLicenseSigned: (licenseId: string) => `/me/licenses/${id(licenseId)}/signed`,
  /** The license as a PDF file (licenses module). */
  myLicensePdf: (licenseId: string) => `/me/licenses/${id(licenseId)}/pdf`,
  /** 用证授权 of a license: POST `CreateLicenseGrant` → `LicenseGrantView`; GET → `LicenseGrantList`. */
  myLicenseGrants: (licenseId: string) => `/me/licenses/${id(licenseId)}/grants`,
  /** Withdraw one grant (DELETE) → the withdrawn `LicenseGrantView`. */
  myLicenseGrant: (licenseId: string, grantId: string) =>
    `/me/licenses/${id(licenseId)}/grants/${id(grantId)}`,
  /** 谁用过我的证照: every read through a grant → `LicenseReadList`. */
  myLicenseUses: (licenseId: string) => `/me/licenses/${id(licenseId)}/uses`,
  /** The license as a W3C Verifiable Credential (JWT) → `LicenseCredentialView`. */
  myLicenseCredential: (licenseId: string) => `/me/licenses/${id(licenseId)}/credential`,
  /** 个人注册 (anonymous): POST `RegisterPerson`. */
  registerPerson: '/accounts/persons',
  /** 找回密码 (anonymous): POST `RequestPasswordReset` → 202 `PasswordResetRequested`. */
  passwordResets: '/password-resets',
  /** POST `ConfirmPasswordReset` → 204. */
  passwordResetConfirm: '/password-resets/confirm',
  /** 证照类型 (public) → `LicenseTypeList`; PUT /:code changes one (department admin). */
  licenseTypes: '/license-types',
  licenseType: (code: string) => `/license-types/${id(code)}`,
  /** Published signing keys of every department (public) → `LicenseKeyList`. */
  licenseKeys: '/licenses/keys',
  /** Generate or rotate a department's signing keys (security admin) → `LicenseKeyList`. */
  rotateLicenseKeys: (departmentId: string) => `/departments/${id(departmentId)}/license-keys/rotate`,
  /** Staff accounts of the admin's region (system / security admin) → `{ items: StaffView[] }`. */
  staff: '/staff',
  /** Grant a role (security admin): POST `GrantRole` → `RoleGrantView`. */
  staffRoles: (accountId: string) => `/staff/${id(accountId)}/roles`,
  /** Revoke a role grant (security admin): DELETE. */
  staffRole: (accountId: string, grantId: string) => `/staff/${id(accountId)}/roles/${id(grantId)}`,
  /** Holiday calendar additions (system admin) → `CalendarAdditionList`; POST adds one. */
  calendarAdditions: '/calendar/additions',
  /** The staff member's departments' task queues → `TaskList`. */
  workTasks: '/tasks',
  /** 电子监察: open cases by warning level in a region and department → `SupervisionCaseList`. */
  supervisionCases: '/supervision/cases',
  /** Average processing time per item → `ItemProcessingTimeList`. */
  supervisionItems: '/supervision/items',
  /** claim / release / hand-over a task (`TaskAction`) → `TaskView`. */
  taskAction: (taskId: string, action: 'claim' | 'release' | 'hand-over') => `/tasks/${id(taskId)}/${action}`,
  /** Audit log, newest first (audit admin only) → `AuditList`. */
  audit: '/audit',
} as const

/** A page of results as list endpoints return it. */
export interface Page<T> {
  items: T[]
  total?: number
}
