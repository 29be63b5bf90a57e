// The shapes of the node and pod fields the node lifecycle controller reads and writes, and the
// constants it shares with upstream (k8s.io/api core/v1 well-known taints, condition types).
import type { KubeObject } from '../../api/object.ts'

export interface Taint { key: string, value?: string, effect: string, timeAdded?: string }

export interface Toleration {
  key?: string
  operator?: string
  value?: string
  effect?: string
  tolerationSeconds?: number | null
}

export interface Condition {
  type: string
  status: string
  reason?: string
  message?: string
  lastHeartbeatTime?: string | null
  lastProbeTime?: string | null
  lastTransitionTime?: string | null
}

export type Node = KubeObject & {
  spec?: { taints?: Taint[], unschedulable?: boolean, [f: string]: unknown }
  status?: { conditions?: Condition[], [f: string]: unknown }
}

export type Pod = KubeObject & {
  spec?: { nodeName?: string, tolerations?: Toleration[], [f: string]: unknown }
  status?: { conditions?: Condition[], [f: string]: unknown }
}

export type Lease = KubeObject & { spec?: { renewTime?: string | null, [f: string]: unknown } }

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready'
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable'
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable'

/** The namespace of the kubelets' heartbeat Leases (v1.NamespaceNodeLease). */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease'

/** Event sources, as upstream's recorders name them. */
export const NODE_CONTROLLER = 'node-controller'
export const TAINT_EVICTION_CONTROLLER = 'taint-eviction-controller'

export function condition (conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find(c => c.type === type)
}

/** Milliseconds of an RFC 3339 time (metav1.Time or MicroTime), or undefined. */
export function parseTime (t: string | null | undefined): number | undefined {
  if (t === undefined || t === null || t === '') return undefined
  const ms = Date.parse(t)
  return Number.isNaN(ms) ? undefined : ms
}
