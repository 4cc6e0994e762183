import {
  type BundleContent,
  DEPARTMENT_KINDS,
  type DepartmentKind,
  type FormDocument,
  type GuideContent,
  type ItemType,
  type Material,
} from '@tongban/contracts'
import { buildUscc } from '@tongban/standards'
import type { DepartmentRecord, OrgService } from '../org/index.ts'
import { DEMO_BUNDLES, DEMO_ITEMS, type DemoItem } from './catalog.demo-data.ts'
import type { AuditWho, CatalogService } from './catalog.service.ts'

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

/** Departments the demo catalog needs beyond org's demo list: tax bureaus and disabled persons' federations. */
const EXTRA_DEPARTMENTS: { regionCode: string; name: string; shortName: string; kind: DepartmentKind }[] = [
  { regionCode: '330000', name: '国家税务总局浙江省税务局', shortName: '浙江省税务局', kind: 'taxation' },
  { regionCode: '330100', name: '国家税务总局杭州市税务局', shortName: '杭州市税务局', kind: 'taxation' },
  {
    regionCode: '330106',
    name: '国家税务总局杭州市西湖区税务局',
    shortName: '西湖区税务局',
    kind: 'taxation',
  },
  {
    regionCode: '330108',
    name: '国家税务总局杭州市滨江区税务局',
    shortName: '滨江区税务局',
    kind: 'taxation',
  },
  {
    regionCode: '330110',
    name: '国家税务总局杭州市余杭区税务局',
    shortName: '余杭区税务局',
    kind: 'taxation',
  },
  { regionCode: '330200', name: '国家税务总局宁波市税务局', shortName: '宁波市税务局', kind: 'taxation' },
  {
    regionCode: '330212',
    name: '国家税务总局宁波市鄞州区税务局',
    shortName: '鄞州区税务局',
    kind: 'taxation',
  },
  { regionCode: '330000', name: '浙江省残疾人联合会', shortName: '省残联', kind: 'disabled_persons' },
  {
    regionCode: '330106',
    name: '杭州市西湖区残疾人联合会',
    shortName: '西湖区残联',
    kind: 'disabled_persons',
  },
  {
    regionCode: '330108',
    name: '杭州市滨江区残疾人联合会',
    shortName: '滨江区残联',
    kind: 'disabled_persons',
  },
  {
    regionCode: '330110',
    name: '杭州市余杭区残疾人联合会',
    shortName: '余杭区残联',
    kind: 'disabled_persons',
  },
  {
    regionCode: '330212',
    name: '宁波市鄞州区残疾人联合会',
    shortName: '鄞州区残联',
    kind: 'disabled_persons',
  },
]

type Property = Record<string, unknown>
interface FieldSpec {
  key: string
  property: Property
  label: { zh: string; en: string }
  required: boolean
  prefill?: string
  showIf?: { field: string; equals: string }
}

const text = (zh: string, en: string) => ({ zh, en })

const PERSON_FIELDS: FieldSpec[] = [
  {
    key: 'applicantName',
    property: { type: 'string', minLength: 2, maxLength: 50 },
    label: text('申请人姓名', 'Applicant name'),
    required: true,
    prefill: 'profile.name',
  },
  {
    key: 'applicantIdNumber',
    property: { type: 'string', format: 'id-number' },
    label: text('公民身份号码', 'ID number'),
    required: true,
    prefill: 'profile.idNumber',
  },
  {
    key: 'applicantPhone',
    property: { type: 'string', pattern: '^1\\d{10}$' },
    label: text('手机号码', 'Mobile phone'),
    required: true,
    prefill: 'profile.phone',
  },
]
const COMPANY_FIELDS: FieldSpec[] = [
  {
    key: 'companyName',
    property: { type: 'string', minLength: 2, maxLength: 100 },
    label: text('企业名称', 'Company name'),
    required: true,
    prefill: 'company.name',
  },
  {
    key: 'uscc',
    property: { type: 'string', format: 'uscc' },
    label: text('统一社会信用代码', 'Unified social credit code'),
    required: true,
    prefill: 'company.uscc',
  },
  {
    key: 'legalRepresentative',
    property: { type: 'string', minLength: 2, maxLength: 50 },
    label: text('法定代表人', 'Legal representative'),
    required: true,
    prefill: 'company.legalRepresentative',
  },
  {
    key: 'contactPhone',
    property: { type: 'string', pattern: '^1\\d{10}$' },
    label: text('联系电话', 'Contact phone'),
    required: true,
    prefill: 'profile.phone',
  },
]

