import { DepartmentDidParams, DidDocument, LicenseVerification, VerifyLicenseQuery } from '@tongban/contracts'
import { publicAccess } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { presentVerification } from '../licenses.presenter.ts'
import type { LicensesService } from '../licenses.service.ts'

const tags = ['licenses']

/** Online verification of a scanned 亮证 token, for anyone (a bank, a hotel). */
export function registerVerificationRoutes(app: App, licenses: LicensesService): void {
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
}

/** did:web documents of the issuing departments, for verifiers of exported credentials. */
export function registerDidRoutes(app: App, licenses: LicensesService): void {
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
}
