// The node lifecycle controller of kube-controller-manager v1.32 (node-lifecycle-controller)
// together with taint-based eviction (taint-eviction-controller), as one runner definition.
// It watches Nodes, the kubelets' Leases in kube-node-lease and Pods, and through the Client:
//  - every 5 s (a timer on the cluster clock) checks each node's heartbeat; after 50 s of silence
//    its Ready/MemoryPressure/DiskPressure/PIDPressure conditions become Unknown, the node gets
//    the `node.kubernetes.io/unreachable` taints (not-ready for Ready=False) and its pods NotReady;
//  - deletes pods on NoExecute-tainted nodes when their tolerations run out;
//  - removes the taints once the kubelet posts Ready=True again.
// Keys: `monitor`, `tainters`, `node/<node>`, `pod/<ns>/<pod>`, `taint-node/<node>`,
// `taint-pod/<ns>/<pod>`, `evict/<ns>/<pod>`. Only queued keys make the runner busy: the monitor
// period and eviction deadlines are clock timers that enqueue a key when they fire.
import { objectKey } from '../../api/object.ts'
import { EventRecorder } from '../../client/events.ts'
import { parseDuration, type TimerHandle } from '../../util/clock.ts'
import type { ControllerContext, ControllerDefinition, EventRule, InformerEvent } from '../types.ts'
import { nextTaintingAttempt, noExecuteTaintingPass } from './disruption.ts'
import { monitorNodeHealth } from './monitor.ts'
import { nodeProcessingPass } from './node-pass.ts'
import { processPod } from './pods.ts'
import { LifecycleState, type LifecycleConfig, type LifecycleContext } from './state.ts'
import { TaintEviction, type TaintEvictionContext } from './taint-eviction.ts'
import { noExecuteTaints } from './taints.ts'
import { NODE_CONTROLLER, TAINT_EVICTION_CONTROLLER, type Node, type Pod } from './types.ts'

export interface NodeLifecycleOptions {
  /** --node-monitor-period (default 5s). Durations: ms or '5s', '1m'. */
  nodeMonitorPeriod?: number | string
  /** --node-monitor-grace-period (default 50s in v1.32; 40s before). */
  nodeMonitorGracePeriod?: number | string
  /** --node-startup-grace-period, for nodes that never posted Ready (default 60s). */
  nodeStartupGracePeriod?: number | string
  /** --node-eviction-rate: NoExecute taints per second per zone (default 0.1). */
  nodeEvictionRate?: number
  /** --secondary-node-eviction-rate (default 0.01). */
  secondaryNodeEvictionRate?: number
  /** --large-cluster-size-threshold (default 50). */
  largeClusterSizeThreshold?: number
  /** --unhealthy-zone-threshold (default 0.55). */
  unhealthyZoneThreshold?: number
}

export interface NodeLifecycleController extends ControllerDefinition {
  readonly state: LifecycleState
  readonly eviction: TaintEviction
  /** Cancel the monitor, tainting and eviction timers. Call after the runner has stopped. */
  stop(): void
}

