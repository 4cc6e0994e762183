import {
  CreateDepartment,
  CreateRegion,
  DepartmentList,
  DepartmentQuery,
  DepartmentView,
  IdParams,
  RegionParams,
  RegionView,
  UpdateDepartment,
} from '@tongban/contracts'
import { Type } from 'typebox'
import { holdsRoleFor, publicAccess, requireActor, staffWith } from '../../platform/authz.ts'
import { AppError } from '../../platform/errors.ts'
import type { App } from '../../platform/http.ts'
import { auditContext } from '../../platform/platform.ts'
import { presentDepartment, presentRegion } from './org.presenter.ts'
import type { OrgService } from './org.service.ts'

const tags = ['org']

/** Regions and departments: public reads, administrator writes. */
export function registerOrgRoutes(app: App, org: OrgService): void {
  app.get(
    '/api/v1/regions/:code',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'A region and its ancestors (nearest first)',
        params: RegionParams,
        response: { 200: Type.Object({ region: RegionView, path: Type.Array(RegionView) }) },
      },
    },
    async (request) => {
      const path = await org.regionPath(request.params.code)
      return { region: presentRegion(path[0]!), path: path.slice(1).map(presentRegion) }
    },
  )

  app.get(
    '/api/v1/regions/:code/children',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'Regions directly below a region',
        params: RegionParams,
        response: { 200: Type.Object({ items: Type.Array(RegionView) }) },
      },
    },
    async (request) => ({ items: (await org.regionChildren(request.params.code)).map(presentRegion) }),
  )

  app.post(
    '/api/v1/regions',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags,
        summary: 'Add a township or village (12-digit code)',
        body: CreateRegion,
        response: { 201: RegionView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      if (!holdsRoleFor(actor, ['system_admin'], { regionCode: request.body.parentCode }))
        throw new AppError('forbidden')
      return reply.code(201).send(presentRegion(await org.createRegion(request.body, auditContext(request))))
    },
  )

  app.get(
    '/api/v1/departments',
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'Departments, by region (optionally its subtree), kind or name',
        querystring: DepartmentQuery,
        response: { 200: DepartmentList },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, ...filter } = request.query
      const result = await org.listDepartments({ ...filter, limit, offset })
      return { items: result.items.map(presentDepartment), total: result.total }
    },
  )

  app.get(
    '/api/v1/departments/:id',
    {
      config: { policy: publicAccess },
      schema: { tags, summary: 'One department', params: IdParams, response: { 200: DepartmentView } },
    },
    async (request) => presentDepartment(await org.getDepartment(request.params.id)),
  )

  app.post(
    '/api/v1/departments',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags,
        summary: 'Create a department (system administrator of the region)',
        body: CreateDepartment,
        response: { 201: DepartmentView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      if (!holdsRoleFor(actor, ['system_admin'], { regionCode: request.body.regionCode }))
        throw new AppError('forbidden')
      return reply
        .code(201)
        .send(presentDepartment(await org.createDepartment(request.body, auditContext(request))))
    },
  )

  app.patch(
    '/api/v1/departments/:id',
    {
      config: { policy: staffWith('system_admin', 'department_admin') },
      schema: {
        tags,
        summary: 'Change a department’s details (optimistic concurrency on version)',
        params: IdParams,
        body: UpdateDepartment,
        response: { 200: DepartmentView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const department = await org.getDepartment(request.params.id)
      const scope = { regionCode: department.region_code, departmentId: department.id }
      if (!holdsRoleFor(actor, ['system_admin', 'department_admin'], scope)) throw new AppError('forbidden')
      return presentDepartment(
        await org.updateDepartment(request.params.id, request.body, auditContext(request)),
      )
    },
  )
}
