// `cluster create --k3s-arg ARG@NODEFILTER` and `--k3s-node-label KEY[=VALUE]@NODEFILTER`: what
// k3d passes to the k3s of the nodes its filters select, translated to what k3sim does instead.
// k3sim has no k3s binary to hand arguments to, so only the k3s args it has an equivalent for are
// taken; any other is refused by name, with the list of those it takes, never silently dropped.
//
//   --disable=NAME[,NAME...]  (also `--disable NAME`)  the cluster's add-ons not deployed, as the
//                                                      --disable flag; k3s servers only: k3s
//                                                      agents refuse the flag
//   --node-label=KEY[=VALUE]  (also `--node-label K=V`) labels on the selected nodes
//
// As k3d (pkg/config/transform.go), every value needs a node filter: a k3d cluster always has
// more than one node, counting its load balancer.
import { ADDON_NAMES } from '../addons/manifests/index.ts'
import { checkDisable } from './flags.ts'
import { filterNodes, splitNodeFilters, type NodeSelection, type NodeShape } from './node-filter.ts'
import { addNodeLabel, parseNodeLabel, type NodeLabels } from './node-labels.ts'
import { CliError } from './output.ts'

export const SUPPORTED_K3S_ARGS = `--disable=NAME[,NAME...] (${ADDON_NAMES.join(', ')}) and --node-label=KEY[=VALUE]`

export interface K3sArgEffects { disable: string[], nodeLabels: NodeLabels }

/** The Kubernetes nodes a selection names (the load balancer is not one). */
function selectedNodes (cluster: string, s: NodeSelection): string[] {
  return [...s.servers.map(i => `k3sim-${cluster}-server-${i}`), ...s.agents.map(i => `k3sim-${cluster}-agent-${i}`)]
}

function describe (s: NodeSelection): string {
  const parts = [...(s.agents.length > 0 ? ['agents'] : []), ...(s.loadbalancer ? ['the load balancer'] : [])]
  return parts.length === 0 ? 'no node' : parts.join(' and ')
}

/** `--disable=traefik`, `--disable traefik` → { name: '--disable', value: 'traefik' }. */
function splitArg (arg: string): { name: string, value?: string } {
  const m = /^(-{1,2}[A-Za-z0-9][-A-Za-z0-9]*)(?:[= ]\s*(.*))?$/s.exec(arg.trim())
  return m === null ? { name: arg } : { name: m[1].replace(/^-(?!-)/, '--'), value: m[2] }
}

export function translateK3sArgs (options: { cluster: string, shape: NodeShape, k3sArgs: string[], nodeLabels: string[] }): K3sArgEffects {
  const out: K3sArgEffects = { disable: [], nodeLabels: {} }
  for (const text of options.k3sArgs) {
    const flag = `--k3s-arg "${text}"`
    const { value: arg, filters } = splitNodeFilters(text, '--k3s-arg')
    if (filters.length === 0) throw new CliError(`K3sExtraArg '${arg}' lacks a node filter, but there's more than one node; add one, e.g. --k3s-arg '${arg}@server:*'`)
    const selection = filterNodes(filters, options.shape, flag)
    const { name, value } = splitArg(arg)
    if (name === '--disable' || name === '--node-label') {
      if (value === undefined || value === '') throw new CliError(`${flag}: ${name} needs a value, e.g. ${name === '--disable' ? '--disable=traefik' : '--node-label=role=worker'}`)
    }
    if (name === '--disable') {
      if (selection.agents.length > 0 || selection.loadbalancer || selection.servers.length === 0) {
        throw new CliError(`${flag}: --disable is a k3s server flag (k3s agents refuse it), but "${filters.join(';')}" selects ${describe(selection)}; select servers only, e.g. @server:*`)
      }
      out.disable.push(...checkDisable(value!.split(',').map(s => s.trim()).filter(s => s !== ''), flag))
    } else if (name === '--node-label') {
      const nodes = selectedNodes(options.cluster, selection)
      if (nodes.length === 0) throw new CliError(`${flag}: "${filters.join(';')}" selects no Kubernetes node (the load balancer is not one); select servers or agents, e.g. @agent:*`)
      const label = parseNodeLabel(value!, flag, { valueOptional: true })
      for (const node of nodes) addNodeLabel(out.nodeLabels, node, label)
    } else {
      throw new CliError(`${flag}: k3sim cannot honour the k3s arg ${name}: it runs no k3s binary to pass it to, and takes only ${SUPPORTED_K3S_ARGS}; see \`k3sim cluster create --help\` for what k3sim's own flags set (ports, node sizes, manifests)`)
    }
  }
  for (const text of options.nodeLabels) {
    const { value, filters } = splitNodeFilters(text, '--k3s-node-label')
    if (filters.length === 0) throw new CliError(`k3s node label mapping '${value}' lacks a node filter, but there's more than one node; add one, e.g. --k3s-node-label '${value}@agent:*'`)
    const flag = `--k3s-node-label "${text}"`
    const selection = filterNodes(filters, options.shape, flag)
    const nodes = selectedNodes(options.cluster, selection)
    if (nodes.length === 0) throw new CliError(`${flag}: "${filters.join(';')}" selects no Kubernetes node (the load balancer is not one); select servers or agents, e.g. @agent:*`)
    const label = parseNodeLabel(value, flag, { valueOptional: true })
    for (const node of nodes) addNodeLabel(out.nodeLabels, node, label)
  }
  out.disable = [...new Set(out.disable)]
  return out
}
