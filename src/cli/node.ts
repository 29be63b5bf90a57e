// `k3sim node create|list|stop|start|delete`: nodes of running clusters, through the cluster
// process's admin endpoint (/k3sim/v1alpha1/nodes, admin client certificate). Nodes added here
// are Node objects in the cluster's store, so they come back with `cluster start`.
import { Command, Option } from 'commander'
import { adminCall, listNodes } from './admin-client.ts'
import { bool, checkQuantity, count, durationMs, list } from './flags.ts'
import { checkClusterName, clusterNames, DEFAULT_CLUSTER, readRecord, writeRecord } from './home.ts'
import { clusterNodes, waitReady } from './lifecycle.ts'
import { checkImage } from './k3d-only-flags.ts'
import { withLocks } from './lock.ts'
import { applyNodeLabels, parseNodeLabel, type NodeLabels } from './node-labels.ts'
import { action, CliError, log, table } from './output.ts'
import { runningPid } from './process.ts'

const NODES = '/k3sim/v1alpha1/nodes'

function requireRunning (cluster: string): void {
  readRecord(cluster)
  if (runningPid(cluster) === undefined) throw new CliError(`cluster "${cluster}" is not running; start it with \`k3sim cluster start ${cluster}\``)
}

/** Keep the record's node list in step (for `cluster list` once stopped). */
async function recordNodes (cluster: string): Promise<void> {
  const record = readRecord(cluster)
  record.nodes = (await listNodes(cluster)).map(n => ({ name: n.name, role: n.role }))
  writeRecord(record)
}

/** Which cluster a node belongs to: -c, else the one whose nodes include it. */
async function clusterOf (node: string, cluster: string | undefined): Promise<string> {
  if (cluster !== undefined) return cluster
  for (const c of clusterNames()) {
    if ((await clusterNodes(readRecord(c))).some(n => n.name === node)) return c
  }
  throw new CliError(`no node "${node}" in any cluster; see \`k3sim node list\``)
}

interface CreateFlags { cluster: string, role: 'agent' | 'server', replicas: number, cpu?: string, memory?: string, k3sNodeLabel: string[], wait: boolean, timeout: string, image?: string }

/** k3d's nodeCreate.go: the nodes join, get their labels, and (--wait, the default) are Ready. */
async function create (name: string, o: CreateFlags): Promise<void> {
  checkClusterName(name, 'node name')
  if (o.cpu !== undefined) checkQuantity(o.cpu, '--cpu')
  if (o.memory !== undefined) checkQuantity(o.memory, '--memory')
  if (o.replicas < 1) throw new CliError('--replicas must be at least 1')
  const labels = o.k3sNodeLabel.map(l => parseNodeLabel(l, '--k3s-node-label', { valueOptional: false }))
  const deadline = durationMs(o.timeout, '--timeout')
  checkImage(o.image)
  await withLocks([o.cluster], async () => {
    requireRunning(o.cluster)
    log.info(`Adding ${o.replicas} node(s) to the runtime local cluster '${o.cluster}'...`)
    const nodes = Array.from({ length: o.replicas }, (_, i) => `k3sim-${name}-${i}`)
    const t0 = Date.now()
    try {
      for (const node of nodes) {
        log.info(`Starting node '${node}'`)
        await adminCall(o.cluster, 'POST', NODES, { name: node, role: o.role, cpu: o.cpu, memory: o.memory })
      }
      if (labels.length > 0) await applyNodeLabels(o.cluster, Object.fromEntries(nodes.map(n => [n, Object.fromEntries(labels)])) as NodeLabels)
      if (o.wait) await waitReady(o.cluster, { only: nodes, deadline: deadline > 0 ? t0 + deadline : 0 })
    } finally {
      await recordNodes(o.cluster)
    }
    log.info(`Successfully created ${o.replicas} node(s)!`)
  })
}

