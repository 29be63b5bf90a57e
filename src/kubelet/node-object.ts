// The Node a k3s kubelet registers and the status it posts (k3s-facts.md §3): k3s's labels and
// annotations, addresses, capacity and allocatable, nodeInfo and the four kubelet conditions
// plus flannel's NetworkUnavailable. Pure: the kubelet supplies names, sizes and the time.
import { createHash } from 'node:crypto'
import type { KubeObject } from '../api/object.ts'
import { K3S_VERSION } from '../api/version.ts'
import type { NodeImage } from '../runtime/runtime.ts'
import { base32 } from '../util/base32.ts'

export interface NodeIdentity {
  name: string
  role: 'server' | 'agent'
  /** Index in registration order: pod CIDR 10.42.<index>.0/24, InternalIP 172.18.0.<index + 2>. */
  index: number
  cpu: string
  memory: string
  pods: number
  /** Capacity in bytes. */
  ephemeralStorage: number
  runtimeVersion: string
  kernelVersion: string
  /** Stable per node: machineID, systemUUID, VtepMAC. */
  seed: string
  /** Changes with each kubelet start: bootID. */
  boot: string
}

export const nodeInternalIP = (index: number): string => `172.18.0.${index + 2}`
export const nodePodCIDR = (index: number): string => `10.42.${index}.0/24`

function hex (seed: string, what: string, n: number): string {
  return createHash('sha256').update(`${seed}/${what}`).digest('hex').slice(0, n)
}

/** Allocatable ephemeral-storage: capacity less the 5% hard eviction threshold, as the kubelet rounds it. */
export function allocatableStorage (capacity: number): number {
  return capacity - Math.trunc(capacity * 0.05000000074505806)
}

export function nodeLabels (id: NodeIdentity): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': 'k3s',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': id.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': 'k3s',
  }
  if (id.role === 'server') {
    labels['node-role.kubernetes.io/control-plane'] = 'true'
    labels['node-role.kubernetes.io/master'] = 'true'
  }
  return labels
}

export function nodeAnnotations (id: NodeIdentity): Record<string, string> {
  const ip = nodeInternalIP(id.index)
  const mac = hex(id.seed, 'mac', 12).match(/../g)!.join(':')
  const hash = Buffer.from(createHash('sha256').update(`${id.seed}/config`).digest()).subarray(0, 32)
  return {
    'alpha.kubernetes.io/provided-node-ip': ip,
    'flannel.alpha.coreos.com/backend-data': JSON.stringify({ VNI: 1, VtepMAC: mac }),
    'flannel.alpha.coreos.com/backend-type': 'vxlan',
    'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
    'flannel.alpha.coreos.com/public-ip': ip,
    'k3s.io/hostname': id.name,
    'k3s.io/internal-ip': ip,
    'k3s.io/node-args': JSON.stringify(id.role === 'server' ? ['server', '--token', '********'] : ['agent']),
    'k3s.io/node-config-hash': base32(hash).slice(0, 52) + '====',
    'k3s.io/node-env': JSON.stringify({ K3S_DATA_DIR: `/var/lib/rancher/k3s/data/${hex(id.seed, 'data', 64)}` }),
    'node.alpha.kubernetes.io/ttl': '0',
    'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
  }
}

export type ConditionStatus = 'True' | 'False' | 'Unknown'

/** The kubelet's four conditions in its order, then flannel's. All healthy unless told. */
export function nodeConditions (now: string, transitions: Record<string, string>, ready = true): Array<Record<string, string>> {
  const c = (type: string, status: ConditionStatus, reason: string, message: string): Record<string, string> =>
    ({ type, status, lastHeartbeatTime: now, lastTransitionTime: transitions[type] ?? now, reason, message })
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready ? c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status') : c('Ready', 'False', 'KubeletNotReady', 'container runtime is down'),
    c('NetworkUnavailable', 'False', 'FlannelIsUp', 'Flannel is running on this node'),
  ]
}

/** The kubelet's --node-status-max-images and MaxNamesPerImageInNodeStatus. */
const NODE_STATUS_MAX_IMAGES = 50
const MAX_NAMES_PER_IMAGE = 5

/** The Images setter (nodestatus/setters.go): the largest images first, digests then tags, capped. */
export function nodeImages (images: readonly NodeImage[]): Array<{ names: string[], sizeBytes: number }> {
  return [...images].sort((a, b) => b.size - a.size).slice(0, NODE_STATUS_MAX_IMAGES)
    .map(i => ({ names: [...i.repoDigests, ...i.repoTags].slice(0, MAX_NAMES_PER_IMAGE), sizeBytes: i.size }))
}

export function nodeStatus (id: NodeIdentity, now: string, transitions: Record<string, string>, images: Array<{ names: string[], sizeBytes: number }>): Record<string, unknown> {
  const capacity = { cpu: id.cpu, 'ephemeral-storage': `${Math.floor(id.ephemeralStorage / 1024)}Ki`, 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: id.memory, pods: String(id.pods) }
  const allocatable = { ...capacity, 'ephemeral-storage': String(allocatableStorage(Math.floor(id.ephemeralStorage / 1024) * 1024)) }
  return {
    capacity,
    allocatable,
    conditions: nodeConditions(now, transitions),
    addresses: [{ type: 'InternalIP', address: nodeInternalIP(id.index) }, { type: 'Hostname', address: id.name }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: hex(id.seed, 'machine', 32),
      systemUUID: hex(id.seed, 'uuid', 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      bootID: hex(id.seed, `boot/${id.boot}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      kernelVersion: id.kernelVersion,
      osImage: `K3s ${K3S_VERSION}`,
      containerRuntimeVersion: id.runtimeVersion,
      kubeletVersion: K3S_VERSION,
      kubeProxyVersion: K3S_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    ...(images.length === 0 ? {} : { images }), // omitempty
  }
}

/** The Node object the kubelet creates when it registers. */
export function nodeObject (id: NodeIdentity, now: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: id.name, labels: nodeLabels(id), annotations: nodeAnnotations(id) },
    spec: { podCIDR: nodePodCIDR(id.index), podCIDRs: [nodePodCIDR(id.index)], providerID: `k3s://${id.name}` },
    status: nodeStatus(id, now, {}, []),
  }
}
