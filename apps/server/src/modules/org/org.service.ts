import {
  type CreateDepartment,
  type CreateRegion,
  DEPARTMENT_KINDS,
  type UpdateDepartment,
} from '@tongban/contracts'
import { listRegions, validateUscc } from '@tongban/standards'
import type { AuditEntry } from '../../platform/audit.ts'
import { AppError, invalid, notFound } from '../../platform/errors.ts'
import type { Platform } from '../../platform/platform.ts'
import { type DepartmentRecord, OrgRepository, type RegionRecord } from './org.repository.ts'

/** Who is making a change, for the audit entry. */
export type AuditWho = Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>

const LEVEL_ORDER = ['province', 'prefecture', 'county', 'township', 'village']

/** 组织机构: regions and departments. */
export class OrgService {
  readonly repository: OrgRepository

  constructor(private readonly platform: Platform) {
    this.repository = new OrgRepository(platform.db)
  }

  /** Loads the national region table into the database when it is missing or changed. */
  async syncNationalRegions(): Promise<void> {
    const regions = listRegions()
    if ((await this.repository.countRegions('gb2260')) === regions.length) return
    const ordered = [...regions].sort(
      (a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || a.code.localeCompare(b.code),
    )
    await this.repository.upsertRegions(
      ordered.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parentCode ?? null })),
    )
  }

  async getRegion(code: string): Promise<RegionRecord> {
    const region = await this.repository.findRegion(code)
    if (!region) throw notFound({ zh: `行政区划 ${code} 不存在`, en: `Region ${code} does not exist` })
    return region
  }

  async regionChildren(code: string): Promise<RegionRecord[]> {
    await this.getRegion(code)
    return this.repository.findRegionChildren(code)
  }

  /** The region and its ancestors, nearest first. */
  async regionPath(code: string): Promise<RegionRecord[]> {
    const path = await this.repository.findRegionPath(code)
    if (path.length === 0)
      throw notFound({ zh: `行政区划 ${code} 不存在`, en: `Region ${code} does not exist` })
    return path
  }

  /** Adds a township (under a county) or village (under a township) with its 12-digit code. */
  async createRegion(input: CreateRegion, who: AuditWho): Promise<RegionRecord> {
    const parent = await this.repository.findRegion(input.parentCode)
    const isTownship = input.code.endsWith('000')
    const expectedParentLevel = isTownship ? 'county' : 'township'
    const structurallyBelow = isTownship
      ? input.code.startsWith(input.parentCode.slice(0, 6)) && !input.code.slice(6).startsWith('000')
      : input.code.startsWith(input.parentCode.slice(0, 9))
    if (!parent || parent.level !== expectedParentLevel || !structurallyBelow) {
      throw invalid([
        {
          path: '/parentCode',
          code: 'parent',
          message: {
            zh: isTownship
              ? '乡镇（街道）须设在其代码前 6 位所指的区县之下'
              : '村（社区）须设在其代码前 9 位所指的乡镇（街道）之下',
            en: isTownship
              ? 'A township belongs under the county named by the first 6 digits of its code'
              : 'A village belongs under the township named by the first 9 digits of its code',
          },
        },
      ])
    }
    const level = isTownship ? 'township' : 'village'
    await this.platform.db.transaction().execute(async (trx) => {
      await this.repository.insertRegion(trx, {
        code: input.code,
        name: input.name,
        level,
        parentCode: input.parentCode,
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'region.create',
        resourceType: 'region',
        resourceId: input.code,
        regionCode: input.code,
        outcome: 'success',
        details: { name: input.name, parentCode: input.parentCode },
      })
    })
    return { code: input.code, name: input.name, level, parent_code: input.parentCode, source: 'local' }
  }

  async getDepartment(id: string): Promise<DepartmentRecord> {
    const department = await this.repository.findDepartmentById(id)
    if (!department) throw notFound({ zh: '部门不存在', en: 'The department does not exist' })
    return department
  }

  findDepartment(id: string): Promise<DepartmentRecord | undefined> {
    return this.repository.findDepartmentById(id)
  }

  async listDepartments(filter: {
    region?: string
    within?: boolean
    kind?: string
    q?: string
    limit: number
    offset: number
  }) {
    let regionCodes: string[] | undefined
    if (filter.region)
      regionCodes = filter.within ? await this.repository.findSubtreeCodes(filter.region) : [filter.region]
    return this.repository.findDepartments({
      ...(regionCodes ? { regionCodes } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.q ? { q: filter.q } : {}),
      limit: filter.limit,
      offset: filter.offset,
    })
  }

  async createDepartment(input: CreateDepartment, who: AuditWho): Promise<DepartmentRecord> {
    const uscc = validateUscc(input.uscc)
    if (!uscc.ok) throw invalid([{ path: '/uscc', code: uscc.error.code, message: uscc.error.message }])
    if (!(input.kind in DEPARTMENT_KINDS)) {
      throw invalid([
        { path: '/kind', code: 'enum', message: { zh: '部门类别不存在', en: 'Unknown department kind' } },
      ])
    }
    const region = await this.repository.findRegion(input.regionCode)
    if (!region)
      throw invalid([
        { path: '/regionCode', code: 'region', message: { zh: '行政区划不存在', en: 'Unknown region code' } },
      ])
    const id = await this.platform.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('departments')
        .select(['uscc', 'name'])
        .where((eb) =>
          eb.or([
            eb('uscc', '=', uscc.value),
            eb.and([eb('region_code', '=', input.regionCode), eb('name', '=', input.name)]),
          ]),
        )
        .executeTakeFirst()
      if (taken) {
        throw new AppError('duplicate', {
          errors: [
            taken.uscc === uscc.value
              ? {
                  path: '/uscc',
                  code: 'duplicate',
                  message: {
                    zh: '该统一社会信用代码已被其他部门使用',
                    en: 'Another department has this credit code',
                  },
                }
              : {
                  path: '/name',
                  code: 'duplicate',
                  message: { zh: '该地区已有同名部门', en: 'A department of this name exists in the region' },
                },
          ],
        })
      }
      const { id } = await this.repository.insertDepartment(trx, {
        regionCode: input.regionCode,
        name: input.name,
        shortName: input.shortName,
        kind: input.kind,
        uscc: uscc.value,
        phone: input.phone ?? null,
        address: input.address ?? null,
      })
      await this.platform.audit.append(trx, {
        ...who,
        action: 'department.create',
        resourceType: 'department',
        resourceId: id,
        regionCode: input.regionCode,
        outcome: 'success',
        details: { name: input.name, kind: input.kind },
      })
      return id
    })
    return this.getDepartment(id)
  }

  async updateDepartment(id: string, input: UpdateDepartment, who: AuditWho): Promise<DepartmentRecord> {
    const current = await this.getDepartment(id)
    await this.platform.db.transaction().execute(async (trx) => {
      const changes = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.shortName !== undefined ? { short_name: input.shortName } : {}),
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        ...(input.address !== undefined ? { address: input.address } : {}),
      }
      if (!(await this.repository.updateDepartment(trx, id, input.version, changes))) {
        throw new AppError('stale-version', {
          detail: {
            zh: `部门信息已更新到第 ${current.version} 版`,
            en: `The department is now at version ${current.version}`,
          },
        })
      }
      await this.platform.audit.append(trx, {
        ...who,
        action: 'department.update',
        resourceType: 'department',
        resourceId: id,
        regionCode: current.region_code,
        outcome: 'success',
        details: changes,
      })
    })
    return this.getDepartment(id)
  }
}
