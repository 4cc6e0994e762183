// Foundation benchmark: baselines (plain Fastify route, single-row SELECT through the same pool) and the
// platform's own per-request cost, in one run. Usage:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/foundation.ts   (PostgreSQL)
//   npx tsx bench/foundation.ts                                                        (embedded PGlite)
import { freshDatabase, measure, report, startProcess, tempDataDir } from './harness.ts'

const dataDir = await tempDataDir()
const database = await freshDatabase('foundation')
const databaseUrl: Record<string, string> = database.url ? { DATABASE_URL: database.url } : {}
const env = { DATA_DIR: dataDir, PORT: String(3400 + (process.pid % 500)), HOST: '127.0.0.1', ...databaseUrl }
const baseline = await startProcess('bench/servers/baseline.ts', {
  DATA_DIR: `${dataDir}/baseline`,
  ...databaseUrl,
})
const tongban = await startProcess('bench/servers/tongban.ts', env)
const token = tongban.token
try {
  const plain = await measure('baseline: plain Fastify route', { url: `${baseline.url}/plain` })
  const select = await measure('baseline: single-row SELECT', {
    url: baseline.url,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: `/select/${1 + Math.floor(Math.random() * 10_000)}` }),
      },
    ],
  })
  const insert = await measure('baseline: single-row INSERT', {
    url: `${baseline.url}/insert`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: '营业执照' }),
  })
  const health = await measure('tongban: GET /healthz (public, full hook chain)', {
    url: `${tongban.url}/healthz`,
  })
  const validated = await measure('tongban: authenticated + validated POST (no write)', {
    url: `${tongban.url}/bench/validated`,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: '营业执照', count: 1 }),
  })
  const authed = await measure('tongban: authenticated + validated + audited POST', {
    url: `${tongban.url}/bench/audited`,
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify({ title: '营业执照', count: 1 }),
  })
  const me = await measure('tongban: GET /api/v1/me (token + account lookup)', {
    url: `${tongban.url}/api/v1/me`,
    headers: { authorization: `Bearer ${token}` },
  })
  report(
    `Foundation (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
    [plain, select, insert, health, validated, authed, me],
    (row) =>
      row === plain || row === select ? undefined : row === health || row === validated ? plain : select,
  )
} finally {
  await tongban.stop()
  await baseline.stop()
  await database.drop()
}
