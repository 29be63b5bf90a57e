// Draining a stream of batches (a store watcher, an API watch) from an async loop. A suspended
// async function keeps its variables: a loop that holds its last batch while it waits for the
// next keeps that batch (a kubelet's watch: its node's last pod events and their rows' bytes)
// for as long as the stream stays quiet. This one lets each batch go before it waits.

/** Hand each batch to `each` (awaited if it returns a promise) until `next()` gives null. */
export async function forEachBatch<T> (next: () => Promise<T | null>, each: (batch: T) => void | Promise<void>): Promise<void> {
  let batch: T | null
  while ((batch = await next()) !== null) {
    const done = each(batch)
    batch = null
    if (done !== undefined) await done
  }
}
