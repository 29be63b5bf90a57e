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

/** Start the process and wait (unless told not to) until every node is Ready. */
export async function bringUp (record: ClusterRecord, options: { wait: boolean, timeoutMs: number }): Promise<void> {
  const t0 = Date.now()
  log.info('Starting servers...')
  for (const n of record.nodes ?? defaultNodeNames(record)) log.info(`Starting node '${n.name}'`)
  await startServer(record, { timeoutMs: options.timeoutMs })
  if (options.wait) {
    for (;;) {
      const waiting = await notReadyNodes(record.name)
      if (waiting.length === 0) break
      if (options.timeoutMs > 0 && Date.now() - t0 > options.timeoutMs) throw new CliError(`nodes ${waiting.join(', ')} of cluster "${record.name}" were not Ready within the --timeout`)
      await sleep(20)
    }
  }
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
