// The scheduler: informers feed the queue and the cache; one pod at a time is popped, run through
// the profile's plugins, and bound (pods/binding) — or, when nothing fits, given the upstream
// FailedScheduling event and PodScheduled=False condition and parked until the cluster changes.
import { podClaims } from '../api/pod-volumes.ts'
import { objectKey, rfc3339, semanticEqual, type KubeObject } from '../api/object.ts'
import { LRUCache } from 'lru-cache'
import type { Client } from '../client/client.ts'
import { EventsV1Recorder } from '../client/events-v1.ts'
import { Informer } from '../client/informer.ts'
import type { Clock } from '../util/clock.ts'
import type { Ids } from '../util/random.ts'
import { SchedulerCache, countsOnNode } from './cache.ts'
import { Framework, numFeasibleNodesToFind, selectHost, type Profile } from './framework.ts'
import { fitErrorMessage, truncateNote } from './message.ts'
import { CycleState, isSuccess, unresolvable, type NodeInfo, type QueuedPodInfo, type Status } from './types.ts'
import { SchedulingQueue } from './queue.ts'
import type { Listers } from './plugins/index.ts'
import { applyPreemption } from './preemption/index.ts'

type Json = Record<string, any>

export interface SchedulerOptions {
  client: Client
  clock: Clock
  ids: Ids
  /** The profile, built with the scheduler's listers (claims, volumes, classes, workloads). */
  profile: (listers: Listers) => Profile
  /** Write explain() of each attempt to the pod's `k3sim.io/scheduling-explain` annotation. */
  explainAnnotation?: boolean
  log?: (msg: string) => void
  /** The host it runs on (k3s's server node): its events' reportingInstance is `<schedulerName>-<host>`. */
  host?: string
}

export const EXPLAIN_ANNOTATION = 'k3sim.io/scheduling-explain'

/** Pods whose last attempt explain() can show: the most recently attempted ones. */
const EXPLAINED_PODS = 2000
/** Per-node results (feasible nodes and filter failures) kept for explain() over all pods: ~10 MB. */
const EXPLAINED_NODE_RESULTS = 200_000

/** Scheduling cycles run back to back before the loop yields to the event loop. */
const CYCLES_PER_TURN = 32

/** What one attempt found, per node and plugin (cluster.scheduler.explain(pod)). */
export interface Attempt {
  pod: string
  time: string
  node?: string
  message?: string
  /** Per node: the plugin that rejected it (absent: it passed every filter). */
  filters: Record<string, { plugin?: string, code: string, reasons: string[] }>
  scores?: Record<string, number>
}

export class Scheduler {
  readonly cache = new SchedulerCache()
  private readonly o: SchedulerOptions
  private readonly framework: Framework
  private readonly profile: Profile
  private readonly listerInformers = new Map<string, Informer>()
  private readonly queue: SchedulingQueue
  private readonly recorder: EventsV1Recorder
  /** The pod whose scheduling cycle runs now. */
  private inFlight: string | undefined
  /** explain() data of the most recently attempted pods (bounded: a big cluster schedules many). */
  private readonly attempts = new LRUCache<string, Attempt>({ max: EXPLAINED_PODS })
  /** Per pod, what its last attempt found, kept raw (explain() builds the view when asked). */
  private readonly lastOutcome = new LRUCache<string, { feasible: NodeInfo[], statuses: Map<string, Status>, totals?: Float64Array }>({
    max: EXPLAINED_PODS,
    // Bounded by node results too: at 5,000 nodes one pod's outcome holds hundreds of them.
    maxSize: EXPLAINED_NODE_RESULTS,
    sizeCalculation: o => 1 + o.feasible.length + o.statuses.size,
  })
  private pods: Informer | undefined
  private nodes: Informer | undefined
  private scheduling = false
  /** Binding cycles in flight: they run beside the next scheduling cycles, as upstream's do. */
  private binding = 0
  private cyclesThisTurn = 0
  private stopped = false
  private nextStartNodeIndex = 0
  private preemption: { node: string, victims: KubeObject[] } | undefined

