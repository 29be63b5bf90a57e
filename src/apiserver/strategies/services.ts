// Services: defaults (SetDefaults_Service), ClusterIP allocation from 10.43.0.0/16 (k3s's
// service CIDR; 10.43.0.1 is `kubernetes`, 10.43.0.10 is kept for kube-dns) and NodePort
// allocation from 30000-32767, with upstream's errors when a requested one is taken.
import type { KubeObject } from '../../api/object.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import { invalid, type StatusCause } from '../errors.ts'
import { isDNS1123Label } from '../../api/validation.ts'
import { def, duplicate, invalidValue, required, unsupported, type Strategy, type StrategyContext } from './strategy.ts'

type Json = Record<string, any>

export const SERVICE_CIDR = { base: (10 << 24) | (43 << 16), size: 1 << 16 }
const NODE_PORTS = { min: 30000, max: 32767 }
const RESERVED = new Set(['10.43.0.0', '10.43.0.10', '10.43.255.255'])
/** supportedPortProtocols, sorted. */
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
/** supportedServiceType, as sets.List prints it: sorted. */
const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']

const ipString = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
const ipNumber = (ip: string): number => ip.split('.').reduce((a, p) => (a << 8) + Number(p), 0) >>> 0

function inServiceCidr (ip: string): boolean {
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false
  const n = ipNumber(ip)
  return n >= SERVICE_CIDR.base >>> 0 && n < (SERVICE_CIDR.base >>> 0) + SERVICE_CIDR.size
}

function needsNodePorts (spec: Json): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
}

async function used (ctx: StrategyContext, info: ResourceInfo, self: KubeObject): Promise<{ ips: Set<string>, ports: Set<number> }> {
  const { items } = await ctx.storage.list(info, undefined)
  const ips = new Set<string>()
  const ports = new Set<number>()
  for (const s of items) {
    if (s.metadata.uid === self.metadata.uid) continue
    const spec = s.spec as Json
    for (const ip of spec.clusterIPs ?? [spec.clusterIP]) if (ip) ips.add(ip)
    for (const p of spec.ports ?? []) if (p.nodePort) ports.add(p.nodePort)
  }
  return { ips, ports }
}

