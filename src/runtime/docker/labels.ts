// What k3sim writes on every Docker object it creates, so a cluster can find (and remove) exactly
// what it owns: the cluster, the node, the pod (the kubelet's own io.kubernetes.* labels, as
// dockershim set them), the container name, and for containers their sandbox and attempt.
import type { PodRef } from '../runtime.ts'

export const LABEL = {
  cluster: 'io.k3sim.cluster',
  node: 'io.k3sim.node',
  /** sandbox | container | network | volume */
  kind: 'io.k3sim.kind',
  sandbox: 'io.k3sim.sandbox',
  /** Where the k3sim process reaches the pod's ports: its IP on the bridge, or 127.0.0.1 on the host's network. */
  podIP: 'io.k3sim.pod-ip',
  /** The sandbox's process and IPC namespaces for its containers: `node`, `pod`, or none (each container its own). */
  pidMode: 'io.k3sim.pid-mode',
  ipcMode: 'io.k3sim.ipc-mode',
  /** A container's sandbox network: `node` (the host's) or `pod`. */
  sandboxNetwork: 'io.k3sim.sandbox-network',
  attempt: 'io.k3sim.attempt',
  image: 'io.k3sim.image',
  dataDir: 'io.k3sim.data-dir',
  podUid: 'io.kubernetes.pod.uid',
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  container: 'io.kubernetes.container.name',
} as const

export function podLabels (cluster: string, node: string, pod: PodRef): Record<string, string> {
  return {
    [LABEL.cluster]: cluster,
    [LABEL.node]: node,
    [LABEL.podUid]: pod.uid,
    [LABEL.podName]: pod.name,
    [LABEL.podNamespace]: pod.namespace,
  }
}

export function podRefOf (labels: Record<string, string>): PodRef {
  return { uid: labels[LABEL.podUid], namespace: labels[LABEL.podNamespace], name: labels[LABEL.podName] }
}

/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; Kubernetes names already fit. */
export function containerName (cluster: string, container: string, pod: PodRef, attempt: number | string): string {
  return `k3sim-${cluster}_${container}_${pod.name}_${pod.namespace}_${pod.uid}_${attempt}`
}

export const networkName = (cluster: string): string => `k3sim-${cluster}`

/** emptyDir volumes: one Docker volume per pod volume. */
export const volumeName = (cluster: string, podUid: string, volume: string): string => `k3sim-${cluster}_${podUid}_${volume}`
