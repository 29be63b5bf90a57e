// `k3sim cluster start|stop [NAME...] | --all`: stop keeps everything (SQLite file, PKI, node
// list); start brings the same cluster back on the same ports, with its objects,
// resourceVersions and nodes, even after the process was killed (-9): SQLite's WAL has every
// acknowledged write.
import { Command } from 'commander'
import { bool, durationMs } from './flags.ts'
import { readRecord, selectClusters } from './home.ts'
import { bringDown, bringUp } from './lifecycle.ts'
import { withLocks } from './lock.ts'
import { action, CliError, log } from './output.ts'
import { probePort } from './ports.ts'
import { runningPid } from './process.ts'

async function start (name: string, o: { wait: boolean, timeout: string }): Promise<void> {
  const record = readRecord(name)
  if (runningPid(name) !== undefined) { log.info(`Cluster '${name}' is already running`); return }
  for (const [port, host, what] of [[record.apiPort, record.apiHost, 'its API'], [record.etcdPort, '127.0.0.1', 'its etcd API']] as const) {
    const code = await probePort(host, port)
    if (code !== undefined) throw new CliError(`cannot start cluster "${name}": port ${port} on ${host}, where ${what} listens, is already in use (bind: address already in use); stop what uses it and run \`k3sim cluster start ${name}\` again`)
  }
  log.info(`Starting cluster '${name}'`)
  await bringUp(record, { wait: o.wait, timeoutMs: durationMs(o.timeout, '--timeout') })
  log.info(`Started cluster '${name}'`)
}

export function clusterStartCommand (): Command {
  return new Command('start')
    .description('start stopped clusters with the state they had')
    .argument('[NAME...]', 'clusters to start (default: k3s-default)')
    .option('-a, --all', 'start every cluster')
    .option('--wait [bool]', 'wait until all nodes are Ready', bool, true)
    .option('--no-wait', 'return once the cluster process serves')
    .option('--timeout <duration>', 'give up after this long, e.g. 60s; 0 = no limit', '0')
    .addHelpText('after', '\nExamples:\n  $ k3sim cluster start dev\n  $ k3sim cluster start --all')
    .action(action(async (names: string[], o: { all?: boolean, wait: boolean, timeout: string }) => {
      const selected = selectClusters(names, o.all, { defaultName: true })
      for (const name of selected) await withLocks([name], () => start(name, o))
    }))
}

export function clusterStopCommand (): Command {
  return new Command('stop')
    .description('stop clusters, keeping their state for `cluster start`')
    .argument('[NAME...]', 'clusters to stop (default: k3s-default)')
    .option('-a, --all', 'stop every cluster')
    .addHelpText('after', '\nExamples:\n  $ k3sim cluster stop dev\n  $ k3sim cluster stop --all')
    .action(action(async (names: string[], o: { all?: boolean }) => {
      for (const name of selectClusters(names, o.all, { defaultName: true })) {
        await withLocks([name], async () => {
          log.info(`Stopping cluster '${name}'`)
          await bringDown(readRecord(name))
          log.info(`Stopped cluster '${name}'`)
        })
      }
    }))
}
