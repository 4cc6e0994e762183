import { type Static, Type } from 'typebox'

const RedirectUri = Type.String({
  minLength: 8,
  maxLength: 2000,
  description: 'An https URL, or http://localhost / http://127.0.0.1 for development; no fragment',
})

/** Registers a third-party OIDC client (e.g. a department's legacy system). */
export const CreateSsoClient = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 100, description: 'Shown to users on the consent page' }),
    redirectUris: Type.Array(RedirectUri, { minItems: 1, maxItems: 10 }),
    postLogoutRedirectUris: Type.Optional(Type.Array(RedirectUri, { maxItems: 10 })),
    ownerDepartmentId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
)
export type CreateSsoClient = Static<typeof CreateSsoClient>

/** A registered third-party client as the API shows it (never its secret). */
export const SsoClientView = Type.Object({
  clientId: Type.String(),
  name: Type.String(),
  redirectUris: Type.Array(Type.String()),
  postLogoutRedirectUris: Type.Array(Type.String()),
  ownerDepartmentId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})
export type SsoClientView = Static<typeof SsoClientView>

/** The answer to a registration: the only time the client secret is shown. */
export const CreatedSsoClient = Type.Object({
  ...SsoClientView.properties,
  clientSecret: Type.String({
    description: 'Shown once; store it in the client, it cannot be retrieved again',
  }),
  issuer: Type.String({
    description: 'The OpenID Provider issuer (discovery at /.well-known/openid-configuration)',
  }),
})
export type CreatedSsoClient = Static<typeof CreatedSsoClient>

export const SsoClientList = Type.Object({ items: Type.Array(SsoClientView) })
export type SsoClientList = Static<typeof SsoClientList>
