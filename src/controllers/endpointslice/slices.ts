// Pure computation of a Service's desired EndpointSlices (upstream's reconciler, v1.32): one
// endpoint per pod with an IP (terminating pods included, with their conditions), grouped by the
// ports the pod resolves, at most `maxEndpointsPerSlice` (default 100) endpoints per slice.
// A service with no endpoints gets one placeholder slice without endpoints or ports.
import type { KubeObject, OwnerReference } from '../../api/object.ts'
import {
  compareIP, findPort, hostnameFor, isHeadless, isPodReady, podIP, shouldPodBeInEndpoints,
  HEADLESS_LABEL, type Pod, type Service,
} from './util.ts'

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by'
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io'
export const MAX_ENDPOINTS_PER_SLICE = 100

export interface SliceEndpoint {
  addresses: string[]
  conditions: { ready?: boolean, serving?: boolean, terminating?: boolean }
  hostname?: string
  targetRef?: { kind: 'Pod', namespace: string, name: string, uid: string }
  nodeName?: string
}
export interface SlicePort { name: string, protocol: string, port: number, appProtocol?: string }
export type EndpointSlice = KubeObject & { addressType: string, endpoints?: SliceEndpoint[], ports?: SlicePort[] }

/** The endpoints and ports one slice should hold (names and metadata come from the reconciler). */
export interface DesiredSlice { endpoints: SliceEndpoint[], ports: SlicePort[] | undefined }

/** Upstream's podToEndpoint: ready only if serving and not terminating (or publishNotReadyAddresses). */
export function podToEndpoint (pod: Pod, svc: Service): SliceEndpoint {
  const serving = isPodReady(pod)
  const terminating = pod.metadata.deletionTimestamp !== undefined
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating)
  const ep: SliceEndpoint = { addresses: [podIP(pod)], conditions: { ready, serving, terminating } }
  const hostname = hostnameFor(pod, svc)
  if (hostname !== undefined) ep.hostname = hostname
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! }
  if (pod.spec?.nodeName !== undefined && pod.spec.nodeName !== '') ep.nodeName = pod.spec.nodeName
  return ep
}

/** The ports of `svc` as `pod` serves them, or undefined when a port cannot be resolved for a non-headless service. */
function podPorts (pod: Pod, svc: Service): SlicePort[] | undefined {
  const out: SlicePort[] = []
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp)
    // Upstream logs "Failed to find port for service" and publishes the pod without that port.
    if (port === undefined) continue
    const p: SlicePort = { name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port }
    if (sp.appProtocol !== undefined) p.appProtocol = sp.appProtocol
    out.push(p)
  }
  if (out.length === 0 && !isHeadless(svc) && (svc.spec?.ports ?? []).length > 0) return undefined
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.port - b.port))
}

export function desiredSlices (svc: Service, pods: readonly Pod[], max = MAX_ENDPOINTS_PER_SLICE): DesiredSlice[] {
  const groups = new Map<string, { ports: SlicePort[], endpoints: SliceEndpoint[] }>()
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue
    const ports = podPorts(pod, svc)
    if (ports === undefined) continue
    const k = JSON.stringify(ports)
    let g = groups.get(k)
    if (g === undefined) groups.set(k, g = { ports, endpoints: [] })
    g.endpoints.push(podToEndpoint(pod, svc))
  }
  const out: DesiredSlice[] = []
  for (const k of [...groups.keys()].sort()) {
    const g = groups.get(k)!
    g.endpoints.sort((a, b) => compareIP(a.addresses[0], b.addresses[0]) || ((a.targetRef?.name ?? '') < (b.targetRef?.name ?? '') ? -1 : 1))
    for (let i = 0; i < g.endpoints.length; i += max) out.push({ endpoints: g.endpoints.slice(i, i + max), ports: g.ports })
  }
  if (out.length === 0) out.push({ endpoints: [], ports: undefined })
  return out
}

/** Labels of a controller-managed slice: the service's own, plus service-name, managed-by and headless. */
export function sliceLabels (svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...svc.metadata.labels }
  labels[SERVICE_NAME_LABEL] = svc.metadata.name!
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = ''
  else delete labels[HEADLESS_LABEL]
  return labels
}

export function serviceOwnerRef (svc: Service): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }
}

/** generateName for a service's slices: `<service>-`, shortened so the 5-char suffix fits 63 characters. */
export function slicePrefix (service: string): string {
  const prefix = `${service}-`
  return prefix.length > 58 ? `${prefix.slice(0, 57)}-` : prefix
}
