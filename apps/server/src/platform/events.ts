import type { DomainEvents } from '@tongban/contracts'
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely'
import { connect, type JetStreamClient, type NatsConnection } from 'nats'
import type { Logger } from 'pino'
import type { Database } from './db/schema.ts'

/** A domain event as delivered to consumers. `id` is its outbox id: unique, and the idempotency key. */
export interface DomainEvent<T = unknown> {
  id: number
  topic: string
  aggregateId: string | null
  payload: T
  createdAt: Date
}

/** Handles one event inside its own transaction; the receipt of the event is committed with its effects. */
export type EventHandler<T = unknown> = (event: DomainEvent<T>, trx: Transaction<Database>) => Promise<void>

/** An event to write: a topic of the catalogue and its payload. */
export type OutboxEvent<Events, T extends keyof Events = keyof Events> = {
  [K in T]: { topic: K; payload: Events[K]; aggregateId: string | null }
}[T]

/** Topics of no catalogue, for tests of the bus itself and probes: any name, any payload. */
export type AnyEvents = Record<string, unknown>

/** The payload a subscription's handler receives: exact topics are typed, patterns are not. */
type PayloadOf<Events, P extends string> = P extends keyof Events ? Events[P] : unknown

interface Subscription {
  consumer: string
  matches: (topic: string) => boolean
  handler: EventHandler<never>
}

export interface EventBusOptions {
  natsUrl?: string | undefined
  /** How long a relay owns a claimed event before another relay may retry it. */
  leaseMs?: number
  pollMs?: number
  batchSize?: number
}

const STREAM = 'TONGBAN'

/** A subscription's topic pattern as a LIKE pattern. */
function likePattern(pattern: string): string {
  if (pattern === '*') return '%'
  const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)
  return pattern.endsWith('.*') ? `${literal(pattern.slice(0, -1))}%` : literal(pattern)
}

function topicMatcher(pattern: string): (topic: string) => boolean {
  if (pattern === '*') return () => true
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1)
    return (topic) => topic.startsWith(prefix)
  }
  return (topic) => topic === pattern
}

/**
 * The transactional outbox and its relay. `publish` writes an event in the caller's transaction; the relay
 * delivers committed events at least once to in-process subscribers (each of which records a receipt so
 * redelivery is harmless) and, when NATS_URL is set, to the JetStream stream TONGBAN (subject
 * `tongban.<topic>`, de-duplicated by the outbox id and commit time).
 */
