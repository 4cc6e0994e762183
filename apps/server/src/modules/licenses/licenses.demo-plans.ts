import { getRegion, parseIdNumber, parseUscc, regionAncestors } from '@tongban/standards'
import { seeded } from '../../platform/seeded.ts'
import type { DemoCitizen, DemoCompany } from './licenses.ports.ts'

/** The license types the demo issues (their codes, as the migrations ship them). */
export const TYPES = {
  idCard: '11100000000013127D001',
  householdRegister: '11100000000013127D002',
  drivingLicense: '11100000000013127D003',
  businessLicense: '11100000000010014P001',
  marriage: '11100000000010022J001',
  birth: '11100000000010030D001',
  realEstate: '11100000000010049A001',
  socialSecurityCard: '111000000000100575001',
} as const

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
export interface Plan {
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

/** The seeded randomness of the demo: the same data on every install. */
interface Dice {
  between(low: number, high: number): number
  pick<T>(list: readonly T[]): T
  date(fromYear: number, toYear: number): string
  address(regionCode: string): string
  flat(): string
}

function diceOf(seed: number): Dice {
  const random = seeded(seed)
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1))
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  return {
    between,
    pick,
    date: (fromYear, toYear) => `${between(fromYear, toYear)}-${pad(between(1, 12))}-${pad(between(1, 28))}`,
    address: (regionCode) => {
      const streets = STREETS[regionCode] ?? GENERIC_STREETS
      return `${placeName(regionCode)}${pick(streets)}${between(1, 399)}号`
    },
    flat: () => `${between(1, 18)}幢${between(1, 3)}单元${between(2, 28)}0${between(1, 4)}室`,
  }
}

/** A demo citizen with what their ID number says (birth, sex, region) and a home address. */
type Person = DemoCitizen & { birthDate: string; sex: 'male' | 'female'; regionCode: string; home: string }

const yearOf = (day: string) => Number(day.slice(0, 4))
const holderOf = (p: Person) => ({
  kind: 'person' as const,
  accountId: p.accountId,
  name: p.name,
  identifier: p.idNumber,
})

/**
 * What the demo issues, in a fixed order of the dice: 居民身份证, 社会保障卡 and 机动车驾驶证 of the first
 * citizens, 结婚证, 不动产权证书, 出生医学证明, a 营业执照 for every company, and the 居民户口簿 of the first
 * citizens (last, so the dice of the others stay as they were).
 */
export function demoPlans(citizens: DemoCitizen[], companies: DemoCompany[]): Plan[] {
  const dice = diceOf(20_261_124)
  const people = citizens.map((citizen): Person => {
    const info = parseIdNumber(citizen.idNumber)
    if (!info.ok) throw new Error(`demo citizen ${citizen.name} has an invalid ID number`)
    return { ...citizen, ...info.value, home: dice.address(info.value.regionCode) }
  })
  const plans: Plan[] = []
  plans.push(...personalPlans(people, dice))
  plans.push(...marriagePlans(people))
  plans.push(...realEstatePlans(people, dice))
  plans.push(...birthPlans(people))
  plans.push(...companyPlans(companies, dice))
  plans.push(...householdPlans(people))
  return plans
}

/** 居民身份证 and 社会保障卡 of the first 24 citizens, and a 驾驶证 of every other adult among them. */
function personalPlans(people: Person[], dice: Dice): Plan[] {
  const plans: Plan[] = []
  for (const [index, p] of people.slice(0, 24).entries()) {
    plans.push(idCardPlan(p, index, dice))
    plans.push(socialSecurityPlan(p, dice))
    if (index % 2 === 0 && 2026 - yearOf(p.birthDate) >= 20) plans.push(drivingLicensePlan(p, index, dice))
  }
  return plans
}

function idCardPlan(p: Person, index: number, dice: Dice): Plan {
  const idIssued = dice.date(Math.max(yearOf(p.birthDate) + 16, 2012), 2024)
  const idYears = 2026 - yearOf(p.birthDate) < 26 ? 10 : 20
  return {
    typeCode: TYPES.idCard,
    kind: 'public_security',
    regionCode: p.regionCode,
    holder: holderOf(p),
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
  }
}

function socialSecurityPlan(p: Person, dice: Dice): Plan {
  const cardIssued = dice.date(2020, 2024)
  return {
    typeCode: TYPES.socialSecurityCard,
    kind: 'human_resources',
    regionCode: p.regionCode,
    holder: holderOf(p),
    fields: {
      name: p.name,
      socialSecurityNumber: p.idNumber,
      cardNumber: `${dice.pick([...'ABCDEFGH'])}${pad(dice.between(0, 99_999_999), 8)}`,
      bank: dice.pick(BANKS),
    },
    validFrom: cardIssued,
    issuedOn: cardIssued,
  }
}

function drivingLicensePlan(p: Person, index: number, dice: Dice): Plan {
  const first = dice.date(Math.max(yearOf(p.birthDate) + 18, 1995), 2020)
  // the renewals of a 驾驶证 run 6 years; the third demo card was never renewed and has expired
  const from = index === 2 ? '2019-03-01' : dice.date(2021, 2025)
  return {
    typeCode: TYPES.drivingLicense,
    kind: 'public_security',
    regionCode: p.regionCode,
    holder: holderOf(p),
    fields: {
      name: p.name,
      idNumber: p.idNumber,
      vehicleClass: dice.pick(['C1', 'C1', 'C1', 'C2', 'B2']),
      firstIssuedOn: [first, from].sort()[0],
      fileNumber: `${p.regionCode.slice(0, 4)}${pad(dice.between(0, 99_999_999), 8)}`,
    },
    validFrom: from,
    issuedOn: from,
  }
}

