import {
  CaseLicenseParams,
  CaseLicenseView,
  ChangeLicense,
  ChangeLicenseStatus,
  GrantedLicenseView,
  GrantIdParams,
  IssueLicense,
  LicenseIdParams,
  LicenseView,
  ReplaceLicense,
} from '@tongban/contracts'
import { requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { grantReaders, issuers } from '../licenses.policy.ts'
import { presentGrant, presentLicense } from '../licenses.presenter.ts'
import type { LicensesService } from '../licenses.service.ts'

const tags = ['licenses']

/** Staff of the issuing department: 颁发, 变更, 补发 and the status of what they issued. */
export function registerIssuingRoutes(app: App, licenses: LicensesService): void {
  registerCaseLicenseRoutes(app, licenses)
  app.post(
    '/api/v1/licenses',
    {
      config: { policy: issuers },
      schema: {
        tags,
        summary: 'Issue a license (颁发), with a reason',
        body: IssueLicense,
        response: { 201: LicenseView },
      },
    },
    async (request, reply) => {
      const issued = await licenses.issue(request.body, requireActor(request), auditContext(request))
      return reply.code(201).send(presentLicense(issued))
    },
  )
  app.post(
    '/api/v1/licenses/:id/change',
    {
      config: { policy: issuers },
      schema: {
        tags,
        summary: '变更: a new version with changed fields',
        params: LicenseIdParams,
        body: ChangeLicense,
        response: { 201: LicenseView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const reissue = { kind: 'change' as const, input: request.body }
      const record = await licenses.reissue(request.params.id, reissue, actor, auditContext(request))
      return reply.code(201).send(presentLicense(await licenses.staffView(record.id, actor)))
    },
  )
  app.post(
    '/api/v1/licenses/:id/replace',
    {
      config: { policy: issuers },
      schema: {
        tags,
        summary: '补发: a new version, same content',
        params: LicenseIdParams,
        body: ReplaceLicense,
        response: { 201: LicenseView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const reissue = { kind: 'replace' as const, input: request.body }
      const record = await licenses.reissue(request.params.id, reissue, actor, auditContext(request))
      return reply.code(201).send(presentLicense(await licenses.staffView(record.id, actor)))
    },
  )
  registerStatusRoute(app, licenses)
}

function registerStatusRoute(app: App, licenses: LicensesService): void {
  app.post(
    '/api/v1/licenses/:id/status',
    {
      config: { policy: issuers },
      schema: {
        tags,
        summary: '注销 / 暂停 / 恢复 a license (effective immediately)',
        params: LicenseIdParams,
        body: ChangeLicenseStatus,
        response: { 200: LicenseView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      await licenses.changeStatus(request.params.id, request.body, actor, auditContext(request))
      return presentLicense(await licenses.staffView(request.params.id, actor))
    },
  )
}

/** Staff of a department (or of a case) a holder granted the use of a license: the logged read. */
export function registerGrantReadRoutes(app: App, licenses: LicensesService): void {
  app.get(
    '/api/v1/license-grants/:grantId/license',
    {
      config: { policy: grantReaders },
      schema: {
        tags,
        summary: 'Read a license through an active grant to my department or one of its cases (logged)',
        params: GrantIdParams,
        response: { 200: GrantedLicenseView },
      },
    },
    async (request) => {
      const { detail, grant } = await licenses.readThroughGrant(
        request.params.grantId,
        requireActor(request),
        auditContext(request),
      )
      return { license: presentLicense(detail), grant: presentGrant(grant, true) }
    },
  )
}

/** What became of a case's license, and the staff retry of a failed issuance. */
function registerCaseLicenseRoutes(app: App, licenses: LicensesService): void {
  app.get(
    '/api/v1/cases/:caseId/license',
    {
      config: { policy: grantReaders },
      schema: {
        tags,
        summary: 'The license a case yields: issued, pending, failed (why, retryable), not applicable',
        params: CaseLicenseParams,
        response: { 200: CaseLicenseView },
      },
    },
    async (request) => licenses.licenseForCaseStaff(request.params.caseId, requireActor(request)),
  )
  app.post(
    '/api/v1/cases/:caseId/license/retry',
    {
      config: { policy: issuers },
      schema: {
        tags,
        summary: "Retry a failed issuance of the case's license (approver or department admin)",
        params: CaseLicenseParams,
        response: { 200: CaseLicenseView },
      },
    },
    async (request) => licenses.retryCaseLicense(request.params.caseId, requireActor(request)),
  )
}
