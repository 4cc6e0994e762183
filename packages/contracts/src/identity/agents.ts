import { type Static, Type } from 'typebox'

/** 法人经办人授权 as the API shows it. */
export const AgentAuthorizationView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  companyId: Type.String({ format: 'uuid' }),
  agent: Type.Object({
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    idNumberMasked: Type.String(),
  }),
  grantedBy: Type.String({ format: 'uuid' }),
  grantedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
})
export type AgentAuthorizationView = Static<typeof AgentAuthorizationView>

export const AgentAuthorizationList = Type.Object({ items: Type.Array(AgentAuthorizationView) })
export type AgentAuthorizationList = Static<typeof AgentAuthorizationList>

/**
 * POST /api/v1/companies/:id/agents: the legal representative names a registered person by ID number and
 * name (both must match the account) and lets them act for the company until `expiresAt`.
 */
export const CreateAgentAuthorization = Type.Object(
  {
    agentIdNumber: Type.String({ minLength: 1, maxLength: 40 }),
    agentName: Type.String({ minLength: 1, maxLength: 50 }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)
export type CreateAgentAuthorization = Static<typeof CreateAgentAuthorization>

export const AgentAuthorizationParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  authorizationId: Type.String({ format: 'uuid' }),
})
export type AgentAuthorizationParams = Static<typeof AgentAuthorizationParams>
