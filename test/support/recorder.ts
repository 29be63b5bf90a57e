// Collects what callbacks report (watch events, informer handler calls) and lets a test await a
// condition over everything collected so far: no sleeps, no polling. Each push re-checks the
// waiting conditions; a condition that never holds fails with what was seen, at `timeoutMs`.
export class Recorder<T> {
  readonly items: T[] = []
  private readonly waiters: Array<{ check: () => boolean, resolve: () => void }> = []

  push = (item: T): void => {
    this.items.push(item)
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.splice(this.waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  }

  /** Resolves once `predicate(items)` holds; rejects after timeoutMs listing the items seen. */
  until (predicate: (items: T[]) => boolean, what = 'the expected items', timeoutMs = 20_000): Promise<T[]> {
    if (predicate(this.items)) return Promise.resolve(this.items)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(this.items, null, 1).slice(0, 4000)}`))
      }, timeoutMs)
      const waiter = { check: () => predicate(this.items), resolve: () => { clearTimeout(timer); resolve(this.items) } }
      this.waiters.push(waiter)
    })
  }

  /** Resolves once an item matching `predicate` has been pushed. */
  async next (predicate: (item: T) => boolean, what?: string): Promise<T> {
    await this.until(items => items.some(predicate), what)
    return this.items.find(predicate)!
  }

  clear (): void { this.items.length = 0 }
}
