// A Client decorator for informer tests: counts list and watch calls, can drop every open watch
// stream (as a broken connection would) and can hold new watch() calls at a gate, so a test can
// change and compact the store while an informer is between watches — the 410 path of client-go.
import type { KubeObject } from '../../src/api/object.ts'
import type { Client, DeleteOptions, ListOptions, ObjectList, PatchOptions, WatchOptions, WatchStream, WriteOptions } from '../../src/client/client.ts'

export class GatedClient implements Client {
  readonly inner: Client
  lists = 0
  /** The options of every watch() call, in order. */
  readonly watchCalls: WatchOptions[] = []
  private readonly open = new Set<WatchStream>()
  private gate: { promise: Promise<void>, release: () => void } | undefined
  private arrivals: Array<() => void> = []

  constructor (inner: Client) { this.inner = inner }

  get<T extends KubeObject = KubeObject> (apiVersion: string, kind: string, namespace: string | undefined, name: string, options?: { subresource?: string }): Promise<T> {
    return this.inner.get<T>(apiVersion, kind, namespace, name, options)
  }

  list<T extends KubeObject = KubeObject> (apiVersion: string, kind: string, options?: ListOptions): Promise<ObjectList<T>> {
    this.lists++
    return this.inner.list<T>(apiVersion, kind, options)
  }

  create<T extends KubeObject = KubeObject> (obj: T, options?: WriteOptions): Promise<T> { return this.inner.create(obj, options) }
  update<T extends KubeObject = KubeObject> (obj: T, options?: WriteOptions): Promise<T> { return this.inner.update(obj, options) }

  patch<T extends KubeObject = KubeObject> (apiVersion: string, kind: string, namespace: string | undefined, name: string, patch: unknown, options?: PatchOptions): Promise<T> {
    return this.inner.patch<T>(apiVersion, kind, namespace, name, patch, options)
  }

  delete (apiVersion: string, kind: string, namespace: string | undefined, name: string, options?: DeleteOptions): Promise<KubeObject> {
    return this.inner.delete(apiVersion, kind, namespace, name, options)
  }

  post (apiVersion: string, kind: string, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<unknown> {
    return this.inner.post(apiVersion, kind, namespace, name, subresource, body)
  }

  async watch (apiVersion: string, kind: string, options: WatchOptions = {}): Promise<WatchStream> {
    this.watchCalls.push({ ...options })
    if (this.gate !== undefined) {
      for (const a of this.arrivals.splice(0)) a()
      await this.gate.promise
    }
    const stream = await this.inner.watch(apiVersion, kind, options)
    this.open.add(stream)
    return {
      next: () => stream.next(),
      close: () => { this.open.delete(stream); stream.close() },
    }
  }

  /** From now on, watch() calls wait until reopen(). */
  hold (): void {
    let release!: () => void
    const promise = new Promise<void>(resolve => { release = resolve })
    this.gate = { promise, release }
  }

  /** Resolves once a watch() call is waiting at the gate (call hold() first). */
  waitingAtGate (): Promise<void> {
    return new Promise(resolve => this.arrivals.push(resolve))
  }

  reopen (): void {
    const gate = this.gate
    this.gate = undefined
    gate?.release()
  }

  /** End every open watch stream, as a dropped connection would. */
  dropWatches (): void {
    for (const s of [...this.open]) { this.open.delete(s); s.close() }
  }
}
