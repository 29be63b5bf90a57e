// Pod and Service helpers shared by the Endpoints and EndpointSlice controllers, as upstream's
// k8s.io/endpointslice/util is shared by both: which pods belong in endpoints, pod readiness,
// targetPort resolution (podutil.FindPort), selector matching and the change-trigger time.
// Pure functions over cached objects; nothing here writes.
import type { KubeObject } from '../../api/object.ts'
import type { ControllerContext } from '../types.ts'

export interface ServicePort { name?: string, port: number, protocol?: string, targetPort?: number | string, appProtocol?: string }
export type Service = KubeObject & {
  spec?: { selector?: Record<string, string>, ports?: ServicePort[], clusterIP?: string, publishNotReadyAddresses?: boolean }
}
interface ContainerPort { name?: string, containerPort: number, protocol?: string }
interface Condition { type: string, status: string, lastTransitionTime?: string }
export type Pod = KubeObject & {
  spec?: { nodeName?: string, hostname?: string, subdomain?: string, containers?: Array<{ name: string, ports?: ContainerPort[] }> }
  status?: { phase?: string, podIP?: string, podIPs?: Array<{ ip: string }>, conditions?: Condition[] }
}

/** v1.IsHeadlessService: set on Endpoints and EndpointSlices of services with clusterIP None. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless'
/** v1.EndpointsLastChangeTriggerTime. */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time'

/** The API server's own address, which the `kubernetes` service's endpoints publish (k3s: the first server's node IP). */
export interface ApiServerEndpoint { ip: string, port: number }
export const DEFAULT_API_SERVER: ApiServerEndpoint = { ip: '172.18.0.2', port: 6443 }
export const API_SERVER_SERVICE = 'default/kubernetes'

export const splitKey = (key: string): [string, string] => {
  const i = key.indexOf('/')
  return [key.slice(0, i), key.slice(i + 1)]
}

/** A nil or empty selector means "endpoints are managed by someone else" (upstream tests `Selector == nil`; an empty map does not survive storage). */
export function hasSelector (svc: Service): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0
}

export function selects (svc: Service, pod: KubeObject): boolean {
  if (!hasSelector(svc) || pod.metadata.namespace !== svc.metadata.namespace) return false
  const labels = pod.metadata.labels ?? {}
  return Object.entries(svc.spec!.selector!).every(([k, v]) => labels[k] === v)
}

export const isHeadless = (svc: Service): boolean => svc.spec?.clusterIP === 'None'

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady (pod: Pod): boolean {
  return pod.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') === true
}

/** endpointsliceutil.ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless asked. */
export function shouldPodBeInEndpoints (pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase
  if (phase === 'Failed' || phase === 'Succeeded') return false
  if ((pod.status?.podIP ?? '') === '' && (pod.status?.podIPs ?? []).length === 0) return false
  if (!includeTerminating && pod.metadata.deletionTimestamp !== undefined) return false
  return true
}

/**
 * podutil.FindPort: a numeric targetPort is used as is (declared or not); a named one is the
 * containerPort with that name and the service port's protocol; absent, it is the service port.
 */
export function findPort (pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port
  if (typeof target === 'number') return target
  const protocol = sp.protocol ?? 'TCP'
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort
    }
  }
  return undefined
}

/** endpointutil.ShouldSetHostname: the pod's hostname is published when its subdomain is the service. */
export function hostnameFor (pod: Pod, svc: Service): string | undefined {
  const h = pod.spec?.hostname ?? ''
  return h !== '' && pod.spec?.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace ? h : undefined
}

export const podIP = (pod: Pod): string => pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip ?? ''

/** Orders IPv4 addresses numerically (10.42.0.9 before 10.42.0.10). */
export function compareIP (a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0 && !Number.isNaN(d)) return d
  }
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The last-change-trigger-time annotation. Upstream's TriggerTimeTracker keeps the earliest
 * unprocessed change of the service and its pods (a pod's time is its Ready condition's
 * lastTransitionTime); without per-sync history we publish the latest such time, which equals it
 * whenever one change triggered the sync. Formatted like Go's RFC3339Nano (`...T10:00:00Z`).
 */
export function lastChangeTriggerTime (svc: Service, pods: readonly Pod[]): string | undefined {
  const times: string[] = []
  if (typeof svc.metadata.creationTimestamp === 'string') times.push(svc.metadata.creationTimestamp)
  for (const p of pods) {
    const t = p.status?.conditions?.find(c => c.type === 'Ready')?.lastTransitionTime ?? p.metadata.creationTimestamp
    if (typeof t === 'string') times.push(t)
  }
  if (times.length === 0) return undefined
  return times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a))
}

/** Keys of the services in the pod's namespace that select it (before or after an update). */
export function servicesForPod (ctx: ControllerContext, pods: Array<KubeObject | undefined>): string[] {
  const out = new Set<string>()
  for (const svc of ctx.lister('services').list() as Service[]) {
    if (pods.some(p => p !== undefined && selects(svc, p))) out.add(`${svc.metadata.namespace}/${svc.metadata.name}`)
  }
  return [...out]
}

/** Order-insensitive (for object keys) structural equality, so the API server's field order never causes a write. */
export function semanticEqual (a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b)
}

function canonical (v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`
  }
  return JSON.stringify(v)
}
