import { getRegion, parseIdNumber, parseUscc, regionAncestors } from '@tongban/standards'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import type { DepartmentRecord, OrgService } from '../org/index.ts'
import type { AuditWho, LicensesService } from './licenses.service.ts'

/** A demo citizen as the identity module knows them. */
export interface DemoCitizen {
  accountId: string
  name: string
  idNumber: string
}

/** A demo company, with the name of its legal representative (法定代表人). */
export interface DemoCompany {
  accountId: string
  name: string
  uscc: string
  legalRepresentative: string
}

/** The identity module's demo accounts as the licenses demo sees them (a port: no reach into its tables). */
export interface DemoHolders {
  /** Demo citizens in a stable order, the documented ones (张伟, 李娜, 王芳, 陈建国) first. */
  citizens(): Promise<DemoCitizen[]>
  companies(): Promise<DemoCompany[]>
}

const TYPES = {
  idCard: '11100000000013127D001',
  drivingLicense: '11100000000013127D003',
  businessLicense: '11100000000010014P001',
  marriage: '11100000000010022J001',
  birth: '11100000000010030D001',
  realEstate: '11100000000010049A001',
  socialSecurityCard: '111000000000100575001',
} as const

const SYSTEM: AuditWho = { actorId: null, actorKind: 'system', ip: null, requestId: null }

/** mulberry32: the demo is the same on every install (no Math.random). */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const STREETS: Record<string, string[]> = {
  '330106': ['文三路', '天目山路', '古墩路', '学院路', '教工路'],
  '330108': ['江南大道', '滨盛路', '长河路', '江陵路'],
  '330110': ['文一西路', '南大街', '五常大道', '良渚路'],
  '330212': ['天童南路', '四明中路', '鄞州大道', '首南西路'],
}
const GENERIC_STREETS = ['人民路', '解放路', '中山路', '建设路', '文化路', '新华路']
const BANKS = ['中国工商银行', '中国农业银行', '中国银行', '中国建设银行', '交通银行', '杭州银行', '宁波银行']
const SCOPES: [RegExp, string][] = [
  [
    /科技|数字|物联网|云计算|光电/,
    '技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务；物联网技术服务',
  ],
  [/文化|动漫/, '组织文化艺术交流活动；文艺创作；动漫游戏开发；旅游开发项目策划咨询'],
  [/医疗器械/, '第二类医疗器械生产；第二类医疗器械销售；医疗设备租赁'],
  [/生物医药/, '医学研究和试验发展；生物化工产品技术研发；技术服务、技术开发'],
  [
    /装备|模具|机械|小家电|新材料|石化/,
    '通用设备制造（不含特种设备制造）；机械设备研发；机械设备销售；模具制造',
  ],
  [/贸易|商贸|电子商务/, '货物进出口；技术进出口；日用百货销售；互联网销售（除销售需要许可的商品）'],
  [/茶业/, '茶叶种植；初级农产品收购；食品销售（仅销售预包装食品）'],
  [/竹木/, '竹制品制造；木制品制造；竹制品销售；木制品销售'],
  [/丝绸|服饰|服装/, '服装制造；服饰制造；面料纺织加工；服装服饰零售'],
  [/物流/, '普通货物仓储服务（不含危险化学品等需许可审批的项目）；国内货物运输代理；装卸搬运'],
  [/餐饮/, '餐饮管理；外卖递送服务；食品销售（仅销售预包装食品）'],
  [/渔业/, '水产品收购；水产品批发；水产品零售'],
]

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The full name of a 行政区划 with its ancestors: 浙江省杭州市西湖区. */
function placeName(regionCode: string): string {
  const region = getRegion(regionCode)
  if (!region) return '浙江省'
  const names = [...regionAncestors(regionCode)].reverse().map((r) => r.name)
  return [...names, region.name].filter((name) => name !== '市辖区').join('')
}