const byName = (people: Person[], name: string) => people.find((p) => p.name === name)

/** 结婚证: each spouse holds one; 张伟 married a citizen of the demo, as did 陈建国 and 王芳. */
function marriagePlans(people: Person[]): Plan[] {
  const bride = people.slice(4).find((p) => p.sex === 'female' && yearOf(p.birthDate) >= 1983)
  const couples = [
    [byName(people, '张伟'), bride, '2012-10-01'],
    [byName(people, '陈建国'), byName(people, '王芳'), '2001-05-20'],
  ] as const
  const plans: Plan[] = []
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
        holder: holderOf(holder),
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
  return plans
}

/** 不动产权证书: issued by the city's 规划和自然资源局. */
function realEstatePlans(people: Person[], dice: Dice): Plan[] {
  const { between } = dice
  const plans: Plan[] = []
  for (const [name, regionCode, issuedOn, area] of [
    ['张伟', '330106', '2018-06-12', 89.36],
    ['王芳', '330212', '2015-09-08', 126.52],
    ['陈建国', '330110', '2021-03-26', 143.8],
  ] as const) {
    const owner = byName(people, name)
    if (!owner) continue
    const unit = `${regionCode}${pad(between(1, 20), 3)}${pad(between(1, 30), 3)}GB${pad(between(1, 999), 5)}F${pad(between(1, 30), 4)}${pad(between(101, 2802), 4)}`
    plans.push({
      typeCode: TYPES.realEstate,
      kind: 'natural_resources',
      regionCode,
      holder: holderOf(owner),
      fields: {
        ownerName: owner.name,
        location: `${dice.address(regionCode)}${dice.flat()}`,
        unitNumber: unit,
        rightType: '国有建设用地使用权/房屋所有权',
        usage: '城镇住宅用地/住宅',
        area,
      },
      validFrom: issuedOn,
      issuedOn,
    })
  }
  return plans
}

/** 出生医学证明: 李娜's daughter, born in 滨江区. */
function birthPlans(people: Person[]): Plan[] {
  const liNa = byName(people, '李娜')
  if (!liNa) return []
  return [
    {
      typeCode: TYPES.birth,
      kind: 'health',
      regionCode: '330108',
      holder: holderOf(liNa),
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
    },
  ]
}

/** 营业执照 for every company, by the market regulator of its registration region (one changed, one suspended). */
function companyPlans(companies: DemoCompany[], dice: Dice): Plan[] {
  return companies.map((company) => {
    const parsed = parseUscc(company.uscc)
    const regionCode = parsed.ok ? parsed.value.regionCode : '330000'
    const established = dice.date(2012, 2024)
    const capital = dice.pick([50, 100, 200, 300, 500, 1000, 2000, 5000])
    const fields = {
      companyName: company.name,
      uscc: company.uscc,
      companyType: '有限责任公司（自然人投资或控股）',
      legalRepresentative: company.legalRepresentative,
      registeredCapital: capital,
      establishedOn: established,
      address: `${dice.address(regionCode)}${dice.between(1, 12)}幢${dice.between(1, 9)}0${dice.between(1, 9)}室`,
      businessScope:
        SCOPES.find(([pattern]) => pattern.test(company.name))?.[1] ?? '企业管理咨询；信息咨询服务',
    }
    return {
      typeCode: TYPES.businessLicense,
      kind: 'market_regulation',
      regionCode,
      holder: {
        kind: 'company' as const,
        accountId: company.accountId,
        name: company.name,
        identifier: company.uscc,
      },
      fields,
      validFrom: established,
      issuedOn: established,
      ...afterwardsOf(company, fields, capital),
    }
  })
}

/** What happens to a company's license after it is issued: one is changed (增资), one suspended. */
function afterwardsOf(
  company: DemoCompany,
  fields: Record<string, unknown>,
  capital: number,
): Pick<Plan, 'afterwards'> {
  if (company.name === '杭州云栖数字科技有限公司')
    return {
      afterwards: {
        action: 'change',
        fields: { ...fields, registeredCapital: capital * 5 },
        reason: '注册资本变更（增资）',
      },
    }
  if (company.name === '宁波鄞州模具制造有限公司')
    return { afterwards: { action: 'suspend', reason: '涉嫌未按规定公示年度报告，暂停使用' } }
  return {}
}

/**
 * 居民户口簿 of the first 24 citizens: each is 户主 of a 家庭户 at their home address, registered (落户) at
 * birth where their ID number says; the books of those born before 1984 were re-issued that (leap) year.
 */
function householdPlans(people: Person[]): Plan[] {
  return people.slice(0, 24).map((p, index) => {
    const registeredOn = yearOf(p.birthDate) >= 1984 ? p.birthDate : `1984${p.birthDate.slice(4)}`
    return {
      typeCode: TYPES.householdRegister,
      kind: 'public_security',
      regionCode: p.regionCode,
      holder: holderOf(p),
      fields: {
        householdNumber: `${p.regionCode}${pad(index + 1, 6)}`,
        householdType: '家庭户',
        householderName: p.name,
        name: p.name,
        relation: '户主',
        idNumber: p.idNumber,
        address: p.home,
        registeredOn,
      },
      validFrom: registeredOn,
      issuedOn: registeredOn,
    }
  })
}