function createCommand (): Command {
  return new Command('create')
    .description('add nodes to a running cluster (named k3sim-NAME-0, k3sim-NAME-1, ...)')
    .argument('<NAME>', 'node name stem')
    .option('-c, --cluster <name>', 'cluster to add to', DEFAULT_CLUSTER)
    .addOption(new Option('--role <role>', 'node role').choices(['agent', 'server']).default('agent'))
    .option('--replicas <n>', 'how many nodes', count, 1)
    .option('--cpu <quantity>', 'CPU of each node, e.g. 2 (default: the cluster\'s --node-cpu, else this host\'s)')
    .option('--memory <quantity>', 'memory of each node, e.g. 4Gi (default: the cluster\'s --node-memory, else this host\'s)')
    .option('-i, --image <image>', 'a k3s image, as k3d takes it (rancher/k3s:TAG): noted, not used (k3sim emulates its own k3s)')
    .option('--k3s-node-label <KEY=VALUE>', 'labels of the new nodes, comma-separated or repeated', list, [])
    .option('--wait [bool]', 'wait until the nodes are Ready', bool, true)
    .option('--no-wait', 'return once the nodes have joined')
    .option('--timeout <duration>', 'give up waiting after this long, e.g. 60s; 0 = no limit', '0')
    .addHelpText('after', '\nExamples:\n  $ k3sim node create extra -c dev\n  $ k3sim node create big -c dev --replicas 2 --cpu 8 --memory 32Gi\n  $ k3sim node create gpu -c dev --k3s-node-label role=gpu,tier=batch')
    .action(action(create))
}

function listCommand (): Command {
  return new Command('list')
    .aliases(['ls', 'get'])
    .description('list the nodes of every cluster (NAME ROLE CLUSTER STATUS)')
    .argument('[NAME...]', 'only these nodes')
    .option('--no-headers', 'omit the header line')
    .addHelpText('after', '\nExamples:\n  $ k3sim node list\n  $ k3sim node list k3sim-dev-agent-0 --no-headers')
    .action(action(async (names: string[], o: { headers: boolean }) => {
      const rows: string[][] = []
      for (const c of clusterNames()) {
        for (const n of await clusterNodes(readRecord(c))) {
          if (names.length === 0 || names.includes(n.name)) rows.push([n.name, n.role, c, n.running ? 'running' : 'exited'])
        }
      }
      const missing = names.filter(n => !rows.some(r => r[0] === n))
      if (missing.length > 0) throw new CliError(`no node ${missing.map(n => `"${n}"`).join(', ')} in any cluster; see \`k3sim node list\``)
      process.stdout.write(table(['NAME', 'ROLE', 'CLUSTER', 'STATUS'], rows, { headers: o.headers }))
    }))
}

/** stop / start / delete: one admin call per node, with k3d's log line. */
function nodeVerb (verb: 'stop' | 'start' | 'delete', description: string, done: string): Command {
  return new Command(verb)
    .description(description)
    .argument('<NAME...>', 'node names, e.g. k3sim-dev-agent-0')
    .option('-c, --cluster <name>', 'cluster of the nodes (default: found by name)')
    .addHelpText('after', `\nExamples:\n  $ k3sim node ${verb} k3sim-dev-agent-0`)
    .action(action(async (names: string[], o: { cluster?: string }) => {
      for (const node of names) {
        const cluster = await clusterOf(node, o.cluster)
        await withLocks([cluster], async () => {
          requireRunning(cluster)
          await adminCall(cluster, verb === 'delete' ? 'DELETE' : 'POST', verb === 'delete' ? `${NODES}/${node}` : `${NODES}/${node}/${verb}`)
          if (verb === 'delete') await recordNodes(cluster)
          log.info(`${done} ${node}`)
        })
      }
    }))
}

export function nodeCommand (): Command {
  return new Command('node')
    .description('manage the nodes of clusters')
    .addHelpText('after', '\nExamples:\n  $ k3sim node create extra -c dev\n  $ k3sim node list')
    .addCommand(createCommand())
    .addCommand(listCommand())
    .addCommand(nodeVerb('stop', 'stop nodes: the kubelet stops (NotReady after the grace period); the Node object stays', 'Stopped'))
    .addCommand(nodeVerb('start', 'start stopped nodes: the kubelet comes back on the same node', 'Started'))
    .addCommand(nodeVerb('delete', 'delete nodes: the kubelet stops and the Node object is deleted', 'Deleted'))
}
