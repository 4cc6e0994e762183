import { buildIdNumber, buildUscc, listRegions, maskIdNumber, USCC_CHARSET } from '@tongban/standards'
import type { StaffRole } from '../../platform/authz.ts'
import type { Platform } from '../../platform/platform.ts'
import { seeded } from '../../platform/seeded.ts'
import { orgService } from '../org/index.ts'
import {
  ADMINS,
  COMPANIES,
  DEPARTMENT_ROLES,
  NAMED_CITIZENS,
  nameDrawer,
  RARE_NAMES,
  STAFF_PLACES,
} from './identity.demo-data.ts'
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
    const uniqueName = nameDrawer(random, used)
    const staffName = () => uniqueName().name
    // the second department admins (四眼原则 on guides) draw from their own dice, so the other names stay
    const secondAdminName = nameDrawer(seeded(20_261_207), new Set(used))
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
        // a second department admin: publishing a guide needs a reviewer other than its author
        const admin2 = `${place.code}.${kindCode}.admin2`
        const id = await addStaff(admin2, secondAdminName().name, place.region)
        grants.push({
          accountId: id,
          role: 'department_admin',
          departmentId: department.id,
          regionCode: place.region,
        })
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
