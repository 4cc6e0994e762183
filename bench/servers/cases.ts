// A whole Tongban server with the cases module on a fake catalog and fixed test actors, listening on PORT
// (0: any). For the cases benchmark and the crash test (cases.crash.test.ts). Run with `node --import tsx`;
// env: DATA_DIR or DATABASE_URL. Prints `listening <url>` once ready.
import { startServer } from '../../apps/server/src/main.ts'
import {
  buildGuide,
  caseActors,
  FakeCatalog,
  fakeStaffDirectory,
} from '../../apps/server/src/modules/cases/cases.testing.ts'
import { createCasesModule } from '../../apps/server/src/modules/cases/index.ts'
import { loadConfig } from '../../apps/server/src/platform/config.ts'
import { useTestActors } from '../../apps/server/src/testing/test-server.ts'

const actors = caseActors()
// a fast applicant flow: no material is required, so a submission needs no upload first
const catalog = new FakeCatalog([
  buildGuide({ materials: [{ key: 'photo', name: '照片', required: false, source: 'upload' }] }),
])
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...process.env })
const server = await startServer(config, {
  modules: [createCasesModule({ catalog: () => catalog, staff: () => fakeStaffDirectory(actors) })],
})
useTestActors(server, actors)
// the pid lets the benchmark read this process's CPU time
process.stdout.write(`token ${process.pid}\nlistening ${server.url}\n`)
const stop = () => server.close().then(() => process.exit(0))
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
