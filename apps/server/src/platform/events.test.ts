import { randomBytes } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { AckPolicy, connect, DeliverPolicy, type NatsConnection } from 'nats'
import pino from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runProcess } from '../../test/cli.ts'
import { openTestDb, type TestDb } from '../../test/database.ts'
import type { Database } from './db/schema.ts'
import { type AnyEvents, type DomainEvent, EventBus } from './events.ts'

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222'
const silent = pino({ level: 'silent' })

let testDb: TestDb
const db = () => testDb.handle.db

beforeAll(async () => {
  testDb = await openTestDb()
}, 180_000)
afterAll(() => testDb?.drop())
beforeEach(async () => {
  await sql`TRUNCATE outbox, event_receipts`.execute(db())
})

async function publish(
  bus: EventBus<AnyEvents>,
  topic: string,
  payload: unknown = {},
  aggregateId: string | null = null,
) {
  await db()
    .transaction()
    .execute((trx) => bus.publish(trx, topic, payload, aggregateId))
}

async function outboxRows() {
  return db()
    .selectFrom('outbox')
    .select(['id', 'topic', 'published_at', 'claimed_until', 'attempts', 'last_error'])
    .orderBy('id')
    .execute()
}

async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('outbox relay', () => {
  it('delivers an event committed with its change once', async () => {
    const bus = new EventBus<AnyEvents>(db(), silent)
    const seen: DomainEvent[] = []
    bus.subscribe('cases-projection', 'case.accepted', async (event) => {
      seen.push(event)
    })
    await publish(bus, 'case.accepted', { caseNo: 'TB-1', 受理人: '李四' }, 'case-1')

    expect(await bus.backlog()).toBe(1)
    expect(await bus.deliverPending()).toBe(1)
    expect(await bus.deliverPending()).toBe(0)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({
      topic: 'case.accepted',
      aggregateId: 'case-1',
      payload: { caseNo: 'TB-1', 受理人: '李四' },
    })
    expect(seen[0]?.createdAt).toBeInstanceOf(Date)
    const [row] = await outboxRows()
    expect(row?.published_at).toBeInstanceOf(Date)
    expect(row?.last_error).toBeNull()
    expect(await bus.backlog()).toBe(0)
  })

  it('never delivers an event whose transaction rolled back', async () => {
    const bus = new EventBus<AnyEvents>(db(), silent)
    let calls = 0
    bus.subscribe('counter', '*', async () => {
      calls += 1
    })
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await bus.publish(trx, 'case.accepted', { caseNo: 'TB-2' })
          throw new Error('validation failed after the event was written')
        }),
    ).rejects.toThrow()
    expect(await outboxRows()).toEqual([])
    expect(await bus.deliverPending()).toBe(0)
    expect(calls).toBe(0)
  })

  it('does not run a consumer twice when an event is delivered again', async () => {
    const bus = new EventBus<AnyEvents>(db(), silent)
    let calls = 0
    bus.subscribe('notify-applicant', 'case.*', async (event, trx) => {
      calls += 1
      // the consumer's effect commits together with its receipt
      await sql`SELECT ${event.id}::bigint`.execute(trx)
    })
    await publish(bus, 'case.completed', { caseNo: 'TB-3' })
    expect(await bus.deliverPending()).toBe(1)

    // a relay crashed after delivering but before marking the event published: it goes out again
    await sql`UPDATE outbox SET published_at = NULL, claimed_until = NULL`.execute(db())
    expect(await bus.deliverPending()).toBe(1)
    expect(calls).toBe(1)
    const receipts = await db().selectFrom('event_receipts').select(['consumer', 'event_id']).execute()
    expect(receipts).toHaveLength(1)
    expect(receipts[0]?.consumer).toBe('notify-applicant')
    expect((await outboxRows())[0]?.attempts).toBe(2)
  })

  it('retries a failing consumer later, records the error, and does not rerun the consumers that succeeded', async () => {
    const bus = new EventBus<AnyEvents>(db(), silent)
    let steady = 0
    let flaky = 0
    bus.subscribe('steady', 'license.issued', async () => {
      steady += 1
    })
    bus.subscribe('department-gateway', 'license.issued', async () => {
      flaky += 1
      if (flaky === 1) throw new Error('department system unreachable')
    })
    await publish(bus, 'license.issued', { licenseNo: 'L-1' })

    expect(await bus.deliverPending()).toBe(0)
    let [row] = await outboxRows()
    expect(row?.published_at).toBeNull()
    expect(row?.last_error).toBe('department system unreachable')
    expect(row?.attempts).toBe(1)
    expect(row?.claimed_until).toBeInstanceOf(Date)

    // backed off: not retried at once
    expect(await bus.deliverPending()).toBe(0)
    expect(flaky).toBe(1)

    await new Promise((resolve) => setTimeout(resolve, 1_200))
    expect(await bus.deliverPending()).toBe(1)
    expect(flaky).toBe(2)
    expect(steady).toBe(1)
    ;[row] = await outboxRows()
    expect(row?.published_at).toBeInstanceOf(Date)
    expect(row?.last_error).toBeNull()
  })

  it('routes by exact topic, by prefix pattern and to catch-all consumers', async () => {
    const bus = new EventBus<AnyEvents>(db(), silent)
    const received: Record<string, string[]> = { prefix: [], exact: [], all: [] }
    bus.subscribe('prefix', 'case.*', async (e) => void received.prefix?.push(e.topic))
    bus.subscribe('exact', 'case.accepted', async (e) => void received.exact?.push(e.topic))
    bus.subscribe('all', '*', async (e) => void received.all?.push(e.topic))
    for (const topic of [
      'case.accepted',
      'case.refused',
      'case.task.assigned',
      'cases.archived',
      'case',
      'license.issued',
    ])
      await publish(bus, topic)

    expect(await bus.deliverPending()).toBe(6)
    expect(received).toEqual({
      prefix: ['case.accepted', 'case.refused', 'case.task.assigned'],
      exact: ['case.accepted'],
      all: [
        'case.accepted',
        'case.refused',
        'case.task.assigned',
        'cases.archived',
        'case',
        'license.issued',
      ],
    })
  })

  it('writes an event nobody takes delivery of as published, without the relay', async () => {
    const bus = new EventBus<AnyEvents>(db(), silent)
    const received: string[] = []
    bus.subscribe('exact', 'license.issued', async (e) => void received.push(e.topic))
    bus.subscribe('underscore', 'account_x.*', async (e) => void received.push(e.topic))
    // LIKE's wildcards in a topic are literal: account_x.* does not take accountyx.closed
    for (const topic of ['license.issued', 'license.issued.again', 'accountyx.closed', 'account_x.closed'])
      await publish(bus, topic)

    const rows = await outboxRows()
    expect(rows.map((r) => [r.topic, r.published_at !== null])).toEqual([
      ['license.issued', false],
      ['license.issued.again', true],
      ['accountyx.closed', true],
      ['account_x.closed', false],
    ])
    expect(rows.filter((r) => r.published_at !== null).every((r) => r.attempts === 0)).toBe(true)
    expect(await bus.backlog()).toBe(2)
    expect(await bus.deliverPending()).toBe(2)
    expect(received).toEqual(['license.issued', 'account_x.closed'])

    // a stream takes every topic: with NATS configured nothing is written as published
    const streamed = new EventBus<AnyEvents>(db(), silent, { natsUrl: NATS_URL })
    await publish(streamed, 'nobody.listens')
    expect((await outboxRows()).at(-1)).toMatchObject({ topic: 'nobody.listens', published_at: null })
  })

  it('deletes events delivered before the retention period, and receipts no waiting event needs', async () => {
    const bus = new EventBus<AnyEvents>(db(), silent)
    let failing = true
    bus.subscribe('steady', 'case.*', async () => {})
    bus.subscribe('flaky', 'case.stuck', async () => {
      if (failing) throw new Error('department system down')
    })
    for (const topic of ['case.old', 'case.stuck', 'case.recent', 'nobody.old']) await publish(bus, topic)
    await bus.deliverPending() // case.stuck: steady handled it, flaky failed, so it waits
    const age = (topics: string[], days: number) =>
      sql`UPDATE outbox SET created_at = now() - ${`${days} days`}::interval,
        published_at = CASE WHEN published_at IS NULL THEN NULL ELSE now() - ${`${days} days`}::interval END
        WHERE topic = ANY(${topics}::text[])`.execute(db())
    await age(['case.old', 'case.stuck', 'nobody.old'], 10)
    await sql`UPDATE event_receipts SET handled_at = now() - interval '10 days'`.execute(db())

    expect(await bus.prune(7, 1)).toBe(2) // batches of one: each batch goes, until one finds nothing
    expect((await outboxRows()).map((r) => [r.topic, r.published_at === null])).toEqual([
      ['case.stuck', true],
      ['case.recent', false],
    ])
    const receipts = await db().selectFrom('event_receipts').select(['consumer', 'event_id']).execute()
    const stuck = (await outboxRows())[0]!.id
    // the waiting event keeps its receipt, so that steady does not run twice when it is redelivered
    expect(receipts).toEqual([{ consumer: 'steady', event_id: stuck }])

    failing = false
    await sql`UPDATE outbox SET claimed_until = NULL`.execute(db())
    expect(await bus.deliverPending()).toBe(1)
    expect(await bus.prune(7)).toBe(0) // delivered now: it stays for the retention period
  })

  it('delivers events in the order they were committed', async () => {
    const bus = new EventBus<AnyEvents>(db(), silent, { batchSize: 3 })
    const order: number[] = []
    bus.subscribe('ordered', '*', async (e) => void order.push((e.payload as { n: number }).n))
    for (let n = 1; n <= 7; n += 1) await publish(bus, 'case.step', { n })
    expect(await bus.deliverPending()).toBe(3)
    expect(await bus.deliverPending()).toBe(3)
    expect(await bus.deliverPending()).toBe(1)
    expect(order).toEqual([1, 2, 3, 4, 5, 6, 7])
  })
})

