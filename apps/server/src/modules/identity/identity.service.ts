import { randomUUID } from 'node:crypto'
import type {
  ChangePassword,
  ConfirmPasswordReset,
  CreateAgentAuthorization,
  CreateStaff,
  FieldError,
  GrantRole,
  LocalizedText,
  RaiseRealNameLevel,
  RegisterCompany,
  RegisterPerson,
  RequestPasswordReset,
  UpdateMe,
} from '@tongban/contracts'
import { maskIdNumber, validateIdNumber, validateUscc } from '@tongban/standards'
import type { AuditEntry } from '../../platform/audit.ts'
import {
  type Actor,
  type AuthenticatedActor,
  holdsRoleFor,
  STAFF_ROLES,
  type StaffRole,
} from '../../platform/authz.ts'
import { AppError, invalid, notFound } from '../../platform/errors.ts'
import { localNotifier, type Notifier } from '../../platform/notify.ts'
import type { Platform } from '../../platform/platform.ts'
import { orgService } from '../org/index.ts'
import {
  type AccountRecord,
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
  hashPassword,
  newTotpSecret,
  type PasswordContext,
  totpUri,
  verifyPassword as verifyPasswordHash,
} from './identity.secrets.ts'
import type { AccountClaims, AccountDirectory, PasswordLoginResult, RealNameLevel } from './identity.types.ts'

/** Who is making a change, for the audit entry. */
export type AuditWho = Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>
/** Where a login attempt comes from. */
export interface LoginContext {
  ip: string | null
  requestId: string | null
}

/** The three separated administrator roles (三员): no account holds more than one. */
export const ADMIN_ROLES: readonly StaffRole[] = ['system_admin', 'security_admin', 'audit_admin']
/** Roles below admin, always bound to a department. */
export const DEPARTMENT_ROLES: readonly StaffRole[] = STAFF_ROLES.filter((r) => !ADMIN_ROLES.includes(r))

const RESET_CODE_MINUTES = 10
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
  private readonly actors = new Map<string, Map<string, { actor: AuthenticatedActor; until: number }>>()

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
    const id = validateIdNumber(input.idNumber, { today: shanghaiDate(this.now()) })
    if (!id.ok) errors.push({ path: '/idNumber', code: id.error.code, message: id.error.message })
    const idNumber = id.ok ? id.value : undefined
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

  /** Changes phone and e-mail; the current password confirms the owner is at the keyboard. */
  async updateMe(actor: AuthenticatedActor, input: UpdateMe, who: AuditWho): Promise<void> {
    const account = await this.getAccount(actor.accountId)
    await this.confirmCurrentPassword(account, input.currentPassword, who)
    const changes: Record<string, string | null> = {}
    if (input.phone !== undefined) {
      const index = input.phone ? this.vault.blindIndex('phone', input.phone) : null
      if (index) {
        const holder = await this.repository.findAccountBy('phone_index', index)
        if (holder && holder.id !== account.id)
          throw duplicate('/phone', {
            zh: '该手机号码已被其他账户使用',
            en: 'Another account uses this phone number',
          })
      }
      changes.phone_enc = input.phone ? this.vault.encrypt(input.phone) : null
      changes.phone_index = index
      changes.phone_masked = input.phone ? maskPhone(input.phone) : null
    }
    if (input.email !== undefined) changes.email = input.email
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
          ...(input.phone !== undefined ? { phone: input.phone ? maskPhone(input.phone) : null } : {}),
          ...(input.email !== undefined ? { email: input.email ? maskEmail(input.email) : null } : {}),
        },
      })
    })
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

  async claimsFor(accountId: string, actingForCompanyId?: string): Promise<AccountClaims | undefined> {
    const account = await this.repository.findAccountById(accountId)
    if (account?.status !== 'active') return undefined
    const actor = await this.actorFor(accountId, actingForCompanyId)
    if (!actor || actor.kind === 'anonymous') return undefined
    const claims: AccountClaims = {
      sub: account.id,
      name: account.name,
      account_kind: account.kind as AccountClaims['account_kind'],
      realname_level: account.realname_level as RealNameLevel,
    }
    if (account.kind === 'person' && account.id_number_masked) claims.id_masked = account.id_number_masked
    if (account.kind === 'company' && account.uscc) claims.id_masked = account.uscc
    if (actor.actingFor) {
      const company = await this.repository.findAccountById(actor.actingFor.accountId)
      claims.acting_for = {
        sub: actor.actingFor.accountId,
        name: actor.actingFor.name,
        uscc: company?.uscc ?? '',
      }
    }
    if (account.kind === 'staff') claims.roles = actor.roles
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
  async actorFor(
    accountId: string,
    actingForCompanyId?: string,
    sessionId?: string,
  ): Promise<Actor | undefined> {
    if (!UUID.test(accountId) || (actingForCompanyId !== undefined && !UUID.test(actingForCompanyId)))
      return undefined
    const now = this.now()
    const key = actingForCompanyId ?? ''
    const cached = this.actors.get(accountId)?.get(key)
    if (cached && cached.until > now.getTime()) return { ...cached.actor, sessionId }
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
    return { ...actor, sessionId }
  }

  /** Drops an account's cached actors (after its roles, status or authorizations change). */
  forget(accountId: string): void {
    this.actors.delete(accountId)
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

  /** Disables or re-enables an account (used by administrators and tests); effective at once on this node. */
  async setStatus(accountId: string, status: 'active' | 'disabled', who: AuditWho): Promise<void> {
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.updateAccount(trx, accountId, { status })
      await this.platform.audit.append(trx, {
        ...who,
        action: status === 'disabled' ? 'account.disable' : 'account.enable',
        resourceType: 'account',
        resourceId: accountId,
        regionCode: null,
        outcome: 'success',
      })
    })
    this.forget(accountId)
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