export function nodeLifecycleController (options: NodeLifecycleOptions = {}): NodeLifecycleController {
  const config: LifecycleConfig = {
    monitorPeriodMs: parseDuration(options.nodeMonitorPeriod ?? '5s'),
    gracePeriodMs: parseDuration(options.nodeMonitorGracePeriod ?? '50s'),
    startupGracePeriodMs: parseDuration(options.nodeStartupGracePeriod ?? '60s'),
    evictionQps: options.nodeEvictionRate ?? 0.1,
    secondaryEvictionQps: options.secondaryNodeEvictionRate ?? 0.01,
    largeClusterThreshold: options.largeClusterSizeThreshold ?? 50,
    unhealthyZoneThreshold: options.unhealthyZoneThreshold ?? 0.55,
  }
  if (!(config.monitorPeriodMs > 0)) throw new Error('nodeMonitorPeriod must be positive')
  const state = new LifecycleState()
  let enqueue: ((key: string) => void) | undefined
  const eviction = new TaintEviction({ fire: key => enqueue?.(`evict/${key}`) })
  let monitorStarted = false
  let monitorTimer: TimerHandle | undefined
  let taintTimer: TimerHandle | undefined
  let recorders: { node: EventRecorder, eviction: EventRecorder } | undefined

  const lifecycle = (ctx: ControllerContext): LifecycleContext => {
    enqueue = k => ctx.enqueue(k)
    recorders ??= {
      node: new EventRecorder({ client: ctx.client, clock: ctx.clock, source: { component: NODE_CONTROLLER } }),
      eviction: new EventRecorder({ client: ctx.client, clock: ctx.clock, source: { component: TAINT_EVICTION_CONTROLLER } }),
    }
    return {
      client: ctx.client,
      clock: ctx.clock,
      config,
      state,
      nodes: ctx.lister('nodes'),
      leases: ctx.lister('leases'),
      podLister: ctx.lister('pods'),
      recorder: recorders.node,
      runTainters: () => { if ([...state.tainters.values()].some(t => t.length > 0)) ctx.enqueue('tainters') },
    }
  }
  const evictionContext = (lc: LifecycleContext): TaintEvictionContext => ({
    client: lc.client, clock: lc.clock, nodes: lc.nodes, pods: lc.podLister, podIndex: state.pods, recorder: recorders!.eviction,
  })

  // wait.Until: the next pass starts one period after this one ended.
  const armMonitor = (ctx: ControllerContext): void => {
    monitorTimer?.cancel()
    monitorTimer = ctx.clock.setTimeout(() => { monitorTimer = undefined; ctx.enqueue('monitor') }, config.monitorPeriodMs)
  }
  const armTainters = (ctx: ControllerContext, lc: LifecycleContext): void => {
    taintTimer?.cancel()
    taintTimer = undefined
    const at = nextTaintingAttempt(lc)
    if (at === undefined) return
    taintTimer = ctx.clock.setTimeout(() => { taintTimer = undefined; ctx.enqueue('tainters') }, Math.max(1, at - ctx.clock.now()))
  }

  const nodeKeys = ({ type, obj, old }: InformerEvent): string[] => {
    const name = obj.metadata.name!
    const keys = [`node/${name}`]
    if (type === 'add' && !monitorStarted) {
      monitorStarted = true
      keys.unshift('monitor')
    }
    const taintsChanged = JSON.stringify(noExecuteTaints(old as Node | undefined)) !== JSON.stringify(noExecuteTaints(obj as Node))
    if (type === 'add' || taintsChanged) keys.push(`taint-node/${name}`)
    return keys
  }
  const podKeys = ({ type, obj, old }: InformerEvent): string[] => {
    state.pods.set(obj, type === 'delete')
    const key = objectKey(obj)
    const spec = (obj as Pod).spec
    const before = (old as Pod | undefined)?.spec
    const keys: string[] = []
    // Node lifecycle: a pod newly bound to a node.
    if (type !== 'delete' && (spec?.nodeName ?? '') !== '' && (type === 'add' || before?.nodeName !== spec?.nodeName)) keys.push(`pod/${key}`)
    // Taint eviction: added, deleted, or tolerations / node changed.
    if (type !== 'update' || before?.nodeName !== spec?.nodeName || JSON.stringify(before?.tolerations ?? []) !== JSON.stringify(spec?.tolerations ?? [])) {
      keys.push(`taint-pod/${key}`)
    }
    return keys
  }
  const events: EventRule[] = [
    { informer: 'nodes', on: ['add', 'update'], keys: nodeKeys },
    { informer: 'pods', on: ['add', 'update', 'delete'], keys: podKeys },
  ]

  return {
    name: 'node-lifecycle',
    informers: {
      nodes: { apiVersion: 'v1', kind: 'Node' },
      // All namespaces, as upstream's shared Lease informer (and so shared with the garbage
      // collector's); the monitor reads kube-node-lease/<node> from it.
      leases: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' },
      pods: { apiVersion: 'v1', kind: 'Pod' },
    },
    events,
    state,
    eviction,
    async sync (key, ctx) {
      const lc = lifecycle(ctx)
      const slash = key.indexOf('/')
      const kind = slash < 0 ? key : key.slice(0, slash)
      const rest = key.slice(slash + 1)
      switch (kind) {
        case 'monitor':
          try {
            await monitorNodeHealth(lc)
          } finally {
            armMonitor(ctx)
          }
          return
        case 'tainters':
          try {
            await noExecuteTaintingPass(lc)
          } finally {
            armTainters(ctx, lc)
          }
          return
        case 'node': return nodeProcessingPass(lc, rest)
        case 'pod': return processPod(lc, rest)
        case 'taint-node': return eviction.handleNodeUpdate(evictionContext(lc), rest)
        case 'taint-pod': return eviction.handlePodUpdate(evictionContext(lc), rest)
        case 'evict': return eviction.evict(evictionContext(lc), rest)
        default: throw new Error(`node-lifecycle: unknown key "${key}"`)
      }
    },
    stop () {
      monitorTimer?.cancel()
      taintTimer?.cancel()
      monitorTimer = taintTimer = undefined
      eviction.stop()
    },
  }
}

export { LifecycleState } from './state.ts'
export { TaintEviction } from './taint-eviction.ts'
export { tryUpdateNodeHealth, type NodeHealth } from './health.ts'
export { matchingTolerations, minTolerationMs, toleratesTaint } from './tolerations.ts'
