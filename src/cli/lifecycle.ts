// Starting and stopping a cluster's process, shared by create, start, stop and delete: start
// the server, wait for its nodes to be Ready (as `kubectl get nodes` shows them), and keep the
// node list in the record so `cluster list` can count the nodes of a stopped cluster.
import { setTimeout as sleep } from 'node:timers/promises'
import { listNodes, notReadyNodes, type NodeInfo } from './admin-client.ts'
import { writeRecord, type ClusterRecord } from './home.ts'
import { CliError, log } from './output.ts'
import { runningPid, startServer, stopServer } from './process.ts'

export function defaultNodeNames (record: ClusterRecord): Array<{ name: string, role: 'server' | 'agent' }> {
  return [
    ...Array.from({ length: record.servers }, (_, i) => ({ name: `k3sim-${record.name}-server-${i}`, role: 'server' as const })),
    ...Array.from({ length: record.agents }, (_, i) => ({ name: `k3sim-${record.name}-agent-${i}`, role: 'agent' as const })),
  ]
}

/** The nodes as last known: live from the running process, else as recorded. */
export async function clusterNodes (record: ClusterRecord): Promise<NodeInfo[]> {
  if (runningPid(record.name) !== undefined) {
    try { return await listNodes(record.name) } catch {}
  }
  return (record.nodes ?? defaultNodeNames(record)).map(n => ({ ...n, running: false }))
}

/** Poll until the nodes (`only` these, or all) are Ready; past `deadline` (0: none) it is an error. */
export async function waitReady (cluster: string, options: { only?: string[], deadline: number }): Promise<void> {
  for (;;) {
    const waiting = (await notReadyNodes(cluster)).filter(n => options.only === undefined || options.only.includes(n))
    if (waiting.length === 0) return
    if (options.deadline > 0 && Date.now() > options.deadline) throw new CliError(`nodes ${waiting.join(', ')} of cluster "${cluster}" were not Ready within the --timeout`)
    await sleep(20)
  }
}

/**
 * Start the process and wait (unless told not to) until every node is Ready. `registered` runs
 * once the process serves with its nodes registered, before the wait (node labels go on there,
 * as k3s sets them at registration).
 */
export async function bringUp (record: ClusterRecord, options: { wait: boolean, timeoutMs: number, registered?: () => Promise<void> }): Promise<void> {
  const t0 = Date.now()
  log.info('Starting servers...')
  for (const n of record.nodes ?? defaultNodeNames(record)) log.info(`Starting node '${n.name}'`)
  await startServer(record, { timeoutMs: options.timeoutMs })
  await options.registered?.()
  if (options.wait) await waitReady(record.name, { deadline: options.timeoutMs > 0 ? t0 + options.timeoutMs : 0 })
  record.nodes = (await listNodes(record.name)).map(n => ({ name: n.name, role: n.role }))
  writeRecord(record)
  log.info(`${record.nodes.length} node(s) Ready in ${Date.now() - t0} ms`)
}

/** Remember the nodes, then stop the process. Resolves false if it was not running. */
export async function bringDown (record: ClusterRecord): Promise<boolean> {
  if (runningPid(record.name) === undefined) { await stopServer(record.name); return false }
  try {
    record.nodes = (await listNodes(record.name)).map(n => ({ name: n.name, role: n.role }))
    writeRecord(record)
  } catch {} // answering nothing: stop it anyway, the record keeps the last list
  return stopServer(record.name)
}
