/**
 * Licenses benchmark: issuance with SM2 signing (HTTP, PostgreSQL), online QR verification (HTTP, each
 * request a fresh single-use token), and offline SM2 verification of signed licenses on one core, next to
 * the plain-route and single-row SELECT baselines of the same run.
 * Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/licenses.ts
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import {
  type SignedLicenseFile,
  verifyLicenseOffline,
} from '../apps/server/src/modules/licenses/licenses.document.ts'
import { encodeQrToken } from '../apps/server/src/modules/licenses/licenses.tokens.ts'
import { PersonalDataVault } from '../apps/server/src/platform/crypto.ts'
import { buildUscc } from '../packages/standards/src/index.ts'
import { type Measurement, measure, report, startProcess, tempDataDir } from './harness.ts'

const DB_NAME = 'tongban_bench_licenses'
const MASTER_KEY = '22'.repeat(32)
const adminUrl = process.env.DATABASE_URL
if (!adminUrl) throw new Error('DATABASE_URL (a PostgreSQL server) is required')
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
await admin.query(`CREATE DATABASE ${DB_NAME}`)
await admin.end()
const url = new URL(adminUrl)
url.pathname = `/${DB_NAME}`

const rows: Measurement[] = []
const baseline = await startProcess('bench/servers/baseline.ts', { DATABASE_URL: url.toString() })
rows.push(await measure('baseline: plain Fastify route', { url: `${baseline.url}/plain` }))
rows.push(
  await measure('baseline: single-row SELECT', {
    url: baseline.url,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: `/select/${1 + Math.floor(Math.random() * 10000)}` }),
      },
    ],
  }),
)
await baseline.stop()

const server = await startProcess('bench/licenses.server.ts', {
  DATABASE_URL: url.toString(),
  DATA_DIR: await tempDataDir(),
  MASTER_KEY,
})
const [departmentId, licenseId] = (server.token ?? '').split(',') as [string, string]
const issue = JSON.stringify({
  typeCode: '11100000000010014P001',
  departmentId,
  holder: { kind: 'company', accountId: 'bench-company', name: '压测科技有限公司' },
  fields: {
    companyName: '压测科技有限公司',
    uscc: buildUscc({ organizationCode: 4243 }),
    businessScope: '软件开发',
  },
  reason: '压测颁发',
})
rows.push(
  await measure('POST /api/v1/licenses (issue: validate, GB/T 36904 id, SM2 sign, audit)', {
    url: `${server.url}/api/v1/licenses`,
    method: 'POST',
    headers: { authorization: 'Bearer approver' },
    body: issue,
    connections: 20,
  }),
)

// every verification needs a fresh token (a second scan is a replay): made here with the same key
const vault = new PersonalDataVault(Buffer.from(MASTER_KEY, 'hex'))
const mac = (body: string) => vault.blindIndex('license-qr-token', body)
const expiresAt = new Date(Date.now() + 3_600_000)
rows.push(
  await measure('GET /api/v1/licenses/verify (fresh single-use QR token each)', {
    url: server.url,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({
          ...req,
          path: `/api/v1/licenses/verify?token=${encodeQrToken({ licenseId, tokenId: randomBytes(12).toString('hex'), expiresAt }, mac)}`,
        }),
      },
    ],
  }),
)

// offline: signed licenses as holders download them, checked against the published keys, one core
const keys = (await (await fetch(`${server.url}/api/v1/licenses/keys`)).json()).items
const signed = (await (
  await fetch(`${server.url}/api/v1/me/licenses/${licenseId}/signed`, {
    headers: { authorization: 'Bearer holder' },
  })
).json()) as SignedLicenseFile
await server.stop()
const files = Array.from({ length: 50 }, () => ({ ...signed, document: { ...signed.document } }))
verifyLicenseOffline(files[0]!, keys)
const n = 2000
const start = process.hrtime.bigint()
let ok = 0
for (let i = 0; i < n; i++) if (verifyLicenseOffline(files[i % files.length]!, keys).ok) ok++
const seconds = Number(process.hrtime.bigint() - start) / 1e9
if (ok !== n) throw new Error('offline verification failed')
rows.push({
  name: 'offline SM2 verification (verifyLicenseOffline, one core, in process)',
  requestsPerSecond: n / seconds,
  p50: Number(((seconds * 1000) / n).toFixed(2)),
  p99: 0,
  errors: 0,
  non2xx: 0,
})
report('Licenses', rows, (row) => (row.name.startsWith('GET /api/v1/licenses/verify') ? rows[1] : undefined))
