import { buildIdNumber, buildUscc, listRegions, maskIdNumber, USCC_CHARSET } from '@tongban/standards'
import type { StaffRole } from '../../platform/authz.ts'
import type { Platform } from '../../platform/platform.ts'
import { orgService } from '../org/index.ts'
import type { NewAccount } from './identity.repository.ts'
import { demoTotpSecret, hashPassword } from './identity.secrets.ts'
import { maskPhone } from './identity.service.ts'

/**
 * Demo accounts of the 浙江省 demo province: the three admins, staff for every role in departments of
 * 杭州市, 西湖区, 滨江区 and 宁波市, 60 citizens born in the province's counties, 24 companies with their
 * legal representatives among the citizens, and agent authorizations. Deterministic: a seeded generator,
 * no Math.random. Listed with their logins in docs/demo-accounts.md.
 */

/** The one password of every demo account (documented in docs/demo-accounts.md). */
export const DEMO_PASSWORD = 'Tongban@2026'

/** mulberry32: a small seeded generator, so the demo is the same on every install. */
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

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟陆汪金',
]
const MALE_GIVEN = [
  '伟',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '杰',
  '涛',
  '明',
  '超',
  '刚',
  '平',
  '建华',
  '建国',
  '志强',
  '国平',
  '俊杰',
  '浩然',
  '宇轩',
  '文博',
  '一鸣',
  '天宇',
  '明轩',
  '子豪',
  '晓东',
  '海波',
  '振华',
  '家豪',
  '思远',
  '嘉诚',
]
const FEMALE_GIVEN = [
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '艳',
  '娟',
  '霞',
  '秀英',
  '桂英',
  '丽华',
  '海燕',
  '婷婷',
  '佳怡',
  '欣怡',
  '梓萱',
  '雨桐',
  '诗涵',
  '雅琴',
  '晓燕',
  '慧敏',
  '颖',
  '琳',
  '倩',
  '思琪',
  '若曦',
  '梦瑶',
  '雪梅',
  '春燕',
  '佳琪',
]
/** A few names with characters outside the Basic Multilingual Plane or rare in fonts, as real registers have. */
const RARE_NAMES: [string, 'male' | 'female'][] = [
  ['王𠈌', 'male'],
  ['陈䶮', 'male'],
  ['李㛃', 'female'],
]

/** Fixed citizens the documentation names; the others are generated. */
const NAMED_CITIZENS: {
  name: string
  sex: 'male' | 'female'
  region: string
  birth: string
  phone: string
}[] = [
  { name: '张伟', sex: 'male', region: '330106', birth: '1985-03-12', phone: '13800000001' },
  { name: '李娜', sex: 'female', region: '330108', birth: '1992-07-21', phone: '13800000002' },
  { name: '王芳', sex: 'female', region: '330212', birth: '1978-11-05', phone: '13800000003' },
  { name: '陈建国', sex: 'male', region: '330110', birth: '1968-01-30', phone: '13800000004' },
]

const COMPANIES: [string, string][] = [
  ['杭州云栖数字科技有限公司', '330106'],
  ['杭州西溪文化旅游发展有限公司', '330106'],
  ['杭州之江智能装备有限公司', '330106'],
  ['杭州文三数码商贸有限公司', '330106'],
  ['杭州滨江物联网技术有限公司', '330108'],
  ['杭州钱塘江医疗器械有限公司', '330108'],
  ['杭州白马湖动漫文化有限公司', '330108'],
  ['杭州江南云计算服务有限公司', '330108'],
  ['杭州余杭未来科技城生物医药有限公司', '330110'],
  ['杭州良渚茶业有限公司', '330110'],
  ['杭州径山竹木制品有限公司', '330110'],
  ['杭州仓前跨境电子商务有限公司', '330110'],
  ['杭州上城丝绸服饰有限公司', '330102'],
  ['杭州拱墅运河物流有限公司', '330105'],
  ['宁波港城贸易有限公司', '330212'],
  ['宁波鄞州模具制造有限公司', '330212'],
  ['宁波东钱湖餐饮管理有限公司', '330212'],
  ['宁波甬江新材料科技有限公司', '330212'],
  ['宁波海曙服装有限公司', '330203'],
  ['宁波北仑港口机械有限公司', '330206'],
  ['宁波镇海石化工程有限公司', '330211'],
  ['宁波慈溪小家电有限公司', '330282'],
  ['宁波余姚光电科技有限公司', '330281'],
  ['宁波象山海洋渔业有限公司', '330225'],
]

