// Pure computation of an Endpoints object's subsets from a Service and its pods (upstream's
// endpoints controller syncService loop + endpoints.RepackSubsets). Each pod contributes, per
// service port it resolves, its address as ready or not ready; addresses are then regrouped so
// that every subset holds the addresses sharing one port set.
//
//   service ports http→"web", metrics→9090; pod a ready (web=8080), pod b not ready (web=8080)
//   → [{ addresses: [a], notReadyAddresses: [b], ports: [http 8080, metrics 9090] }]
import {
  compareIP, findPort, hostnameFor, isHeadless, isPodReady, podIP, shouldPodBeInEndpoints,
  type Pod, type Service,
} from '../endpointslice/util.ts'

export interface EndpointAddress {
  ip: string
  hostname?: string
  nodeName?: string
  targetRef?: { kind: 'Pod', namespace: string, name: string, uid: string }
}
export interface EndpointPort { name?: string, port: number, protocol: string, appProtocol?: string }
export interface EndpointSubset { addresses?: EndpointAddress[], notReadyAddresses?: EndpointAddress[], ports?: EndpointPort[] }

export function podAddress (pod: Pod, svc: Service): EndpointAddress {
  const addr: EndpointAddress = { ip: podIP(pod) }
  const hostname = hostnameFor(pod, svc)
  if (hostname !== undefined) addr.hostname = hostname
  if (pod.spec?.nodeName !== undefined && pod.spec.nodeName !== '') addr.nodeName = pod.spec.nodeName
  addr.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! }
  return addr
}

/** The subsets for `svc` over the pods its selector matched. */
export function computeSubsets (svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true
  const ports = svc.spec?.ports ?? []
  // address key → the address, its readiness and the ports it serves
  const entries = new Map<string, { addr: EndpointAddress, ready: boolean, ports: EndpointPort[] }>()
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue
    const addr = podAddress(pod, svc)
    const ready = tolerateUnready || isPodReady(pod)
    const served: EndpointPort[] = []
    if (ports.length === 0 && isHeadless(svc)) {
      // A headless service without ports still publishes its addresses (a subset without ports).
    } else {
      for (const sp of ports) {
        const port = findPort(pod, sp)
        if (port === undefined) continue // upstream logs "Failed to find port for service" and skips
        const epp: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' }
        if (sp.name !== undefined && sp.name !== '') epp.name = sp.name
        if (sp.appProtocol !== undefined) epp.appProtocol = sp.appProtocol
        served.push(epp)
      }
      if (served.length === 0) continue
    }
    entries.set(`${addr.ip}/${addr.targetRef?.uid ?? ''}`, { addr, ready, ports: served.sort(comparePorts) })
  }
  return repack([...entries.values()])
}

/** endpoints.RepackSubsets: one subset per distinct port set; addresses and subsets sorted. */
function repack (entries: Array<{ addr: EndpointAddress, ready: boolean, ports: EndpointPort[] }>): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[], ready: EndpointAddress[], notReady: EndpointAddress[] }>()
  for (const e of entries) {
    const key = JSON.stringify(e.ports)
    let g = groups.get(key)
    if (g === undefined) groups.set(key, g = { ports: e.ports, ready: [], notReady: [] })
    ;(e.ready ? g.ready : g.notReady).push(e.addr)
  }
  const subsets: Array<{ key: string, subset: EndpointSubset }> = []
  for (const [key, g] of groups) {
    const subset: EndpointSubset = {}
    if (g.ready.length > 0) subset.addresses = g.ready.sort(compareAddresses)
    if (g.notReady.length > 0) subset.notReadyAddresses = g.notReady.sort(compareAddresses)
    if (g.ports.length > 0) subset.ports = g.ports
    subsets.push({ key, subset })
  }
  return subsets.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(s => s.subset)
}

/** LessEndpointAddress: by IP, then by the target's uid. */
function compareAddresses (a: EndpointAddress, b: EndpointAddress): number {
  const byIP = compareIP(a.ip, b.ip)
  if (byIP !== 0) return byIP
  const ua = a.targetRef?.uid ?? ''
  const ub = b.targetRef?.uid ?? ''
  return ua < ub ? -1 : ua > ub ? 1 : 0
}

function comparePorts (a: EndpointPort, b: EndpointPort): number {
  const na = a.name ?? ''
  const nb = b.name ?? ''
  if (na !== nb) return na < nb ? -1 : 1
  return a.port - b.port
}
