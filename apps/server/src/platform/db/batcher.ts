/**
 * Turns a query over many inputs into a function of one input: calls made in the same turn of the event
 * loop (e.g. the requests one socket read delivered) are answered by one statement, so that under load a
 * round trip, its planning and its commit are shared by the whole batch instead of paid by each request.
 * At low load a batch holds one input and costs what the single statement did.
 *
 * `run` gets the inputs in arrival order (the same input may come twice) and must answer one result per
 * input, in the same order. If it fails, every call of that batch fails with its error.
 */
export function batched<In, Out>(
  run: (inputs: In[]) => Promise<Out[]>,
  options: { maxBatch?: number } = {},
): (input: In) => Promise<Out> {
  const maxBatch = options.maxBatch ?? 256
  let pending: { input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = []
  let scheduled = false

  const flush = () => {
    scheduled = false
    while (pending.length > 0) {
      const batch = pending.slice(0, maxBatch)
      pending = pending.slice(maxBatch)
      const fail = (error: unknown) => {
        for (const call of batch) call.reject(error)
      }
      Promise.resolve()
        .then(() => run(batch.map((call) => call.input)))
        .then((outputs) => {
          if (outputs.length !== batch.length)
            return fail(
              new Error(`batched query answered ${outputs.length} results for ${batch.length} inputs`),
            )
          batch.forEach((call, i) => {
            call.resolve(outputs[i] as Out)
          })
        }, fail)
    }
  }

  return (input) =>
    new Promise<Out>((resolve, reject) => {
      pending.push({ input, resolve, reject })
      if (scheduled) return
      scheduled = true
      setImmediate(flush)
    })
}

/**
 * Writes of one row each, batched (`batched`) into one statement that may refuse some rows (a version
 * moved on, a key already taken): `together` writes a batch and answers, per row, whether it wrote it;
 * a refused row's call fails with `refused()`. Of two rows with one key in a batch, the first goes with
 * the batch and the second alone right after it; if the batch's statement fails, each of its rows is
 * written alone (`alone`), so that one row's failure stays its own. Each call resolves once its row is
 * committed and rejects with the error that stopped it otherwise.
 */
export function batchedWrites<Row>(writer: {
  key: (row: Row) => string
  together: (rows: Row[]) => Promise<boolean[]>
  alone: (row: Row) => Promise<void>
  refused: () => Error
}): (row: Row) => Promise<void> {
  const write = batched(async (rows: Row[]): Promise<({ error: unknown } | undefined)[]> => {
    const keys = new Set<string>()
    const together: number[] = []
    const after: number[] = []
    rows.forEach((row, i) => {
      const key = writer.key(row)
      if (keys.has(key)) after.push(i)
      else {
        keys.add(key)
        together.push(i)
      }
    })
    const outcomes: ({ error: unknown } | undefined)[] = rows.map(() => undefined)
    try {
      const written = await writer.together(together.map((i) => rows[i]!))
      together.forEach((i, k) => {
        if (!written[k]) outcomes[i] = { error: writer.refused() }
      })
    } catch {
      after.push(...together)
      after.sort((a, b) => a - b)
    }
    for (const i of after)
      outcomes[i] = await writer.alone(rows[i]!).then(
        () => undefined,
        (error: unknown) => ({ error }),
      )
    return outcomes
  })
  return async (row) => {
    const outcome = await write(row)
    if (outcome) throw outcome.error
  }
}