/** Staff places: region, a short code for usernames, and the department kinds staffed there. */
const STAFF_PLACES: { region: string; code: string; kinds: [string, string][] }[] = [
  {
    region: '330100',
    code: 'hz',
    kinds: [
      ['market_regulation', 'sj'],
      ['human_resources', 'rs'],
    ],
  },
  {
    region: '330106',
    code: 'xh',
    kinds: [
      ['government_services', 'zw'],
      ['market_regulation', 'sj'],
      ['public_security', 'ga'],
    ],
  },
  {
    region: '330108',
    code: 'bj',
    kinds: [
      ['government_services', 'zw'],
      ['market_regulation', 'sj'],
    ],
  },
  {
    region: '330200',
    code: 'nb',
    kinds: [
      ['market_regulation', 'sj'],
      ['public_security', 'ga'],
    ],
  },
]
const DEPARTMENT_ROLES: [StaffRole, string][] = [
  ['window_clerk', 'clerk'],
  ['reviewer', 'reviewer'],
  ['approver', 'approver'],
  ['department_admin', 'admin'],
]
const ADMINS: [string, string, StaffRole][] = [
  ['sysadmin', '周志强', 'system_admin'],
  ['secadmin', '沈雅琴', 'security_admin'],
  ['auditadmin', '钟国平', 'audit_admin'],
]

