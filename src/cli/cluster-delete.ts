// `k3sim cluster delete [NAME...] | --all`: the process, the state dir and every kubeconfig
// entry of the cluster (default kubeconfig files and $K3SIM_HOME/kubeconfig-NAME.yaml) go.
// A cluster that does not exist is skipped with k3d's log line, not refused: deleting is done
// when nothing is left (k3d cmd/cluster/clusterDelete.go: `No nodes found for cluster 'x',
// nothing to delete.`, then `No clusters found` when none is left to delete; exit 0).
import { Command } from 'commander'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { clusterDir, clusterExists, clusterNames, DEFAULT_CLUSTER, k3simHome, readRecord } from './home.ts'
import { defaultKubeconfigPaths, removeFromKubeconfigs } from './kubeconfig-file.ts'
import { bringDown } from './lifecycle.ts'
import { withLocks } from './lock.ts'
import { action, CliError, log } from './output.ts'

/** k3d's parseDeleteClusterCmd: --all, else the names (default k3s-default), missing ones skipped. */
function selected (names: string[], all: boolean | undefined): string[] {
  if (all === true) {
    if (names.length > 0) throw new CliError('give cluster names or --all, not both')
    log.info('Deleting all clusters...')
    return clusterNames()
  }
  return (names.length === 0 ? [DEFAULT_CLUSTER] : names).filter(name => {
    if (clusterExists(name)) return true
    log.info(`No nodes found for cluster '${name}', nothing to delete.`)
    return false
  })
}

export function clusterDeleteCommand (): Command {
  return new Command('delete')
    .aliases(['del', 'rm'])
    .description('delete clusters: process, state and kubeconfig entries (clusters that do not exist are skipped)')
    .argument('[NAME...]', 'clusters to delete (default: k3s-default)')
    .option('-a, --all', 'delete every cluster')
    .addHelpText('after', '\nExamples:\n  $ k3sim cluster delete dev\n  $ k3sim cluster delete --all')
    .action(action(async (names: string[], o: { all?: boolean }) => {
      const clusters = selected(names, o.all)
      if (clusters.length === 0) { log.info('No clusters found'); return }
      for (const name of clusters) {
        await withLocks([name], async () => {
          if (!clusterExists(name)) return // deleted by a racing command meanwhile
          log.info(`Deleting cluster '${name}'`)
          await bringDown(readRecord(name))
          log.info('Removing cluster details from default kubeconfig...')
          removeFromKubeconfigs(name, defaultKubeconfigPaths())
          log.info('Removing standalone kubeconfig file (if there is one)...')
          rmSync(join(k3simHome(), `kubeconfig-${name}.yaml`), { force: true })
          rmSync(clusterDir(name), { recursive: true, force: true })
          log.info(`Successfully deleted cluster ${name}!`)
        })
      }
    }))
}
