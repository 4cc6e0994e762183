import {
  CreateLicenseType,
  DepartmentKeyParams,
  LicenseKeyList,
  LicenseTypeDefinition,
  LicenseTypeList,
  LicenseTypeParams,
  UpdateLicenseType,
} from '@tongban/contracts'
import { publicAccess, requireActor } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import { keyAdmins, typeAdmins } from '../licenses.policy.ts'
import { presentKey, presentType } from '../licenses.presenter.ts'
import type { LicensesService } from '../licenses.service.ts'

const tags = ['licenses']

/** 证照类型: the public list and definitions, and their administration by department admins. */
export function registerTypeRoutes(app: App, licenses: LicensesService): void {
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
      config: { policy: typeAdmins },
      schema: {
        tags,
        summary: 'Define a license type (department admin of the issuing department kind)',
        body: CreateLicenseType,
        response: { 201: LicenseTypeDefinition },
      },
    },
    async (request, reply) => {
      const created = await licenses.createType(request.body, requireActor(request), auditContext(request))
      return reply.code(201).send(presentType(created))
    },
  )
  app.put(
    '/api/v1/license-types/:code',
    {
      config: { policy: typeAdmins },
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
}

/** Signing keys: published for offline verifiers, generated and rotated by security admins (三员). */
export function registerKeyRoutes(app: App, licenses: LicensesService): void {
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
      config: { policy: keyAdmins },
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
}
