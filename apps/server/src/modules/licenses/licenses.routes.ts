import {
  ChangeLicense,
  ChangeLicenseStatus,
  CreateLicenseGrant,
  CreateLicenseType,
  DepartmentDidParams,
  DepartmentKeyParams,
  DidDocument,
  GrantIdParams,
  IssueLicense,
  LicenseCredentialView,
  LicenseGrantList,
  LicenseGrantParams,
  LicenseGrantView,
  LicenseIdParams,
  LicenseKeyList,
  LicenseList,
  LicenseQrView,
  LicenseReadList,
  LicenseTypeDefinition,
  LicenseTypeList,
  LicenseTypeParams,
  LicenseVerification,
  LicenseView,
  ReplaceLicense,
  SignedLicense,
  UpdateLicenseType,
  VerifyLicenseQuery,
} from '@tongban/contracts'
import QRCode from 'qrcode'
import { Type } from 'typebox'
import { applicant, publicAccess, requireActor, staffWith } from '../../platform/authz.ts'
import type { App } from '../../platform/http.ts'
import { auditContext } from '../../platform/platform.ts'
import {
  presentGrant,
  presentKey,
  presentLicense,
  presentType,
  presentVerification,
} from './licenses.presenter.ts'
import { ISSUING_ROLES, type LicensesService, READING_ROLES } from './licenses.service.ts'

const tags = ['licenses']

