import { randomUUID } from 'node:crypto'
import type {
  AccountStatusChanged,
  ChangePassword,
  ConfirmPasswordReset,
  CreateAgentAuthorization,
  CreateStaff,
  FieldError,
  GrantRole,
  LocalizedText,
  PrefillView,
  RaiseRealNameLevel,
  RegisterCompany,
  RegisterPerson,
  RequestContactChange,
  RequestPasswordReset,
  UpdateMe,
} from '@tongban/contracts'
import { maskIdNumber, parseIdNumber, validateIdNumber, validateUscc } from '@tongban/standards'
import type { Transaction } from 'kysely'
import type { AuditEntry } from '../../platform/audit.ts'
import {
  type Actor,
  type AuthenticatedActor,
  holdsRoleFor,
  STAFF_ROLES,
  type StaffRole,
} from '../../platform/authz.ts'
import type { Database } from '../../platform/db/schema.ts'
import { AppError, invalid, notFound } from '../../platform/errors.ts'
import { localNotifier, type Notifier } from '../../platform/notify.ts'
import type { Platform } from '../../platform/platform.ts'
import { orgService } from '../org/index.ts'
import {
  type AccountChanges,
  type AccountRecord,
  type ActorSnapshot,
  type AgentAuthorizationRecord,
  IdentityRepository,
  type LoginColumn,
  type RoleGrantRecord,
} from './identity.repository.ts'
import {
  checkPasswordPolicy,
  checkTotp,
  generateCode,
  generatePassword,
  hashCode,
  hashContactCode,
  hashPassword,
  newTotpSecret,
  type PasswordContext,
  totpUri,
  verifyPassword as verifyPasswordHash,
} from './identity.secrets.ts'
import type {
  AccountClaims,
  AccountDirectory,
  CounterAccount,
  PasswordLoginResult,
  RealNameLevel,
} from './identity.types.ts'
import { implausibleBirthDateAtRegistration } from './plausibility.ts'

/** What the prefill endpoint answers (PrefillView). */
export type PrefillValues = PrefillView

/** Who is making a change, for the audit entry. */
export type AuditWho = Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>
/** Where a login attempt comes from. */
export interface LoginContext {
  ip: string | null
  requestId: string | null
}

/** Topic of the event written when an account is disabled (the SSO module revokes its sessions on it). */
export const ACCOUNT_DISABLED = 'account.disabled'
/** Topic of the event written when a disabled account is re-enabled. */
export const ACCOUNT_ENABLED = 'account.enabled'

/** The three separated administrator roles (三员): no account holds more than one. */
export const ADMIN_ROLES: readonly StaffRole[] = ['system_admin', 'security_admin', 'audit_admin']
/** Roles below admin, always bound to a department. */
export const DEPARTMENT_ROLES: readonly StaffRole[] = STAFF_ROLES.filter((r) => !ADMIN_ROLES.includes(r))

const RESET_CODE_MINUTES = 10
const CONTACT_CODE_MINUTES = 10
const CONTACT_CODE_ATTEMPTS = 5
const CONTACT_CHANGES_PER_WINDOW = 3
const RESETS_PER_WINDOW = 3
const MAX_AGENT_YEARS = 3
/** How long actorFor's answer is reused on this node (see actorFor). */
const ACTOR_CACHE_MS = 5_000
const ACTOR_CACHE_MAX = 10_000

const ROLE_NAMES: Record<StaffRole, LocalizedText> = {
  window_clerk: { zh: '窗口受理人员', en: 'window clerk' },
  reviewer: { zh: '审查人员', en: 'reviewer' },
  approver: { zh: '审批人员', en: 'approver' },
  department_admin: { zh: '部门管理员', en: 'department admin' },
  system_admin: { zh: '系统管理员', en: 'system admin' },
  security_admin: { zh: '安全管理员', en: 'security admin' },
  audit_admin: { zh: '审计管理员', en: 'audit admin' },
}

const duplicate = (path: string, message: LocalizedText) =>
  new AppError('duplicate', { errors: [{ path, code: 'duplicate', message }] })

/**
 * 统一身份认证 accounts: registration of persons and companies, staff, passwords and lockout, TOTP,
 * password reset, agent authorizations (法人经办人), real-name levels and role grants with 三员分立.
 * Implements the AccountDirectory the OpenID Provider logs users in with.
 */
export class IdentityService implements AccountDirectory {
  readonly repository: IdentityRepository
  notifier: Notifier
  /** accountId → (acting-for company or '') → actor and until when it may be reused. */
  private readonly actors = new Map<
    string,
    Map<string, { actor: AuthenticatedActor; until: number; session?: AuthenticatedActor }>
  >()

  constructor(
    private readonly platform: Platform,
    options: { notifier?: Notifier } = {},
  ) {
    this.repository = new IdentityRepository(platform.db)
    this.notifier = options.notifier ?? localNotifier(platform.config.dataDir, platform.clock)
  }

  private get vault() {
    return this.platform.vault
  }
  /** The platform clock's now (presenters derive statuses such as "expired" from it). */
  now(): Date {
    return this.platform.clock.now()
  }

  // ---- registration -------------------------------------------------------------------------------

  /** Registers a natural person (自然人) at real-name level 1: name and a valid, unused ID number. */
  async registerPerson(input: RegisterPerson, who: AuditWho): Promise<AccountRecord> {
    const errors: FieldError[] = []
    const name = normalizeName(input.name)
    if (!name) errors.push(nameError('/name'))
    const today = shanghaiDate(this.now())
    const id = parseIdNumber(input.idNumber, { today })
    if (!id.ok) errors.push({ path: '/idNumber', code: id.error.code, message: id.error.message })
    const implausible = id.ok ? implausibleBirthDateAtRegistration(id.value.birthDate, today) : undefined
    if (implausible) errors.push({ path: '/idNumber', ...implausible })
    const idNumber = id.ok ? id.value.idNumber : undefined
    errors.push(...checkPasswordPolicy(input.password, { idNumber, phone: input.phone }))
    if (errors.length > 0) throw invalid(errors)
    const idIndex = this.vault.blindIndex('id_number', idNumber!)
    if (await this.repository.findAccountBy('id_number_index', idIndex))
      throw duplicate('/idNumber', {
        zh: '该身份证号码已注册，请直接登录或找回密码',
        en: 'An account with this ID number exists; log in or reset the password',
      })
    const phoneIndex = input.phone ? this.vault.blindIndex('phone', input.phone) : null
    if (phoneIndex && (await this.repository.findAccountBy('phone_index', phoneIndex)))
      throw duplicate('/phone', {
        zh: '该手机号码已被其他账户使用',
        en: 'Another account uses this phone number',
      })
    const passwordHash = await hashPassword(this.vault, input.password)
    return this.platform.db.transaction().execute(async (trx) => {
      const accountId = await this.repository.insertAccount(trx, {
        kind: 'person',
        name: name!,
        realname_level: 1,
        realname_method: 'self',
        id_number_enc: this.vault.encrypt(idNumber!),
        id_number_index: idIndex,
        id_number_masked: maskIdNumber(idNumber!),
        phone_enc: input.phone ? this.vault.encrypt(input.phone) : null,
        phone_index: phoneIndex,
        phone_masked: input.phone ? maskPhone(input.phone) : null,
        email: input.email ?? null,
        password_hash: passwordHash,
        password_changed_at: this.now(),
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'account.register',
        resourceType: 'account',
        resourceId: accountId,
        regionCode: idNumber!.slice(0, 6),
        outcome: 'success',
        details: { kind: 'person', idNumber: maskIdNumber(idNumber!) },
      })
      return (await this.repository.findAccountById(accountId, trx))!
    })
  }

