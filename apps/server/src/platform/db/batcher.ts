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