  constructor (options: SchedulerOptions) {
    this.o = options
    const lookup = (kind: string, apiVersion: string): Informer => {
      let inf = this.listerInformers.get(kind)
      if (inf === undefined) { inf = new Informer({ client: options.client, apiVersion, kind }); this.listerInformers.set(kind, inf) }
      return inf
    }
    const listers: Listers = {
      persistentVolumeClaim: (ns, name) => lookup('PersistentVolumeClaim', 'v1').get(`${ns}/${name}`),
      persistentVolume: name => lookup('PersistentVolume', 'v1').get(name),
      storageClass: name => lookup('StorageClass', 'storage.k8s.io/v1').get(name),
      replicaSet: (ns, name) => lookup('ReplicaSet', 'apps/v1').get(`${ns}/${name}`),
      statefulSet: (ns, name) => lookup('StatefulSet', 'apps/v1').get(`${ns}/${name}`),
      services: ns => lookup('Service', 'v1').list().filter(s => s.metadata.namespace === ns),
    }
    this.profile = options.profile(listers)
    this.framework = new Framework(this.profile)
    this.queue = new SchedulingQueue({ clock: options.clock, less: (a, b) => this.profile.queueSort.less(a, b) })
    // kube-scheduler records through events.k8s.io/v1 (NewEventBroadcasterAdapter, when served).
    const controller = this.profile.schedulerName
    this.recorder = new EventsV1Recorder({ client: options.client, clock: options.clock, controller, instance: `${controller}-${options.host ?? 'k3sim-k3s-default-server-0'}` })
  }

  busy (): boolean { return this.scheduling || this.binding > 0 || this.queue.activeLength > 0 }

