import { staffWith } from '../../../platform/authz.ts'
import { CASE_READERS, WORKFLOW_ROLES } from '../cases.policy.ts'

/** The OpenAPI tag of the module's routes. */
export const tags = ['cases']

/** Staff who work case steps (window clerks, reviewers, approvers): task queues and staff moves. */
export const workers = staffWith(...WORKFLOW_ROLES)

/** Staff who may read cases of their departments: the workers and department administrators. */
export const caseReaders = staffWith(...CASE_READERS)

/** Staff who may read supervision: case readers and system administrators. */
export const supervisors = staffWith(...CASE_READERS, 'system_admin')
