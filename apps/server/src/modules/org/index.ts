import type { Module } from '../../platform/module.ts'
import type { Platform } from '../../platform/platform.ts'
import { demoDepartments } from './org.demo.ts'
import { registerOrgRoutes } from './org.routes.ts'
import { OrgService } from './org.service.ts'

export { DEMO_PROVINCE } from './org.demo.ts'
export type { DepartmentRecord, RegionRecord } from './org.repository.ts'
export { OrgService } from './org.service.ts'

const services = new WeakMap<Platform, OrgService>()

/** The org service of a platform (one per process). */
export function orgService(platform: Platform): OrgService {
  let service = services.get(platform)
  if (!service) {
    service = new OrgService(platform)
    services.set(platform, service)
  }
  return service
}

/** 组织机构 module: regions (GB/T 2260 and local townships/villages) and departments. */
export const orgModule: Module = {
  name: 'org',
  tables: ['regions', 'departments'],
  async register(app, platform) {
    const org = orgService(platform)
    await org.syncNationalRegions()
    registerOrgRoutes(app, org)
  },
  async seedDemo(platform) {
    const org = orgService(platform)
    await org.syncNationalRegions()
    const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }
    for (const department of demoDepartments()) {
      const existing = await org.repository.findDepartments({
        regionCodes: [department.regionCode],
        q: department.name,
        limit: 1,
        offset: 0,
      })
      if (existing.total === 0) await org.createDepartment(department, system)
    }
  },
}