  explain (pod: { metadata: { namespace?: string, name?: string } }): Attempt | undefined {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`
    const attempt = this.attempts.get(key)
    const outcome = this.lastOutcome.get(key)
    if (attempt === undefined || outcome === undefined) return attempt
    const filters: Attempt['filters'] = {}
    for (const n of outcome.feasible) filters[n.name] = { code: 'Success', reasons: [] }
    for (const [name, s] of outcome.statuses) filters[name] = { plugin: s.plugin, code: s.code, reasons: s.reasons }
    const totals = outcome.totals
    return { ...attempt, filters, ...(totals === undefined ? {} : { scores: Object.fromEntries(outcome.feasible.map((n, i) => [n.name, totals[i]])) }) }
  }

  async start (): Promise<void> {
    const { client } = this.o
    this.nodes = new Informer({ client, apiVersion: 'v1', kind: 'Node' })
    this.nodes.addHandlers({
      add: n => { this.cache.setNode(n); this.queue.moveAllToActiveOrBackoff() },
      update: (o, n) => { this.cache.setNode(n); if (nodeSchedulingPropertiesChanged(o, n)) this.queue.moveAllToActiveOrBackoff() },
      delete: n => this.cache.removeNode(n.metadata.name!),
    })
    this.pods = new Informer({ client, apiVersion: 'v1', kind: 'Pod' })
    this.pods.addHandlers({
      add: p => this.onPod(p),
      update: (old, p) => this.onPod(p, old),
      delete: p => {
        this.queue.delete(objectKey(p))
        this.attempts.delete(objectKey(p))
        this.lastOutcome.delete(objectKey(p))
        if (countsOnNode(p) !== undefined) { this.cache.removePod(p); this.queue.moveAllToActiveOrBackoff() }
      },
    })
    // Listers' informers (claims, volumes, classes, workloads); a change may make parked pods fit.
    for (const [kind, apiVersion] of [['PersistentVolumeClaim', 'v1'], ['PersistentVolume', 'v1'], ['StorageClass', 'storage.k8s.io/v1'], ['ReplicaSet', 'apps/v1'], ['StatefulSet', 'apps/v1'], ['Service', 'v1']]) {
      if (!this.listerInformers.has(kind)) this.listerInformers.set(kind, new Informer({ client, apiVersion, kind }))
    }
    for (const [kind, inf] of this.listerInformers) {
      if (kind.startsWith('Persistent') || kind === 'StorageClass') inf.addHandlers({ add: () => this.queue.moveAllToActiveOrBackoff(), update: () => this.queue.moveAllToActiveOrBackoff() })
    }
    await Promise.all([this.nodes.start(), this.pods.start(), ...[...this.listerInformers.values()].map(i => i.start())])
    void this.loop()
  }

  stop (): void {
    this.stopped = true
    this.recorder.stop()
    this.queue.close()
    this.pods?.stop()
    this.nodes?.stop()
    for (const inf of this.listerInformers.values()) inf.stop()
  }

  private mine (pod: KubeObject): boolean {
    return ((pod.spec as Json).schedulerName ?? 'default-scheduler') === this.profile.schedulerName
  }

  private onPod (pod: KubeObject, old?: KubeObject): void {
    const spec = pod.spec as Json
    if (spec.nodeName) {
      this.queue.delete(objectKey(pod))
      this.cache.setPod(pod)
      // A pod that finished frees its node's resources: parked pods may fit now.
      if (old !== undefined && countsOnNode(old) !== undefined && countsOnNode(pod) === undefined) this.queue.moveAllToActiveOrBackoff()
      return
    }
    if (pod.metadata.deletionTimestamp !== undefined || !this.mine(pod)) return
    // Assumed: its binding is in flight (upstream's skipPodUpdate).
    if (this.cache.isAssumed(objectKey(pod))) return
    // A parked pod whose status alone changed (the scheduler's own PodScheduled condition) waits on.
    // Nor does one in flight (its cycle reads the newest object; a preemption's nomination is such a write).
    if (old !== undefined && !isPodUpdated(old, pod) && (this.queue.updateParked(pod) || this.inFlight === objectKey(pod))) return
    this.queue.add(pod)
  }

  private async loop (): Promise<void> {
    for (let info = await this.queue.pop(); info !== undefined && !this.stopped; info = await this.queue.pop()) {
      this.scheduling = true
      this.inFlight = objectKey(info.pod)
      try {
        await this.scheduleOne(info)
      } catch (err) {
        this.o.log?.(`scheduler: ${objectKey(info.pod)}: ${err instanceof Error ? err.stack : String(err)}`)
        this.queue.addBackoff(info)
      } finally {
        this.scheduling = false
        this.inFlight = undefined
      }
      // Every few cycles, let the bindings just started reach the store (grouped into one commit)
      // and the rest of the cluster run; one cycle per turn would leave the scheduler a sliver
      // of each turn when controllers are busy.
      if (this.binding > 0 && ++this.cyclesThisTurn >= CYCLES_PER_TURN) {
        this.cyclesThisTurn = 0
        await new Promise(resolve => setImmediate(resolve))
      }
    }
  }

  private async scheduleOne (info: QueuedPodInfo): Promise<void> {
    const current = this.pods?.get(objectKey(info.pod))
    if (current === undefined || (current.spec as Json).nodeName || current.metadata.deletionTimestamp !== undefined) return
    if (this.cache.isAssumed(objectKey(current))) return
    const pod = current
    info.pod = pod
    info.attempts++
    const cycle = this.queue.nextCycle()
    const attempt: Attempt = { pod: objectKey(pod), time: rfc3339(this.o.clock.now()), filters: {} }
    this.attempts.set(objectKey(pod), attempt)
    const result = this.schedulePod(pod, attempt)
    if (this.o.explainAnnotation === true) await this.annotate(pod)
    if (!result.startsWith('\u0000')) {
      attempt.node = result
      // Assume the pod on the node now, so the next cycle counts it; bind without waiting.
      this.cache.assume(pod, result)
      this.binding++
      void this.bind(pod, result, info).finally(() => { this.binding-- })
      return
    }
    attempt.message = result.slice(1)
    const preemption = this.preemption
    this.preemption = undefined
    if (preemption !== undefined) {
      // Victims are evicted gracefully; the preemptor waits, nominated, and retries when they go.
      await applyPreemption({ client: this.o.client, events: this.recorder, clock: this.o.clock, preemptor: pod, nodeName: preemption.node, victims: preemption.victims })
        .catch(err => this.o.log?.(`scheduler: preempting for ${objectKey(pod)}: ${String(err)}`))
    }
    // Parked first, then told (handleSchedulingFailure): the PodScheduled write that follows is
    // then an update of a parked pod, which leaves it waiting.
    this.queue.addUnschedulable(info, cycle)
    await this.recordFailure(pod, result)
  }

  /** The chosen node, or the FailedScheduling message (marked with a leading NUL). */
  private schedulePod (pod: KubeObject, attempt: Attempt): string {
    const all = this.cache.nodes
    if (all.length === 0) return '\u0000no nodes available to schedule pods'
    const state = new CycleState()
    const pre = this.framework.runPreFilter(state, pod, this.cache)
    const statuses = new Map<string, Status>()
    if (!isSuccess(pre.status)) {
      for (const n of all) statuses.set(n.name, { ...pre.status, code: 'UnschedulableAndUnresolvable' })
      const post = this.framework.runPostFilter(state, pod, statuses, this.cache)
      return '\u0000' + fitErrorMessage({ numAllNodes: all.length, statuses, preFilterMessage: pre.status.reasons.join(', '), postFilterMessage: post.message })
    }
    const feasible: NodeInfo[] = []
    const want = numFeasibleNodesToFind(all.length)
    // Upstream starts each search where the last one stopped (nextStartNodeIndex), so the sample
    // rotates over the cluster instead of always testing the first nodes.
    const start = this.nextStartNodeIndex % all.length
    let processed = 0
    const filters = this.framework.activeFilters(state)
    // Nodes whose packed rows meet every filter's PackedPass are feasible without running the
    // filters or reading their NodeInfo; the rest run them (and say why they fail).
    const rows = this.cache.rows()
    const quick = pre.nodeNames === undefined ? this.framework.packedCheck(state, pod, filters) : undefined
    const feasibleAt: number[] = []
    for (let k = 0; k < all.length; k++) {
      const i = (start + k) % all.length
      processed++
      if (quick?.passes(rows.packed, rows.at[i]) === true) {
        feasible.push(all[i])
        feasibleAt.push(rows.at[i])
        if (feasible.length >= want) break
        continue
      }
      const n = all[i]
      const s = pre.nodeNames !== undefined && !pre.nodeNames.has(n.name)
        ? unresolvable(`node(s) didn't satisfy plugin(s) [${pre.narrowedBy.join(', ')}]`)
        : this.framework.runFilters(state, pod, n, this.cache, filters)
      if (isSuccess(s)) {
        feasible.push(n)
        feasibleAt.push(rows.at[i])
        if (feasible.length >= want) break
      } else statuses.set(n.name, s)
    }
    this.nextStartNodeIndex = (start + processed) % all.length
    // What explain() shows, kept as found (turned into objects only when asked).
    const outcome: { feasible: NodeInfo[], statuses: Map<string, Status>, totals?: Float64Array } = { feasible, statuses }
    this.lastOutcome.set(attempt.pod, outcome)
    if (feasible.length === 0) {
      const post = this.framework.runPostFilter(state, pod, statuses, this.cache)
      if (isSuccess(post.status) && post.nominatedNodeName) this.preemption = { node: post.nominatedNodeName, victims: post.victims ?? [] }
      return '\u0000' + fitErrorMessage({ numAllNodes: all.length, statuses, postFilterMessage: post.message })
    }
    if (feasible.length === 1) return feasible[0].name
    const totals = this.framework.runScore(state, pod, feasible, this.cache, { packed: rows.packed, at: feasibleAt })
    outcome.totals = totals
    return selectHost(feasible, totals, n => this.o.ids.int(n))
  }

  private async annotate (pod: KubeObject): Promise<void> {
    const explained = this.explain(pod)
    if (explained === undefined) return
    const summary = { time: explained.time, filters: explained.filters, scores: explained.scores }
    await this.o.client.patch('v1', 'Pod', pod.metadata.namespace, pod.metadata.name!, { metadata: { annotations: { [EXPLAIN_ANNOTATION]: JSON.stringify(summary) } } }, { type: 'merge', fieldManager: this.profile.schedulerName })
      .catch(err => this.o.log?.(`scheduler: explain annotation of ${objectKey(pod)}: ${String(err)}`))
  }

  private async bind (pod: KubeObject, node: string, info: QueuedPodInfo): Promise<void> {
    try {
      // WaitForFirstConsumer claims follow the pod: the provisioner reads the selected node.
      for (const { claim: name } of podClaims(pod)) {
        const pvc = this.listerInformers.get('PersistentVolumeClaim')?.get(`${pod.metadata.namespace}/${name}`)
        if (pvc === undefined || (pvc.spec as Json).volumeName) continue
        await this.o.client.patch('v1', 'PersistentVolumeClaim', pod.metadata.namespace, name, { metadata: { annotations: { 'volume.kubernetes.io/selected-node': node } } }, { type: 'merge' })
      }
      await this.o.client.post('v1', 'Pod', pod.metadata.namespace, pod.metadata.name!, 'binding', {
        apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node },
      })
    } catch (err) {
      this.cache.forget(pod)
      this.o.log?.(`scheduler: binding ${objectKey(pod)} to ${node}: ${String(err)}`)
      this.queue.addBackoff(info)
      return
    }
    await this.recorder.record(pod, { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, action: 'Binding' })
  }

  private async recordFailure (pod: KubeObject, raw: string): Promise<void> {
    const message = raw.startsWith('\u0000') ? raw.slice(1) : raw
    await this.recorder.record(pod, { type: 'Warning', reason: 'FailedScheduling', message: truncateNote(message), action: 'Scheduling' })
    const condition = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: rfc3339(this.o.clock.now()), reason: 'Unschedulable', message }
    const old = ((pod.status as Json | undefined)?.conditions ?? []).find((c: Json) => c.type === 'PodScheduled')
    if (old !== undefined && old.status === 'False' && old.message === message) return
    if (old?.status === 'False') condition.lastTransitionTime = old.lastTransitionTime
    await this.o.client.patch('v1', 'Pod', pod.metadata.namespace, pod.metadata.name!, { status: { conditions: [condition] } }, { subresource: 'status', type: 'strategic' })
      .catch(err => this.o.log?.(`scheduler: status of ${objectKey(pod)}: ${String(err)}`))
  }
}