async function allocate (obj: KubeObject, ctx: StrategyContext, info: ResourceInfo, old?: KubeObject): Promise<void> {
  const spec = obj.spec as Json
  const oldSpec = old?.spec as Json | undefined
  const taken = await used(ctx, info, obj)
  const causes: StatusCause[] = []
  // "" asks for an address as absence does (Helm charts template `clusterIP: ""`).
  if (spec.type !== 'ExternalName' && (spec.clusterIP === undefined || spec.clusterIP === '') && oldSpec?.clusterIP === undefined) {
    for (let i = 0; i < SERVICE_CIDR.size; i++) {
      const ip = ipString((SERVICE_CIDR.base >>> 0) + 2 + ctx.ids.int(SERVICE_CIDR.size - 3))
      if (!taken.ips.has(ip) && !RESERVED.has(ip)) { spec.clusterIP = ip; break }
    }
  } else if (spec.clusterIP !== undefined && spec.clusterIP !== 'None' && oldSpec?.clusterIP === undefined) {
    // A new address is allocated at create (or when an ExternalName gets one); changing one is
    // refused by validation ("may not change once set"), not by the allocator.
    if (!inServiceCidr(spec.clusterIP)) {
      causes.push(invalidValue('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is 10.43.0.0/16`))
    } else if (taken.ips.has(spec.clusterIP)) {
      causes.push(invalidValue('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`))
    }
  }
  if (spec.clusterIP !== undefined && spec.type !== 'ExternalName') spec.clusterIPs = [spec.clusterIP]
  if (needsNodePorts(spec)) {
    const oldPorts = new Map<string, number>((oldSpec?.ports ?? []).map((p: Json) => [`${p.protocol}/${p.port}`, p.nodePort]))
    ;(spec.ports ?? []).forEach((p: Json, i: number) => {
      if (p.nodePort === undefined) p.nodePort = oldPorts.get(`${p.protocol}/${p.port}`)
      if (p.nodePort === undefined) {
        for (let n = 0; n < 3000; n++) {
          const candidate = NODE_PORTS.min + ctx.ids.int(NODE_PORTS.max - NODE_PORTS.min + 1)
          if (!taken.ports.has(candidate)) { p.nodePort = candidate; break }
        }
      } else if (p.nodePort < NODE_PORTS.min || p.nodePort > NODE_PORTS.max) {
        causes.push(invalidValue(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORTS.min}-${NODE_PORTS.max}`))
      } else if (taken.ports.has(p.nodePort) && !([...oldPorts.values()].includes(p.nodePort))) {
        causes.push(invalidValue(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'))
      }
      taken.ports.add(p.nodePort)
    })
  }
  if (causes.length > 0) throw invalid('', 'Service', obj.metadata.name!, causes)
}

export function serviceStrategy (info: () => ResourceInfo): Strategy {
  return {
    generation: false,
    status: true,
    nameIsLabel: true,
    defaults (obj) {
      const spec = (obj.spec ??= {}) as Json
      def(spec, 'type', 'ClusterIP')
      def(spec, 'sessionAffinity', 'None')
      for (const p of spec.ports ?? []) {
        def(p, 'protocol', 'TCP')
        def(p, 'targetPort', p.port)
      }
      if (spec.type !== 'ExternalName') {
        def(spec, 'ipFamilies', ['IPv4'])
        def(spec, 'ipFamilyPolicy', 'SingleStack')
        def(spec, 'internalTrafficPolicy', 'Cluster')
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') def(spec, 'externalTrafficPolicy', 'Cluster')
      if (spec.type === 'LoadBalancer') def(spec, 'allocateLoadBalancerNodePorts', true)
      obj.status ??= { loadBalancer: {} }
    },
    async prepareForCreate (obj, ctx) {
      obj.status = { loadBalancer: {} } // upstream resets it to ServiceStatus{}, which serializes so
      await allocate(obj, ctx, info())
    },
    async prepareForUpdate (obj, old, ctx) {
      const spec = obj.spec as Json
      const oldSpec = old.spec as Json
      // patchAllocatedValues: an update without an address (or with "") keeps the allocated one.
      if ((spec.clusterIP === undefined || spec.clusterIP === '') && oldSpec.clusterIP !== undefined && spec.type !== 'ExternalName') spec.clusterIP = oldSpec.clusterIP
      await allocate(obj, ctx, info(), old)
    },
    // ValidateService's order: ports required, each port (name, then number), then the type.
    validate (obj) {
      const spec = (obj.spec ?? {}) as Json
      const causes: StatusCause[] = []
      const ports = (Array.isArray(spec.ports) ? spec.ports : []) as Json[]
      if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None' && ports.length === 0) causes.push(required('spec.ports'))
      const names = new Set<string>()
      ports.forEach((p, i) => {
        if (ports.length > 1 && !p.name) causes.push(required(`spec.ports[${i}].name`))
        else if (p.name) {
          for (const msg of isDNS1123Label(String(p.name))) causes.push(invalidValue(`spec.ports[${i}].name`, p.name, msg))
          if (names.has(p.name)) causes.push(duplicate(`spec.ports[${i}].name`, p.name))
          names.add(p.name)
        }
        // An absent port is Go's zero.
        if (!(Number.isInteger(p.port) && p.port > 0 && p.port < 65536)) causes.push(invalidValue(`spec.ports[${i}].port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'))
        if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) causes.push(unsupported(`spec.ports[${i}].protocol`, p.protocol, PROTOCOLS))
        // ValidatePortNumOrName on the targetPort (defaulted to the port): its number's range.
        if (typeof p.targetPort === 'number' && !(Number.isInteger(p.targetPort) && p.targetPort > 0 && p.targetPort < 65536)) causes.push(invalidValue(`spec.ports[${i}].targetPort`, p.targetPort, 'must be between 1 and 65535, inclusive'))
      })
      if (!types.includes(spec.type)) causes.push(unsupported('spec.type', spec.type, types))
      return causes
    },
    validateUpdate (obj, old) {
      return clusterIPChanges(obj.spec as Json, old.spec as Json)
    },
  }
}

/**
 * validateUpgradeDowngradeClusterIPs: the primary ClusterIP may not change once set (headless to
 * headless and ExternalName on either side are left alone). The value printed is the new list.
 */
function clusterIPChanges (spec: Json, old: Json): StatusCause[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return []
  if (spec.clusterIP === 'None' && old.clusterIP === 'None') return []
  const ips = (spec: Json): string[] => spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])
  const [after, before] = [ips(spec), ips(old)]
  const changed = (): StatusCause => invalidValue('spec.clusterIPs[0]', after, 'may not change once set')
  if (after.length === before.length) return before.filter((ip, i) => ip !== after[i]).map(() => changed())
  if (after.length < before.length) {
    if (after.length === 0) return [invalidValue('spec.clusterIPs[0]', after, 'primary clusterIP can not be unset')]
    return after[0] !== before[0] ? [changed()] : []
  }
  return before.length > 0 && after[0] !== before[0] ? [changed()] : []
}