describe('NATS JetStream', () => {
  let nc: NatsConnection
  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL })
  })
  afterAll(() => nc?.close())

  it('publishes to the TONGBAN stream on tongban.<topic>, de-duplicated by message id', async () => {
    const topic = `test.nats.${randomBytes(6).toString('hex')}`
    const bus = new EventBus<AnyEvents>(db(), silent, { natsUrl: NATS_URL, pollMs: 50 })
    await bus.start()
    try {
      await publish(bus, topic, { caseNo: 'TB-NATS' }, 'case-9')
      const published = async () => (await outboxRows()).every((r) => r.published_at !== null)
      await waitFor(published)
      // delivered again (a relay died before marking it published): JetStream drops the duplicate
      await sql`UPDATE outbox SET published_at = NULL, claimed_until = NULL`.execute(db())
      await waitFor(published)
      expect((await outboxRows())[0]?.attempts).toBe(2)
    } finally {
      await bus.stop()
    }

    const [row] = await outboxRows()
    const jsm = await nc.jetstreamManager()
    const stream = await jsm.streams.info('TONGBAN')
    expect(stream.config.subjects).toContain('tongban.>')
    const consumer = await jsm.consumers.add('TONGBAN', {
      filter_subject: `tongban.${topic}`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      inactive_threshold: 60_000_000_000,
    })
    const messages = await (await nc.jetstream().consumers.get('TONGBAN', consumer.name)).fetch({
      max_messages: 10,
      expires: 1_500,
    })
    const received = []
    for await (const message of messages) {
      received.push({
        subject: message.subject,
        data: message.json<DomainEvent>(),
        msgId: message.headers?.get('Nats-Msg-Id'),
      })
      message.ack()
    }
    expect(received).toHaveLength(1)
    expect(received[0]?.subject).toBe(`tongban.${topic}`)
    expect(received[0]?.data).toMatchObject({
      id: row?.id,
      topic,
      aggregateId: 'case-9',
      payload: { caseNo: 'TB-NATS' },
    })
    expect(received[0]?.msgId).toMatch(new RegExp(`^outbox-${row?.id}-`))
    await jsm.consumers.delete('TONGBAN', consumer.name)
    await jsm.streams.purge('TONGBAN', { filter: `tongban.${topic}` })
  })
})

