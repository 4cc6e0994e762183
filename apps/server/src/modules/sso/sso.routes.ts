import type { App } from '../../platform/http.ts'
import { registerClientRoutes } from './routes/clients.routes.ts'
import { registerLoginRoutes } from './routes/interaction.routes.ts'
import { registerProviderRoutes } from './routes/provider.routes.ts'
import type { SsoService } from './sso.service.ts'

/**
 * Mounts the OpenID Provider at /oidc and Tongban's own login pages at /oidc/interaction/:uid, plus the
 * administrator's client registration API.
 */
export async function registerSsoRoutes(app: App, sso: SsoService): Promise<void> {
  await registerProviderRoutes(app, sso)
  await registerLoginRoutes(app, sso)
  registerClientRoutes(app, sso)
}
