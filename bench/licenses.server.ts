// Bench fixture: the server with the org and licenses modules, one market-regulation department with
// keys, one issued business license, and bearer tokens resolved to fixed actors (`approver`, `holder`).
// Prints `listening <url>` and `token <department id>,<license id>,<pid>` (the pid for CPU accounting).

import { startServer } from '../apps/server/src/main.ts'
import { createLicensesModule } from '../apps/server/src/modules/licenses/index.ts'
import { orgModule, orgService } from '../apps/server/src/modules/org/index.ts'
import { licensesPorts } from '../apps/server/src/modules/wiring.ts'
import { type Actor, anonymous } from '../apps/server/src/platform/authz.ts'
import { loadConfig } from '../apps/server/src/platform/config.ts'
import { buildUscc } from '../packages/standards/src/index.ts'

const config = loadConfig({ ...process.env, ROLE: 'api' })
const server = await startServer(config, { modules: [orgModule, createLicensesModule(licensesPorts)] })
const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }
const department = await orgService(server.platform).createDepartment(
  {
    name: '压测市场监督管理局',
    shortName: '压测市场监管局',
    kind: 'market_regulation',
    regionCode: '330106',
    uscc: buildUscc({
      registrationAuthority: '1',
      entityType: '1',
      regionCode: '330106',
      organizationCode: 4242,
    }),
  },
  system,
)
const actors: Record<string, Actor> = {
  approver: {
    kind: 'staff',
    accountId: 'bench-approver',
    name: '压测审批人',
    roles: [{ role: 'approver', departmentId: department.id, regionCode: '330106' }],
    realNameLevel: 3,
  },
  holder: {
    kind: 'company',
    accountId: 'bench-company',
    name: '压测科技有限公司',
    roles: [],
    realNameLevel: 3,
  },
}
server.platform.authenticator = async (request) => {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
  return (token && actors[token]) || anonymous
}
const { licensesService } = await import('../apps/server/src/modules/licenses/index.ts')
const licenses = licensesService(server.platform)
await licenses.rotateKeys(department.id, null, system)
const license = await licenses.issue(
  {
    typeCode: '11100000000010014P001',
    departmentId: department.id,
    holder: { kind: 'company', accountId: 'bench-company', name: '压测科技有限公司' },
    fields: {
      companyName: '压测科技有限公司',
      uscc: buildUscc({ organizationCode: 4243 }),
      businessScope: '软件开发',
    },
    reason: '压测',
  },
  actors.approver as Exclude<Actor, { kind: 'anonymous' }>,
  system,
)
console.log(`token ${department.id},${license.record.id},${process.pid}`)
console.log(`listening ${server.url}`)
process.once('SIGTERM', () => server.close().then(() => process.exit(0)))
