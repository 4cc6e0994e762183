import type { Policy } from '../../platform/authz.ts'

/** A natural person logged in as themselves (not acting for a company): registers companies. */
export const personAsSelf: Policy = {
  name: 'person',
  allows: (actor) => actor.kind === 'person' && !actor.actingFor,
}
