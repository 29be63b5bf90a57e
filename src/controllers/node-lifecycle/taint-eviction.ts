// Taint-based eviction (upstream's taint-eviction-controller, the former NoExecuteTaintManager):
// pods on a node with NoExecute taints are deleted — at once if a taint is not tolerated, at
// the time the taint was seen + the smallest tolerationSeconds of the tolerations used, never if
// those set no seconds. Deletion: a DisruptionTarget condition, then an ordinary (graceful)
// delete. Scheduled deletions are timers on the cluster clock that enqueue an `evict/` key, so
// waiting for a deadline is not "busy". If the taints go away first the deletion is cancelled.
import { rfc3339, type KubeObject } from '../../api/object.ts'
import type { Client } from '../../client/client.ts'
import type { EventRecorder } from '../../client/events.ts'
import type { Clock, TimerHandle } from '../../util/clock.ts'
import type { Lister } from '../types.ts'
import type { PodIndex } from './state.ts'
import { noExecuteTaints } from './taints.ts'
import { matchingTolerations, minTolerationMs } from './tolerations.ts'
import { type Condition, type Node, type Pod, type Taint, type Toleration } from './types.ts'

/** deletePodHandler's attempts at condition + delete. */
const DELETE_ATTEMPTS = 5

export interface TaintEvictionContext {
  client: Client
  clock: Clock
  nodes: Lister
  pods: Lister
  podIndex: PodIndex
  /** Source component `taint-eviction-controller`. */
  recorder: EventRecorder
}

/** A scheduled deletion (upstream's TimedWorker); `null` once started or done, as upstream keeps it. */
interface Scheduled { createdAt: number, fireAt: number, timer: TimerHandle }

export class TaintEviction {
  private readonly workers = new Map<string, Scheduled | null>()
  private readonly fire: (podKey: string) => void

  /** `fire` runs the deletion of a pod key ("<ns>/<name>"), e.g. by enqueueing `evict/<key>`. */
  constructor (options: { fire: (podKey: string) => void }) { this.fire = options.fire }

  /** Pending deadlines by pod key (tests and tools). */
  scheduled (): Map<string, number> {
    const out = new Map<string, number>()
    for (const [key, w] of this.workers) if (w !== null) out.set(key, w.fireAt)
    return out
  }

  /** Cancel every pending timer (on stop). */
  stop (): void {
    for (const w of this.workers.values()) w?.timer.cancel()
    this.workers.clear()
  }

  /** NoExecute taints of the node changed: re-decide for all its pods. */
  async handleNodeUpdate (ctx: TaintEvictionContext, name: string): Promise<void> {
    const node = ctx.nodes.get(name) as Node | undefined
    if (node === undefined) return
    const taints = noExecuteTaints(node)
    const keys = ctx.podIndex.keys(name)
    if (taints.length === 0) {
      for (const key of keys) await this.cancelWithEvent(ctx, key)
      return
    }
    const now = ctx.clock.now()
    for (const key of keys) {
      const pod = ctx.pods.get(key) as Pod | undefined
      if (pod !== undefined) await this.processPodOnNode(ctx, key, pod.spec?.tolerations ?? [], taints, now)
    }
  }

  /** A pod was added, deleted, or changed its tolerations or node. */
  async handlePodUpdate (ctx: TaintEvictionContext, key: string): Promise<void> {
    const pod = ctx.pods.get(key) as Pod | undefined
    if (pod === undefined) {
      await this.cancelWithEvent(ctx, key)
      return
    }
    const nodeName = pod.spec?.nodeName
    if (nodeName === undefined || nodeName === '') return
    const taints = noExecuteTaints(ctx.nodes.get(nodeName) as Node | undefined)
    if (taints.length === 0) return
    await this.processPodOnNode(ctx, key, pod.spec?.tolerations ?? [], taints, ctx.clock.now())
  }

  /** The deadline came (deletePodHandler): event, DisruptionTarget condition, delete. */
  async evict (ctx: TaintEvictionContext, key: string): Promise<void> {
    if (!this.workers.has(key)) return // cancelled meanwhile
    const [namespace, name] = splitKey(key)
    await ctx.recorder.record(podRef(namespace, name), { type: 'Normal', reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${key}` })
    let error: unknown
    for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      try {
        await addConditionAndDeletePod(ctx, namespace, name)
        error = undefined
        break
      } catch (err) {
        error = err
      }
    }
    if (error === undefined) {
      // Kept (as null) so that later updates do not schedule the same pod again.
      if (this.workers.has(key)) this.workers.set(key, null)
      return
    }
    this.workers.delete(key)
    throw error
  }

  private async processPodOnNode (ctx: TaintEvictionContext, key: string, tolerations: readonly Toleration[], taints: readonly Taint[], now: number): Promise<void> {
    const { all, used } = matchingTolerations(taints, tolerations)
    if (!all) {
      await this.cancelWithEvent(ctx, key)
      this.addWork(ctx, key, now, now)
      return
    }
    const min = minTolerationMs(used)
    if (min < 0) {
      await this.cancelWithEvent(ctx, key)
      return
    }
    // An existing deadline stands: upstream re-schedules only if the old one was created later
    // than now, which cannot happen.
    if (this.workers.has(key)) return
    this.addWork(ctx, key, now, now + min)
  }

  private addWork (ctx: TaintEvictionContext, key: string, createdAt: number, fireAt: number): void {
    if (this.workers.has(key)) return
    if (fireAt <= createdAt) {
      this.workers.set(key, null)
      this.fire(key)
      return
    }
    const timer = ctx.clock.setTimeout(() => this.fire(key), fireAt - createdAt)
    this.workers.set(key, { createdAt, fireAt, timer })
  }

  /** Only a deletion still waiting for its deadline is announced as cancelled. */
  private async cancelWithEvent (ctx: TaintEvictionContext, key: string): Promise<void> {
    if (!this.workers.has(key)) return
    const w = this.workers.get(key)
    this.workers.delete(key)
    if (w === null || w === undefined) return
    w.timer.cancel()
    const [namespace, name] = splitKey(key)
    await ctx.recorder.record(podRef(namespace, name), { type: 'Normal', reason: 'TaintManagerEviction', message: `Cancelling deletion of Pod ${key}` })
  }
}

async function addConditionAndDeletePod (ctx: TaintEvictionContext, namespace: string, name: string): Promise<void> {
  const pod = await ctx.client.get<Pod>('v1', 'Pod', namespace, name)
  const conditions = [...(pod.status?.conditions ?? [])]
  const target: Condition = {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'DeletionByTaintManager',
    message: 'Taint manager: deleting due to NoExecute taint',
    lastProbeTime: null,
    lastTransitionTime: rfc3339(ctx.clock.now()),
  }
  const i = conditions.findIndex(c => c.type === 'DisruptionTarget')
  const old = i >= 0 ? conditions[i] : undefined
  if (old?.status === target.status) target.lastTransitionTime = old.lastTransitionTime
  const same = old !== undefined && old.status === target.status && old.reason === target.reason && old.message === target.message
  if (!same) {
    if (i >= 0) conditions[i] = target
    else conditions.push(target)
    await ctx.client.update<Pod>({ ...pod, status: { ...pod.status, conditions } }, { subresource: 'status' })
  }
  await ctx.client.delete('v1', 'Pod', namespace, name)
}

function splitKey (key: string): [string, string] {
  const i = key.indexOf('/')
  return [key.slice(0, i), key.slice(i + 1)]
}

/** Upstream's event reference for these: apiVersion, kind, namespace and name only. */
function podRef (namespace: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } }
}
