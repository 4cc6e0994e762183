import { type BundleContent, DEPARTMENT_KINDS, type ItemType } from '@tongban/contracts'
import { buildUscc } from '@tongban/standards'
import { DEMO_BUNDLES, DEMO_EXTRA_DEPARTMENTS, DEMO_ITEMS, type DemoItem } from './catalog.demo-data.ts'
import type { AuditWho, Department, OrgDirectoryPort } from './catalog.ports.ts'
import type { CatalogService } from './catalog.service.ts'
import { buildGuide } from './demo/demo-guides.ts'

const system: AuditWho = { actorId: null, actorKind: 'system', ip: null, requestId: null }

/** Item code prefixes by type (pinyin initials: 许可 XK, 确认 QR, 给付 JF …). */
const TYPE_PREFIX: Record<ItemType, string> = {
  administrative_license: 'XK',
  administrative_confirmation: 'QR',
  administrative_payment: 'JF',
  administrative_ruling: 'CJ',
  administrative_reward: 'JL',
  administrative_levy: 'ZS',
  administrative_inspection: 'JC',
  administrative_penalty: 'CF',
  administrative_enforcement: 'QZ',
  other_power: 'QT',
  public_service: 'GG',
}

/**
 * Demo item codes: type prefix, 2-digit department kind (its place in DEPARTMENT_KINDS), 3-digit serial,
 * e.g. XK01001 企业设立登记. Real provinces use their own 基本编码; this is a stand-in of the same role.
 */
export function demoItemCodes(items: DemoItem[] = DEMO_ITEMS): string[] {
  const kinds = Object.keys(DEPARTMENT_KINDS)
  const serials = new Map<string, number>()
  return items.map((item) => {
    const prefix = `${TYPE_PREFIX[item.type]}${String(kinds.indexOf(item.kind)).padStart(2, '0')}`
    const serial = (serials.get(prefix) ?? 0) + 1
    serials.set(prefix, serial)
    return `${prefix}${String(serial).padStart(3, '0')}`
  })
}

const LEVELS: Record<string, 'province' | 'prefecture' | 'county'> = {
  P: 'province',
  C: 'prefecture',
  X: 'county',
}
const PLACES: Record<'province' | 'prefecture' | 'county', string[]> = {
  province: ['330000'],
  prefecture: ['330100', '330200'],
  county: ['330106', '330108', '330110', '330212'],
}

/** Departments of the demo places by `<region>|<kind>`. */
type DemoDepartments = Map<string, Department>

/** Loads the demo catalog: items, implementations in the demo departments with published guides, bundles. */
export async function seedCatalogDemo(catalog: CatalogService, org: OrgDirectoryPort): Promise<void> {
  if ((await catalog.listItems({ limit: 1, offset: 0 })).total > 0) return
  await seedExtraDepartments(org)
  const licenseCodes = new Map((await catalog.licenseTypes()).map((t) => [t.name, t.code]))
  const codes = demoItemCodes()
  const departmentsByPlace: DemoDepartments = new Map()
  for (const region of Object.values(PLACES).flat())
    for (const department of await org.listDepartments({ regionCode: region }))
      departmentsByPlace.set(`${region}|${department.kind}`, department)
  for (const [index, item] of DEMO_ITEMS.entries())
    await seedItem(catalog, item, codes[index]!, departmentsByPlace, licenseCodes)
  await seedBundles(catalog, codes, departmentsByPlace)
}

/** The tax bureaus and federations the demo catalog needs beyond org's demo departments. */
async function seedExtraDepartments(org: OrgDirectoryPort): Promise<void> {
  let serial = 2_490_000
  for (const extra of DEMO_EXTRA_DEPARTMENTS) {
    const existing = await org.listDepartments({ regionCode: extra.regionCode, kind: extra.kind })
    if (existing.length > 0) continue
    await org.createDepartment(
      {
        ...extra,
        uscc: buildUscc({
          registrationAuthority: '1',
          entityType: '1',
          regionCode: extra.regionCode,
          organizationCode: serial++,
        }),
        phone: '12366',
        address: '浙江省杭州市',
      },
      system,
    )
  }
}

/** One demo item: the base item, and its implementations with published guides in the demo places. */
async function seedItem(
  catalog: CatalogService,
  item: DemoItem,
  code: string,
  departmentsByPlace: DemoDepartments,
  licenseCodes: Map<string, string>,
): Promise<void> {
  const levels = [...new Set([...item.levels].map((l) => LEVELS[l]!))]
  await catalog.createItem(
    {
      code,
      name: item.name,
      type: item.type,
      legalBasis: item.basis,
      departmentKind: item.kind,
      levels,
      audience: item.who === 'pc' ? ['person', 'company'] : item.who === 'c' ? ['company'] : ['person'],
      themes: item.themes,
      keywords: item.keywords,
      description: `${item.name}：${item.result}。`,
    },
    system,
  )
  for (const region of placesOf(item, levels, departmentsByPlace)) {
    const department = departmentsByPlace.get(`${region}|${item.kind}`)!
    const implementation = await catalog.createImplementation(
      { itemCode: code, regionCode: region, departmentId: department.id },
      system,
    )
    await catalog.publishReviewed(implementation.id, buildGuide(item, department, licenseCodes), system)
  }
}

/** Each level's demo places; a county without a department of the kind is served by its city. */
function placesOf(item: DemoItem, levels: (keyof typeof PLACES)[], departmentsByPlace: DemoDepartments) {
  const places = new Set<string>()
  for (const level of levels)
    for (const region of PLACES[level]) {
      if (departmentsByPlace.has(`${region}|${item.kind}`)) places.add(region)
      else if (level === 'county') {
        const city = `${region.slice(0, 4)}00`
        if (departmentsByPlace.has(`${city}|${item.kind}`)) places.add(city)
      }
    }
  return places
}

/** The demo bundles, each led by the provincial department of its first item (开办企业: market regulation …). */
async function seedBundles(catalog: CatalogService, codes: string[], departmentsByPlace: DemoDepartments) {
  for (const bundle of DEMO_BUNDLES) {
    const itemCodes = bundle.items.map((name) => {
      const index = DEMO_ITEMS.findIndex((i) => i.name === name)
      if (index < 0) throw new Error(`demo bundle ${bundle.code}: unknown item ${name}`)
      return codes[index]!
    })
    const firstKind = DEMO_ITEMS.find((i) => i.name === bundle.items[0])!.kind
    const lead = departmentsByPlace.get(`330000|${firstKind}`)
    if (!lead) throw new Error(`demo bundle ${bundle.code}: no provincial ${firstKind} department`)
    await catalog.publishReviewedBundle(
      bundle.code,
      {
        name: bundle.name,
        description: bundle.description,
        audience: bundle.audience as ('person' | 'company')[],
        themes: bundle.themes as BundleContent['themes'],
        itemCodes,
        leadDepartmentId: lead.id,
      },
      system,
    )
  }
}