/** isPodUpdated: the pod differs in more than its status, resourceVersion, generation, managedFields and finalizers. */
function isPodUpdated (old: KubeObject, pod: KubeObject): boolean {
  const strip = (p: KubeObject): unknown => {
    const { resourceVersion: _r, generation: _g, managedFields: _m, finalizers: _f, ...metadata } = p.metadata
    // The explain annotation is the scheduler's own write (a k3sim addition): not a change to retry for.
    if (metadata.annotations?.[EXPLAIN_ANNOTATION] !== undefined) {
      const { [EXPLAIN_ANNOTATION]: _e, ...annotations } = metadata.annotations
      if (Object.keys(annotations).length > 0) metadata.annotations = annotations
      else delete metadata.annotations
    }
    return { ...p, metadata, status: undefined }
  }
  return !semanticEqual(strip(old), strip(pod))
}

/**
 * nodeSchedulingPropertiesChange: a node update can make a parked pod fit only if it became
 * schedulable, or its allocatable, labels, taints, annotations or conditions' statuses changed
 * (not a heartbeat, its image list or addresses).
 */
function nodeSchedulingPropertiesChanged (old: KubeObject, node: KubeObject): boolean {
  const spec = (n: KubeObject): Json => (n.spec ?? {}) as Json
  const status = (n: KubeObject): Json => (n.status ?? {}) as Json
  const conditions = (n: KubeObject): Record<string, unknown> => Object.fromEntries(((status(n).conditions ?? []) as Json[]).map(c => [c.type, c.status]))
  // Only becoming schedulable (uncordoned) can help a parked pod.
  return (spec(old).unschedulable === true && spec(node).unschedulable !== true) ||
    !semanticEqual(status(old).allocatable, status(node).allocatable) ||
    !semanticEqual(old.metadata.labels, node.metadata.labels) ||
    !semanticEqual(spec(old).taints, spec(node).taints) ||
    !semanticEqual(old.metadata.annotations, node.metadata.annotations) ||
    !semanticEqual(conditions(old), conditions(node))
}
