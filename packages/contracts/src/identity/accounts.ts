import { type Static, Type } from 'typebox'

/** Account kinds: 自然人 (person), 法人 (company), 工作人员 (staff). */
export const AccountKind = Type.Union([
  Type.Literal('person'),
  Type.Literal('company'),
  Type.Literal('staff'),
])
export type AccountKind = Static<typeof AccountKind>

/** Staff roles; the last three are the separated administrator duties (三员分立). */
export const StaffRole = Type.Union([
  Type.Literal('window_clerk'),
  Type.Literal('reviewer'),
  Type.Literal('approver'),
  Type.Literal('department_admin'),
  Type.Literal('system_admin'),
  Type.Literal('security_admin'),
  Type.Literal('audit_admin'),
])
export type StaffRole = Static<typeof StaffRole>

const Phone = Type.String({ pattern: '^1\\d{10}$', description: 'Mainland mobile number, 11 digits' })
const Email = Type.String({ format: 'email', maxLength: 120 })
const Password = Type.String({ minLength: 1, maxLength: 128 })
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])

/** A staff role grant as the API shows it. */
export const RoleGrantView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  role: StaffRole,
  departmentId: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.String(),
  grantedBy: Type.Union([Type.String(), Type.Null()], { description: 'Granting account; null: the system' }),
  grantedAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
export type RoleGrantView = Static<typeof RoleGrantView>

/** A company an account may act for. */
export const CompanyRef = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  uscc: Type.String(),
  relation: Type.Union([Type.Literal('legal_representative'), Type.Literal('agent')]),
})
export type CompanyRef = Static<typeof CompanyRef>

/** The logged-in account, as it sees itself: identifiers masked, never a secret. */
export const MeView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: AccountKind,
  name: Type.String(),
  realNameLevel: Type.Integer({ minimum: 1, maximum: 3 }),
  realNameRaisedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  idNumberMasked: Type.Union([Type.String(), Type.Null()]),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  uscc: Type.Union([Type.String(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  totpEnabled: Type.Boolean(),
  roles: Type.Array(RoleGrantView),
  actingFor: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  companies: Type.Array(CompanyRef),
})
export type MeView = Static<typeof MeView>

/** A person account after registration. */
export const PersonView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Literal('person'),
  name: Type.String(),
  realNameLevel: Type.Integer({ minimum: 1, maximum: 3 }),
  realNameRaisedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  idNumberMasked: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
})
export type PersonView = Static<typeof PersonView>

/** A company (法人) account. */
export const CompanyView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Literal('company'),
  name: Type.String(),
  uscc: Type.String(),
  legalRepresentative: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
  realNameLevel: Type.Integer({ minimum: 1, maximum: 3 }),
})
export type CompanyView = Static<typeof CompanyView>

/** POST /api/v1/accounts/persons: registers a natural person with real name and ID number (L1). */
export const RegisterPerson = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50, description: 'Real name as on the ID card' }),
    idNumber: Type.String({ minLength: 1, maxLength: 40, description: '公民身份号码 (GB 11643)' }),
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
    password: Password,
  },
  { additionalProperties: false },
)
export type RegisterPerson = Static<typeof RegisterPerson>

/** POST /api/v1/accounts/companies: the logged-in person registers a company and becomes its legal representative. */
export const RegisterCompany = Type.Object(
  {
    uscc: Type.String({ minLength: 1, maxLength: 40, description: '统一社会信用代码 (GB 32100)' }),
    name: Type.String({ minLength: 2, maxLength: 100 }),
    password: Type.Optional(
      Type.String({
        ...Password,
        description:
          'Lets the company log in with its USCC; without it only its representative and agents act for it',
      }),
    ),
  },
  { additionalProperties: false },
)
export type RegisterCompany = Static<typeof RegisterCompany>

/**
 * PATCH /api/v1/me: removes the phone number or e-mail address (null); the current password confirms it
 * is the owner. A new value is refused (400 verificationRequired): it goes through a code sent to it,
 * POST /api/v1/me/contact-changes.
 */
export const UpdateMe = Type.Object(
  {
    currentPassword: Password,
    phone: Type.Optional(Nullable({ ...Phone, description: 'null removes the phone number' })),
    email: Type.Optional(Nullable({ ...Email, description: 'null removes the e-mail address' })),
  },
  { additionalProperties: false },
)
export type UpdateMe = Static<typeof UpdateMe>

/** POST /api/v1/me/password */
export const ChangePassword = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
)
export type ChangePassword = Static<typeof ChangePassword>

/** POST /api/v1/password-resets: sends a code through the account's verified channel, if there is one. */
export const RequestPasswordReset = Type.Object(
  {
    login: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'ID number, USCC, phone or staff username',
    }),
    channel: Type.Union([Type.Literal('sms'), Type.Literal('email')]),
  },
  { additionalProperties: false },
)
export type RequestPasswordReset = Static<typeof RequestPasswordReset>

/** The same answer whether or not the account exists. */
export const PasswordResetRequested = Type.Object({
  message: Type.Object({ zh: Type.String(), en: Type.String() }),
  expiresInSeconds: Type.Integer(),
})
export type PasswordResetRequested = Static<typeof PasswordResetRequested>

