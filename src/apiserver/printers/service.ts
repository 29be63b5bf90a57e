// Services and Endpoints (upstream printService, printEndpoints).
import { type Printer, ageColumn, column, nameColumn, wide } from './types.ts'
import { formatLabels, loadBalancerStatus } from './format.ts'
import { translateAge } from './time.ts'

const serviceColumns = [
  nameColumn,
  column('Type', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
  column('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
  column('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
  column('Port(s)', 'The list of ports that are exposed by this service.'),
  ageColumn,
  wide('Selector', 'Route service traffic to pods with label keys and values matching this selector.')
]

/** getServiceExternalIP: explicit externalIPs, LB ingress (`<pending>` until assigned), or `<none>`. */
function externalIP (svc: any, type: string): string {
  const externalIPs: string[] = svc.spec?.externalIPs ?? []
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>'
    case 'LoadBalancer': {
      const lbIPs = loadBalancerStatus(svc.status?.loadBalancer)
      if (externalIPs.length > 0) return [...(lbIPs ? lbIPs.split(',') : []), ...externalIPs].join(',')
      return lbIPs.length > 0 ? lbIPs : '<pending>'
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? ''
  }
  return '<unknown>'
}

/** makePortString: `443/TCP`, `80:30080/TCP`, comma-joined. Protocol defaults to TCP (v1 defaulting). */
function ports (list: any[]): string {
  return list.map(p => {
    const protocol = p.protocol ?? 'TCP'
    return p.nodePort > 0 ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`
  }).join(',')
}

function printService (svc: any, now: number): unknown[] {
  const spec = svc.spec ?? {}
  const type: string = spec.type ?? 'ClusterIP'
  // v1 → internal conversion makes spec.clusterIP authoritative over clusterIPs[0].
  const clusterIP: string = spec.clusterIP || spec.clusterIPs?.[0] || '<none>'
  return [
    svc.metadata?.name ?? '', type, clusterIP, externalIP(svc, type), ports(spec.ports ?? []) || '<none>',
    translateAge(svc.metadata?.creationTimestamp, now), formatLabels(spec.selector)
  ]
}

export const servicePrinter: Printer = { columns: serviceColumns, row: printService }

/** net.JoinHostPort: IPv6 hosts get brackets. */
function joinHostPort (host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** formatEndpoints(ports=nil): first 3 `ip:port` (or bare IPs for port-less subsets), then ` + N more...`. */
export function formatEndpoints (endpoints: any): string {
  const subsets: any[] = endpoints.subsets ?? []
  if (subsets.length === 0) return '<none>'
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const ss of subsets) {
    const addresses: any[] = ss.addresses ?? []
    const portList: any[] = ss.ports ?? []
    if (portList.length === 0) {
      count += addresses.length
      for (const addr of addresses) {
        if (list.length === max) { more = true; break }
        list.push(addr.ip)
      }
      continue
    }
    for (const port of portList) {
      count += addresses.length
      for (const addr of addresses) {
        if (list.length === max) { more = true; break }
        list.push(joinHostPort(addr.ip, port.port))
      }
    }
  }
  const ret = list.join(',')
  return more ? `${ret} + ${count - max} more...` : ret
}

const endpointsColumns = [
  nameColumn,
  column('Endpoints', 'The set of all endpoints is the union of all subsets.'),
  ageColumn
]

export const endpointsPrinter: Printer = {
  columns: endpointsColumns,
  row: (obj, now) => [obj.metadata?.name ?? '', formatEndpoints(obj), translateAge(obj.metadata?.creationTimestamp, now)]
}
