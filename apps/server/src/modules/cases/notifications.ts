import type { CaseEventType } from '@tongban/contracts'
import type { Platform } from '../../platform/platform.ts'
import type { CasesDependencies } from './cases.ports.ts'
import type { NotificationsRepository } from './repository/notifications.repository.ts'

/** Milestone notifications of different cases sent at the same time by one process. */
const NOTIFICATION_SENDERS = 8

/** What a case event's outbox payload says, as far as notifying the applicant goes. */
export interface MilestonePayload {
  caseId: string
  caseNo: string
  applicantId: string
  itemName: string
  seq: number
  parentId: string | null
  /** A walk-in's query code (SM4-encrypted), on its submission's notification only. */
  queryCodeEnc?: string
}

/**
 * 办件通知: the applicant is told of each milestone by SMS (and e-mail when known). Milestones are queued
 * with the step that reached them (same statement), so a committed step is notified even after a crash;
 * they are sent soon after each step by processes that do background work, and every few seconds.
 */
export class MilestoneNotifications {
  /** The sender running in this process, if any (sends run one after another). */
  private sending: Promise<unknown> = Promise.resolve()
  private sendScheduled = false

  constructor(
    private readonly platform: Platform,
    private readonly queue: NotificationsRepository,
    private readonly ports: Pick<CasesDependencies, 'contacts' | 'notifier'>,
  ) {}

  /**
   * Sends waiting notifications soon, in processes that do background work (worker or all): after each
   * committed step, at most once per 50 ms. API-only processes leave them to the workers' poll.
   */
  sendSoon(): void {
    if (this.platform.config.role === 'api' || this.sendScheduled) return
    this.sendScheduled = true
    setTimeout(() => {
      this.sendScheduled = false
      void this.send().catch((err) =>
        this.platform.logger.error({ err }, 'sending case notifications failed'),
      )
    }, 50).unref()
  }

  /**
   * Sends the notifications waiting to be sent, each case's in order; a failed one is retried later (and
   * holds back the case's later ones). At least once: a process dying between sending and recording it
   * sends it again. Calls in one process run one after another. The number sent.
   */
  send(limit = 100): Promise<number> {
    const run = this.sending.then(() => this.sendWaiting(limit))
    this.sending = run.catch(() => 0)
    return run
  }

  private async sendWaiting(limit: number): Promise<number> {
    let sent = 0
    for (;;) {
      const sentNow = await this.sendBatch(limit)
      sent += sentNow
      // a case's next milestone becomes claimable once the one before it is sent
      if (sentNow === 0) return sent
    }
  }

  /**
   * One claimed batch: it holds at most one milestone per case (its oldest waiting), so they may go out
   * side by side without changing any case's order, a few at a time, as a provider round trip is mostly
   * waiting. The sent ones are forgotten together (one statement); a process dying before that statement
   * sends them again: at least once.
   */
  private async sendBatch(limit: number): Promise<number> {
    const claimed = await this.queue.claim(limit, 15)
    const sentIds: number[] = []
    let next = 0
    const sender = async () => {
      for (let row = claimed[next++]; row; row = claimed[next++]) {
        try {
          await this.notify(row.topic, row.payload as MilestonePayload)
          sentIds.push(row.event_id)
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          this.platform.logger.warn(
            { eventId: row.event_id, err: error },
            'case notification failed; will retry',
          )
          await this.queue.fail(row.event_id, message)
        }
      }
    }
    await Promise.all(Array.from({ length: NOTIFICATION_SENDERS }, sender))
    await this.queue.delete(sentIds)
    return sentIds.length
  }

  /** Tells the applicant of a milestone, by e-mail when known and by SMS. */
  async notify(topic: string, payload: MilestonePayload): Promise<void> {
    const type = topic.replace(/^case\./, '') as CaseEventType
    const contact = await this.ports.contacts?.findContact(payload.applicantId)
    const params: Record<string, string> = {
      caseNo: payload.caseNo,
      itemName: payload.itemName,
      milestone: type,
      seq: String(payload.seq),
    }
    // a walk-in's applicant was handed the query code on paper; the message repeats it
    if (payload.queryCodeEnc) params.queryCode = this.platform.vault.decrypt(payload.queryCodeEnc)
    const template = `case.${type}`
    if (contact?.email)
      await this.ports.notifier.send({ channel: 'email', to: contact.email, template, params })
    await this.ports.notifier.send({
      channel: 'sms',
      to: contact?.phone ?? `account:${payload.applicantId}`,
      template,
      params,
    })
  }
}
