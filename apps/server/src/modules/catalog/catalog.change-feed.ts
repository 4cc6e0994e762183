import type { CatalogContext } from './catalog.context.ts'

/** How often each node reads the change log; another node's publication reaches its caches within this. */
const CHANGE_POLL_MS = 1_000
const CHANGE_BATCH = 1_000
/** More skipped sequence numbers than this, or a poll gap above CHANGE_GAP_MS: drop every cache instead. */
const CHANGE_GAP_LIMIT = 1_000
const CHANGE_GAP_MS = 60_000
/** How long a skipped sequence number is looked for again (it may commit late). */
const MISSING_MS = 60_000

/**
 * Follows the change log (catalog_changes): every interval this node reads what was changed, here or on
 * another node, and drops its copies (a guide, the matched texts, a region's department terms). A change
 * made on this node is dropped here at once, elsewhere within one interval.
 */
export class ChangeFeed {
  private seq = -1
  private readonly missing = new Map<number, number>()
  private lastPoll = 0
  private lastPrune = 0
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly ctx: CatalogContext) {}

  /** Starts polling; `warmUp` runs once, before the first poll, on nodes that serve requests. */
  async start(warmUp: () => Promise<void>, intervalMs = CHANGE_POLL_MS): Promise<void> {
    if (this.seq < 0) this.seq = await this.ctx.repositories.changes.findLatestSeq()
    this.lastPoll = Date.now()
    if (this.ctx.platform.config.role !== 'worker') void warmUp()
    const schedule = () => {
      this.timer = setTimeout(() => {
        this.sync()
          .catch((error: unknown) =>
            this.ctx.platform.logger.warn({ err: error }, 'catalog change feed poll failed'),
          )
          .finally(() => {
            if (this.timer) schedule()
          })
      }, intervalMs)
      this.timer.unref()
    }
    schedule()
  }

  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  /**
   * Reads the change log once and applies what is new; returns how many changes it applied. Sequence
   * numbers can commit out of order: one skipped over is looked for again for a minute. After a long gap
   * (the database was unreachable) every cache is dropped, as changes may have been pruned meanwhile.
   */
  async sync(): Promise<number> {
    if (this.seq < 0) this.seq = await this.ctx.repositories.changes.findLatestSeq()
    const now = Date.now()
    if (now - this.lastPoll > CHANGE_GAP_MS) this.ctx.caches.dropAll()
    const applied = await this.applyNew(now)
    for (const [seq, since] of this.missing) if (now - since > MISSING_MS) this.missing.delete(seq)
    if (this.missing.size > CHANGE_GAP_LIMIT) {
      this.missing.clear()
      this.ctx.caches.dropAll()
    }
    this.lastPoll = now
    if (now - this.lastPrune > 3_600_000) {
      this.lastPrune = now
      await this.ctx.repositories.changes.deleteOlderThan(24)
    }
    return applied
  }

  /** Applies the changes after this node's place and the skipped ones that have committed since. */
  private async applyNew(now: number): Promise<number> {
    const { changes } = this.ctx.repositories
    let applied = 0
    for (;;) {
      const rows = await changes.findSince(this.seq, [...this.missing.keys()], CHANGE_BATCH)
      for (const row of rows) {
        this.ctx.caches.apply(row.kind, row.key)
        applied += 1
        this.missing.delete(row.seq)
        if (row.seq <= this.seq) continue
        if (row.seq - this.seq > 1 + CHANGE_GAP_LIMIT) this.ctx.caches.dropAll()
        else for (let skipped = this.seq + 1; skipped < row.seq; skipped += 1) this.missing.set(skipped, now)
        this.seq = row.seq
      }
      if (rows.length < CHANGE_BATCH) return applied
    }
  }
}
