import { TASK_ACTIONS, type TaskActionBodies, type TaskActionName, type TaskStatus } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import { AppError, notFound } from '../../platform/errors.ts'
import type { AuditWho, CasesContext } from './cases.context.ts'
import { invalidField, invalidTaskAction, messages, staleVersion } from './cases.messages.ts'
import { mayBeHandedTask, mayChangeClaim, mayWorkTask, taskQueueScopes } from './cases.policy.ts'
import type { CaseTaskRecord, TaskWithCase } from './repository/records.ts'

/** The statuses each task action may be taken from. */
const TASK_ACTION_FROM: Record<TaskActionName, readonly TaskStatus[]> = {
  claim: ['open'],
  release: ['claimed'],
  handOver: ['open', 'claimed'],
}

/** My departments' task queues (办理任务): open and claimed by default, or by status, or mine. */
export function listTasks(
  ctx: CasesContext,
  actor: AuthenticatedActor,
  filter: { status?: 'open' | 'claimed' | 'done' | 'mine'; limit: number; offset: number },
) {
  const mine = filter.status === 'mine'
  const status = filter.status === 'mine' ? 'claimed' : filter.status
  return ctx.repositories.tasks.findMany({
    scopes: taskQueueScopes(actor),
    ...(status ? { status } : {}),
    ...(mine ? { claimedBy: actor.accountId } : {}),
    limit: filter.limit,
    offset: filter.offset,
  })
}

/**
 * 签收 / 退回 / 转交: claim a task, release one, or hand it to a named colleague holding its role in its
 * department; at the version the caller saw (409 otherwise), audited. 404 for a task the caller does not
 * work; release and hand-over of a claimed task are its holder's (403).
 */
export async function changeTask<A extends TaskActionName>(
  ctx: CasesContext,
  id: string,
  action: A,
  body: TaskActionBodies[A],
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<TaskWithCase> {
  const task = await ctx.repositories.tasks.findById(id)
  if (!task || !mayWorkTask(actor, task)) throw notFound(messages.noSuchTask)
  if (task.version !== body.version) throw staleVersion(task.version)
  if (!TASK_ACTION_FROM[action].includes(task.status))
    throw invalidTaskAction(
      task.status,
      action,
      TASK_ACTIONS.filter((a) => TASK_ACTION_FROM[a].includes(task.status)),
    )
  if (!mayChangeClaim(actor, task, action)) throw new AppError('forbidden', { detail: messages.holderOnly })
  const claimedBy = await newHolder(ctx, task, action, body, actor)
  await ctx.platform.db.transaction().execute(async (trx) => {
    const changes = { status: claimedBy ? ('claimed' as const) : ('open' as const), claimed_by: claimedBy }
    if (!(await ctx.repositories.tasks.updateClaim(trx, id, task.version, changes)))
      throw staleVersion(task.version + 1)
    await ctx.platform.audit.append(trx, {
      ...who,
      action: `task.${action}`,
      resourceType: 'case_task',
      resourceId: id,
      regionCode: task.region_code,
      outcome: 'success',
      details: { caseId: task.case_id, step: task.step, claimedBy },
    })
  })
  const changed = await ctx.repositories.tasks.findByIdWithCase(id)
  if (!changed) throw notFound(messages.noSuchTask)
  return changed
}

/** Who holds the task after the action: the caller (claim), nobody (release), the colleague (hand-over). */
async function newHolder<A extends TaskActionName>(
  ctx: CasesContext,
  task: CaseTaskRecord,
  action: A,
  body: TaskActionBodies[A],
  actor: AuthenticatedActor,
): Promise<string | null> {
  if (action === 'claim') return actor.accountId
  if (!('to' in body)) return null
  const grants = await ctx.ports.staff?.findRoleGrants(body.to)
  if (!grants || !mayBeHandedTask(grants, task)) throw invalidField('/to', 'colleague', messages.colleague)
  return body.to
}
