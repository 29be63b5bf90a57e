// `k3sim cluster delete [NAME...] | --all`: the process, the state dir and every kubeconfig
// entry of the cluster (default kubeconfig files and $K3SIM_HOME/kubeconfig-NAME.yaml) go.
import { Command } from 'commander'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { clusterDir, clusterExists, k3simHome, readRecord, selectClusters } from './home.ts'
import { defaultKubeconfigPaths, removeFromKubeconfigs } from './kubeconfig-file.ts'
import { bringDown } from './lifecycle.ts'
import { withLocks } from './lock.ts'
import { action, log } from './output.ts'

export function clusterDeleteCommand (): Command {
  return new Command('delete')
    .aliases(['del', 'rm'])
    .description('delete clusters: process, state and kubeconfig entries')
    .argument('[NAME...]', 'clusters to delete (default: k3s-default)')
    .option('-a, --all', 'delete every cluster')
    .addHelpText('after', '\nExamples:\n  $ k3sim cluster delete dev\n  $ k3sim cluster delete --all')
    .action(action(async (names: string[], o: { all?: boolean }) => {
      const selected = selectClusters(names, o.all, { defaultName: true })
      if (selected.length === 0) { log.info('No clusters found'); return }
      for (const name of selected) {
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
