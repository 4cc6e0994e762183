import {
  AccountIdParams,
  AccountStatusView,
  AgentAuthorizationList,
  AgentAuthorizationParams,
  AgentAuthorizationView,
  AuditList,
  AuditQuery,
  ChangeAccountStatus,
  ChangePassword,
  CompanyView,
  ConfirmContactChange,
  ConfirmPasswordReset,
  ConfirmTotp,
  ContactChangeParams,
  ContactChangeRequested,
  CreateAgentAuthorization,
  CreatedStaff,
  CreateStaff,
  GrantRole,
  LookUpPerson,
  MeView,
  PasswordResetRequested,
  PersonView,
  PrefillView,
  RaiseRealNameLevel,
  RegisterCompany,
  RegisterPerson,
  RequestContactChange,
  RequestPasswordReset,
  RoleGrantParams,
  RoleGrantView,
  StaffView,
  TotpEnrolment,
  UpdateMe,
} from '@tongban/contracts'
import { Type } from 'typebox'
import { applicant, authenticated, publicAccess, requireActor, staffWith } from '../../platform/authz.ts'
import { invalid } from '../../platform/errors.ts'
import type { App } from '../../platform/http.ts'
import { auditContext } from '../../platform/platform.ts'
import { personAsSelf } from './identity.policy.ts'
import {
  presentAccountStatus,
  presentAgentAuthorization,
  presentAuditEntry,
  presentCompany,
  presentMe,
  presentPerson,
  presentRoleGrant,
  presentStaff,
} from './identity.presenter.ts'
import type { IdentityService } from './identity.service.ts'

const tags = ['identity']
const NoContent = { 204: Type.Null() }

