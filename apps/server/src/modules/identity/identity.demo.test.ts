import { validateIdNumber, validateUscc } from '@tongban/standards'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { orgModule } from '../org/index.ts'
import { adminCreateCommand, adminTotpCommand } from './identity.cli.ts'
import { demoTotpSecret, totpCode } from './identity.secrets.ts'
import { bearer, useAccountTokens } from './identity.testing.ts'
import { DEMO_PASSWORD, type IdentityService, identityModule, identityService } from './index.ts'

let server: TestServer
let identity: IdentityService
const context = { ip: null, requestId: null }

beforeAll(async () => {
  server = await createTestServer({ modules: [orgModule, identityModule], config: { demoSeed: true } })
  identity = identityService(server.platform)
  useAccountTokens(server.platform)
}, 180_000)
afterAll(() => server?.close())

const staffId = async (username: string) =>
  (await identity.repository.findAccountBy('username', username))!.id

describe('identity demo data', () => {
  it('has 50+ citizens with valid, Zhejiang-born ID numbers and 20+ companies with valid USCCs', async () => {
    const people = await server.platform.db
      .selectFrom('accounts')
      .selectAll()
      .where('kind', '=', 'person')
      .execute()
    expect(people.length).toBeGreaterThanOrEqual(50)
    for (const person of people) {
      const idNumber = server.platform.vault.decrypt(person.id_number_enc!)
      expect(validateIdNumber(idNumber).ok, idNumber).toBe(true)
      expect(idNumber.startsWith('33')).toBe(true)
    }
    expect(people.map((p) => p.name)).toEqual(expect.arrayContaining(['张伟', '李娜', '王𠈌']))
    const companies = await server.platform.db
      .selectFrom('accounts')
      .selectAll()
      .where('kind', '=', 'company')
      .execute()
    expect(companies.length).toBeGreaterThanOrEqual(20)
    for (const company of companies) {
      expect(validateUscc(company.uscc!).ok).toBe(true)
      expect(company.uscc!.startsWith('91')).toBe(true)
      expect(people.some((p) => p.id === company.legal_representative_id)).toBe(true)
    }
  })

  it('staffs every role, with one of each admin at province level', async () => {
    const grants = await server.platform.db
      .selectFrom('role_grants')
      .select(['role', 'region_code'])
      .where('revoked_at', 'is', null)
      .execute()
    for (const role of ['window_clerk', 'reviewer', 'approver', 'department_admin'])
      expect(new Set(grants.filter((g) => g.role === role).map((g) => g.region_code))).toEqual(
        new Set(['330100', '330106', '330108', '330200']),
      )
    for (const role of ['system_admin', 'security_admin', 'audit_admin'])
      expect(grants.filter((g) => g.role === role)).toEqual([{ role, region_code: '330000' }])
  })

  it('lets the documented accounts log in with the demo password and demo second factor', async () => {
    expect(await identity.verifyPassword('13800000001', DEMO_PASSWORD, context)).toMatchObject({ ok: true })
    const clerk = await identity.verifyPassword('xh.zw.clerk', DEMO_PASSWORD, context)
    expect(clerk).toMatchObject({ ok: true, totpRequired: true, totpEnrolled: true })
    const code = totpCode(demoTotpSecret(server.platform.vault, 'xh.zw.clerk'), server.platform.clock.now())
    expect(await identity.verifyTotp(await staffId('xh.zw.clerk'), code, context)).toBe(true)
    const audit = await server.app.inject({
      method: 'GET',
      url: '/api/v1/audit?limit=1',
      headers: bearer(await staffId('auditadmin')),
    })
    expect(audit.statusCode).toBe(200)
  })

  it('matches docs/demo-accounts.md', async () => {
    for (const login of [
      '33010619850312933X',
      '33010819920721094X',
      '330212197811050285',
      '330110196801303610',
      '330402198506247279',
    ])
      expect((await identity.verifyPassword(login, DEMO_PASSWORD, context)).ok, login).toBe(true)
    expect((await identity.repository.findAccountBy('uscc', '91330106MA2FGGT42K'))?.name).toBe(
      '杭州云栖数字科技有限公司',
    )
    expect((await identity.repository.findAccountBy('uscc', '91330212MA23ADE45G'))?.name).toBe(
      '宁波港城贸易有限公司',
    )
    for (const username of [
      'sysadmin',
      'secadmin',
      'auditadmin',
      'xh.zw.clerk',
      'xh.sj.reviewer',
      'xh.sj.approver',
      'hz.sj.admin',
      'nb.ga.clerk',
    ])
      expect(await identity.repository.findAccountBy('username', username), username).toBeDefined()
  })

  it('has 李娜 acting for two companies, and no expired or revoked authorization counts', async () => {
    const li = (await identity.verifyPassword('13800000002', DEMO_PASSWORD, context)) as { accountId: string }
    const companies = await identity.companiesActedFor(li.accountId)
    expect(companies.map((c) => c.name).sort()).toEqual(
      ['宁波港城贸易有限公司', '杭州云栖数字科技有限公司'].sort(),
    )
    const live = await server.platform.db
      .selectFrom('agent_authorizations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(live.n)).toBe(6)
  })

  it('bootstraps an administrator from the command line, audited as the system', async () => {
    const lines: string[] = []
    const log = console.log
    const error = console.error
    console.log = (line: string) => lines.push(line)
    console.error = (line: string) => lines.push(line)
    try {
      const values = { username: 'Audit.Hz', name: '王审计', role: 'audit_admin', region: '330100' }
      expect(await adminCreateCommand.run(server.platform, values)).toBe(0)
      const password = /shown once\): (\S+)$/.exec(lines[1] ?? '')?.[1]
      expect(password).toBeDefined()
      expect(await identity.verifyPassword('audit.hz', password!, context)).toMatchObject({
        ok: true,
        totpRequired: true,
      })
      expect(await adminCreateCommand.run(server.platform, values)).toBe(1)
      expect(await adminCreateCommand.run(server.platform, { ...values, role: 'approver' })).toBe(2)
      const entry = await server.platform.db
        .selectFrom('audit_log')
        .select(['actor_kind', 'details'])
        .where('action', '=', 'staff.create')
        .executeTakeFirstOrThrow()
      expect(entry).toMatchObject({
        actor_kind: 'system',
        details: { username: 'audit.hz', role: 'audit_admin' },
      })
    } finally {
      console.log = log
      console.error = error
    }
  })

  it('prints demo TOTP codes only for demo secrets', async () => {
    const lines: string[] = []
    const log = console.log
    const error = console.error
    console.log = (line: string) => lines.push(line)
    console.error = (line: string) => lines.push(line)
    try {
      expect(await adminTotpCommand.run(server.platform, { username: 'secadmin' })).toBe(0)
      expect(lines[0]).toMatch(/^\d{6} {2}\(valid for \d+ more seconds\)$/)
      await identity.startTotpEnrolment(await staffId('bj.zw.clerk'))
      expect(await adminTotpCommand.run(server.platform, { username: 'nobody' })).toBe(1)
    } finally {
      console.log = log
      console.error = error
    }
  })
})