/** Rows of the crash test's own table, which is not part of the application schema. */
async function crashEffects(on: Kysely<Database>) {
  const { rows } = await sql<{
    event_id: number
    process: string
  }>`SELECT event_id, process FROM crash_effects`.execute(on)
  return rows
}

describe('a relay killed between commit and delivery', () => {
  let crashDb: TestDb
  beforeAll(async () => {
    crashDb = await openTestDb({ file: true })
    await sql`CREATE TABLE crash_effects (event_id bigint NOT NULL, process text NOT NULL)`.execute(
      crashDb.handle.db,
    )
  }, 180_000)
  afterAll(() => crashDb?.drop())

  it('loses nothing: after restart the event is delivered exactly once', async () => {
    // PGlite allows one process at a time; PostgreSQL does not mind
    if (!crashDb.url) await crashDb.close()
    const leaseMs = 2_000
    const child = await runProcess(
      process.execPath,
      ['--import', 'tsx', 'apps/server/test/fixtures/crash-relay.ts'],
      { ...crashDb.env, LEASE_MS: String(leaseMs) },
    )
    expect(child.signal).toBe('SIGKILL')
    expect(child.stdout).toContain('event committed')
    expect(child.stdout).toMatch(/dying while handling event \d+/)
    expect(child.stdout).not.toContain('survived')

    const handle = crashDb.url ? crashDb.handle : await crashDb.reopen()
    const pending = await handle.db.selectFrom('outbox').selectAll().execute()
    expect(pending).toHaveLength(1)
    expect(pending[0]).toMatchObject({ topic: 'crash.committed', published_at: null, attempts: 1 })
    // the claim of the dead relay survived; its consumer's effect did not
    expect(pending[0]?.claimed_until).toBeInstanceOf(Date)
    expect(await crashEffects(handle.db)).toEqual([])
    expect(await handle.db.selectFrom('event_receipts').selectAll().execute()).toEqual([])

    const bus = new EventBus(handle.db, silent, { leaseMs })
    let calls = 0
    bus.subscribe('crash-effects', 'crash.*', async (event, trx) => {
      calls += 1
      await sql`INSERT INTO crash_effects (event_id, process) VALUES (${event.id}, 'restarted')`.execute(trx)
    })
    // the restarted relay waits out the dead relay's lease, then takes the event over
    await waitFor(async () => (await bus.deliverPending()) === 1, leaseMs + 60_000)
    expect(await bus.deliverPending()).toBe(0)
    expect(calls).toBe(1)
    const effects = await crashEffects(handle.db)
    expect(effects).toEqual([{ event_id: Number(pending[0]?.id), process: 'restarted' }])
    const [row] = await handle.db.selectFrom('outbox').select(['published_at', 'attempts']).execute()
    expect(row?.published_at).toBeInstanceOf(Date)
    expect(row?.attempts).toBe(2)
  }, 300_000)
})
