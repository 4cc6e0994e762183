import { type Kysely, sql } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'

/** The queue of milestone notifications (written with each step, see write-changes.sql); no rules here. */
export class NotificationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Claims up to `limit` notifications to send, for `leaseSeconds` (another sender skips them meanwhile):
   * of each case only its oldest waiting one, so that a case's milestones go out in order whichever
   * process sends them.
   */
  async claim(limit: number, leaseSeconds: number) {
    const { rows } = await sql<{ event_id: string; topic: string; payload: unknown }>`
      UPDATE case_notifications
        SET claimed_until = now() + ${`${leaseSeconds} seconds`}::interval, attempts = attempts + 1
      WHERE event_id IN (
        SELECT n.event_id FROM case_notifications n
        WHERE (n.claimed_until IS NULL OR n.claimed_until < now())
          AND NOT EXISTS (SELECT 1 FROM case_notifications o
            WHERE o.payload->>'caseId' = n.payload->>'caseId' AND o.event_id < n.event_id)
        ORDER BY n.event_id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING event_id, topic, payload`.execute(this.db)
    return rows.map((r) => ({ ...r, event_id: Number(r.event_id) })).sort((a, b) => a.event_id - b.event_id)
  }

  async delete(eventIds: number[]): Promise<void> {
    if (eventIds.length === 0) return
    await this.db.deleteFrom('case_notifications').where('event_id', 'in', eventIds).execute()
  }

  /** Records a failed attempt; retried after a back-off growing with the attempts (at most a minute). */
  async fail(eventId: number, error: string): Promise<void> {
    await sql`UPDATE case_notifications SET last_error = ${error.slice(0, 2000)},
      claimed_until = now() + least(attempts, 60) * interval '1 second' WHERE event_id = ${eventId}`.execute(
      this.db,
    )
  }
}