/** A license to seed: everything `issue` needs, plus what happens to it afterwards. */
interface Plan {
  typeCode: string
  kind: string
  regionCode: string
  holder: { kind: 'person' | 'company'; accountId: string; name: string; identifier: string }
  fields: Record<string, unknown>
  validFrom: string
  validUntil?: string
  issuedOn: string
  afterwards?:
    | { action: 'change'; fields: Record<string, unknown>; reason: string }
    | { action: 'suspend'; reason: string }
}

/**
 * 电子证照 demo data: SM2 and Ed25519 keys for every demo department that issues licenses (as the security
 * administrator would generate them), then licenses signed with those keys for the demo people and
 * companies — 居民身份证, 社会保障卡, 机动车驾驶证 (one of them expired), 结婚证 (both spouses), 不动产权证书,
 * 出生医学证明 and a 营业执照 for every company (one changed to a second version, one suspended) — so the
 * wallet, 亮证 and the verifier have something to show. Issued through the service's own rules. Running it
 * again adds nothing: departments with a key keep it, holders with a license of a type get no second one.
 */
export async function seedLicensesDemo(
  licenses: LicensesService,
  org: OrgService,
  holders: DemoHolders,
): Promise<{ keys: number; licenses: number }> {
  const random = seeded(20_261_124)
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1))
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const date = (fromYear: number, toYear: number) =>
    `${between(fromYear, toYear)}-${pad(between(1, 12))}-${pad(between(1, 28))}`

  // ---- keys: every department of a kind that issues some license type
  const { items: departments } = await org.listDepartments({
    region: '330000',
    within: true,
    limit: 1000,
    offset: 0,
  })
  const types = await licenses.types()
  const issuerKinds = new Set([...types.values()].map((t) => t.issuer_kind))
  let keys = 0
  for (const department of departments) {
    if (!issuerKinds.has(department.kind)) continue
    if (await licenses.repository.findCurrentKey(department.id, 'SM2')) continue
    await licenses.rotateKeys(department.id, null, SYSTEM)
    keys += 1
  }

  /** The department of a kind nearest to a region: the county's, else its city's, else the province's. */
  const departmentFor = (kind: string, regionCode: string): DepartmentRecord | undefined => {
    for (const code of [regionCode, ...regionAncestors(regionCode).map((r) => r.code), '330000']) {
      const found = departments.find((d) => d.kind === kind && d.region_code === code)
      if (found) return found
    }
    return undefined
  }
  const address = (regionCode: string) => {
    const streets = STREETS[regionCode] ?? GENERIC_STREETS
    return `${placeName(regionCode)}${pick(streets)}${between(1, 399)}号`
  }
  const flat = () => `${between(1, 18)}幢${between(1, 3)}单元${between(2, 28)}0${between(1, 4)}室`

  // ---- what to issue
  const plans: Plan[] = []
  const citizens = await holders.citizens()
  const people = citizens.map((citizen) => {
    const info = parseIdNumber(citizen.idNumber)
    if (!info.ok) throw new Error(`demo citizen ${citizen.name} has an invalid ID number`)
    return { ...citizen, ...info.value, home: address(info.value.regionCode) }
  })
  const person = (p: (typeof people)[number]) => ({
    kind: 'person' as const,
    accountId: p.accountId,
    name: p.name,
    identifier: p.idNumber,
  })
  const yearOf = (day: string) => Number(day.slice(0, 4))

  for (const [index, p] of people.slice(0, 24).entries()) {
    const age = 2026 - yearOf(p.birthDate)
    const idIssued = date(Math.max(yearOf(p.birthDate) + 16, 2012), 2024)
    const idYears = age < 26 ? 10 : 20
    plans.push({
      typeCode: TYPES.idCard,
      kind: 'public_security',
      regionCode: p.regionCode,
      holder: person(p),
      fields: {
        name: p.name,
        gender: p.sex === 'male' ? '男' : '女',
        ethnicity: index % 11 === 7 ? '畲' : '汉',
        birthDate: p.birthDate,
        address: p.home,
        idNumber: p.idNumber,
      },
      validFrom: idIssued,
      validUntil: `${yearOf(idIssued) + idYears}${idIssued.slice(4)}`,
      issuedOn: idIssued,
    })
    const cardIssued = date(2020, 2024)
    plans.push({
      typeCode: TYPES.socialSecurityCard,
      kind: 'human_resources',
      regionCode: p.regionCode,
      holder: person(p),
      fields: {
        name: p.name,
        socialSecurityNumber: p.idNumber,
        cardNumber: `${pick([...'ABCDEFGH'])}${pad(between(0, 99_999_999), 8)}`,
        bank: pick(BANKS),
      },
      validFrom: cardIssued,
      issuedOn: cardIssued,
    })
    if (index % 2 === 0 && age >= 20) {
      const first = date(Math.max(yearOf(p.birthDate) + 18, 1995), 2020)
      // the renewals of a 驾驶证 run 6 years; the third demo card was never renewed and has expired
      const from = index === 2 ? '2019-03-01' : date(2021, 2025)
      plans.push({
        typeCode: TYPES.drivingLicense,
        kind: 'public_security',
        regionCode: p.regionCode,
        holder: person(p),
        fields: {
          name: p.name,
          idNumber: p.idNumber,
          vehicleClass: pick(['C1', 'C1', 'C1', 'C2', 'B2']),
          firstIssuedOn: [first, from].sort()[0],
          fileNumber: `${p.regionCode.slice(0, 4)}${pad(between(0, 99_999_999), 8)}`,
        },
        validFrom: from,
        issuedOn: from,
      })
    }
  }

  // 结婚证: each spouse holds one; 张伟 married a citizen of the demo, as did 陈建国 and 王芳
  const byName = (name: string) => people.find((p) => p.name === name)
  const zhangWei = byName('张伟')
  const bride = people.slice(4).find((p) => p.sex === 'female' && yearOf(p.birthDate) >= 1983)
  const couples = [
    [zhangWei, bride, '2012-10-01'],
    [byName('陈建国'), byName('王芳'), '2001-05-20'],
  ] as const
  for (const [a, b, registeredOn] of couples) {
    if (!a || !b) continue
    for (const [holder, spouse] of [
      [a, b],
      [b, a],
    ] as const)
      plans.push({
        typeCode: TYPES.marriage,
        kind: 'civil_affairs',
        regionCode: a.regionCode,
        holder: person(holder),
        fields: {
          holderName: holder.name,
          holderIdNumber: holder.idNumber,
          spouseName: spouse.name,
          spouseIdNumber: spouse.idNumber,
          registeredOn,
        },
        validFrom: registeredOn,
        issuedOn: registeredOn,
      })
  }

  // 不动产权证书: issued by the city's 规划和自然资源局
  for (const [name, regionCode, issuedOn, area] of [
    ['张伟', '330106', '2018-06-12', 89.36],
    ['王芳', '330212', '2015-09-08', 126.52],
    ['陈建国', '330110', '2021-03-26', 143.8],
  ] as const) {
    const owner = byName(name)
    if (!owner) continue
    const unit = `${regionCode}${pad(between(1, 20), 3)}${pad(between(1, 30), 3)}GB${pad(between(1, 999), 5)}F${pad(between(1, 30), 4)}${pad(between(101, 2802), 4)}`
    plans.push({
      typeCode: TYPES.realEstate,
      kind: 'natural_resources',
      regionCode,
      holder: person(owner),
      fields: {
        ownerName: owner.name,
        location: `${address(regionCode)}${flat()}`,
        unitNumber: unit,
        rightType: '国有建设用地使用权/房屋所有权',
        usage: '城镇住宅用地/住宅',
        area,
      },
      validFrom: issuedOn,
      issuedOn,
    })
  }

  // 出生医学证明: 李娜's daughter, born in 滨江区
  const liNa = byName('李娜')
  if (liNa)
    plans.push({
      typeCode: TYPES.birth,
      kind: 'health',
      regionCode: '330108',
      holder: person(liNa),
      fields: {
        childName: '周悦然',
        childGender: '女',
        childBirthDate: '2024-05-18',
        birthPlace: '浙江省杭州市滨江区',
        motherName: liNa.name,
        fatherName: '周宇',
      },
      validFrom: '2024-05-20',
      issuedOn: '2024-05-20',
    })

  // 营业执照 for every company, by the market regulator of its registration region
  const companies = await holders.companies()
  for (const company of companies) {
    const parsed = parseUscc(company.uscc)
    const regionCode = parsed.ok ? parsed.value.regionCode : '330000'
    const established = date(2012, 2024)
    const capital = pick([50, 100, 200, 300, 500, 1000, 2000, 5000])
    const fields = {
      companyName: company.name,
      uscc: company.uscc,
      companyType: '有限责任公司（自然人投资或控股）',
      legalRepresentative: company.legalRepresentative,
      registeredCapital: capital,
      establishedOn: established,
      address: `${address(regionCode)}${between(1, 12)}幢${between(1, 9)}0${between(1, 9)}室`,
      businessScope:
        SCOPES.find(([pattern]) => pattern.test(company.name))?.[1] ?? '企业管理咨询；信息咨询服务',
    }
    plans.push({
      typeCode: TYPES.businessLicense,
      kind: 'market_regulation',
      regionCode,
      holder: { kind: 'company', accountId: company.accountId, name: company.name, identifier: company.uscc },
      fields,
      validFrom: established,
      issuedOn: established,
      ...(company.name === '杭州云栖数字科技有限公司'
        ? {
            afterwards: {
              action: 'change' as const,
              fields: { ...fields, registeredCapital: capital * 5 },
              reason: '注册资本变更（增资）',
            },
          }
        : company.name === '宁波鄞州模具制造有限公司'
          ? { afterwards: { action: 'suspend' as const, reason: '涉嫌未按规定公示年度报告，暂停使用' } }
          : {}),
    })
  }

  // ---- issue, skipping what exists
  let issued = 0
  for (const plan of plans) {
    if (!types.get(plan.typeCode)) continue
    const department = departmentFor(plan.kind, plan.regionCode)
    if (!department) continue
    const held = await licenses.repository.findByHolders([plan.holder.accountId])
    if (held.some((l) => l.type_code === plan.typeCode)) continue
    const actor = demoIssuer(department)
    const { record } = await licenses.issue(
      {
        typeCode: plan.typeCode,
        departmentId: department.id,
        holder: plan.holder,
        fields: plan.fields,
        validFrom: plan.validFrom,
        ...(plan.validUntil ? { validUntil: plan.validUntil } : {}),
        reason: '演示数据：历史证照电子化',
      },
      actor,
      SYSTEM,
      { issuedOn: plan.issuedOn },
    )
    issued += 1
    if (plan.afterwards?.action === 'change')
      await licenses.reissue(
        record.id,
        'change',
        { fields: plan.afterwards.fields, reason: plan.afterwards.reason },
        actor,
        SYSTEM,
      )
    if (plan.afterwards?.action === 'suspend')
      await licenses.changeStatus(
        record.id,
        { action: 'suspend', reason: plan.afterwards.reason },
        actor,
        SYSTEM,
      )
  }
  return { keys, licenses: issued }
}

/** The demo's issuing officer: an approver of the department, so issuance goes through the usual checks. */
function demoIssuer(department: DepartmentRecord): AuthenticatedActor {
  return {
    kind: 'staff',
    accountId: 'demo-seed',
    name: '演示数据',
    roles: [{ role: 'approver', departmentId: department.id, regionCode: department.region_code }],
    realNameLevel: 3,
  }
}