  /**
   * Registers a company (法人) by its credit code; the registering person becomes its legal
   * representative. (A real deployment checks this against the market-regulation registry through the
   * exchange; until then the company is at real-name level 1, self-declared.)
   */
  async registerCompany(
    input: RegisterCompany,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<AccountRecord> {
    if (actor.kind !== 'person' || actor.actingFor)
      throw new AppError('forbidden', {
        detail: {
          zh: '请以本人（自然人）身份登录后注册企业',
          en: 'Log in as yourself (a person) to register a company',
        },
      })
    const errors: FieldError[] = []
    const uscc = validateUscc(input.uscc)
    if (!uscc.ok) errors.push({ path: '/uscc', code: uscc.error.code, message: uscc.error.message })
    const name = input.name.trim()
    if (name.length < 2) errors.push(nameError('/name'))
    if (input.password !== undefined)
      errors.push(...checkPasswordPolicy(input.password, { uscc: uscc.ok ? uscc.value : undefined }))
    if (errors.length > 0) throw invalid(errors)
    if (await this.repository.findAccountBy('uscc', uscc.ok ? uscc.value : ''))
      throw duplicate('/uscc', {
        zh: '该统一社会信用代码已注册',
        en: 'A company with this credit code is already registered',
      })
    const passwordHash = input.password ? await hashPassword(this.vault, input.password) : null
    const code = uscc.ok ? uscc.value : ''
    const record = await this.platform.db.transaction().execute(async (trx) => {
      const accountId = await this.repository.insertAccount(trx, {
        kind: 'company',
        name,
        realname_level: 1,
        realname_method: 'self',
        uscc: code,
        legal_representative_id: actor.accountId,
        password_hash: passwordHash,
        password_changed_at: passwordHash ? this.now() : null,
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'account.register',
        resourceType: 'account',
        resourceId: accountId,
        regionCode: code.slice(2, 8),
        outcome: 'success',
        details: { kind: 'company', uscc: code, legalRepresentativeId: actor.accountId },
      })
      return (await this.repository.findAccountById(accountId, trx))!
    })
    this.forget(actor.accountId)
    return record
  }

  async getAccount(id: string): Promise<AccountRecord> {
    const account = await this.repository.findAccountById(id)
    if (!account) throw notFound({ zh: '账户不存在', en: 'The account does not exist' })
    return account
  }

  /**
   * A person's account: visible to that person and to window clerks (a sensitive read, audited);
   * anyone else is told it does not exist.
   */
  async getPerson(id: string, actor: AuthenticatedActor, who: AuditWho): Promise<AccountRecord> {
    const account = await this.repository.findAccountById(id)
    const isSelf = actor.kind === 'person' && actor.accountId === id
    const isClerk = actor.kind === 'staff' && actor.roles.some((g) => g.role === 'window_clerk')
    if (account?.kind !== 'person' || !(isSelf || isClerk))
      throw notFound({ zh: '账户不存在', en: 'The account does not exist' })
    if (!isSelf)
      await this.platform.audit.record({
        ...who,
        action: 'account.read',
        resourceType: 'account',
        resourceId: id,
        regionCode: null,
        outcome: 'success',
      })
    return account
  }

  /**
   * A window clerk finds a person by ID number (the card in front of them), to raise their real-name
   * level after checking it. A sensitive read: audited, with the number masked.
   */
  async lookUpPerson(idNumber: string, actor: AuthenticatedActor, who: AuditWho): Promise<AccountRecord> {
    const id = validateIdNumber(idNumber, { today: shanghaiDate(this.now()) })
    if (!id.ok) throw invalid([{ path: '/idNumber', code: id.error.code, message: id.error.message }])
    const clerk = actor.roles.find((g) => g.role === 'window_clerk')
    const person = await this.repository.findAccountBy(
      'id_number_index',
      this.vault.blindIndex('id_number', id.value),
    )
    await this.platform.audit.record({
      ...who,
      action: 'account.lookup',
      resourceType: 'account',
      resourceId: person?.id ?? null,
      regionCode: clerk?.regionCode ?? null,
      outcome: person ? 'success' : 'failure',
      details: { idNumber: maskIdNumber(id.value) },
    })
    if (!clerk || person?.kind !== 'person')
      throw notFound({ zh: '未找到该身份证号码的账户', en: 'No account has this ID number' })
    return person
  }

  /**
   * A company's account by its credit code (统一社会信用代码), for a window clerk holding its business
   * licence; undefined when none (or the code is not valid).
   */
  async findCompanyByUscc(uscc: string): Promise<AccountRecord | undefined> {
    const code = validateUscc(uscc)
    if (!code.ok) return undefined
    const company = await this.repository.findAccountBy('uscc', code.value)
    return company?.kind === 'company' ? company : undefined
  }

  /** Whether an account already uses this phone number (a new account's phone must be its own). */
  async phoneInUse(phone: string): Promise<boolean> {
    return (
      (await this.repository.findAccountBy('phone_index', this.vault.blindIndex('phone', phone))) !==
      undefined
    )
  }

  /**
   * 窗口开户: opens the account of an applicant a window clerk verified face to face (一窗受理), in the
   * caller's transaction, so the account commits with the case filed for it or not at all: real-name
   * level 3 by `counter`, raised by the clerk, and no password (the holder sets one with a reset code sent
   * to the phone given here). A company gets no legal representative (its agent is not one). Audited in
   * the same transaction. Throws a validation problem for a malformed name or number.
   */
  async openAccountAtCounter(
    trx: Transaction<Database>,
    input: CounterAccount,
    clerk: AuthenticatedActor,
    who: AuditWho,
  ): Promise<AccountRecord> {
    const grant = clerk.roles.find((g) => g.role === 'window_clerk')
    if (!grant)
      throw new AppError('forbidden', {
        detail: { zh: '只有窗口受理人员可以现场开户', en: 'Only a window clerk opens accounts at a counter' },
      })
    const now = this.now()
    const verified = {
      realname_level: 3,
      realname_method: 'counter',
      realname_raised_by: clerk.accountId,
      realname_raised_at: now,
      password_hash: null,
      password_changed_at: null,
    } as const
    let accountId: string
    let details: Record<string, unknown>
    if (input.kind === 'person') {
      const name = normalizeName(input.name)
      const id = validateIdNumber(input.idNumber, { today: shanghaiDate(now) })
      const errors: FieldError[] = []
      if (!name) errors.push(nameError('/name'))
      if (!id.ok) errors.push({ path: '/idNumber', code: id.error.code, message: id.error.message })
      if (!name || !id.ok) throw invalid(errors)
      const phone = input.phone ?? null
      accountId = await this.repository.insertAccount(trx, {
        kind: 'person',
        name,
        ...verified,
        id_number_enc: this.vault.encrypt(id.value),
        id_number_index: this.vault.blindIndex('id_number', id.value),
        id_number_masked: maskIdNumber(id.value),
        phone_enc: phone ? this.vault.encrypt(phone) : null,
        phone_index: phone ? this.vault.blindIndex('phone', phone) : null,
        phone_masked: phone ? maskPhone(phone) : null,
      })
      details = {
        kind: 'person',
        idNumber: maskIdNumber(id.value),
        ...(phone ? { phone: maskPhone(phone) } : {}),
      }
    } else {
      const uscc = validateUscc(input.uscc)
      const name = input.name.normalize('NFC').trim()
      const errors: FieldError[] = []
      if (name.length < 2) errors.push(nameError('/name'))
      if (!uscc.ok) errors.push({ path: '/uscc', code: uscc.error.code, message: uscc.error.message })
      if (!uscc.ok || errors.length > 0) throw invalid(errors)
      accountId = await this.repository.insertAccount(trx, {
        kind: 'company',
        name,
        ...verified,
        uscc: uscc.value,
        legal_representative_id: null,
      })
      details = { kind: 'company', uscc: uscc.value }
    }
    await this.platform.audit.append(trx, {
      ...who,
      action: 'account.open-at-counter',
      resourceType: 'account',
      resourceId: accountId,
      regionCode: grant.regionCode,
      outcome: 'success',
      details: { ...details, realNameLevel: 3, method: 'counter' },
    })
    return (await this.repository.findAccountById(accountId, trx))!
  }

  // ---- the logged-in account ------------------------------------------------------------------------

  /** The account, its live role grants and the companies it may act for. */
  async me(actor: AuthenticatedActor) {
    const account = await this.getAccount(actor.accountId)
    const [roles, companies] = await Promise.all([
      this.repository.findLiveRoleGrants(account.id),
      account.kind === 'person' ? this.repository.findCompaniesActedFor(account.id, this.now()) : [],
    ])
    return { account, roles, companies, actingFor: actor.actingFor ?? null }
  }

  /**
   * Removes the phone number or e-mail address (null); the current password confirms the owner is at the
   * keyboard. A new number or address is only ever set through a code sent to it (requestContactChange).
   */
  async updateMe(actor: AuthenticatedActor, input: UpdateMe, who: AuditWho): Promise<void> {
    const unverified: FieldError[] = []
    for (const field of ['phone', 'email'] as const)
      if (input[field] !== undefined && input[field] !== null)
        unverified.push({
          path: `/${field}`,
          code: 'verificationRequired',
          message: {
            zh: `新的${field === 'phone' ? '手机号码' : '电子邮箱'}须验证：请通过 POST /api/v1/me/contact-changes 获取验证码`,
            en: `A new ${field === 'phone' ? 'phone number' : 'e-mail address'} must be verified: use POST /api/v1/me/contact-changes`,
          },
        })
    if (unverified.length > 0) throw invalid(unverified)
    const account = await this.getAccount(actor.accountId)
    await this.confirmCurrentPassword(account, input.currentPassword, who)
    const changes: AccountChanges = {}
    if (input.phone === null)
      Object.assign(changes, { phone_enc: null, phone_index: null, phone_masked: null })
    if (input.email === null) changes.email = null
    if (Object.keys(changes).length === 0) return
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.updateAccount(trx, account.id, changes)
      await this.platform.audit.append(trx, {
        ...who,
        action: 'account.update-contact',
        resourceType: 'account',
        resourceId: account.id,
        regionCode: null,
        outcome: 'success',
        details: {
          ...(input.phone === null ? { phone: null, previous: account.phone_masked } : {}),
          ...(input.email === null ? { email: null } : {}),
        },
      })
    })
  }

  // ---- contact changes, verified by a code sent to the new channel -----------------------------------

  /**
   * Starts a change of phone number (sms) or e-mail address (email): checks the current password, then
   * sends a 6-digit code to the NEW number or address. Nothing changes until confirmContactChange gets
   * that code (10 minutes, 5 tries). At most 3 requests per account per LOGIN_LOCK_MINUTES.
   */
  async requestContactChange(
    actor: AuthenticatedActor,
    input: RequestContactChange,
    who: AuditWho,
  ): Promise<{ id: string; channel: 'sms' | 'email'; sentTo: string; expiresInSeconds: number }> {
    const value = input.channel === 'sms' ? input.value.trim() : input.value.trim().toLowerCase()
    const wellFormed = input.channel === 'sms' ? /^1\d{10}$/.test(value) : EMAIL.test(value)
    if (!wellFormed)
      throw invalid([
        {
          path: '/value',
          code: input.channel === 'sms' ? 'pattern' : 'format',
          message:
            input.channel === 'sms'
              ? { zh: '手机号码应为 1 开头的 11 位数字', en: 'A mobile number is 11 digits starting with 1' }
              : { zh: '电子邮箱格式不正确', en: 'This is not a valid e-mail address' },
        },
      ])
    const account = await this.getAccount(actor.accountId)
    await this.confirmCurrentPassword(account, input.currentPassword, who)
    const current =
      input.channel === 'sms' ? account.phone_enc && this.vault.decrypt(account.phone_enc) : account.email
    if (current === value)
      throw new AppError('conflict', {
        detail:
          input.channel === 'sms'
            ? { zh: '这已是您的手机号码', en: 'This is already your phone number' }
            : { zh: '这已是您的电子邮箱', en: 'This is already your e-mail address' },
      })
    if (input.channel === 'sms') {
      const holder = await this.repository.findAccountBy('phone_index', this.vault.blindIndex('phone', value))
      if (holder && holder.id !== account.id)
        throw duplicate('/value', {
          zh: '该手机号码已被其他账户使用',
          en: 'Another account uses this phone number',
        })
    }
    const now = this.now()
    const masked = input.channel === 'sms' ? maskPhone(value) : maskEmail(value)
    const windowStart = new Date(now.getTime() - this.platform.config.loginLockMinutes * 60_000)
    const recent = await this.repository.countContactChangesSince(this.platform.db, account.id, windowStart)
    if (recent >= CONTACT_CHANGES_PER_WINDOW) {
      await this.platform.audit.record({
        ...who,
        action: 'contact-change.request',
        resourceType: 'account',
        resourceId: account.id,
        regionCode: null,
        outcome: 'denied',
        details: { channel: input.channel, to: masked, reason: 'too-many-requests' },
      })
      throw new AppError('rate-limited', {
        detail: {
          zh: `验证码发送过于频繁，请 ${this.platform.config.loginLockMinutes} 分钟后再试`,
          en: `Too many codes sent; try again in ${this.platform.config.loginLockMinutes} minutes`,
        },
      })
    }
    const id = randomUUID()
    const code = generateCode()
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.insertContactChange(trx, {
        id,
        accountId: account.id,
        channel: input.channel,
        valueEnc: this.vault.encrypt(value),
        valueMasked: masked,
        codeHash: hashContactCode(this.vault, id, code),
        createdAt: now,
        expiresAt: new Date(now.getTime() + CONTACT_CODE_MINUTES * 60_000),
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'contact-change.request',
        resourceType: 'account',
        resourceId: account.id,
        regionCode: null,
        outcome: 'success',
        details: { changeId: id, channel: input.channel, to: masked },
      })
    })
    await this.notifier.send({
      channel: input.channel,
      to: value,
      template: 'contact-change-code',
      params: { code, minutes: String(CONTACT_CODE_MINUTES), name: account.name },
    })
    return { id, channel: input.channel, sentTo: masked, expiresInSeconds: CONTACT_CODE_MINUTES * 60 }
  }

  /**
   * Applies a requested contact change when the code sent to the new channel matches: single use,
   * 10 minutes, 5 tries (each wrong try counted and audited). The old phone or address, if any, is told
   * that it was replaced.
   */
  async confirmContactChange(
    actor: AuthenticatedActor,
    changeId: string,
    code: string,
    who: AuditWho,
  ): Promise<void> {
    const account = await this.getAccount(actor.accountId)
    const now = this.now()
    const outcome = await this.platform.db
      .transaction()
      .execute(async (trx) => {
        const change = await this.repository.findContactChangeForUpdate(trx, changeId, account.id)
        if (!change) return { kind: 'missing' as const }
        if (change.used_at || change.expires_at <= now || change.attempts >= CONTACT_CODE_ATTEMPTS)
          return { kind: 'void' as const, change }
        if (change.code_hash !== hashContactCode(this.vault, change.id, code)) {
          await this.repository.countContactChangeAttempt(trx, change.id)
          return { kind: 'wrong' as const, change, left: CONTACT_CODE_ATTEMPTS - change.attempts - 1 }
        }
        const value = this.vault.decrypt(change.value_enc)
        const changes: AccountChanges =
          change.channel === 'sms'
            ? {
                phone_enc: this.vault.encrypt(value),
                phone_index: this.vault.blindIndex('phone', value),
                phone_masked: maskPhone(value),
              }
            : { email: value }
        await this.repository.useContactChanges(trx, account.id, change.channel, now)
        await this.repository.updateAccount(trx, account.id, changes)
        await this.platform.audit.append(trx, {
          ...who,
          action: 'contact-change.confirm',
          resourceType: 'account',
          resourceId: account.id,
          regionCode: null,
          outcome: 'success',
          details: {
            changeId: change.id,
            channel: change.channel,
            from: change.channel === 'sms' ? account.phone_masked : account.email && maskEmail(account.email),
            to: change.value_masked,
          },
        })
        return { kind: 'applied' as const, change }
      })
      .catch((error: unknown) => {
        // the number was taken by another account between request and confirmation
        if ((error as { constraint?: string }).constraint === 'accounts_phone_index_key')
          throw duplicate('/value', {
            zh: '该手机号码已被其他账户使用',
            en: 'Another account uses this phone number',
          })
        throw error
      })
    if (outcome.kind === 'missing')
      throw notFound({ zh: '联系方式变更申请不存在', en: 'The contact change does not exist' })
    if (outcome.kind !== 'applied') {
      await this.platform.audit.record({
        ...who,
        action: 'contact-change.confirm',
        resourceType: 'account',
        resourceId: account.id,
        regionCode: null,
        outcome: 'failure',
        details: {
          changeId: outcome.change.id,
          channel: outcome.change.channel,
          reason: outcome.kind === 'wrong' ? 'wrong-code' : 'void',
        },
      })
      throw invalid([
        {
          path: '/code',
          code: 'invalidCode',
          message:
            outcome.kind === 'wrong' && outcome.left > 0
              ? {
                  zh: `验证码错误，还可尝试 ${outcome.left} 次`,
                  en: `The code is wrong; ${outcome.left} ${outcome.left === 1 ? 'try' : 'tries'} left`,
                }
              : {
                  zh: '验证码已失效（已过期、已使用或错误次数过多），请重新获取',
                  en: 'The code is no longer valid (expired, used or too many wrong tries); request a new one',
                },
        },
      ])
    }
    const previous =
      outcome.change.channel === 'sms'
        ? account.phone_enc && this.vault.decrypt(account.phone_enc)
        : account.email
    if (previous)
      await this.notifier.send({
        channel: outcome.change.channel as 'sms' | 'email',
        to: previous,
        template: 'contact-changed',
        params: { name: account.name, to: outcome.change.value_masked },
      })
  }

  // ---- prefill: the applicant's own data in full (owner only) -----------------------------------------

  /**
   * 表单预填: the logged-in applicant's own data in full, keyed by the catalog's prefill sources, for the
   * fields of an application form (forms need the full ID number). Only for the account itself; an agent
   * gets their own profile and the company's identity. Audited as a reveal, naming the fields, never the
   * values.
   */
  async prefill(actor: AuthenticatedActor, who: AuditWho): Promise<PrefillValues> {
    const account = await this.getAccount(actor.accountId)
    const values: PrefillValues['values'] = {
      'profile.name': null,
      'profile.idNumber': null,
      'profile.phone': null,
      'profile.email': null,
      'profile.address': null,
      'profile.gender': null,
      'profile.birthDate': null,
      'company.uscc': null,
      'company.name': null,
      'company.legalRepresentative': null,
      'company.address': null,
    }
    values['profile.phone'] = account.phone_enc ? this.vault.decrypt(account.phone_enc) : null
    values['profile.email'] = account.email
    if (account.kind === 'person') {
      values['profile.name'] = account.name
      const idNumber = account.id_number_enc ? this.vault.decrypt(account.id_number_enc) : null
      const parsed = idNumber ? parseIdNumber(idNumber, { regionCheck: 'none' }) : undefined
      values['profile.idNumber'] = idNumber
      if (parsed?.ok) {
        values['profile.gender'] = parsed.value.sex === 'male' ? '男' : '女'
        values['profile.birthDate'] = parsed.value.birthDate
      }
    }
    const companyId = account.kind === 'company' ? account.id : actor.actingFor?.accountId
    const company = companyId
      ? account.kind === 'company'
        ? account
        : await this.repository.findAccountById(companyId)
      : undefined
    if (company?.kind === 'company') {
      values['company.uscc'] = company.uscc
      values['company.name'] = company.name
      const representative = company.legal_representative_id
        ? await this.repository.findAccountById(company.legal_representative_id)
        : undefined
      values['company.legalRepresentative'] = representative?.name ?? null
    }
    await this.platform.audit.record({
      ...who,
      action: 'account.reveal',
      resourceType: 'account',
      resourceId: account.id,
      regionCode: null,
      outcome: 'success',
      details: {
        purpose: 'prefill',
        fields: Object.entries(values)
          .filter(([, value]) => value !== null)
          .map(([source]) => source),
        ...(company ? { companyId: company.id } : {}),
      },
    })
    return {
      values,
      actingFor: actor.actingFor ? { id: actor.actingFor.accountId, name: actor.actingFor.name } : null,
    }
  }

  /** Changes the password after checking the current one and the policy. */
  async changePassword(actor: AuthenticatedActor, input: ChangePassword, who: AuditWho): Promise<void> {
    const account = await this.getAccount(actor.accountId)
    await this.confirmCurrentPassword(account, input.currentPassword, who)
    const errors = checkPasswordPolicy(input.newPassword, this.passwordContext(account), '/newPassword')
    if (errors.length > 0) throw invalid(errors)
    await this.setPassword(account, input.newPassword, who, 'account.change-password')
  }

  private async confirmCurrentPassword(
    account: AccountRecord,
    password: string,
    who: AuditWho,
  ): Promise<void> {
    if (await verifyPasswordHash(this.vault, password, account.password_hash)) return
    await this.platform.audit.record({
      ...who,
      action: 'account.confirm-password',
      resourceType: 'account',
      resourceId: account.id,
      regionCode: null,
      outcome: 'failure',
    })
    throw invalid([
      {
        path: '/currentPassword',
        code: 'wrongPassword',
        message: { zh: '当前密码不正确', en: 'The current password is wrong' },
      },
    ])
  }

  private passwordContext(account: AccountRecord): PasswordContext {
    return {
      idNumber: account.id_number_enc ? this.vault.decrypt(account.id_number_enc) : undefined,
      phone: account.phone_enc ? this.vault.decrypt(account.phone_enc) : undefined,
      username: account.username ?? undefined,
      uscc: account.uscc ?? undefined,
    }
  }

  private async setPassword(account: AccountRecord, password: string, who: AuditWho, action: string) {
    const hash = await hashPassword(this.vault, password)
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.updateAccount(trx, account.id, {
        password_hash: hash,
        password_changed_at: this.now(),
        locked_until: null,
      })
      await this.repository.deleteLoginFailures(trx, account.id)
      await this.platform.audit.append(trx, {
        ...who,
        action,
        resourceType: 'account',
        resourceId: account.id,
        regionCode: null,
        outcome: 'success',
      })
    })
  }

  // ---- password reset ---------------------------------------------------------------------------------

  /**
   * Sends a 6-digit code through the account's own phone or e-mail. The answer is the same whether or not
   * the login exists or has that channel, so it cannot be used to find out who has an account.
   */
  async requestPasswordReset(
    input: RequestPasswordReset,
    who: AuditWho,
  ): Promise<{ expiresInSeconds: number }> {
    const answer = { expiresInSeconds: RESET_CODE_MINUTES * 60 }
    const account = await this.findByLogin(input.login)
    const to =
      account && account.status === 'active'
        ? input.channel === 'sms'
          ? account.phone_enc && this.vault.decrypt(account.phone_enc)
          : account.email
        : null
    const now = this.now()
    const windowStart = new Date(now.getTime() - this.platform.config.loginLockMinutes * 60_000)
    const throttled =
      account && to
        ? (await this.repository.countPasswordResetsSince(this.platform.db, account.id, windowStart)) >=
          RESETS_PER_WINDOW
        : false
    if (!account || !to || throttled) {
      await this.platform.audit.record({
        ...who,
        action: 'password-reset.request',
        resourceType: 'account',
        resourceId: account?.id ?? null,
        regionCode: null,
        outcome: 'failure',
        details: {
          channel: input.channel,
          reason: !account ? 'unknown-login' : throttled ? 'too-many-requests' : 'no-such-channel',
        },
      })
      return answer
    }
    const id = randomUUID()
    const code = generateCode()
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.insertPasswordReset(trx, {
        id,
        accountId: account.id,
        channel: input.channel,
        codeHash: hashCode(this.vault, id, code),
        createdAt: now,
        expiresAt: new Date(now.getTime() + RESET_CODE_MINUTES * 60_000),
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'password-reset.request',
        resourceType: 'account',
        resourceId: account.id,
        regionCode: null,
        outcome: 'success',
        details: { channel: input.channel, to: input.channel === 'sms' ? maskPhone(to) : maskEmail(to) },
      })
    })
    await this.notifier.send({
      channel: input.channel,
      to,
      template: 'password-reset-code',
      params: { code, minutes: String(RESET_CODE_MINUTES), name: account.name },
    })
    return answer
  }

  /** Sets a new password with a code from requestPasswordReset: single use, 10 minutes, 5 tries. */
  async confirmPasswordReset(input: ConfirmPasswordReset, who: AuditWho): Promise<void> {
    const wrongCode = invalid([
      {
        path: '/code',
        code: 'invalidCode',
        message: { zh: '验证码错误或已过期', en: 'The code is wrong or has expired' },
      },
    ])
    const account = await this.findByLogin(input.login)
    if (account?.status !== 'active') {
      await this.auditResetFailure(null, who, 'unknown-login')
      throw wrongCode
    }
    const now = this.now()
    const matched = await this.platform.db.transaction().execute(async (trx) => {
      const open = await this.repository.findOpenPasswordResets(trx, account.id, now)
      const match = open.find((r) => r.code_hash === hashCode(this.vault, r.id, input.code))
      if (!match)
        await this.repository.countPasswordResetAttempt(
          trx,
          open.map((r) => r.id),
        )
      return match
    })
    if (!matched) {
      await this.auditResetFailure(account.id, who, 'wrong-code')
      throw wrongCode
    }
    const errors = checkPasswordPolicy(input.newPassword, this.passwordContext(account), '/newPassword')
    if (errors.length > 0) throw invalid(errors)
    const used = await this.platform.db.transaction().execute(async (trx) => {
      const open = await this.repository.findOpenPasswordResets(trx, account.id, now)
      if (!open.some((r) => r.id === matched.id)) return false
      await this.repository.usePasswordResets(
        trx,
        open.map((r) => r.id),
        now,
      )
      return true
    })
    if (!used) throw wrongCode
    await this.setPassword(account, input.newPassword, who, 'password-reset.confirm')
    this.forget(account.id)
  }

  private auditResetFailure(accountId: string | null, who: AuditWho, reason: string) {
    return this.platform.audit.record({
      ...who,
      action: 'password-reset.confirm',
      resourceType: 'account',
      resourceId: accountId,
      regionCode: null,
      outcome: 'failure',
      details: { reason },
    })
  }

  // ---- TOTP -------------------------------------------------------------------------------------------

  /** Offers a new TOTP secret; it replaces the current one only when confirmed with a code. */
  async startTotpEnrolment(accountId: string): Promise<{ otpauthUri: string; secret: string }> {
    const account = await this.getAccount(accountId)
    const secret = newTotpSecret()
    await this.repository.updateAccount(this.platform.db, account.id, {
      totp_pending_enc: this.vault.encrypt(secret),
    })
    return { otpauthUri: totpUri(secret, totpLabel(account)), secret }
  }

  /** Confirms the offered secret with a current code; true when it is now the account's second factor. */
  async confirmTotpEnrolment(
    accountId: string,
    code: string,
    context: LoginContext = { ip: null, requestId: null },
  ): Promise<boolean> {
    const account = await this.getAccount(accountId)
    if (!account.totp_pending_enc) return false
    const secret = this.vault.decrypt(account.totp_pending_enc)
    const step = checkTotp(secret, code, this.now(), null)
    const who = { actorId: account.id, actorKind: account.kind as 'person', ...context }
    if (step === undefined) {
      await this.platform.audit.record({
        ...who,
        action: 'totp.enrol',
        resourceType: 'account',
        resourceId: account.id,
        regionCode: null,
        outcome: 'failure',
      })
      return false
    }
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.updateAccount(trx, account.id, {
        totp_secret_enc: account.totp_pending_enc,
        totp_pending_enc: null,
        totp_enabled_at: this.now(),
        totp_last_step: step,
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'totp.enrol',
        resourceType: 'account',
        resourceId: account.id,
        regionCode: null,
        outcome: 'success',
      })
    })
    return true
  }

  /** Sets a TOTP secret directly (demo data and the bootstrap CLI only). */
  async setTotpSecret(accountId: string, secret: string): Promise<void> {
    await this.repository.updateAccount(this.platform.db, accountId, {
      totp_secret_enc: this.vault.encrypt(secret),
      totp_enabled_at: this.now(),
      totp_pending_enc: null,
    })
  }

  /** The confirmed TOTP secret of an account, in clear (demo helper). */
  async totpSecretOf(accountId: string): Promise<string | undefined> {
    const account = await this.getAccount(accountId)
    return account.totp_secret_enc ? this.vault.decrypt(account.totp_secret_enc) : undefined
  }

  // ---- AccountDirectory: login ----------------------------------------------------------------------

  /** Finds an account by any login name: ID number, credit code, phone number or staff username. */
  async findByLogin(login: string): Promise<AccountRecord | undefined> {
    const found = loginKey(login)
    if (!found) return undefined
    const value =
      found.column === 'id_number_index' || found.column === 'phone_index'
        ? this.vault.blindIndex(found.column === 'id_number_index' ? 'id_number' : 'phone', found.value)
        : found.value
    const account = await this.repository.findAccountBy(found.column, value)
    if (account || found.column !== 'id_number_index') return account
    // 18 digits that are not a valid ID number may still be an all-digit credit code
    return this.repository.findAccountBy('uscc', found.value)
  }

  async verifyPassword(login: string, password: string, context: LoginContext): Promise<PasswordLoginResult> {
    const account = await this.findByLogin(login)
    if (!account?.password_hash) {
      await verifyPasswordHash(this.vault, password, null)
      await this.auditLogin('login.failure', account?.id ?? null, context, 'failure', {
        factor: 'password',
        reason: account ? 'no-password' : 'unknown-login',
      })
      return { ok: false, reason: 'invalid-credentials' }
    }
    const now = this.now()
    if (account.locked_until && account.locked_until > now) {
      await this.auditLogin('login.refused', account.id, context, 'denied', {
        reason: 'locked',
        lockedUntil: account.locked_until.toISOString(),
      })
      return { ok: false, reason: 'locked', lockedUntil: account.locked_until }
    }
    if (!(await verifyPasswordHash(this.vault, password, account.password_hash)))
      return this.recordLoginFailure(account.id, 'password', context)
    if (account.status !== 'active') {
      await this.auditLogin('login.refused', account.id, context, 'denied', { reason: 'disabled' })
      return { ok: false, reason: 'disabled' }
    }
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.deleteLoginFailures(trx, account.id)
      if (account.locked_until) await this.repository.updateAccount(trx, account.id, { locked_until: null })
      await this.platform.audit.append(trx, {
        actorId: account.id,
        actorKind: account.kind as 'person',
        ip: context.ip,
        requestId: context.requestId,
        action: 'login.password',
        resourceType: 'account',
        resourceId: account.id,
        regionCode: null,
        outcome: 'success',
      })
    })
    const totpEnrolled = account.totp_secret_enc !== null
    return {
      ok: true,
      accountId: account.id,
      totpRequired: account.kind === 'staff' || totpEnrolled,
      totpEnrolled,
    }
  }

  async verifyTotp(accountId: string, code: string, context: LoginContext): Promise<boolean> {
    const account = await this.repository.findAccountById(accountId)
    if (!account?.totp_secret_enc || account.status !== 'active') return false
    const now = this.now()
    if (account.locked_until && account.locked_until > now) {
      await this.auditLogin('login.refused', account.id, context, 'denied', {
        reason: 'locked',
        factor: 'totp',
      })
      return false
    }
    const step = checkTotp(this.vault.decrypt(account.totp_secret_enc), code, now, account.totp_last_step)
    if (step === undefined) {
      await this.recordLoginFailure(account.id, 'totp', context)
      return false
    }
    return this.platform.db.transaction().execute(async (trx) => {
      const locked = await this.repository.findAccountForUpdate(trx, account.id)
      // a concurrent login accepted this step (or a later one) first: a code is good once
      if (!locked || (locked.totp_last_step !== null && locked.totp_last_step >= step)) return false
      await this.repository.updateAccount(trx, account.id, { totp_last_step: step })
      await this.repository.deleteLoginFailures(trx, account.id)
      await this.platform.audit.append(trx, {
        actorId: account.id,
        actorKind: account.kind as 'person',
        ip: context.ip,
        requestId: context.requestId,
        action: 'login.totp',
        resourceType: 'account',
        resourceId: account.id,
        regionCode: null,
        outcome: 'success',
      })
      return true
    })
  }

  /**
   * Counts a failed login; at LOGIN_MAX_FAILURES failures within LOGIN_LOCK_MINUTES the account is
   * locked for LOGIN_LOCK_MINUTES. Both the failure and the lockout are audited.
   */
  private async recordLoginFailure(
    accountId: string,
    factor: 'password' | 'totp',
    context: LoginContext,
  ): Promise<PasswordLoginResult> {
    const { loginMaxFailures, loginLockMinutes } = this.platform.config
    const now = this.now()
    return this.platform.db.transaction().execute(async (trx) => {
      await this.repository.findAccountForUpdate(trx, accountId)
      await this.repository.insertLoginFailure(trx, accountId, now, factor)
      const failures = await this.repository.countLoginFailuresSince(
        trx,
        accountId,
        new Date(now.getTime() - loginLockMinutes * 60_000),
      )
      const entry = {
        actorId: null,
        actorKind: 'anonymous' as const,
        ip: context.ip,
        requestId: context.requestId,
        resourceType: 'account',
        resourceId: accountId,
        regionCode: null,
      }
      await this.platform.audit.append(trx, {
        ...entry,
        action: 'login.failure',
        outcome: 'failure',
        details: { factor, failures },
      })
      if (failures < loginMaxFailures)
        return { ok: false, reason: factor === 'totp' ? 'totp-invalid' : 'invalid-credentials' }
      const lockedUntil = new Date(now.getTime() + loginLockMinutes * 60_000)
      await this.repository.updateAccount(trx, accountId, { locked_until: lockedUntil })
      await this.repository.deleteLoginFailures(trx, accountId)
      await this.platform.audit.append(trx, {
        ...entry,
        action: 'login.locked',
        outcome: 'denied',
        details: { failures, lockedUntil: lockedUntil.toISOString() },
      })
      return { ok: false, reason: 'locked', lockedUntil }
    })
  }

  private auditLogin(
    action: string,
    accountId: string | null,
    context: LoginContext,
    outcome: 'failure' | 'denied',
    details: Record<string, unknown>,
  ) {
    return this.platform.audit.record({
      actorId: null,
      actorKind: 'anonymous',
      ip: context.ip,
      requestId: context.requestId,
      action,
      resourceType: 'account',
      resourceId: accountId,
      regionCode: null,
      outcome,
      details,
    })
  }

  // ---- AccountDirectory: who is calling ----------------------------------------------------------------

  async companiesActedFor(accountId: string): Promise<{ accountId: string; name: string; uscc: string }[]> {
    const companies = await this.repository.findCompaniesActedFor(accountId, this.now())
    return companies.map((c) => ({ accountId: c.id, name: c.name, uscc: c.uscc }))
  }

  /**
   * The OIDC claims of an account (and the company it acts for): one statement, the same snapshot as the
   * API's actor (which it refreshes), so a token exchange reads the account once.
   */
  async claimsFor(accountId: string, actingForCompanyId?: string): Promise<AccountClaims | undefined> {
    const found = await this.readSnapshot(accountId, actingForCompanyId)
    if (!found) return undefined
    const { snapshot, actor } = found
    const claims: AccountClaims = {
      sub: snapshot.id,
      name: snapshot.name,
      account_kind: snapshot.kind as AccountClaims['account_kind'],
      realname_level: snapshot.realname_level as RealNameLevel,
    }
    if (snapshot.kind === 'person' && snapshot.id_number_masked) claims.id_masked = snapshot.id_number_masked
    if (snapshot.kind === 'company' && snapshot.uscc) claims.id_masked = snapshot.uscc
    if (snapshot.company)
      claims.acting_for = {
        sub: snapshot.company.id,
        name: snapshot.company.name,
        uscc: snapshot.company.uscc,
      }
    if (snapshot.kind === 'staff') claims.roles = actor.roles
    return claims
  }

  /**
   * The actor of an API call. Cost: one statement (primary-key look-up of the account with two indexed
   * sub-selects: live role grants, and the acting-for authorization), and nothing at all when the same
   * account was resolved on this node in the last 5 seconds. Grant, revoke, disable, real-name and agent
   * changes made through this service drop the cached entry at once, and a cached agent entry never
   * outlives its authorization's expiry.
   *
   * Multi-node caveat: the cache is per process. A change made on another node (role revoked, agent
   * authorization revoked) reaches this node's cache after at most ACTOR_CACHE_MS (5 s). Set it to 0 or
   * broadcast invalidations over NATS if that window is too long for a deployment.
   */
  actorFor(
    accountId: string,
    actingForCompanyId?: string,
    sessionId?: string,
  ): Actor | undefined | Promise<Actor | undefined> {
    // the hot path of every API call: answered synchronously from the cache, without a promise
    const cached = this.actors.get(accountId)?.get(actingForCompanyId ?? '')
    if (!cached || cached.until <= this.platform.clock.now().getTime())
      return this.loadActor(accountId, actingForCompanyId, sessionId)
    // the same session's calls share one frozen actor: no object is made per call
    if (!cached.session || cached.session.sessionId !== sessionId)
      cached.session = Object.freeze({ ...cached.actor, sessionId })
    return cached.session
  }

  private async loadActor(
    accountId: string,
    actingForCompanyId: string | undefined,
    sessionId: string | undefined,
  ): Promise<Actor | undefined> {
    const found = await this.readSnapshot(accountId, actingForCompanyId)
    return found && { ...found.actor, sessionId }
  }

  /**
   * Reads an account's snapshot (one statement) and remembers its actor for ACTOR_CACHE_MS; undefined
   * when the account is disabled or unknown, or may not act for the company.
   */
  private async readSnapshot(
    accountId: string,
    actingForCompanyId: string | undefined,
  ): Promise<{ snapshot: ActorSnapshot; actor: AuthenticatedActor } | undefined> {
    if (!UUID.test(accountId) || (actingForCompanyId !== undefined && !UUID.test(actingForCompanyId)))
      return undefined
    const now = this.now()
    const key = actingForCompanyId ?? ''
    const snapshot = await this.repository.findActorSnapshot(accountId, actingForCompanyId ?? null, now)
    if (snapshot?.status !== 'active') return undefined
    if (actingForCompanyId && (snapshot.kind !== 'person' || !snapshot.company)) return undefined
    const actor: AuthenticatedActor = {
      kind: snapshot.kind as 'person',
      accountId: snapshot.id,
      name: snapshot.name,
      roles: snapshot.roles,
      actingFor: snapshot.company
        ? { accountId: snapshot.company.id, name: snapshot.company.name }
        : undefined,
      realNameLevel: snapshot.realname_level,
    }
    let until = now.getTime() + ACTOR_CACHE_MS
    if (snapshot.company?.expires_at) until = Math.min(until, snapshot.company.expires_at.getTime())
    if (ACTOR_CACHE_MS > 0) {
      if (this.actors.size >= ACTOR_CACHE_MAX) this.actors.clear()
      let entries = this.actors.get(accountId)
      if (!entries) {
        entries = new Map()
        this.actors.set(accountId, entries)
      }
      entries.set(key, { actor, until })
    }
    return { snapshot, actor }
  }

  /** Drops an account's cached actors (after its roles, status or authorizations change). */
  forget(accountId: string): void {
    this.actors.delete(accountId)
  }

  /** Drops every cached actor acting for a company (after the company's status changes). */
  private forgetActingFor(companyId: string): void {
    for (const [accountId, entries] of this.actors) {
      entries.delete(companyId)
      if (entries.size === 0) this.actors.delete(accountId)
    }
  }

  // ---- real-name level ----------------------------------------------------------------------------------

  /** A window clerk raises a person's real-name level after checking them (at the counter: L3). */
  async raiseRealNameLevel(
    personId: string,
    input: RaiseRealNameLevel,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<AccountRecord> {
    const clerkGrant = actor.roles.find((g) => g.role === 'window_clerk')
    const person = await this.repository.findAccountById(personId)
    if (person?.kind !== 'person' || !clerkGrant)
      throw notFound({ zh: '账户不存在', en: 'The account does not exist' })
    if (person.realname_level >= input.level)
      throw new AppError('conflict', {
        detail: {
          zh: `该账户已是实名等级 ${person.realname_level}，只能提升`,
          en: `The account is already at real-name level ${person.realname_level}; levels are only raised`,
        },
      })
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.updateAccount(trx, person.id, {
        realname_level: input.level,
        realname_method: input.method,
        realname_raised_by: actor.accountId,
        realname_raised_at: this.now(),
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'account.realname-raise',
        resourceType: 'account',
        resourceId: person.id,
        regionCode: clerkGrant.regionCode,
        outcome: 'success',
        details: { from: person.realname_level, to: input.level, method: input.method },
      })
    })
    this.forget(person.id)
    return (await this.repository.findAccountById(person.id))!
  }

  // ---- agents (法人经办人) -------------------------------------------------------------------------------

  /**
   * The company, when the actor may manage its agents: the company account itself or its legal
   * representative. An agent of the company is refused (403); anyone else is told it does not exist.
   */
  private async companyManagedBy(companyId: string, actor: AuthenticatedActor): Promise<AccountRecord> {
    const company = await this.repository.findAccountById(companyId)
    const missing = notFound({ zh: '企业不存在', en: 'The company does not exist' })
    if (company?.kind !== 'company') throw missing
    if (actor.kind === 'company' && actor.accountId === company.id) return company
    if (actor.kind === 'person' && company.legal_representative_id === actor.accountId) return company
    if (actor.actingFor?.accountId === company.id)
      throw new AppError('forbidden', {
        detail: {
          zh: '只有法定代表人可以管理经办人授权',
          en: 'Only the legal representative manages agent authorizations',
        },
      })
    throw missing
  }

  async listAgents(companyId: string, actor: AuthenticatedActor): Promise<AgentAuthorizationRecord[]> {
    const company = await this.companyManagedBy(companyId, actor)
    return this.repository.findAgentAuthorizationsByCompany(company.id)
  }

  /** The legal representative lets a registered person act for the company until a date. */
  async authorizeAgent(
    companyId: string,
    input: CreateAgentAuthorization,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<AgentAuthorizationRecord> {
    const company = await this.companyManagedBy(companyId, actor)
    const now = this.now()
    const expiresAt = new Date(input.expiresAt)
    const latest = new Date(now)
    latest.setUTCFullYear(latest.getUTCFullYear() + MAX_AGENT_YEARS)
    if (!(expiresAt > now) || expiresAt > latest)
      throw invalid([
        {
          path: '/expiresAt',
          code: 'range',
          message: {
            zh: `授权截止时间须在现在之后、${MAX_AGENT_YEARS} 年之内`,
            en: `The expiry must be in the future and within ${MAX_AGENT_YEARS} years`,
          },
        },
      ])
    const id = validateIdNumber(input.agentIdNumber, { today: shanghaiDate(now) })
    if (!id.ok) throw invalid([{ path: '/agentIdNumber', code: id.error.code, message: id.error.message }])
    const agent = await this.repository.findAccountBy(
      'id_number_index',
      this.vault.blindIndex('id_number', id.value),
    )
    // one answer for "no such person" and "name does not match": the ID number alone reveals nothing
    if (
      agent?.kind !== 'person' ||
      agent.status !== 'active' ||
      agent.name !== normalizeName(input.agentName)
    )
      throw invalid([
        {
          path: '/agentIdNumber',
          code: 'unknownPerson',
          message: {
            zh: '未找到与该姓名和身份证号码相符的已注册个人',
            en: 'No registered person matches this name and ID number',
          },
        },
      ])
    if (agent.id === company.legal_representative_id)
      throw invalid([
        {
          path: '/agentIdNumber',
          code: 'legalRepresentative',
          message: {
            zh: '法定代表人无需授权即可办理',
            en: 'The legal representative acts without an authorization',
          },
        },
      ])
    const authorizationId = await this.platform.db.transaction().execute(async (trx) => {
      const live = await this.repository.findLiveAgentAuthorization(trx, company.id, agent.id)
      if (live && live.expires_at > now)
        throw new AppError('duplicate', {
          detail: {
            zh: '该人员已有有效的经办人授权，请先撤销',
            en: 'This person already holds a valid authorization; revoke it first',
          },
          errors: [
            {
              path: '/agentIdNumber',
              code: 'duplicate',
              message: { zh: '已有有效授权', en: 'Already authorized' },
            },
          ],
        })
      // an expired authorization is closed so that the new one is the pair's only live one
      if (live) await this.repository.revokeAgentAuthorization(trx, live.id, actor.accountId, now)
      const authorizationId = await this.repository.insertAgentAuthorization(trx, {
        companyId: company.id,
        agentId: agent.id,
        grantedBy: actor.accountId,
        grantedAt: now,
        expiresAt,
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'agent.authorize',
        resourceType: 'agent_authorization',
        resourceId: authorizationId,
        regionCode: company.uscc?.slice(2, 8) ?? null,
        outcome: 'success',
        details: { companyId: company.id, agentId: agent.id, expiresAt: expiresAt.toISOString() },
      })
      return authorizationId
    })
    this.forget(agent.id)
    return (await this.repository.findAgentAuthorization(authorizationId))!
  }

  /** Revokes an agent authorization: effective for the agent's next request. */
  async revokeAgent(companyId: string, authorizationId: string, actor: AuthenticatedActor, who: AuditWho) {
    const company = await this.companyManagedBy(companyId, actor)
    const authorization = await this.repository.findAgentAuthorization(authorizationId)
    if (!authorization || authorization.company_id !== company.id)
      throw notFound({ zh: '授权不存在', en: 'The authorization does not exist' })
    if (authorization.revoked_at)
      throw new AppError('conflict', {
        detail: { zh: '该授权已撤销', en: 'The authorization is already revoked' },
      })
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.revokeAgentAuthorization(trx, authorization.id, actor.accountId, this.now())
      await this.platform.audit.append(trx, {
        ...who,
        action: 'agent.revoke',
        resourceType: 'agent_authorization',
        resourceId: authorization.id,
        regionCode: company.uscc?.slice(2, 8) ?? null,
        outcome: 'success',
        details: { companyId: company.id, agentId: authorization.agent_id },
      })
    })
    this.forget(authorization.agent_id)
  }

  // ---- staff and roles (三员分立) ---------------------------------------------------------------------

  /** A system admin creates a staff account in their region; roles come separately from a security admin. */
  async createStaff(
    input: CreateStaff,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<{ account: AccountRecord; password: string }> {
    if (!holdsRoleFor(actor, ['system_admin'], { regionCode: input.regionCode }))
      throw new AppError('forbidden', {
        detail: {
          zh: '只能在本人管辖的行政区划内创建工作人员账户',
          en: 'Staff accounts are created within your own region only',
        },
      })
    return this.insertStaff(input, who)
  }

  private async insertStaff(
    input: CreateStaff,
    who: AuditWho,
    grant?: { role: StaffRole; regionCode: string },
  ): Promise<{ account: AccountRecord; password: string }> {
    await this.requireRegion(input.regionCode, '/regionCode')
    if (await this.repository.findAccountBy('username', input.username))
      throw duplicate('/username', { zh: '该用户名已被使用', en: 'This username is taken' })
    const phoneIndex = input.phone ? this.vault.blindIndex('phone', input.phone) : null
    if (phoneIndex && (await this.repository.findAccountBy('phone_index', phoneIndex)))
      throw duplicate('/phone', {
        zh: '该手机号码已被其他账户使用',
        en: 'Another account uses this phone number',
      })
    let password = generatePassword()
    while (checkPasswordPolicy(password, { username: input.username, phone: input.phone }).length > 0)
      password = generatePassword()
    const hash = await hashPassword(this.vault, password)
    const now = this.now()
    const account = await this.platform.db.transaction().execute(async (trx) => {
      const accountId = await this.repository.insertAccount(trx, {
        kind: 'staff',
        name: input.name.trim(),
        realname_level: 3,
        realname_method: 'counter',
        username: input.username,
        region_code: input.regionCode,
        phone_enc: input.phone ? this.vault.encrypt(input.phone) : null,
        phone_index: phoneIndex,
        phone_masked: input.phone ? maskPhone(input.phone) : null,
        email: input.email ?? null,
        password_hash: hash,
        password_changed_at: now,
      })
      if (grant) {
        await this.repository.insertRoleGrant(trx, {
          accountId,
          role: grant.role,
          departmentId: null,
          regionCode: grant.regionCode,
          grantedBy: null,
          grantedAt: now,
        })
      }
      await this.platform.audit.append(trx, {
        ...who,
        action: 'staff.create',
        resourceType: 'account',
        resourceId: accountId,
        regionCode: input.regionCode,
        outcome: 'success',
        details: { username: input.username, ...(grant ? { role: grant.role } : {}) },
      })
      return (await this.repository.findAccountById(accountId, trx))!
    })
    return { account, password }
  }

  /**
   * Bootstrap of a fresh install (`tongban admin create`): a staff account holding one of the three
   * admin roles, granted by the system; audited with the system as actor.
   */
  async createAdmin(input: {
    username: string
    name: string
    role: StaffRole
    regionCode: string
  }): Promise<{ account: AccountRecord; password: string }> {
    if (!ADMIN_ROLES.includes(input.role))
      throw invalid([
        {
          path: '/role',
          code: 'enum',
          message: {
            zh: '只能创建系统管理员、安全管理员或审计管理员',
            en: 'Only system, security or audit admins are bootstrapped',
          },
        },
      ])
    return this.insertStaff(
      { username: input.username, name: input.name, regionCode: input.regionCode },
      { actorId: null, actorKind: 'system', ip: null, requestId: null },
      { role: input.role, regionCode: input.regionCode },
    )
  }

  private async requireRegion(code: string, path: string): Promise<void> {
    const region = await orgService(this.platform).repository.findRegion(code)
    if (!region)
      throw invalid([{ path, code: 'region', message: { zh: '行政区划不存在', en: 'Unknown region code' } }])
  }

  /** A staff account with its live roles, for administrators of its region. */
  async getStaff(
    id: string,
    actor: AuthenticatedActor,
  ): Promise<{ account: AccountRecord; roles: RoleGrantRecord[] }> {
    const account = await this.repository.findAccountById(id)
    if (
      account?.kind !== 'staff' ||
      !holdsRoleFor(actor, ['system_admin', 'security_admin'], { regionCode: account.region_code! })
    )
      throw notFound({ zh: '工作人员不存在', en: 'The staff account does not exist' })
    return { account, roles: await this.repository.findLiveRoleGrants(id) }
  }

  /** Staff accounts of the actor's region subtree (system and security admins). */
  async listStaff(actor: AuthenticatedActor, limit: number, offset: number) {
    const regions = actor.roles
      .filter((g) => g.role === 'system_admin' || g.role === 'security_admin')
      .map((g) => g.regionCode)
    const org = orgService(this.platform)
    const codes = new Set<string>()
    for (const region of regions)
      for (const code of await org.repository.findSubtreeCodes(region)) codes.add(code)
    if (codes.size === 0) return []
    const accounts = await this.repository.findStaffByRegions([...codes], limit, offset)
    return Promise.all(
      accounts.map(async (account) => ({
        account,
        roles: await this.repository.findLiveRoleGrants(account.id),
      })),
    )
  }

  /**
   * A security admin grants a role within their region subtree. Refused, and audited as refused:
   * anyone not a security admin of the region, granting to oneself, or to staff outside the subtree.
   * 三员分立: an account holding one admin role cannot get another (409, naming the rule) — enforced here
   * and by a unique index in the database.
   */
  async grantRole(
    staffId: string,
    input: GrantRole,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<RoleGrantRecord> {
    const target = await this.repository.findAccountById(staffId)
    if (target?.kind !== 'staff')
      throw notFound({ zh: '工作人员不存在', en: 'The staff account does not exist' })
    const refuse = async (reason: string, detail: LocalizedText) => {
      await this.platform.audit.record({
        ...who,
        action: 'role.grant',
        resourceType: 'account',
        resourceId: staffId,
        regionCode: input.regionCode,
        outcome: 'denied',
        details: { role: input.role, departmentId: input.departmentId ?? null, reason },
      })
      return new AppError('forbidden', { detail })
    }
    if (!holdsRoleFor(actor, ['security_admin'], { regionCode: input.regionCode }))
      throw await refuse('not-security-admin-of-region', {
        zh: '只有该行政区划的安全管理员可以授予角色',
        en: 'Only a security admin of the region grants roles',
      })
    if (actor.accountId === staffId)
      throw await refuse('self-grant', { zh: '不能给自己授予角色', en: 'Nobody grants roles to themselves' })
    if (!holdsRoleFor(actor, ['security_admin'], { regionCode: target.region_code! }))
      throw await refuse('staff-outside-region', {
        zh: '该工作人员不在您管辖的行政区划内',
        en: 'The staff account is outside your region',
      })
    await this.requireRegion(input.regionCode, '/regionCode')
    const departmentId = input.departmentId ?? null
    if (ADMIN_ROLES.includes(input.role) && departmentId)
      throw invalid([
        {
          path: '/departmentId',
          code: 'notAllowed',
          message: {
            zh: '管理员角色按行政区划授予，不属于部门',
            en: 'Admin roles are granted for a region, not a department',
          },
        },
      ])
    if (DEPARTMENT_ROLES.includes(input.role)) {
      const department = departmentId
        ? await orgService(this.platform).findDepartment(departmentId)
        : undefined
      if (!department)
        throw invalid([
          {
            path: '/departmentId',
            code: departmentId ? 'unknownDepartment' : 'required',
            message: departmentId
              ? { zh: '部门不存在', en: 'The department does not exist' }
              : {
                  zh: `${ROLE_NAMES[input.role].zh}须属于一个部门`,
                  en: `A ${ROLE_NAMES[input.role].en} belongs to a department`,
                },
          },
        ])
      if (department.region_code !== input.regionCode)
        throw invalid([
          {
            path: '/regionCode',
            code: 'departmentRegion',
            message: {
              zh: `部门角色的行政区划须为部门所在地 ${department.region_code}`,
              en: `A department role's region is the department's own, ${department.region_code}`,
            },
          },
        ])
    }
    const live = await this.repository.findLiveRoleGrants(staffId)
    const heldAdmin = live.find((g) => ADMIN_ROLES.includes(g.role as StaffRole))
    if (ADMIN_ROLES.includes(input.role) && heldAdmin)
      throw await this.separationConflict(staffId, input, heldAdmin, who)
    if (
      live.some(
        (g) =>
          g.role === input.role && g.department_id === departmentId && g.region_code === input.regionCode,
      )
    )
      throw new AppError('duplicate', {
        detail: { zh: '该工作人员已有此角色', en: 'The staff account already holds this role' },
      })
    const now = this.now()
    try {
      const id = await this.platform.db.transaction().execute(async (trx) => {
        const id = await this.repository.insertRoleGrant(trx, {
          accountId: staffId,
          role: input.role,
          departmentId,
          regionCode: input.regionCode,
          grantedBy: actor.accountId,
          grantedAt: now,
        })
        await this.platform.audit.append(trx, {
          ...who,
          action: 'role.grant',
          resourceType: 'account',
          resourceId: staffId,
          regionCode: input.regionCode,
          outcome: 'success',
          details: { grantId: id, role: input.role, departmentId },
        })
        return id
      })
      this.forget(staffId)
      return (await this.repository.findRoleGrant(id))!
    } catch (error) {
      // a concurrent grant got there first: the database's 三员 index has the last word
      if ((error as { constraint?: string }).constraint === 'role_grants_one_admin_role_idx') {
        const held = (await this.repository.findLiveRoleGrants(staffId)).find((g) =>
          ADMIN_ROLES.includes(g.role as StaffRole),
        )
        if (held) throw await this.separationConflict(staffId, input, held, who)
      }
      throw error
    }
  }

  private async separationConflict(staffId: string, input: GrantRole, held: RoleGrantRecord, who: AuditWho) {
    const heldRole = held.role as StaffRole
    await this.platform.audit.record({
      ...who,
      action: 'role.grant',
      resourceType: 'account',
      resourceId: staffId,
      regionCode: input.regionCode,
      outcome: 'denied',
      details: { role: input.role, reason: 'separation-of-duties', holds: heldRole },
    })
    return new AppError('conflict', {
      detail: {
        zh: `三员分立：一个账户只能担任系统管理员、安全管理员、审计管理员中的一个（该账户已是${ROLE_NAMES[heldRole].zh}）`,
        en: `Separation of duties (三员分立): an account holds at most one of system admin, security admin and audit admin (this one is already ${ROLE_NAMES[heldRole].en})`,
      },
      errors: [
        {
          path: '/role',
          code: 'separationOfDuties',
          message: {
            zh: `该账户已是${ROLE_NAMES[heldRole].zh}`,
            en: `The account is already ${ROLE_NAMES[heldRole].en}`,
          },
        },
      ],
    })
  }

  /** A security admin of the grant's region revokes it (never their own). */
  async revokeRole(
    staffId: string,
    grantId: string,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<void> {
    const grant = await this.repository.findRoleGrant(grantId)
    if (!grant || grant.account_id !== staffId || grant.revoked_at)
      throw notFound({ zh: '角色授予不存在', en: 'The role grant does not exist' })
    const refuse = async (reason: string, detail: LocalizedText) => {
      await this.platform.audit.record({
        ...who,
        action: 'role.revoke',
        resourceType: 'account',
        resourceId: staffId,
        regionCode: grant.region_code,
        outcome: 'denied',
        details: { grantId, role: grant.role, reason },
      })
      return new AppError('forbidden', { detail })
    }
    if (!holdsRoleFor(actor, ['security_admin'], { regionCode: grant.region_code }))
      throw await refuse('not-security-admin-of-region', {
        zh: '只有该行政区划的安全管理员可以撤销角色',
        en: 'Only a security admin of the region revokes roles',
      })
    if (actor.accountId === staffId)
      throw await refuse('self-revoke', { zh: '不能撤销自己的角色', en: 'Nobody revokes their own roles' })
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.revokeRoleGrant(trx, grantId, actor.accountId, this.now())
      await this.platform.audit.append(trx, {
        ...who,
        action: 'role.revoke',
        resourceType: 'account',
        resourceId: staffId,
        regionCode: grant.region_code,
        outcome: 'success',
        details: { grantId, role: grant.role, departmentId: grant.department_id },
      })
    })
    this.forget(staffId)
  }

  // ---- disabling accounts (system admin, 三员分立) ----------------------------------------------------

  /**
   * A system admin disables an account: it can no longer log in, its access tokens stop working at once on
   * this node (the cached actor is dropped; every other node re-reads the account within ACTOR_CACHE_MS),
   * and the SSO module revokes its sessions, grants and refresh tokens on the `account.disabled` event
   * written in the same transaction. Who may: a system admin whose region subtree holds a staff account's
   * region, or a provincial system admin for citizens and companies. Never oneself, and never an account
   * holding one of the three admin roles (三员): the security admin revokes that role first, so taking an
   * administrator out needs two of the three. Refusals are 403, audited.
   */
  disableAccount(
    accountId: string,
    reason: string,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<AccountRecord> {
    return this.changeStatus(accountId, 'disabled', reason, actor, who)
  }

  /** Re-enables a disabled account (same rules as disabling); login works again at once. */
  enableAccount(
    accountId: string,
    reason: string,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<AccountRecord> {
    return this.changeStatus(accountId, 'active', reason, actor, who)
  }

  private async changeStatus(
    accountId: string,
    status: 'active' | 'disabled',
    reasonText: string,
    actor: AuthenticatedActor,
    who: AuditWho,
  ): Promise<AccountRecord> {
    const action = status === 'disabled' ? 'account.disable' : 'account.enable'
    const target = await this.repository.findAccountById(accountId)
    if (!target) throw notFound({ zh: '账户不存在', en: 'The account does not exist' })
    const reason = reasonText.trim()
    if (reason.length < 2)
      throw invalid([
        {
          path: '/reason',
          code: 'minLength',
          message: { zh: '请写明原因（至少 2 个字）', en: 'Give a reason (at least 2 characters)' },
        },
      ])
    const regionCode = target.kind === 'staff' ? target.region_code : null
    const refuse = async (why: string, detail: LocalizedText) => {
      await this.platform.audit.record({
        ...who,
        action,
        resourceType: 'account',
        resourceId: target.id,
        regionCode,
        outcome: 'denied',
        details: { kind: target.kind, reason: why },
      })
      return new AppError('forbidden', { detail })
    }
    if (actor.accountId === target.id)
      throw await refuse('self', {
        zh: '不能停用或启用自己的账户',
        en: 'Nobody disables or re-enables their own account',
      })
    const inScope =
      target.kind === 'staff'
        ? holdsRoleFor(actor, ['system_admin'], { regionCode: target.region_code! })
        : actor.roles.some((g) => g.role === 'system_admin' && /^\d{2}0000$/.test(g.regionCode))
    if (!inScope)
      throw await refuse(
        'not-system-admin-of-region',
        target.kind === 'staff'
          ? {
              zh: '只有该工作人员所在行政区划的系统管理员可以停用或启用其账户',
              en: "Only a system admin of the staff account's region disables or re-enables it",
            }
          : {
              zh: '群众和企业账户由省级系统管理员停用或启用',
              en: 'Citizen and company accounts are disabled or re-enabled by a provincial system admin',
            },
      )
    const adminRole = (await this.repository.findLiveRoleGrants(target.id)).find((g) =>
      ADMIN_ROLES.includes(g.role as StaffRole),
    )
    if (adminRole)
      throw await refuse('separation-of-duties', {
        zh: `三员分立：该账户是${ROLE_NAMES[adminRole.role as StaffRole].zh}，须先由安全管理员撤销其角色，再停用`,
        en: `Separation of duties (三员分立): the account is a ${ROLE_NAMES[adminRole.role as StaffRole].en}; a security admin revokes that role first`,
      })
    if (target.status === status)
      throw new AppError('conflict', {
        detail:
          status === 'disabled'
            ? { zh: '该账户已停用', en: 'The account is already disabled' }
            : { zh: '该账户未停用', en: 'The account is not disabled' },
      })
    const now = this.now()
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.updateAccount(trx, target.id, {
        status,
        status_changed_at: now,
        status_changed_by: actor.accountId,
        status_reason: reason,
      })
      await this.platform.audit.append(trx, {
        ...who,
        action,
        resourceType: 'account',
        resourceId: target.id,
        regionCode,
        outcome: 'success',
        details: { kind: target.kind, reason },
      })
      await this.platform.events.publish(
        trx,
        status === 'disabled' ? ACCOUNT_DISABLED : ACCOUNT_ENABLED,
        { accountId: target.id, kind: target.kind as AccountStatusChanged['kind'] },
        target.id,
      )
    })
    this.forget(target.id)
    // agents acting for a disabled company are cached under their own account: drop those entries too
    if (target.kind === 'company') this.forgetActingFor(target.id)
    this.platform.events.nudge()
    return (await this.repository.findAccountById(target.id))!
  }

  // ---- audit log (audit admin only) --------------------------------------------------------------------

  /** Reads the audit log, newest first; the reading itself is recorded. */
  async readAuditLog(
    filter: {
      actorId?: string | undefined
      resourceType?: string | undefined
      resourceId?: string | undefined
      action?: string | undefined
      beforeSeq?: number | undefined
      limit: number
    },
    who: AuditWho,
  ) {
    const items = await this.platform.audit.list({
      limit: filter.limit,
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
      ...(filter.resourceType ? { resourceType: filter.resourceType } : {}),
      ...(filter.resourceId ? { resourceId: filter.resourceId } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.beforeSeq ? { beforeSeq: filter.beforeSeq } : {}),
    })
    await this.platform.audit.record({
      ...who,
      action: 'audit.read',
      resourceType: 'audit_log',
      resourceId: null,
      regionCode: null,
      outcome: 'success',
      details: { ...filter },
    })
    return { items, nextBeforeSeq: items.length === filter.limit ? (items.at(-1)?.seq ?? null) : null }
  }
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Which column a login name is looked up by, and the normalized value. */
function loginKey(login: string): { column: LoginColumn; value: string } | undefined {
  const s = login.trim()
  if (!s) return undefined
  if (/^\d{17}[\dXx]$/.test(s)) return { column: 'id_number_index', value: s.toUpperCase() }
  if (/^[0-9A-Za-z]{18}$/.test(s)) return { column: 'uscc', value: s.toUpperCase() }
  if (/^1\d{10}$/.test(s)) return { column: 'phone_index', value: s }
  return { column: 'username', value: s.toLowerCase() }
}

/** Whether two spellings are the same real name (as accounts store names: trimmed, spaces collapsed, NFC). */
export function sameRealName(a: string, b: string): boolean {
  const clean = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ')
  return clean(a) === clean(b)
}

/** A real name: trimmed, inner whitespace collapsed; letters of any script, middle dots (·) and spaces. */
function normalizeName(name: string): string | undefined {
  const s = name.normalize('NFC').trim().replace(/\s+/g, ' ')
  if (!s || [...s].length > 50) return undefined
  return /^[\p{L}\p{M}·• .'-]+$/u.test(s) ? s : undefined
}

function nameError(path: string): FieldError {
  return {
    path,
    code: 'name',
    message: {
      zh: '姓名只能包含文字、间隔号（·）和空格',
      en: 'A name consists of letters, middle dots (·) and spaces',
    },
  }
}

/** 138****5678 */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`
}

/** z***@example.com */
export function maskEmail(email: string): string {
  const at = email.indexOf('@')
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`
}

function totpLabel(account: AccountRecord): string {
  return account.username ?? account.id_number_masked ?? account.uscc ?? account.name
}

/** The date in Asia/Shanghai of an instant, as YYYY-MM-DD. */
function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}
