import type { Kysely, Transaction } from 'kysely'
import { batchedWrites } from '../../../platform/db/batcher.ts'
import type { Database } from '../../../platform/db/schema.ts'
import type { CaseChange } from '../lifecycle/case-change.ts'
import type { CaseChangesRepository, SubmissionRows } from './case-changes.repository.ts'

/** A change was not written: its case moved on since it was read (someone else's move came first). */
export class MovedOnError extends Error {
  override name = 'MovedOnError'
  constructor() {
    super('the case moved on')
  }
}

/** A submission was not written: its Idempotency-Key is held by a request that committed first. */
export class KeyTakenError extends Error {
  override name = 'KeyTakenError'
  constructor() {
    super('the Idempotency-Key is held by another request')
  }
}

/**
 * The one writer of case changes and submissions (decisions 0012–0014). Changes and submissions arriving
 * together (one event-loop turn) are written by one statement and one commit; two on one case (or one
 * key) in a batch go one after the other; when a batch's statement fails, each is written alone, so that
 * one bad row fails only its own request. The transactional callers (a bundle's cascade, a correction's
 * materials, a walk-in) write through the same statements in their transaction.
 */
export class CaseWrites {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repository: CaseChangesRepository,
    /** Keys stored before this moment are expired (IDEMPOTENCY_KEY_TTL_HOURS). */
    private readonly keysExpiredBefore: () => Date,
  ) {}

  /** Writes a change with the changes arriving with it; MovedOnError when its case moved on. */
  readonly change = batchedWrites<CaseChange>({
    key: (change) => change.caseId,
    together: (changes) => this.repository.write(this.db, changes),
    alone: (change) => this.changesIn(this.db, [change]),
    refused: () => new MovedOnError(),
  })

  /**
   * Writes changes in order in the caller's transaction (or alone): each run of changes on distinct cases
   * in one statement. MovedOnError when a case moved on (the transaction is then to be rolled back).
   */
  async changesIn(db: Kysely<Database> | Transaction<Database>, changes: CaseChange[]): Promise<void> {
    for (const run of distinctRuns(changes)) {
      const written = await this.repository.write(db, run)
      if (written.includes(false)) throw new MovedOnError()
    }
  }

  /** Writes a submission with the submissions arriving with it; KeyTakenError when its key is taken. */
  readonly submission = batchedWrites<SubmissionRows>({
    key: ({ idempotencyKey: k }) => `${k.account_id}\n${k.key}`,
    together: (submissions) =>
      this.repository.insertSubmissions(this.db, submissions, this.keysExpiredBefore()),
    alone: (submission) => this.submissionIn(this.db, submission),
    refused: () => new KeyTakenError(),
  })

  /** Writes a submission in the caller's transaction (or alone); KeyTakenError when its key is taken. */
  async submissionIn(
    db: Kysely<Database> | Transaction<Database>,
    submission: SubmissionRows,
  ): Promise<void> {
    const [written] = await this.repository.insertSubmissions(db, [submission], this.keysExpiredBefore())
    if (!written) throw new KeyTakenError()
  }
}

/** Consecutive runs of changes in which no case comes twice (the statement takes distinct cases). */
function distinctRuns(changes: CaseChange[]): CaseChange[][] {
  const runs: CaseChange[][] = []
  let run: CaseChange[] = []
  for (const change of changes) {
    if (run.some((c) => c.caseId === change.caseId)) {
      runs.push(run)
      run = []
    }
    run.push(change)
  }
  if (run.length > 0) runs.push(run)
  return runs
}
