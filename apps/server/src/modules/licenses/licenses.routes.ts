import type { App } from '../../platform/http.ts'
import type { LicensesService } from './licenses.service.ts'
import { registerExportRoutes, registerGrantRoutes, registerWalletRoutes } from './routes/holder.routes.ts'
import { registerDidRoutes, registerVerificationRoutes } from './routes/public.routes.ts'
import { registerGrantReadRoutes, registerIssuingRoutes } from './routes/staff.routes.ts'
import { registerKeyRoutes, registerTypeRoutes } from './routes/types-and-keys.routes.ts'

/** 电子证照 routes: types, keys, issuing, verification, wallet, PDF, W3C export, did:web, 用证授权. */
export function registerLicensesRoutes(app: App, licenses: LicensesService): void {
  registerTypeRoutes(app, licenses)
  registerKeyRoutes(app, licenses)
  registerIssuingRoutes(app, licenses)
  registerVerificationRoutes(app, licenses)
  registerWalletRoutes(app, licenses)
  registerExportRoutes(app, licenses)
  registerDidRoutes(app, licenses)
  registerGrantRoutes(app, licenses)
  registerGrantReadRoutes(app, licenses)
}