/** Parses `key:type:中文:English`, `?` for optional, `|if=field=value` for a condition. */
function parseField(spec: string): FieldSpec {
  const [main = '', condition] = spec.split('|if=')
  const optional = main.endsWith('?')
  const [key = '', type = 's', zh = '', en = ''] = (optional ? main.slice(0, -1) : main).split(':')
  let property: Property
  if (type === 'i') property = { type: 'integer', minimum: 0 }
  else if (type === 'b') property = { type: 'boolean' }
  else if (type === 'd') property = { type: 'string', format: 'date' }
  else if (type.startsWith('e(')) property = { type: 'string', enum: type.slice(2, -1).split('/') }
  else if (/idnumber$/i.test(key)) property = { type: 'string', format: 'id-number' }
  else property = { type: 'string', minLength: 1, maxLength: 200 }
  const field: FieldSpec = { key, property, label: text(zh, en), required: !optional }
  if (condition) {
    const [field_, equals = ''] = condition.split('=')
    field.showIf = { field: field_ ?? '', equals }
  }
  return field
}

/** The form of a demo item: who applies (prefilled) and the item's own questions. */
export function buildForm(item: DemoItem): FormDocument {
  const who = item.who === 'c' ? COMPANY_FIELDS : PERSON_FIELDS
  const own = item.fields.map(parseField)
  const properties: Record<string, Property> = {}
  const fields: FormDocument['ui']['fields'] = {}
  const prefill: Record<string, string> = {}
  for (const field of [...who, ...own]) {
    properties[field.key] = { ...field.property, title: field.label.zh }
    fields[field.key] = { label: field.label, ...(field.showIf ? { showIf: field.showIf } : {}) }
    if (field.prefill) prefill[field.key] = field.prefill
  }
  return {
    schema: {
      type: 'object',
      properties,
      required: [...who, ...own].filter((f) => f.required).map((f) => f.key),
      additionalProperties: false,
    },
    ui: {
      sections: [
        {
          key: item.who === 'c' ? 'company' : 'applicant',
          title: item.who === 'c' ? text('申请单位', 'Applicant company') : text('申请人', 'Applicant'),
          fields: who.map((f) => f.key),
        },
        { key: 'details', title: text('申请事项', 'Application details'), fields: own.map((f) => f.key) },
      ],
      fields,
    },
    prefill,
  }
}

/** Parses the material notation of catalog.demo-data.ts. */
export function buildMaterials(item: DemoItem, licenseCodes: Map<string, string>): Material[] {
  return item.materials.map((spec, index) => {
    const optional = spec.endsWith('?')
    const body = optional ? spec.slice(0, -1) : spec
    const [kind = 'U', rest = ''] = body.split(/:(.*)/s)
    const key = `m${index + 1}`
    if (kind === 'L') {
      const code = licenseCodes.get(rest)
      if (!code) throw new Error(`demo catalog: unknown license type ${rest}`)
      return {
        key,
        name: rest,
        form: 'electronic',
        copies: 0,
        required: !optional,
        source: 'license',
        licenseType: code,
        note: '免提交：由电子证照库调取',
      }
    }
    if (kind === 'S') {
      const [name = rest, resource = rest] = rest.split('@')
      return {
        key,
        name,
        form: 'electronic',
        copies: 0,
        required: !optional,
        source: 'shared',
        sharedResource: resource,
        note: '免提交：通过数据共享获取',
      }
    }
    if (kind === 'D')
      return { key, name: rest, form: 'electronic', copies: 0, required: !optional, source: 'department' }
    return {
      key,
      name: rest,
      form: kind === 'UC' ? 'copy' : 'original',
      copies: 1,
      required: !optional,
      source: 'upload',
    }
  })
}

