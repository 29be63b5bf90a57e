// `k3sim cluster list [NAME...]`: k3d's table (NAME SERVERS AGENTS LOADBALANCER, running/total)
// or `-o json|yaml` with k3d's count fields. A cluster whose process died counts 0 running.
import { Command, Option } from 'commander'
import { stringify } from 'yaml'
import { clusterNames, readRecord } from './home.ts'
import { clusterNodes } from './lifecycle.ts'
import { action, table } from './output.ts'
import { formatPortMapping } from './ports.ts'
import { runningPid } from './process.ts'

export async function clusterSummaries (names: string[]): Promise<Array<Record<string, unknown>>> {
  return Promise.all(names.map(async name => {
    const record = readRecord(name)
    const nodes = await clusterNodes(record)
    const count = (role: string, running?: boolean): number => nodes.filter(n => n.role === role && (running === undefined || n.running === running)).length
    return {
      name,
      nodes,
      running: runningPid(name) !== undefined,
      kubeAPI: { hostIP: record.apiHost, port: record.apiPort },
      etcd: { hostIP: '127.0.0.1', port: record.etcdPort },
      ports: record.ports.map(formatPortMapping),
      runtime: record.runtime,
      disable: record.disable,
      ...(record.manifests === undefined ? {} : { manifests: record.manifests }),
      created: record.created,
      serversRunning: count('server', true),
      serversCount: count('server'),
      agentsRunning: count('agent', true),
      agentsCount: count('agent'),
      hasLoadbalancer: true,
    }
  }))
}

export function clusterListCommand (): Command {
  return new Command('list')
    .aliases(['ls', 'get'])
    .description('list clusters: running/total servers and agents')
    .argument('[NAME...]', 'only these clusters')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json', 'yaml']))
    .option('--no-headers', 'omit the header line')
    .addHelpText('after', '\nExamples:\n  $ k3sim cluster list\n  $ k3sim cluster list dev -o json')
    .action(action(async (names: string[], o: { output?: 'json' | 'yaml', headers: boolean }) => {
      for (const n of names) readRecord(n)
      const summaries = await clusterSummaries(names.length > 0 ? names : clusterNames())
      if (o.output === 'json') { console.log(JSON.stringify(summaries, null, 2)); return }
      if (o.output === 'yaml') { process.stdout.write(stringify(summaries)); return }
      process.stdout.write(table(['NAME', 'SERVERS', 'AGENTS', 'LOADBALANCER'], summaries.map(s =>
        [String(s.name), `${s.serversRunning}/${s.serversCount}`, `${s.agentsRunning}/${s.agentsCount}`, String(s.hasLoadbalancer)]), { headers: o.headers }))
    }))
}