/** POST /api/v1/password-resets/confirm */
export const ConfirmPasswordReset = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 60 }),
    code: Type.String({ pattern: '^\\d{6}$' }),
    newPassword: Password,
  },
  { additionalProperties: false },
)
export type ConfirmPasswordReset = Static<typeof ConfirmPasswordReset>

/** POST /api/v1/me/totp: a new secret to scan; it becomes the second factor once a code confirms it. */
export const TotpEnrolment = Type.Object({
  otpauthUri: Type.String(),
  secret: Type.String({ description: 'Base32 secret, for typing into an app that cannot scan' }),
})
export type TotpEnrolment = Static<typeof TotpEnrolment>

/** POST /api/v1/me/totp/confirm */
export const ConfirmTotp = Type.Object(
  { code: Type.String({ pattern: '^\\d{6}$' }) },
  { additionalProperties: false },
)
export type ConfirmTotp = Static<typeof ConfirmTotp>

/** POST /api/v1/persons/:id/realname: a window clerk raises a person's real-name level after verification. */
export const RaiseRealNameLevel = Type.Object(
  {
    level: Type.Union([Type.Literal(2), Type.Literal(3)]),
    method: Type.Union([Type.Literal('population'), Type.Literal('counter'), Type.Literal('face')]),
  },
  { additionalProperties: false },
)
export type RaiseRealNameLevel = Static<typeof RaiseRealNameLevel>

/** POST /api/v1/persons/lookup: a window clerk finds a person by the ID card in front of them (POST keeps the number out of URLs and logs). */
export const LookUpPerson = Type.Object(
  { idNumber: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
)
export type LookUpPerson = Static<typeof LookUpPerson>

export const AccountIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
export type AccountIdParams = Static<typeof AccountIdParams>

// ---------------------------------------------------------------- disabling accounts (system admin)

/** POST /api/v1/accounts/:id/disable and /enable: the system admin says why (kept with the account and audited). */
export const ChangeAccountStatus = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 500, description: 'Why, as recorded in the audit log' }) },
  { additionalProperties: false },
)
export type ChangeAccountStatus = Static<typeof ChangeAccountStatus>

/** An account's status as the system admin sees it after disabling or re-enabling it. */
export const AccountStatusView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: AccountKind,
  name: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  statusChangedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  statusChangedBy: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  statusReason: Type.Union([Type.String(), Type.Null()]),
})
export type AccountStatusView = Static<typeof AccountStatusView>

// ---------------------------------------------------------------- contact changes verified by a code

/**
 * POST /api/v1/me/contact-changes: a new phone number (channel sms) or e-mail address (channel email).
 * A code goes to the NEW phone or address; nothing changes until it is entered.
 */
export const RequestContactChange = Type.Object(
  {
    channel: Type.Union([Type.Literal('sms'), Type.Literal('email')]),
    value: Type.String({
      minLength: 1,
      maxLength: 120,
      description: 'The new mainland mobile number (sms) or e-mail address (email)',
    }),
    currentPassword: Password,
  },
  { additionalProperties: false },
)
export type RequestContactChange = Static<typeof RequestContactChange>

/** The pending change: where the code went (masked) and for how long it is good. */
export const ContactChangeRequested = Type.Object({
  id: Type.String({ format: 'uuid' }),
  channel: Type.Union([Type.Literal('sms'), Type.Literal('email')]),
  sentTo: Type.String({ description: 'The new phone or address, masked' }),
  expiresInSeconds: Type.Integer(),
  maxAttempts: Type.Integer(),
})
export type ContactChangeRequested = Static<typeof ContactChangeRequested>

/** POST /api/v1/me/contact-changes/:id/confirm */
export const ConfirmContactChange = Type.Object(
  { code: Type.String({ pattern: '^\\d{6}$' }) },
  { additionalProperties: false },
)
export type ConfirmContactChange = Static<typeof ConfirmContactChange>

export const ContactChangeParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
export type ContactChangeParams = Static<typeof ContactChangeParams>

// ---------------------------------------------------------------- prefill (owner only)

const PrefillValue = Type.Union([Type.String(), Type.Null()])

/**
 * GET /api/v1/me/prefill: the logged-in applicant's own data in full, keyed by the catalog's prefill
 * sources (`PREFILL_SOURCES`: a form field declaring `profile.idNumber` takes `values['profile.idNumber']`).
 * Only the account itself gets it; every call is audited as a reveal and answered `Cache-Control: no-store`.
 * `profile.*` is the person at the keyboard (an agent's own data); `company.*` the company the account is
 * or acts for. Null: not known.
 */
export const PrefillView = Type.Object({
  values: Type.Object({
    'profile.name': PrefillValue,
    'profile.idNumber': PrefillValue,
    'profile.phone': PrefillValue,
    'profile.email': PrefillValue,
    'profile.address': PrefillValue,
    'profile.gender': PrefillValue,
    'profile.birthDate': PrefillValue,
    'company.uscc': PrefillValue,
    'company.name': PrefillValue,
    'company.legalRepresentative': PrefillValue,
    'company.address': PrefillValue,
  }),
  actingFor: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
})
export type PrefillView = Static<typeof PrefillView>
