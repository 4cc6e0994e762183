import {
  CreateLicenseGrant,
  LicenseCredentialView,
  LicenseGrantList,
  LicenseGrantParams,
  LicenseGrantView,
  LicenseIdParams,
  LicenseList,
  LicenseQrView,
  LicenseReadList,
  LicenseView,
  SignedLicense,
} from '@tongban/contracts'
import QRCode from 'qrcode'
import { applicant, requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { presentCredential, presentGrant, presentLicense, presentUse } from '../licenses.presenter.ts'
import type { LicensesService } from '../licenses.service.ts'

const tags = ['licenses']

/** The holder's wallet (证照夹): their licenses, the signed file, 亮证. */
export function registerWalletRoutes(app: App, licenses: LicensesService): void {
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
    async (request): Promise<SignedLicense> => {
      const detail = await licenses.own(request.params.id, requireActor(request))
      return licenses.signedFile(detail.record)
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
}

/** The holder's exports: the PDF and the W3C Verifiable Credential. */
export function registerExportRoutes(app: App, licenses: LicensesService): void {
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
      return presentCredential(credential)
    },
  )
}

/** 用证授权: the holder grants, lists and withdraws uses of a license, and sees who used it. */
export function registerGrantRoutes(app: App, licenses: LicensesService): void {
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
  registerGrantEndRoutes(app, licenses)
}

function registerGrantEndRoutes(app: App, licenses: LicensesService): void {
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
      const { id, grantId } = request.params
      const grant = await licenses.withdrawGrant(id, grantId, requireActor(request), auditContext(request))
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
      items: (await licenses.reads(request.params.id, requireActor(request))).map(presentUse),
    }),
  )
}