export class EventBus<Events extends object = DomainEvents> {
  private readonly subscriptions: Subscription[] = []
  /**
   * LIKE patterns of the topics someone takes delivery of: every topic when NATS is configured (the stream
   * gets them all), otherwise those of the in-process subscriptions (which every process registers alike).
   */
  private readonly delivered: string[]
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = true
  private nats: { connection: NatsConnection; js: JetStreamClient } | undefined
  private readonly leaseMs: number
  private readonly pollMs: number
  private readonly batchSize: number

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Logger,
    private readonly options: EventBusOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000
    this.pollMs = options.pollMs ?? 250
    this.batchSize = options.batchSize ?? 100
    this.delivered = options.natsUrl ? ['%'] : []
  }

  /** Writes an event to the outbox in the caller's transaction. */
  async publish<T extends keyof Events & string>(
    trx: Transaction<Database>,
    topic: T,
    payload: Events[T],
    aggregateId: string | null = null,
  ): Promise<void> {
    await this.publishQuery([{ topic, payload, aggregateId } as OutboxEvent<Events>]).execute(trx)
  }

  /**
   * The outbox INSERT of events, not yet run: for a module that writes a whole change in one statement (a
   * data-modifying CTE embedding it), so that the events commit with the change in one round trip.
   */
  publishQuery(events: OutboxEvent<Events>[]): RawBuilder<unknown> {
    const rows = events.map(
      (e) => sql`(${String(e.topic)}, ${e.aggregateId}, ${JSON.stringify(e.payload)}::jsonb)`,
    )
    return this.publishFrom(sql`SELECT * FROM (VALUES ${sql.join(rows)}) AS v(topic, aggregate_id, payload)`)
  }

  /**
   * The outbox INSERT of events read from `source`, a SELECT with one jsonb column `event` holding
   * `{ topic, aggregateId, payload }` per row: for a statement that writes many changes from one recordset,
   * whose text (and so its prepared plan) stays the same however many rows come. Not yet run; append
   * `RETURNING` as needed.
   */
  publishFromQuery(source: RawBuilder<unknown>): RawBuilder<unknown> {
    return this.publishFrom(
      sql`SELECT s.event->>'topic' AS topic, s.event->>'aggregateId' AS aggregate_id, s.event->'payload' AS payload
        FROM (${source}) AS s`,
    )
  }

  /**
   * Writes the events of `source` (columns topic, aggregate_id, payload). An event nobody takes delivery of
   * is written as published: the relay would claim it, hand it to no one and mark it, two updates of its
   * row for nothing.
   */
  private publishFrom(source: RawBuilder<unknown>): RawBuilder<unknown> {
    return sql`INSERT INTO outbox (topic, aggregate_id, payload, published_at)
      SELECT e.topic, e.aggregate_id, e.payload,
        CASE WHEN e.topic LIKE ANY (${this.delivered}::text[]) THEN NULL ELSE now() END
      FROM (${source}) AS e`
  }

  /** Registers an in-process consumer; `topic` is exact, `prefix.*`, or `*`. */
  subscribe<P extends (keyof Events & string) | `${string}.*` | '*'>(
    consumer: string,
    topic: P,
    handler: EventHandler<PayloadOf<Events, P>>,
  ): void {
    this.subscriptions.push({
      consumer,
      matches: topicMatcher(topic),
      handler: handler as EventHandler<never>,
    })
    if (!this.delivered.includes('%')) this.delivered.push(likePattern(topic))
  }

  /** Starts the relay loop (and the NATS connection when configured). */
  async start(): Promise<void> {
    if (this.options.natsUrl && !this.nats) {
      const connection = await connect({ servers: this.options.natsUrl, name: 'tongban-relay' })
      const manager = await connection.jetstreamManager()
      const existing = await manager.streams.info(STREAM).catch(() => undefined)
      if (!existing) await manager.streams.add({ name: STREAM, subjects: ['tongban.>'] })
      this.nats = { connection, js: connection.jetstream() }
    }
    this.stopped = false
    this.schedule(0)
  }

  /** Asks the relay to look for new events now rather than at its next poll. */
  nudge(): void {
    if (!this.stopped && !this.running) this.schedule(0)
  }

  /** Stops the loop after the pass in progress, and closes the NATS connection. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.running
    if (this.nats) {
      await this.nats.connection.drain()
      this.nats = undefined
    }
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.running = this.loop().finally(() => {
        this.running = undefined
      })
    }, delay)
  }

  private async loop(): Promise<void> {
    let delivered = 0
    try {
      delivered = await this.deliverPending()
    } catch (error) {
      this.logger.error({ err: error }, 'event relay pass failed')
    }
    if (!this.stopped) this.schedule(delivered === this.batchSize ? 0 : this.pollMs)
  }

  /** One relay pass: claims a batch of committed, undelivered events and delivers them. */
  async deliverPending(): Promise<number> {
    const claimed = await sql<{
      id: number
      topic: string
      aggregate_id: string | null
      payload: unknown
      created_at: Date
    }>`
      UPDATE outbox SET claimed_until = now() + ${`${this.leaseMs} milliseconds`}::interval, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox
        WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
        ORDER BY id LIMIT ${this.batchSize} FOR UPDATE SKIP LOCKED)
      RETURNING id, topic, aggregate_id, payload, created_at`.execute(this.db)
    const delivered: number[] = []
    for (const row of claimed.rows.sort((a, b) => a.id - b.id)) {
      const event: DomainEvent = {
        id: Number(row.id),
        topic: row.topic,
        aggregateId: row.aggregate_id,
        payload: row.payload,
        createdAt: row.created_at,
      }
      try {
        await this.deliver(event)
        delivered.push(event.id)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        this.logger.warn(
          { eventId: event.id, topic: event.topic, err: error },
          'event delivery failed; will retry',
        )
        // back off: retry after a few seconds rather than immediately in a tight loop
        await sql`UPDATE outbox SET last_error = ${message.slice(0, 2000)},
          claimed_until = now() + least(attempts, 60) * interval '1 second' WHERE id = ${event.id}`.execute(
          this.db,
        )
      }
    }
    // one statement marks the pass's deliveries: a process stopping before it redelivers them, which the
    // consumers' receipts make harmless (at least once)
    if (delivered.length > 0)
      await sql`UPDATE outbox SET published_at = now(), last_error = NULL
        WHERE id = ANY(${delivered}::bigint[])`.execute(this.db)
    return delivered.length
  }

  private async deliver(event: DomainEvent): Promise<void> {
    for (const subscription of this.subscriptions) {
      if (!subscription.matches(event.topic)) continue
      await this.db.transaction().execute(async (trx) => {
        const receipt = await trx
          .insertInto('event_receipts')
          .values({ consumer: subscription.consumer, event_id: event.id })
          .onConflict((oc) => oc.doNothing())
          .returning('event_id')
          .executeTakeFirst()
        if (!receipt) return
        await subscription.handler(event as DomainEvent<never>, trx)
      })
    }
    if (this.nats) {
      // The id alone repeats across databases (a rebuilt DATA_DIR, another deployment, a test database):
      // JetStream would silently drop such an event as a duplicate. The commit time makes the key unique
      // while staying the same on every redelivery of this event.
      await this.nats.js.publish(`tongban.${event.topic}`, JSON.stringify(event), {
        msgID: `outbox-${event.id}-${event.createdAt.getTime()}`,
      })
    }
  }

  /**
   * Deletes events delivered more than `retentionDays` ago, oldest first in batches, and the receipts of
   * consumers that no event waiting for delivery needs any more (a receipt only stops a redelivery from
   * running its consumer twice). An event still waiting is never deleted, however old. Returns how many
   * events went.
   */
  async prune(retentionDays: number, batchSize = 10_000): Promise<number> {
    const cutoff = sql`now() - ${`${retentionDays} days`}::interval`
    let total = 0
    for (;;) {
      const deleted = await sql`
        DELETE FROM outbox WHERE id IN (
          SELECT id FROM outbox WHERE published_at < ${cutoff} ORDER BY id LIMIT ${batchSize})`.execute(
        this.db,
      )
      const count = Number(deleted.numAffectedRows ?? 0)
      total += count
      if (count < batchSize) break
    }
    await sql`
      DELETE FROM event_receipts r WHERE r.handled_at < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = r.event_id AND o.published_at IS NULL)`.execute(
      this.db,
    )
    return total
  }

  /** Events committed but not yet delivered; readiness and metrics report it. */
  async backlog(): Promise<number> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('published_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
}
