import type { FormDocument, GuideContent, Material } from '@tongban/contracts'
import type { Actor } from '../../platform/authz.ts'
import type { Module } from '../../platform/module.ts'
import type { Platform } from '../../platform/platform.ts'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { orgModule } from '../org/index.ts'
import { catalogOrgDirectory } from '../wiring.ts'
import type { CatalogPorts, LicenseTypeEntry, LicenseTypesPort } from './catalog.ports.ts'
import { CatalogService } from './catalog.service.ts'
import { createCatalogModule } from './index.ts'

/**
 * The license types the migrations load (20261123T0000_create-catalog-tables), for test servers without
 * the licenses module: guides' 免提交 materials and the demo catalog name them.
 */
export const SEEDED_LICENSE_TYPES: LicenseTypeEntry[] = [
  ['11100000000013127D001', '居民身份证', 'public_security', 'person'],
  ['11100000000013127D002', '居民户口簿', 'public_security', 'person'],
  ['11100000000013127D003', '机动车驾驶证', 'public_security', 'person'],
  ['11100000000013127D004', '机动车行驶证', 'public_security', 'person'],
  ['11100000000013127D005', '居住证', 'public_security', 'person'],
  ['11100000000010014P001', '营业执照', 'market_regulation', 'company'],
  ['11100000000010014P002', '食品经营许可证', 'market_regulation', 'company'],
  ['11100000000010022J001', '结婚证', 'civil_affairs', 'person'],
  ['11100000000010022J002', '离婚证', 'civil_affairs', 'person'],
  ['11100000000010030D001', '出生医学证明', 'health', 'person'],
  ['11100000000010049A001', '不动产权证书', 'natural_resources', 'person'],
  ['11100000000010049A002', '建设工程规划许可证', 'natural_resources', 'company'],
  ['111000000000100575001', '社会保障卡', 'human_resources', 'person'],
  ['111000000000100575002', '退休证', 'human_resources', 'person'],
  ['111000000000100650001', '教师资格证书', 'education', 'person'],
  ['111000000000100650002', '学历证书', 'education', 'person'],
  ['11100000000010073T001', '道路运输经营许可证', 'transport', 'company'],
  ['11100000000010081M001', '排污许可证', 'ecology', 'company'],
  ['111000000000101026001', '中华人民共和国残疾人证', 'disabled_persons', 'person'],
  ['111000000000101101001', '建筑工程施工许可证', 'housing', 'company'],
]
  .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0))
  .map(([code = '', name = '', issuerKind = '', holder = '']) => ({ code, name, issuerKind, holder }))

/** A license-type port answering a fixed list (the seeded types by default). */
export function fixedLicenseTypes(types: LicenseTypeEntry[] = SEEDED_LICENSE_TYPES): LicenseTypesPort {
  return { listLicenseTypes: async () => types.map((t) => ({ ...t })) }
}

/** The catalog's ports in tests: the real org module (its service needs no registration), fixed license types. */
export function testCatalogPorts(platform: Platform): CatalogPorts {
  return { org: catalogOrgDirectory(platform), licenseTypes: fixedLicenseTypes() }
}

/** The catalog module over the test ports, for test servers of org and catalog alone. */
export function testCatalogModule(): Module {
  return createCatalogModule(testCatalogPorts)
}

/** A second catalog node over the same database: its own caches, following the same change log. */
export function anotherCatalogNode(platform: Platform): CatalogService {
  return new CatalogService(platform, testCatalogPorts(platform))
}

/** A catalog test server: the org and catalog modules on a fresh database, with the demo catalog if asked. */
export async function startCatalogServer(options: { demo?: boolean } = {}): Promise<TestServer> {
  return createTestServer({
    modules: [orgModule, testCatalogModule()],
    ...(options.demo ? { config: { demoSeed: true } } : {}),
  })
}

/** Calls a route as one of the test actors (no actor: anonymously); the status and the parsed body. */
export async function callAs(
  server: TestServer,
  as: (name: string) => Record<string, string>,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  actor?: string,
  payload?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: tests read any answer's body
): Promise<{ status: number; body: any }> {
  const response = await server.app.inject({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as object } : {}),
    headers: actor ? as(actor) : {},
  })
  return { status: response.statusCode, body: response.json() }
}

/** A department admin (部门管理员) of one department. */
export function departmentAdmin(
  accountId: string,
  name: string,
  departmentId: string,
  regionCode: string,
): Actor {
  return {
    kind: 'staff',
    accountId,
    name,
    roles: [{ role: 'department_admin', departmentId, regionCode }],
    realNameLevel: 3,
  }
}

/** The provincial system admin, who maintains the base catalog, and a citizen. */
export const catalogActors = {
  systemAdmin: {
    kind: 'staff',
    accountId: 's-sys',
    name: '省系统管理员',
    roles: [{ role: 'system_admin', departmentId: null, regionCode: '330000' }],
    realNameLevel: 3,
  },
  /** A second provincial system admin: the other person who approves what the first one wrote (四眼原则). */
  catalogReviewer: {
    kind: 'staff',
    accountId: 's-sys-2',
    name: '省系统审核员',
    roles: [{ role: 'system_admin', departmentId: null, regionCode: '330000' }],
    realNameLevel: 3,
  },
  citizen: { kind: 'person', accountId: 'p-1', name: '张三', roles: [], realNameLevel: 2 },
} satisfies Record<string, Actor>

/** 营业执照, taken from the electronic license (免提交). */
export const LICENCE_MATERIAL: Material = {
  key: 'licence',
  name: '营业执照',
  form: 'electronic',
  copies: 0,
  required: true,
  source: 'license',
  licenseType: '11100000000010014P001',
}

/** A valid guide of a company item (营业执照 免提交) with the given form, and any other changes. */
export function buildGuideContent(form: FormDocument, overrides: Partial<GuideContent> = {}): GuideContent {
  return {
    kind: 'promised',
    legalLimit: 20,
    promisedLimit: 5,
    visits: 0,
    onlineDepth: 4,
    conditions: '依法设立的企业。',
    procedure: ['申请', '受理', '审查', '决定'],
    result: '许可决定书',
    fees: { free: true, items: [] },
    channels: [{ kind: 'online', name: '浙江政务服务网', url: 'https://www.zjzwfw.gov.cn' }],
    consultationPhone: '0571-87966000',
    complaintPhone: '12345',
    materials: [LICENCE_MATERIAL],
    form,
    ...overrides,
  }
}