/** The complete guide of a demo item as implemented by one department. */
export function buildGuide(
  item: DemoItem,
  department: DepartmentRecord,
  licenseCodes: Map<string, string>,
): GuideContent {
  const [legalLimit, promisedLimit] = item.limits
  const immediate = promisedLimit === 0
  return {
    kind: immediate ? 'immediate' : 'promised',
    legalLimit,
    promisedLimit,
    visits: item.visits,
    onlineDepth: item.depth,
    conditions: `${item.who === 'c' ? '依法设立的企业或其他组织' : '符合条件的自然人'}申请${item.name}，申请材料齐全、符合法定形式。`,
    procedure: immediate
      ? ['网上或窗口提交申请', '即时受理审核', '当场办结']
      : ['提交申请', '受理', '审查', '作出决定', '送达结果'],
    result: item.result,
    fees: item.fee
      ? { free: false, items: [{ name: item.fee[0], amount: item.fee[1], basis: item.fee[2] }] }
      : { free: true, items: [] },
    channels: [
      { kind: 'online', name: '浙江政务服务网', url: 'https://www.zjzwfw.gov.cn' },
      { kind: 'mobile', name: '浙里办 App' },
      {
        kind: 'window',
        name: `${department.short_name}综合窗口`,
        address: department.address ?? '',
        hours: '工作日 9:00—12:00，13:30—17:00',
      },
      ...(item.kind === 'public_security' || item.kind === 'human_resources'
        ? [
            {
              kind: 'self_service' as const,
              name: '政务服务自助终端',
              address: department.address ?? '',
              hours: '全天',
            },
          ]
        : []),
    ],
    consultationPhone: department.phone ?? '12345',
    complaintPhone: '12345',
    materials: buildMaterials(item, licenseCodes),
    form: buildForm(item),
  }
}

/** Loads the demo catalog: items, implementations in the demo departments with published guides, bundles. */
export async function seedCatalogDemo(catalog: CatalogService, org: OrgService): Promise<void> {
  if ((await catalog.listItems({ limit: 1, offset: 0 })).total > 0) return
  let serial = 2_490_000
  for (const extra of EXTRA_DEPARTMENTS) {
    const existing = await org.listDepartments({
      region: extra.regionCode,
      kind: extra.kind,
      limit: 1,
      offset: 0,
    })
    if (existing.total > 0) continue
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
  const licenseCodes = new Map((await catalog.licenseTypes()).map((t) => [t.name, t.code]))
  const codes = demoItemCodes()
  const departmentsByPlace = new Map<string, DepartmentRecord>()
  for (const region of Object.values(PLACES).flat()) {
    for (const department of (await org.listDepartments({ region, limit: 200, offset: 0 })).items)
      departmentsByPlace.set(`${region}|${department.kind}`, department)
  }
  for (const [index, item] of DEMO_ITEMS.entries()) {
    const code = codes[index]!
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
    // each level's demo places; a county without a department of the kind is served by its city
    const places = new Set<string>()
    for (const level of levels)
      for (const region of PLACES[level]) {
        if (departmentsByPlace.has(`${region}|${item.kind}`)) places.add(region)
        else if (level === 'county') {
          const city = `${region.slice(0, 4)}00`
          if (departmentsByPlace.has(`${city}|${item.kind}`)) places.add(city)
        }
      }
    for (const region of places) {
      const department = departmentsByPlace.get(`${region}|${item.kind}`)!
      const implementation = await catalog.createImplementation(
        { itemCode: code, regionCode: region, departmentId: department.id },
        system,
      )
      await catalog.publishReviewed(implementation.id, buildGuide(item, department, licenseCodes), system)
    }
  }
  for (const bundle of DEMO_BUNDLES) {
    const itemCodes = bundle.items.map((name) => {
      const index = DEMO_ITEMS.findIndex((i) => i.name === name)
      if (index < 0) throw new Error(`demo bundle ${bundle.code}: unknown item ${name}`)
      return codes[index]!
    })
    // led by the provincial department of the bundle's first item (开办企业: market regulation …)
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