/** Accounts, agents, staff, role grants and the audit admin's view of the audit log. */
export function registerIdentityRoutes(app: App, identity: IdentityService): void {
  app.post(
    '/api/v1/accounts/persons',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'Register a natural person (real name and ID number; real-name level 1)',
        body: RegisterPerson,
        response: { 201: PersonView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(presentPerson(await identity.registerPerson(request.body, auditContext(request)))),
  )

  app.post(
    '/api/v1/accounts/companies',
    {
      config: { policy: personAsSelf },
      schema: {
        tags,
        summary: 'Register a company; the logged-in person becomes its legal representative',
        body: RegisterCompany,
        response: { 201: CompanyView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const company = await identity.registerCompany(request.body, actor, auditContext(request))
      return reply.code(201).send(presentCompany(company, await identity.getAccount(actor.accountId)))
    },
  )

  app.get(
    '/api/v1/me',
    {
      config: { policy: authenticated },
      schema: { tags, summary: 'The logged-in account', response: { 200: MeView } },
    },
    async (request) => presentMe(await identity.me(requireActor(request))),
  )

  app.patch(
    '/api/v1/me',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary:
          'Remove the phone number or e-mail (null; confirmed with the current password). New ones: POST /api/v1/me/contact-changes',
        body: UpdateMe,
        response: { 200: MeView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      await identity.updateMe(actor, request.body, auditContext(request))
      return presentMe(await identity.me(actor))
    },
  )

  app.post(
    '/api/v1/me/contact-changes',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary: 'Start changing the phone or e-mail: a code goes to the NEW one (current password required)',
        body: RequestContactChange,
        response: { 202: ContactChangeRequested },
      },
    },
    async (request, reply) => {
      const requested = await identity.requestContactChange(
        requireActor(request),
        request.body,
        auditContext(request),
      )
      return reply.code(202).send({ ...requested, maxAttempts: 5 })
    },
  )

  app.post(
    '/api/v1/me/contact-changes/:id/confirm',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary: 'Apply a phone or e-mail change with the code sent to the new one (10 minutes, 5 tries)',
        params: ContactChangeParams,
        body: ConfirmContactChange,
        response: { 200: MeView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      await identity.confirmContactChange(actor, request.params.id, request.body.code, auditContext(request))
      return presentMe(await identity.me(actor))
    },
  )

  app.get(
    '/api/v1/me/prefill',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary:
          'Your own data in full for prefilling application forms, keyed by prefill source (audited; never cached)',
        response: { 200: PrefillView },
      },
    },
    async (request, reply) => {
      const prefill = await identity.prefill(requireActor(request), auditContext(request))
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(prefill)
    },
  )

  app.post(
    '/api/v1/me/password',
    {
      config: { policy: authenticated },
      schema: { tags, summary: 'Change the password', body: ChangePassword, response: NoContent },
    },
    async (request, reply) => {
      await identity.changePassword(requireActor(request), request.body, auditContext(request))
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/api/v1/me/totp',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary: 'Start enrolling a TOTP second factor: a secret to scan, pending until confirmed',
        response: { 200: TotpEnrolment },
      },
    },
    async (request) => identity.startTotpEnrolment(requireActor(request).accountId),
  )

  app.post(
    '/api/v1/me/totp/confirm',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary: 'Confirm the TOTP secret with a current code',
        body: ConfirmTotp,
        response: NoContent,
      },
    },
    async (request, reply) => {
      const confirmed = await identity.confirmTotpEnrolment(
        requireActor(request).accountId,
        request.body.code,
        {
          ip: request.ip,
          requestId: request.id,
        },
      )
      if (!confirmed)
        throw invalid([
          {
            path: '/code',
            code: 'invalidCode',
            message: {
              zh: '动态验证码不正确，或未开始绑定',
              en: 'The code is wrong, or no enrolment was started',
            },
          },
        ])
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/api/v1/password-resets',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'Send a password reset code by SMS or e-mail (same answer for unknown accounts)',
        body: RequestPasswordReset,
        response: { 202: PasswordResetRequested },
      },
    },
    async (request, reply) => {
      const { expiresInSeconds } = await identity.requestPasswordReset(request.body, auditContext(request))
      return reply.code(202).send({
        message: {
          zh: '如果该账户存在并已绑定所选方式，验证码已发送',
          en: 'If the account exists and has this channel, a code has been sent',
        },
        expiresInSeconds,
      })
    },
  )

  app.post(
    '/api/v1/password-resets/confirm',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'Set a new password with a reset code',
        body: ConfirmPasswordReset,
        response: NoContent,
      },
    },
    async (request, reply) => {
      await identity.confirmPasswordReset(request.body, auditContext(request))
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/api/v1/persons/:id',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary: 'A person account: the person themself, or a window clerk (audited)',
        params: AccountIdParams,
        response: { 200: PersonView },
      },
    },
    async (request) =>
      presentPerson(
        await identity.getPerson(request.params.id, requireActor(request), auditContext(request)),
      ),
  )

  app.post(
    '/api/v1/persons/lookup',
    {
      config: { policy: staffWith('window_clerk') },
      schema: {
        tags,
        summary: 'Find a person by ID number at the counter (window clerk; audited)',
        body: LookUpPerson,
        response: { 200: PersonView },
      },
    },
    async (request) =>
      presentPerson(
        await identity.lookUpPerson(request.body.idNumber, requireActor(request), auditContext(request)),
      ),
  )

  app.post(
    '/api/v1/persons/:id/realname',
    {
      config: { policy: staffWith('window_clerk') },
      schema: {
        tags,
        summary: 'Raise a person’s real-name level after verification at the counter (window clerk)',
        params: AccountIdParams,
        body: RaiseRealNameLevel,
        response: { 200: PersonView },
      },
    },
    async (request) =>
      presentPerson(
        await identity.raiseRealNameLevel(
          request.params.id,
          request.body,
          requireActor(request),
          auditContext(request),
        ),
      ),
  )

  app.get(
    '/api/v1/companies/:id/agents',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'Agent authorizations of a company (its legal representative or the company account)',
        params: AccountIdParams,
        response: { 200: AgentAuthorizationList },
      },
    },
    async (request) => {
      const items = await identity.listAgents(request.params.id, requireActor(request))
      const now = identity.now()
      return { items: items.map((item) => presentAgentAuthorization(item, now)) }
    },
  )

  app.post(
    '/api/v1/companies/:id/agents',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'Authorize a registered person to act for the company until a date (法人经办人)',
        params: AccountIdParams,
        body: CreateAgentAuthorization,
        response: { 201: AgentAuthorizationView },
      },
    },
    async (request, reply) => {
      const authorization = await identity.authorizeAgent(
        request.params.id,
        request.body,
        requireActor(request),
        auditContext(request),
      )
      return reply.code(201).send(presentAgentAuthorization(authorization, identity.now()))
    },
  )

  app.delete(
    '/api/v1/companies/:id/agents/:authorizationId',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'Revoke an agent authorization (effective immediately)',
        params: AgentAuthorizationParams,
        response: NoContent,
      },
    },
    async (request, reply) => {
      await identity.revokeAgent(
        request.params.id,
        request.params.authorizationId,
        requireActor(request),
        auditContext(request),
      )
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/api/v1/staff',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags,
        summary: 'Create a staff account in your region (system admin); roles are granted separately',
        body: CreateStaff,
        response: { 201: CreatedStaff },
      },
    },
    async (request, reply) => {
      const { account, password } = await identity.createStaff(
        request.body,
        requireActor(request),
        auditContext(request),
      )
      return reply.code(201).send({ account: presentStaff(account, []), initialPassword: password })
    },
  )

  app.get(
    '/api/v1/staff',
    {
      config: { policy: staffWith('system_admin', 'security_admin') },
      schema: {
        tags,
        summary: 'Staff accounts of your region subtree',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(StaffView) }) },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0 } = request.query
      const staff = await identity.listStaff(requireActor(request), limit, offset)
      return { items: staff.map((s) => presentStaff(s.account, s.roles)) }
    },
  )

  app.get(
    '/api/v1/staff/:id',
    {
      config: { policy: staffWith('system_admin', 'security_admin') },
      schema: {
        tags,
        summary: 'A staff account and its roles',
        params: AccountIdParams,
        response: { 200: StaffView },
      },
    },
    async (request) => {
      const { account, roles } = await identity.getStaff(request.params.id, requireActor(request))
      return presentStaff(account, roles)
    },
  )

  app.post(
    '/api/v1/staff/:id/roles',
    {
      config: { policy: staffWith('security_admin') },
      schema: {
        tags,
        summary: 'Grant a role (security admin of the region; 三员分立 enforced)',
        params: AccountIdParams,
        body: GrantRole,
        response: { 201: RoleGrantView },
      },
    },
    async (request, reply) => {
      const grant = await identity.grantRole(
        request.params.id,
        request.body,
        requireActor(request),
        auditContext(request),
      )
      return reply.code(201).send(presentRoleGrant(grant))
    },
  )

  app.delete(
    '/api/v1/staff/:id/roles/:grantId',
    {
      config: { policy: staffWith('security_admin') },
      schema: {
        tags,
        summary: 'Revoke a role grant (security admin)',
        params: RoleGrantParams,
        response: NoContent,
      },
    },
    async (request, reply) => {
      await identity.revokeRole(
        request.params.id,
        request.params.grantId,
        requireActor(request),
        auditContext(request),
      )
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/api/v1/accounts/:id/disable',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags,
        summary:
          'Disable an account: no login, its tokens stop working, its sessions are revoked (system admin; audited)',
        params: AccountIdParams,
        body: ChangeAccountStatus,
        response: { 200: AccountStatusView },
      },
    },
    async (request) =>
      presentAccountStatus(
        await identity.disableAccount(
          request.params.id,
          request.body.reason,
          requireActor(request),
          auditContext(request),
        ),
      ),
  )

  app.post(
    '/api/v1/accounts/:id/enable',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags,
        summary: 'Re-enable a disabled account (system admin; audited)',
        params: AccountIdParams,
        body: ChangeAccountStatus,
        response: { 200: AccountStatusView },
      },
    },
    async (request) =>
      presentAccountStatus(
        await identity.enableAccount(
          request.params.id,
          request.body.reason,
          requireActor(request),
          auditContext(request),
        ),
      ),
  )

  app.get(
    '/api/v1/audit',
    {
      config: { policy: staffWith('audit_admin') },
      schema: {
        tags,
        summary: 'The audit log, newest first (audit admin only; reading is itself audited)',
        querystring: AuditQuery,
        response: { 200: AuditList },
      },
    },
    async (request) => {
      const { limit = 50, ...filter } = request.query
      const result = await identity.readAuditLog({ ...filter, limit }, auditContext(request))
      return { items: result.items.map(presentAuditEntry), nextBeforeSeq: result.nextBeforeSeq }
    },
  )
}
