import { CreatedSsoClient, CreateSsoClient, SsoClientList, type SsoClientView } from '@tongban/contracts'
import { staffWith } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { auditContext } from '../../../platform/platform.ts'
import type { SsoClientRecord } from '../sso.clients.ts'
import type { SsoService } from '../sso.service.ts'

function presentClient(client: SsoClientRecord): SsoClientView {
  return {
    clientId: client.clientId,
    name: client.name,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    ownerDepartmentId: client.ownerDepartmentId,
    createdAt: client.createdAt.toISOString(),
  }
}

/** The system administrator's registration of third-party OIDC clients. */
export function registerClientRoutes(app: App, sso: SsoService): void {
  app.post(
    '/api/v1/sso/clients',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags: ['sso'],
        summary: 'Register a third-party OIDC client; the secret is shown once',
        body: CreateSsoClient,
        response: { 201: CreatedSsoClient },
      },
    },
    async (request, reply) => {
      const { client, clientSecret } = await sso.clients.create(request.body, auditContext(request))
      return reply.code(201).send({ ...presentClient(client), clientSecret, issuer: sso.issuer })
    },
  )
  app.get(
    '/api/v1/sso/clients',
    {
      config: { policy: staffWith('system_admin') },
      schema: {
        tags: ['sso'],
        summary: 'Registered third-party OIDC clients',
        response: { 200: SsoClientList },
      },
    },
    async () => ({ items: (await sso.clients.list()).map(presentClient) }),
  )
}
