// What a controller is, as data: the informers it reads, a table of watched events → keys to
// enqueue, and an idempotent sync(key). The runner (runner.ts) supplies everything else: shared
// informers, the workqueue, workers, retries with backoff on the cluster clock.
// Modelled on sample-controller: handlers only enqueue keys, sync converges one key.
import type { KubeObject } from '../api/object.ts'
import type { Client } from '../client/client.ts'
import type { EventRecorder } from '../client/events.ts'
import type { Clock } from '../util/clock.ts'

/** One list+watch the controller needs. Identical specs are shared between controllers. */
export interface InformerSpec {
  apiVersion: string
  kind: string
  /** Omitted: all namespaces. */
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
}

export type EventType = 'add' | 'update' | 'delete'

export interface InformerEvent {
  type: EventType
  /** The object as cached (for delete: its last state). Never mutate it. */
  obj: KubeObject
  /** The previous cached state, on update. */
  old?: KubeObject
}

/** Read-only view of an informer's cache (client-go's lister). Objects must not be mutated. */
export interface Lister {
  list(): readonly KubeObject[]
  /** By "<namespace>/<name>" or "<name>". */
  get(key: string): KubeObject | undefined
  /** The objects of one namespace (client-go's namespace index). */
  inNamespace(namespace: string): readonly KubeObject[]
  /** The objects whose controller ownerReference has this uid (controller-uid index). */
  controlledBy(uid: string): readonly KubeObject[]
  /** The namespace's objects without a controller ownerReference (upstream's orphan index). */
  orphans(namespace: string): readonly KubeObject[]
  readonly hasSynced: boolean
}

/** One row of the event table: on these events of this informer, enqueue these keys. */
export interface EventRule {
  /** A name from `ControllerDefinition.informers`. */
  informer: string
  on: readonly EventType[]
  keys(event: InformerEvent, ctx: ControllerContext): Iterable<string>
  /** Enqueue the keys this long after the event (upstream's fixed-interval queues: the HPA's 15 s). */
  delayMs?: number
}

/** What sync and the event table may use: the Client, the clock, listers, the own queue. */
export interface ControllerContext {
  readonly client: Client
  readonly clock: Clock
  lister(informer: string): Lister
  /** Add a key to this controller's queue (deduplicated). */
  enqueue(key: string): void
  /** Add a key after `ms` on the cluster clock. */
  enqueueAfter(key: string, ms: number): void
  /** The controller's event recorder for `component` (the Event's source), made once and kept. */
  recorder(component: string, host?: string): EventRecorder
}

export interface ControllerDefinition {
  /** As kube-controller-manager names it: `garbage-collector`, `namespace`, ... */
  name: string
  /** Concurrent syncs (upstream's --concurrent-*-syncs); default 1. */
  workers?: number
  informers: Record<string, InformerSpec>
  events: readonly EventRule[]
  /**
   * Converge the state for `key`. Idempotent; a StatusError 404 ends the key quietly, any other
   * throw requeues it with per-key backoff, a normal return forgets its backoff.
   */
  sync(key: string, ctx: ControllerContext): Promise<void>
  /** Release what sync opened besides the informers (watches); called once the workers stopped. */
  stop?(): void
}
