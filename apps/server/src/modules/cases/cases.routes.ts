import type { App } from '../../platform/http.ts'
import type { CasesService } from './cases.service.ts'
import { registerApplyingRoutes } from './routes/applying.routes.ts'
import { registerDraftRoutes } from './routes/drafts.routes.ts'
import { registerMoveRoutes } from './routes/moves.routes.ts'
import { registerReadingRoutes } from './routes/reading.routes.ts'
import { registerSupervisionRoutes } from './routes/supervision.routes.ts'
import { registerTaskRoutes } from './routes/tasks.routes.ts'
import { registerUploadRoutes } from './routes/uploads.routes.ts'

/**
 * The 办件 routes: each parses (its schema), is authorized at all (its route policy), calls one use case
 * through the facade, and presents the answer; the use case asks the record policy.
 */
export async function registerCasesRoutes(app: App, cases: CasesService): Promise<void> {
  await registerUploadRoutes(app, cases)
  registerApplyingRoutes(app, cases)
  registerReadingRoutes(app, cases)
  registerMoveRoutes(app, cases)
  registerDraftRoutes(app, cases)
  registerTaskRoutes(app, cases)
  registerSupervisionRoutes(app, cases)
}
