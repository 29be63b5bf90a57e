// The svclb DaemonSet k3s's ServiceLB (pkg/cloudprovider/servicelb.go) writes for one
// LoadBalancer Service: one klipper-lb container per Service port, hostPort = port.
import type { KubeObject } from '../../api/object.ts'

type Json = Record<string, any>
export type Service = KubeObject & { spec: Json, status?: Json }

export const PREFIX = 'svccontroller.k3s.cattle.io/'
export const FINALIZER = `${PREFIX}daemonset`
export const SVC_NAME_LABEL = `${PREFIX}svcname`
export const SVC_NAMESPACE_LABEL = `${PREFIX}svcnamespace`
export const NODE_SELECTOR_LABEL = `${PREFIX}nodeselector`
export const ENABLE_LB_LABEL = `${PREFIX}enablelb`
export const LB_POOL_LABEL = `${PREFIX}lbpool`
export const PRIORITY_ANNOTATION = `${PREFIX}priorityclassname`
export const TOLERATIONS_ANNOTATION = `${PREFIX}tolerations`
export const LB_NAMESPACE = 'kube-system'
export const DEFAULT_IMAGE = 'rancher/klipper-lb:v0.4.9'

/** `svclb-<name cut to 48, trailing '-' removed>-<first 8 of the uid>`. */
export function daemonSetName (svc: Service): string {
  const name = svc.metadata.name!.slice(0, 48).replace(/-+$/, '')
  return `svclb-${name}-${svc.metadata.uid!.slice(0, 8)}`
}

const isIPv6 = (ip: string): boolean => ip.includes(':')

export interface DaemonSetInputs {
  image: string
  /** Some node carries the enablelb label: pods go only to enabled nodes. */
  nodeSelection: boolean
}

export function newDaemonSet (svc: Service, inputs: DaemonSetInputs): KubeObject {
  const name = daemonSetName(svc)
  const spec = svc.spec
  const clusterIPs: string[] = spec.clusterIPs ?? (spec.clusterIP !== undefined && spec.clusterIP !== 'None' ? [spec.clusterIP] : [])
  const ipv6 = clusterIPs.some(isIPv6) || (spec.ipFamilies ?? []).includes('IPv6')
  const local = spec.externalTrafficPolicy === 'Local'
  const sourceRanges: string[] = spec.loadBalancerSourceRanges?.length > 0
    ? spec.loadBalancerSourceRanges
    : ipv6 ? (clusterIPs.some(ip => !isIPv6(ip)) ? ['0.0.0.0/0', '::/0'] : ['::/0']) : ['0.0.0.0/0']
  const containers = ((spec.ports ?? []) as Json[]).map(port => {
    const protocol = (port.protocol ?? 'TCP') as string
    const portName = `lb-${protocol.toLowerCase()}-${port.port}`
    const env: Json[] = [
      { name: 'SRC_PORT', value: String(port.port) },
      { name: 'SRC_RANGES', value: sourceRanges.join(',') },
      { name: 'DEST_PROTO', value: protocol },
    ]
    if (local) {
      env.push({ name: 'DEST_PORT', value: String(port.nodePort) })
      env.push({ name: 'DEST_IPS', valueFrom: { fieldRef: { fieldPath: 'status.hostIPs' } } })
    } else {
      env.push({ name: 'DEST_PORT', value: String(port.port) })
      env.push({ name: 'DEST_IPS', value: clusterIPs.join(',') })
    }
    return {
      name: portName,
      image: inputs.image,
      imagePullPolicy: 'IfNotPresent',
      ports: [{ name: portName, containerPort: port.port, hostPort: port.port, protocol }],
      env,
      securityContext: { capabilities: { add: ['NET_ADMIN'] } },
    }
  })
  const sysctls: Json[] = [{ name: 'net.ipv4.ip_forward', value: '1' }]
  if (ipv6) sysctls.push({ name: 'net.ipv6.conf.all.forwarding', value: '1' })
  const podSpec: Json = {
    priorityClassName: svc.metadata.annotations?.[PRIORITY_ANNOTATION] ?? 'system-node-critical',
    serviceAccountName: 'svclb',
    automountServiceAccountToken: false,
    securityContext: { sysctls },
    tolerations: [
      { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      ...extraTolerations(svc),
    ],
    containers,
  }
  if (inputs.nodeSelection) {
    const selector: Record<string, string> = { [ENABLE_LB_LABEL]: 'true' }
    const pool = svc.metadata.labels?.[LB_POOL_LABEL]
    if (pool !== undefined) selector[LB_POOL_LABEL] = pool
    podSpec.nodeSelector = selector
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name,
      namespace: LB_NAMESPACE,
      labels: { [NODE_SELECTOR_LABEL]: String(inputs.nodeSelection), [SVC_NAME_LABEL]: svc.metadata.name!, [SVC_NAMESPACE_LABEL]: svc.metadata.namespace! },
    },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, [SVC_NAME_LABEL]: svc.metadata.name!, [SVC_NAMESPACE_LABEL]: svc.metadata.namespace! } },
        spec: podSpec,
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    },
  } as unknown as KubeObject
}

/** The `…/tolerations` annotation: a JSON list of tolerations (ignored when malformed, as upstream logs and skips). */
function extraTolerations (svc: Service): Json[] {
  const raw = svc.metadata.annotations?.[TOLERATIONS_ANNOTATION]
  if (raw === undefined) return []
  try {
    const parsed = JSON.parse(raw) as unknown
    return Array.isArray(parsed) ? parsed as Json[] : []
  } catch { return [] }
}

/** Is `current` (stored) missing anything `desired` sets? Fields the API server defaults are ignored. */
export function covers (current: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(current) && current.length === desired.length && desired.every((d, i) => covers(current[i], d))
  }
  if (desired !== null && typeof desired === 'object') {
    if (current === null || typeof current !== 'object') return false
    return Object.entries(desired).every(([k, v]) => covers((current as Json)[k], v))
  }
  return current === desired
}