/** 电子证照 routes: types, keys, issuing, wallet, 亮证 and verification, PDF, W3C export, did:web, 用证授权. */
export function registerLicensesRoutes(app: App, licenses: LicensesService): void {
  // ---------------------------------------------------------------- types
  app.get(
    '/api/v1/license-types',
    {
      config: { policy: publicAccess },
      schema: { tags, summary: '证照类型: every license type', response: { 200: LicenseTypeList } },
    },
    async () => ({ items: [...(await licenses.types()).values()].map(presentType) }),
  )

  app.get(
    '/api/v1/license-types/:code',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'One license type',
        params: LicenseTypeParams,
        response: { 200: LicenseTypeDefinition },
      },
    },
    async (request) => presentType(await licenses.getType(request.params.code)),
  )

  app.post(
    '/api/v1/license-types',
    {
      config: { policy: staffWith('department_admin') },
      schema: {
        tags,
        summary: 'Define a license type (department admin of the issuing department kind)',
        body: CreateLicenseType,
        response: { 201: LicenseTypeDefinition },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          presentType(await licenses.createType(request.body, requireActor(request), auditContext(request))),
        ),
  )

  app.put(
    '/api/v1/license-types/:code',
    {
      config: { policy: staffWith('department_admin') },
      schema: {
        tags,
        summary: 'Change a license type (optimistic concurrency on version)',
        params: LicenseTypeParams,
        body: UpdateLicenseType,
        response: { 200: LicenseTypeDefinition },
      },
    },
    async (request) =>
      presentType(
        await licenses.updateType(
          request.params.code,
          request.body,
          requireActor(request),
          auditContext(request),
        ),
      ),
  )

  // ---------------------------------------------------------------- keys
  app.get(
    '/api/v1/licenses/keys',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary:
          'Published signing keys of every department, with validity periods (for offline verification)',
        response: { 200: LicenseKeyList },
      },
    },
    async () => ({ items: (await licenses.publishedKeys()).map(presentKey) }),
  )

  app.post(
    '/api/v1/departments/:departmentId/license-keys/rotate',
    {
      config: { policy: staffWith('security_admin') },
      schema: {
        tags,
        summary: 'Generate or rotate a department’s license signing keys (security admin)',
        params: DepartmentKeyParams,
        response: { 201: LicenseKeyList },
      },
    },
    async (request, reply) => {
      await licenses.rotateKeys(request.params.departmentId, requireActor(request), auditContext(request))
      const keys = await licenses.publishedKeys(request.params.departmentId)
      return reply.code(201).send({ items: keys.map(presentKey) })
    },
  )

  // ---------------------------------------------------------------- issuing (staff)
  app.post(
    '/api/v1/licenses',
    {
      config: { policy: staffWith(...ISSUING_ROLES) },
      schema: {
        tags,
        summary: 'Issue a license (颁发), with a reason',
        body: IssueLicense,
        response: { 201: LicenseView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const issued = await licenses.issue(request.body, actor, auditContext(request))
      return reply.code(201).send(presentLicense(issued))
    },
  )

  for (const kind of ['change', 'replace'] as const) {
    app.post(
      `/api/v1/licenses/:id/${kind}`,
      {
        config: { policy: staffWith(...ISSUING_ROLES) },
        schema: {
          tags,
          summary:
            kind === 'change'
              ? '变更: a new version with changed fields'
              : '补发: a new version, same content',
          params: LicenseIdParams,
          body: kind === 'change' ? ChangeLicense : ReplaceLicense,
          response: { 201: LicenseView },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request)
        const record = await licenses.reissue(
          request.params.id,
          kind,
          request.body as ChangeLicense,
          actor,
          auditContext(request),
        )
        return reply.code(201).send(presentLicense(await licenses.staffView(record.id, actor)))
      },
    )
  }

  app.post(
    '/api/v1/licenses/:id/status',
    {
      config: { policy: staffWith(...ISSUING_ROLES) },
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

  // ---------------------------------------------------------------- verification (public)
  app.get(
    '/api/v1/licenses/verify',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'Verify a scanned 亮证 token: genuine, and valid / expired / suspended / revoked',
        querystring: VerifyLicenseQuery,
        response: { 200: LicenseVerification },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return presentVerification(await licenses.verifyToken(request.query.token))
    },
  )

  // ---------------------------------------------------------------- wallet (holder)
  app.get(
    '/api/v1/me/licenses',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: '证照夹: my licenses and those of the company I act for',
        response: { 200: LicenseList },
      },
    },
    async (request) => ({ items: (await licenses.wallet(requireActor(request))).map(presentLicense) }),
  )

  app.get(
    '/api/v1/me/licenses/:id',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'One of my licenses',
        params: LicenseIdParams,
        response: { 200: LicenseView },
      },
    },
    async (request) => presentLicense(await licenses.own(request.params.id, requireActor(request))),
  )

  app.get(
    '/api/v1/me/licenses/:id/signed',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'The SM2-signed license document, for offline verification',
        params: LicenseIdParams,
        response: { 200: SignedLicense },
      },
    },
    async (request) => {
      const detail = await licenses.own(request.params.id, requireActor(request))
      return licenses.signedFile(detail.record) as unknown as SignedLicense
    },
  )

  app.post(
    '/api/v1/me/licenses/:id/qr',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: '亮证: a short-lived, single-use token and its QR code',
        params: LicenseIdParams,
        response: { 201: LicenseQrView },
      },
    },
    async (request, reply) => {
      const { token, expiresAt } = await licenses.qrToken(request.params.id, requireActor(request))
      const url = licenses.verificationUrl(token)
      const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
      return reply.code(201).send({ token, url, expiresAt: expiresAt.toISOString(), qrSvg })
    },
  )

  app.get(
    '/api/v1/me/licenses/:id/pdf',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary:
          'The license as a PDF, with the QR code of a fresh short-lived token and the signed file attached',
        params: LicenseIdParams,
        response: {
          200: {
            description: 'application/pdf',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
    async (request, reply) => {
      const { bytes, licenseNo } = await licenses.pdfOf(request.params.id, requireActor(request))
      return (
        reply
          .type('application/pdf')
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="license-${licenseNo}.pdf"`)
          // the schema documents the body as binary; the type provider reads that as string
          .send(Buffer.from(bytes) as unknown as string)
      )
    },
  )

  app.get(
    '/api/v1/me/licenses/:id/credential',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary:
          'Export the license as a W3C Verifiable Credential (VC 1.1 JWT, EdDSA) signed with the issuing department’s did:web key',
        params: LicenseIdParams,
        response: { 200: LicenseCredentialView },
      },
    },
    async (request, reply) => {
      const credential = await licenses.exportCredential(
        request.params.id,
        requireActor(request),
        auditContext(request),
      )
      reply.header('cache-control', 'no-store')
      return {
        format: 'jwt_vc_json' as const,
        jwt: credential.jwt,
        issuer: credential.issuer,
        verificationMethod: credential.verificationMethod,
        credentialId: credential.credentialId,
        issuedAt: credential.issuedAt.toISOString(),
        expiresAt: credential.expiresAt ? credential.expiresAt.toISOString() : null,
      }
    },
  )

  // ---------------------------------------------------------------- did:web (public)
  app.get(
    '/departments/:departmentId/did.json',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary:
          'A department’s did:web DID document (did:web:<host>:departments:<id>): its Ed25519 credential keys',
        params: DepartmentDidParams,
        response: { 200: DidDocument },
      },
    },
    async (request, reply) => {
      const document = await licenses.didDocument(request.params.departmentId)
      reply.type('application/did+json').header('cache-control', 'public, max-age=60')
      return document
    },
  )

  // ---------------------------------------------------------------- 用证授权
  app.post(
    '/api/v1/me/licenses/:id/grants',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: '用证授权: let a department or a case use this license for a purpose until a time',
        params: LicenseIdParams,
        body: CreateLicenseGrant,
        response: { 201: LicenseGrantView },
      },
    },
    async (request, reply) => {
      const grant = await licenses.grant(
        request.params.id,
        request.body,
        requireActor(request),
        auditContext(request),
      )
      return reply.code(201).send(presentGrant(grant, licenses.isActive(grant)))
    },
  )

  app.get(
    '/api/v1/me/licenses/:id/grants',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'My grants of a license',
        params: LicenseIdParams,
        response: { 200: LicenseGrantList },
      },
    },
    async (request) => ({
      items: (await licenses.grants(request.params.id, requireActor(request))).map((g) =>
        presentGrant(g, licenses.isActive(g)),
      ),
    }),
  )

  app.delete(
    '/api/v1/me/licenses/:id/grants/:grantId',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'Withdraw a grant (effective immediately)',
        params: LicenseGrantParams,
        response: { 200: LicenseGrantView },
      },
    },
    async (request) => {
      const grant = await licenses.withdrawGrant(
        request.params.id,
        request.params.grantId,
        requireActor(request),
        auditContext(request),
      )
      return presentGrant(grant, false)
    },
  )

  app.get(
    '/api/v1/me/licenses/:id/uses',
    {
      config: { policy: applicant },
      schema: {
        tags,
        summary: 'Who used my license, when, for what',
        params: LicenseIdParams,
        response: { 200: LicenseReadList },
      },
    },
    async (request) => ({
      items: (await licenses.reads(request.params.id, requireActor(request))).map((r) => ({
        readAt: r.read_at.toISOString(),
        readerName: r.reader_name,
        departmentId: r.department_id,
        departmentName: r.department_name ?? null,
        caseId: r.case_id,
        purpose: r.purpose,
        grantId: r.grant_id,
      })),
    }),
  )

  app.get(
    '/api/v1/license-grants/:grantId/license',
    {
      config: { policy: staffWith(...READING_ROLES) },
      schema: {
        tags,
        summary: 'Read a license through an active grant to my department or one of its cases (logged)',
        params: GrantIdParams,
        response: { 200: Type.Object({ license: LicenseView, grant: LicenseGrantView }) },
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
