// networking.k8s.io printers (ingresses, ingressclasses, networkpolicies) and discovery.k8s.io
// endpointslices.
import { type Printer, ageColumn, column, nameColumn } from './types.ts'
import { formatLabelSelector, listWithMore, loadBalancerStatus } from './format.ts'
import { translateAge } from './time.ts'

const name = (obj: any): string => obj.metadata?.name ?? ''
const age = (obj: any, now: number): string => translateAge(obj.metadata?.creationTimestamp, now)

/** formatHosts: first 3 rule hosts, `*` if none, ` + N more...` counting every rule. */
function formatHosts (rules: any[]): string {
  const list: string[] = []
  const max = 3
  let more = false
  for (const rule of rules) {
    if (list.length === max) more = true
    if (!more && rule.host) list.push(rule.host)
  }
  if (list.length === 0) return '*'
  const ret = list.join(',')
  return more ? `${ret} + ${rules.length - max} more...` : ret
}

export const ingressPrinter: Printer = {
  columns: [
    nameColumn,
    column('Class', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'Ports of TLS configurations that open'),
    ageColumn
  ],
  row: (obj, now) => [
    name(obj), obj.spec?.ingressClassName ?? '<none>', formatHosts(obj.spec?.rules ?? []),
    loadBalancerStatus(obj.status?.loadBalancer), (obj.spec?.tls ?? []).length > 0 ? '80, 443' : '80', age(obj, now)
  ]
}

function ingressClassParameters (obj: any): string {
  const p = obj.spec?.parameters
  if (p === undefined || p === null) return '<none>'
  let s: string = p.kind ?? ''
  if (p.apiGroup != null) s += '.' + p.apiGroup
  return `${s}/${p.name ?? ''}`
}

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'Controller that is responsible for handling this class'),
    column('Parameters', 'A reference to a resource with additional parameters'),
    ageColumn
  ],
  row: (obj, now) => [name(obj), obj.spec?.controller ?? '', ingressClassParameters(obj), age(obj, now)]
}

export const networkPolicyPrinter: Printer = {
  columns: [nameColumn, column('Pod-Selector', 'Selects the pods to which this NetworkPolicy object applies.'), ageColumn],
  row: (obj, now) => [name(obj), formatLabelSelector(obj.spec?.podSelector ?? {}), age(obj, now)]
}

/** formatDiscoveryPorts: the port number, else its name, else `*`. */
function discoveryPorts (ports: any[]): string {
  return listWithMore(ports.map(p => (p.port != null ? String(p.port) : p.name != null ? p.name : '*')), 3)
}

function discoveryEndpoints (endpoints: any[]): string {
  return listWithMore(endpoints.flatMap(e => e.addresses ?? []), 3)
}

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn
  ],
  row: (obj, now) => [name(obj), obj.addressType ?? '', discoveryPorts(obj.ports ?? []), discoveryEndpoints(obj.endpoints ?? []), age(obj, now)]
}