/** Loads the demo accounts; does nothing when staff accounts exist already. */
export async function seedIdentityDemo(
  platform: Platform,
): Promise<{ citizens: number; companies: number; staff: number }> {
  const { db, vault } = platform
  const existing = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  if (Number(existing.n) > 0) return { citizens: 0, companies: 0, staff: 0 }
  const random = seeded(20_261_122)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const now = platform.clock.now()
  // one hash for every demo account: they share a documented password anyway, and 100+ scrypt runs
  // would make every demo start-up seconds slower
  const passwordHash = await hashPassword(vault, DEMO_PASSWORD)
  const counties = listRegions().filter((r) => r.code.startsWith('33') && r.level === 'county')

  // read before the transaction: PGlite has one session, and a query outside it would wait for it
  const org = orgService(platform)
  const departments = new Map<string, { id: string; kind: string }[]>()
  for (const place of STAFF_PLACES) {
    const { items } = await org.repository.findDepartments({
      regionCodes: [place.region],
      limit: 100,
      offset: 0,
    })
    departments.set(place.region, items)
  }

  return db.transaction().execute(async (trx) => {
    const insert = async (row: NewAccount) =>
      (await trx.insertInto('accounts').values(row).returning('id').executeTakeFirstOrThrow()).id

    // ---- staff ----
    const staffIds = new Map<string, string>()
    const grants: { accountId: string; role: StaffRole; departmentId: string | null; regionCode: string }[] =
      []
    const used = new Set([...NAMED_CITIZENS.map((c) => c.name), ...ADMINS.map(([, name]) => name)])
    const uniqueName = () => {
      for (;;) {
        const sex = random() < 0.5 ? 'male' : 'female'
        const name = pick(SURNAMES) + pick(sex === 'male' ? MALE_GIVEN : FEMALE_GIVEN)
        if (used.has(name)) continue
        used.add(name)
        return { name, sex } as const
      }
    }
    const staffName = () => uniqueName().name
    const addStaff = async (username: string, name: string, regionCode: string) => {
      const id = await insert({
        kind: 'staff',
        name,
        username,
        region_code: regionCode,
        realname_level: 3,
        realname_method: 'counter',
        password_hash: passwordHash,
        password_changed_at: now,
        totp_secret_enc: vault.encrypt(demoTotpSecret(vault, username)),
        totp_enabled_at: now,
      })
      staffIds.set(username, id)
      return id
    }
    for (const [username, name, role] of ADMINS) {
      const id = await addStaff(username, name, '330000')
      grants.push({ accountId: id, role, departmentId: null, regionCode: '330000' })
    }
    for (const place of STAFF_PLACES) {
      const items = departments.get(place.region) ?? []
      for (const [kind, kindCode] of place.kinds) {
        const department = items.find((d) => d.kind === kind)
        if (!department) continue
        for (const [role, roleCode] of DEPARTMENT_ROLES) {
          const id = await addStaff(`${place.code}.${kindCode}.${roleCode}`, staffName(), place.region)
          grants.push({ accountId: id, role, departmentId: department.id, regionCode: place.region })
        }
      }
      // 综合窗口: the government service centre's clerk takes walk-in applications (一窗受理) for the
      // place's other departments too, one window_clerk grant per department
      const centreClerk = staffIds.get(`${place.code}.zw.clerk`)
      if (centreClerk)
        for (const [kind, kindCode] of place.kinds) {
          const department = items.find((d) => d.kind === kind)
          if (department && kindCode !== 'zw')
            grants.push({
              accountId: centreClerk,
              role: 'window_clerk',
              departmentId: department.id,
              regionCode: place.region,
            })
        }
    }
    // a second department admin (`<place>.<kind>.admin2`): publishing a guide needs a reviewer other than
    // its author (四眼原则); named by their own dice, so the other demo names stay as they were
    const second = seeded(20_261_207)
    for (const place of STAFF_PLACES)
      for (const [kind, kindCode] of place.kinds) {
        const department = departments.get(place.region)?.find((d) => d.kind === kind)
        if (!department) continue
        const given = second() < 0.5 ? MALE_GIVEN : FEMALE_GIVEN
        const name = `${SURNAMES[Math.floor(second() * SURNAMES.length)]}${given[Math.floor(second() * given.length)]}`
        const id = await addStaff(`${place.code}.${kindCode}.admin2`, name, place.region)
        grants.push({
          accountId: id,
          role: 'department_admin',
          departmentId: department.id,
          regionCode: place.region,
        })
      }
    const grantor = staffIds.get('secadmin')!
    for (const grant of grants) {
      const isAdmin = grant.departmentId === null
      await trx
        .insertInto('role_grants')
        .values({
          account_id: grant.accountId,
          role: grant.role,
          department_id: grant.departmentId,
          region_code: grant.regionCode,
          granted_by: isAdmin ? null : grantor,
          granted_at: now,
        })
        .execute()
    }

    // ---- citizens ----
    const citizens: { id: string; name: string; idNumber: string }[] = []
    const clerk = staffIds.get('xh.zw.clerk') ?? null
    const addCitizen = async (
      name: string,
      sex: 'male' | 'female',
      region: string,
      birth: string,
      phone: string,
    ) => {
      const idNumber = buildIdNumber({
        regionCode: region,
        birthDate: birth,
        sex,
        sequence: Math.floor(random() * 1000),
      })
      const level = citizens.length < 4 ? 3 : pick([1, 1, 2, 2, 3] as const)
      const id = await insert({
        kind: 'person',
        name,
        id_number_enc: vault.encrypt(idNumber),
        id_number_index: vault.blindIndex('id_number', idNumber),
        id_number_masked: maskIdNumber(idNumber),
        phone_enc: vault.encrypt(phone),
        phone_index: vault.blindIndex('phone', phone),
        phone_masked: maskPhone(phone),
        realname_level: level,
        realname_method: level === 1 ? 'self' : level === 2 ? 'population' : 'counter',
        realname_raised_by: level === 3 ? clerk : null,
        realname_raised_at: level > 1 ? now : null,
        password_hash: passwordHash,
        password_changed_at: now,
      })
      citizens.push({ id, name, idNumber })
    }
    for (const c of NAMED_CITIZENS) await addCitizen(c.name, c.sex, c.region, c.birth, c.phone)
    const birthOf = () => {
      const year = 1950 + Math.floor(random() * 56)
      const month = 1 + Math.floor(random() * 12)
      const day = 1 + Math.floor(random() * 28)
      return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
    }
    let phoneSerial = 5
    for (const [name, sex] of RARE_NAMES)
      await addCitizen(
        name,
        sex,
        pick(counties).code,
        birthOf(),
        `138000000${String(phoneSerial++).padStart(2, '0')}`,
      )
    while (citizens.length < 60) {
      const { name, sex } = uniqueName()
      await addCitizen(
        name,
        sex,
        pick(counties).code,
        birthOf(),
        `1380000${String(phoneSerial++).padStart(4, '0')}`,
      )
    }

    // ---- companies and agents ----
    const companyIds: string[] = []
    for (const [index, [name, region]] of COMPANIES.entries()) {
      let body = 'MA2'
      while (body.length < 8) body += USCC_CHARSET[Math.floor(random() * USCC_CHARSET.length)]
      const uscc = buildUscc({
        registrationAuthority: '9',
        entityType: '1',
        regionCode: region,
        organizationCode: body,
      })
      // 11 is prime to 56: every company gets a different representative
      const representative = citizens[index === 0 ? 0 : 4 + ((index * 11) % (citizens.length - 4))]!
      companyIds.push(
        await insert({
          kind: 'company',
          name,
          uscc,
          legal_representative_id: representative.id,
          realname_level: 2,
          realname_method: 'population',
        }),
      )
    }
    const day = 86_400_000
    const agents: {
      company: number
      agent: number
      grantedDaysAgo: number
      validDays: number
      revoked?: boolean
    }[] = [
      { company: 0, agent: 1, grantedDaysAgo: 30, validDays: 400 }, // 李娜 for 杭州云栖数字科技
      { company: 14, agent: 1, grantedDaysAgo: 10, validDays: 180 }, // 李娜 also for 宁波港城贸易
      { company: 4, agent: 3, grantedDaysAgo: 60, validDays: 365 },
      { company: 8, agent: 2, grantedDaysAgo: 5, validDays: 90 },
      { company: 15, agent: 20, grantedDaysAgo: 200, validDays: 100 }, // expired
      { company: 1, agent: 21, grantedDaysAgo: 40, validDays: 365, revoked: true },
    ]
    for (const a of agents) {
      const company = await trx
        .selectFrom('accounts')
        .select(['id', 'legal_representative_id'])
        .where('id', '=', companyIds[a.company]!)
        .executeTakeFirstOrThrow()
      const grantedAt = new Date(now.getTime() - a.grantedDaysAgo * day)
      await trx
        .insertInto('agent_authorizations')
        .values({
          company_id: company.id,
          agent_id: citizens[a.agent]!.id,
          granted_by: company.legal_representative_id!,
          granted_at: grantedAt,
          expires_at: new Date(grantedAt.getTime() + a.validDays * day),
          revoked_at: a.revoked ? new Date(now.getTime() - day) : null,
          revoked_by: a.revoked ? company.legal_representative_id : null,
        })
        .execute()
    }

    await platform.audit.append(trx, {
      actorId: null,
      actorKind: 'system',
      ip: null,
      requestId: null,
      action: 'identity.demo-seeded',
      resourceType: null,
      resourceId: null,
      regionCode: '330000',
      outcome: 'success',
      details: { citizens: citizens.length, companies: companyIds.length, staff: staffIds.size },
    })
    return { citizens: citizens.length, companies: companyIds.length, staff: staffIds.size }
  })
}
