// Shared informers, as client-go's SharedInformerFactory: one list+watch per distinct spec,
// however many controllers ask for it (the garbage collector and the namespace controller
// both watch every resource kind; they share the caches).
import type { KubeObject } from '../api/object.ts'
import type { Client } from '../client/client.ts'
import { Informer } from '../client/informer.ts'
import type { InformerSpec } from './types.ts'

export function informerKey (spec: InformerSpec): string {
  const { apiVersion, kind, namespace = '', labelSelector = '', fieldSelector = '' } = spec
  return JSON.stringify([apiVersion, kind, namespace, labelSelector, fieldSelector])
}

export class SharedInformers {
  private readonly client: Client
  private readonly informers = new Map<string, Informer<KubeObject>>()
  private started = false

  constructor (options: { client: Client }) { this.client = options.client }

  /** The informer for `spec`, created on first request. Register handlers before start(). */
  for (spec: InformerSpec): Informer<KubeObject> {
    const key = informerKey(spec)
    let informer = this.informers.get(key)
    if (informer === undefined) {
      if (this.started) throw new Error(`informer for ${spec.kind} requested after the informers started`)
      informer = new Informer<KubeObject>({ client: this.client, ...spec })
      this.informers.set(key, informer)
    }
    return informer
  }

  /** Lists every informer (in parallel) and resolves once all caches are filled. */
  async start (): Promise<void> {
    this.started = true
    await Promise.all([...this.informers.values()].map(i => i.start()))
  }

  /** Distinct list+watches. */
  get size (): number { return this.informers.size }

  get hasSynced (): boolean {
    for (const i of this.informers.values()) if (!i.hasSynced) return false
    return true
  }

  stop (): void {
    for (const i of this.informers.values()) i.stop()
  }
}
