// Node labels given at create (`--k3s-node-label`, `--k3s-arg --node-label=...`): checked as the
// kubelet checks --node-labels (cmd/kubelet/app/options ValidateKubeletFlags), then set on the
// Node objects through the Kubernetes API once the nodes have registered, as k3s sets them at
// registration. They live in the store with the Node, so `cluster stop/start` keeps them (a
// restarting kubelet finds its Node and leaves its labels alone).
import { isQualifiedName, isValidLabelValue } from '../api/validation.ts'
import { adminCall } from './admin-client.ts'
import { CliError } from './output.ts'

/** Labels to set, by node name. */
export type NodeLabels = Record<string, Record<string, string>>

// The kubelet's allowed 'kubernetes.io' labels (k8s.io/kubelet/pkg/apis well_known_labels.go).
const KUBELET_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io']
const KUBELET_LABELS = ['beta.kubernetes.io/arch', 'beta.kubernetes.io/instance-type', 'beta.kubernetes.io/os', 'failure-domain.beta.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone', 'kubernetes.io/arch', 'kubernetes.io/hostname', 'kubernetes.io/os', 'node.kubernetes.io/instance-type', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone']

const inNamespace = (ns: string, of: string): boolean => ns === of || ns.endsWith('.' + of)

function kubeletRefuses (key: string): boolean {
  const ns = key.includes('/') ? key.split('/')[0] : ''
  if (!inNamespace(ns, 'kubernetes.io') && !inNamespace(ns, 'k8s.io')) return false
  return !KUBELET_LABELS.includes(key) && !KUBELET_NAMESPACES.some(allowed => inNamespace(ns, allowed))
}

/**
 * `KEY=VALUE` (or `KEY`, an empty value, when `valueOptional`, as k3d's cluster create takes it)
 * → [key, value], refused with what to write when the kubelet would refuse it.
 */
export function parseNodeLabel (text: string, flag: string, options: { valueOptional: boolean }): [string, string] {
  const i = text.indexOf('=')
  if (i < 0 && !options.valueOptional) throw new CliError(`invalid node label "${text}" (${flag}): use the format KEY=VALUE, e.g. role=worker`)
  const [key, value] = i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)]
  const errs = [...isQualifiedName(key).map(e => `key: ${e}`), ...isValidLabelValue(value).map(e => `value: ${e}`)]
  if (errs.length > 0) throw new CliError(`invalid node label "${text}" (${flag}): ${errs.join('; ')}`)
  if (kubeletRefuses(key)) {
    throw new CliError(`invalid node label "${text}" (${flag}): unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [${key}] (the kubelet refuses them, so the node would not start): ` +
      `--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix (${KUBELET_NAMESPACES.join(', ')}) or be in the specifically allowed set (${KUBELET_LABELS.join(', ')}); ` +
      `use a label of your own (e.g. role=worker), or set it once the node is up with \`kubectl label node\``)
  }
  return [key, value]
}

export function addNodeLabel (labels: NodeLabels, node: string, [key, value]: [string, string]): void {
  labels[node] = { ...labels[node], [key]: value }
}

/** Set the labels on the cluster's Node objects (a merge patch each: other labels stay). */
export async function applyNodeLabels (cluster: string, labels: NodeLabels): Promise<void> {
  for (const [node, set] of Object.entries(labels)) {
    await adminCall(cluster, 'PATCH', `/api/v1/nodes/${node}`, { metadata: { labels: set } })
  }
}
