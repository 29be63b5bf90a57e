// Where the API server's exec, attach and port-forward go: the kubelet of the pod's node, as
// kube-apiserver dials the node's kubelet. A node that is stopped (or not in this process) is a
// kubelet nobody answers for: `error dialing backend`.
import type { KubeObject } from '../api/object.ts'
import type { StreamSource } from '../apiserver/streaming/options.ts'
import type { Kubelet } from '../kubelet/kubelet.ts'
import type { NodePool } from './nodes.ts'

export function streamSource (pool: NodePool): StreamSource {
  const kubeletOf = (pod: KubeObject): Kubelet => {
    const name = (pod.spec as { nodeName: string }).nodeName
    const node = pool.nodes.get(name)
    if (node === undefined || !node.running) {
      throw Object.assign(new Error(`the kubelet of node "${name}" is not running`), { backendUnavailable: true })
    }
    return node.kubelet
  }
  return {
    exec: async (pod, container, command, streams, output) => kubeletOf(pod).exec(pod, container, command, streams, output),
    attach: async (pod, container, streams, output) => kubeletOf(pod).attach(pod, container, streams, output),
    portForward: async pod => kubeletOf(pod).portForward(pod),
  }
}
