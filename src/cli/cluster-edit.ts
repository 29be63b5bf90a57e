// `k3sim cluster edit NAME --port-add MAPPING`: add port mappings to a cluster's record (k3d
// re-creates its load balancer; k3sim records them until the Docker runtime forwards them).
import { Command } from 'commander'
import { collect } from './flags.ts'
import { readRecord, writeRecord } from './home.ts'
import { withLocks } from './lock.ts'
import { action, CliError, log } from './output.ts'
import { checkPortClash, formatPortMapping, parsePortMapping } from './ports.ts'

export function clusterEditCommand (): Command {
  return new Command('edit')
    .alias('update')
    .description('change an existing cluster (add port mappings)')
    .argument('<NAME>', 'cluster to edit')
    .option('--port-add <mapping>', 'add a port mapping [HOST:][HOSTPORT:]CONTAINERPORT[/PROTOCOL][@NODEFILTER]; repeatable', collect, [])
    .addHelpText('after', '\nExamples:\n  $ k3sim cluster edit dev --port-add 8082:80@loadbalancer')
    .action(action(async (name: string, o: { portAdd: string[] }) => {
      if (o.portAdd.length === 0) throw new CliError('nothing to change: give --port-add MAPPING, e.g. --port-add 8082:80@loadbalancer')
      await withLocks([name], async () => {
        const record = readRecord(name)
        const shape = { servers: record.nodes?.filter(n => n.role === 'server').length ?? record.servers, agents: record.nodes?.filter(n => n.role === 'agent').length ?? record.agents }
        const added = o.portAdd.map(p => parsePortMapping(p, shape))
        record.ports = checkPortClash([...record.ports, ...added])
        writeRecord(record)
        for (const p of added) log.info(`Added port mapping ${formatPortMapping(p)} to cluster '${name}'`)
        log.info(`Successfully updated ${name}`)
      })
    }))
}
