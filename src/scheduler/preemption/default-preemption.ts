// DefaultPreemption, the PostFilter plugin (upstream v1.32 defaultpreemption + the preemption
// Evaluator): when no node fits, find nodes where removing lower-priority pods would make room,
// pick one, and name the victims. It only computes: the framework performs the writes
// (applyPreemption) and puts `message` after the filter reasons in FailedScheduling.
import type { KubeObject } from '../../api/object.ts'
import type { Clock } from '../../util/clock.ts'
import { fitErrorMessage } from '../message.ts'
import type { CycleState, NodeInfo, PostFilterPlugin, Snapshot, Status } from '../types.ts'
import { cloneNodeInfo } from './node-copy.ts'
import { pickOneNode, type Candidate } from './pick.ts'
import { defaultPodPriority, selectVictimsOnNode, terminatingByPreemption, type FilterNodeFn, type PreFilterExtensions } from './victims.ts'

type Json = Record<string, any>

export const NAME = 'DefaultPreemption'
export const NOT_HELPFUL = 'Preemption is not helpful for scheduling'

export interface DefaultPreemptionOptions {
  /** All filter plugins for a pod on one node (the framework's runFilters, nominated pods included). */
  filterNode: FilterNodeFn
  podPriority?: (pod: KubeObject) => number
  /** PodDisruptionBudgets (policy/v1) from the informer cache; none when absent. */
  listPDBs?: () => KubeObject[]
  clock: Pick<Clock, 'now'>
  extensions?: PreFilterExtensions
  /** Where the dry run starts among the potential nodes (upstream: rand.Int31n); default 0. */
  random?: (n: number) => number
  /** DefaultPreemptionArgs: stop the dry run after max(n × pct / 100, abs) candidates. */
  minCandidateNodesPercentage?: number
  minCandidateNodesAbsolute?: number
}

export interface PreemptionResult {
  /** Success with a nominated node; Unschedulable (or Error) otherwise. */
  status: Status
  /**
   * The node to nominate; `''` clears the preemptor's nomination (no candidate anywhere);
   * undefined leaves it as it is (not eligible, or an error).
   */
  nominatedNodeName?: string
  /** To preempt on the nominated node, most important first. */
  victims: KubeObject[]
  /** The PostFilter message, `preemption: …`; absent on success. */
  message?: string
}

export interface DefaultPreemptionPlugin extends PostFilterPlugin {
  postFilter(state: CycleState, pod: KubeObject, statuses: Map<string, Status>, snapshot: Snapshot): PreemptionResult
}

/**
 * Nodes without an entry in `statuses` count as UnschedulableAndUnresolvable (upstream's
 * absent-nodes status): only nodes whose filters said Unschedulable are tried. After a PreFilter
 * rejection, give every node the rejection's status (UU for all the in-tree ones k3s runs).
 */
export function defaultPreemption (o: DefaultPreemptionOptions): DefaultPreemptionPlugin {
  const podPriority = o.podPriority ?? defaultPodPriority
  const pct = o.minCandidateNodesPercentage ?? 10
  const abs = o.minCandidateNodesAbsolute ?? 100

  const rejected = (code: Status['code'], text: string, nominatedNodeName?: string): PreemptionResult => {
    const message = `preemption: ${text}`
    const r: PreemptionResult = { status: { code, reasons: [message], plugin: NAME }, victims: [], message }
    if (nominatedNodeName !== undefined) r.nominatedNodeName = nominatedNodeName
    return r
  }

  function eligible (pod: KubeObject, statuses: Map<string, Status>, snapshot: Snapshot): string | undefined {
    if ((pod.spec as Json | undefined)?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.'
    const nominated = (pod.status as Json | undefined)?.nominatedNodeName as string | undefined
    if (!nominated) return undefined
    // A nominated node the filters now rule out for good may be given up: preempt elsewhere.
    if ((statuses.get(nominated)?.code ?? 'UnschedulableAndUnresolvable') === 'UnschedulableAndUnresolvable') return undefined
    const priority = podPriority(pod)
    const info = snapshot.get(nominated)
    // Victims of an earlier preemption are still terminating there: wait for them.
    if (info?.pods.some(pi => podPriority(pi.pod) < priority && terminatingByPreemption(pi.pod))) {
      return 'not eligible due to a terminating pod on the nominated node.'
    }
    return undefined
  }

  function postFilter (state: CycleState, pod: KubeObject, statuses: Map<string, Status>, snapshot: Snapshot): PreemptionResult {
    const notEligible = eligible(pod, statuses, snapshot)
    if (notEligible !== undefined) return rejected('Unschedulable', notEligible)

    const all = snapshot.nodes
    if (all.length === 0) return rejected('Error', 'no nodes available')
    const potential = all.filter(n => statuses.get(n.name)?.code === 'Unschedulable')
    const nodeStatuses = new Map<string, Status>()
    const errors: string[] = []
    const nonViolating: Candidate[] = []
    const violating: Candidate[] = []
    if (potential.length > 0) {
      const pdbs = o.listPDBs?.() ?? []
      const offset = o.random?.(potential.length) ?? 0
      const wanted = Math.min(potential.length, Math.max(Math.floor(potential.length * pct / 100), abs))
      const now = o.clock.now()
      for (let i = 0; i < potential.length; i++) {
        const node: NodeInfo = potential[(offset + i) % potential.length]!
        const r = selectVictimsOnNode({ state: state.clone(), pod, nodeInfo: cloneNodeInfo(node), snapshot, filterNode: o.filterNode, podPriority, pdbs, now, extensions: o.extensions })
        if (r.status.code === 'Success' && r.victims.length > 0) {
          const c: Candidate = { nodeName: node.name, victims: r.victims, numPDBViolations: r.numPDBViolations }
          if (r.numPDBViolations === 0) nonViolating.push(c)
          else violating.push(c)
          // Upstream stops once it has enough candidates, at least one of them violating no PDB.
          if (nonViolating.length > 0 && nonViolating.length + violating.length >= wanted) break
          continue
        }
        const status = r.status.code === 'Success'
          ? { code: 'Error' as const, reasons: [`expected at least one victim pod on node "${node.name}"`] }
          : r.status
        if (status.code === 'Error') errors.push(status.reasons.join(', '))
        nodeStatuses.set(node.name, status)
      }
    }
    const candidates = [...nonViolating, ...violating]
    if (candidates.length === 0) {
      // utilerrors.NewAggregate's text: the one message, or `[a, b]`.
      if (errors.length > 0) return rejected('Error', errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`)
      const text = fitErrorMessage({ numAllNodes: all.length, statuses: nodeStatuses, absentStatus: { reasons: [NOT_HELPFUL] } })
      return rejected('Unschedulable', text, '')
    }
    const best = pickOneNode(candidates, { podPriority, now: o.clock.now() })!
    return { status: { code: 'Success', reasons: [], plugin: NAME }, nominatedNodeName: best.nodeName, victims: best.victims }
  }

  return { name: NAME, postFilter }
}
