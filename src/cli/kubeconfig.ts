// `k3sim kubeconfig get|write|merge`: a cluster's admin kubeconfig (contexts `k3sim-<name>`,
// users `admin@k3sim-<name>`) printed, written to $K3SIM_HOME/kubeconfig-NAME.yaml, or merged
// into $KUBECONFIG / ~/.kube/config without disturbing other entries.
import { Command } from 'commander'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { bool } from './flags.ts'
import { clusterFile, k3simHome, selectClusters } from './home.ts'
import { defaultKubeconfigPaths, mergeKubeconfig } from './kubeconfig-file.ts'
import { action, CliError } from './output.ts'

const clusterKubeconfig = (name: string): string => readFileSync(clusterFile(name, 'kubeconfig.yaml'), 'utf8')

function selected (names: string[], all: boolean | undefined): string[] {
  if (all !== true && names.length === 0) throw new CliError('name a cluster (see `k3sim cluster list`) or use --all')
  return selectClusters(names, all)
}

/** Several clusters' kubeconfigs as one document (the first one's context current). */
function combined (names: string[]): string {
  if (names.length === 1) return clusterKubeconfig(names[0])
  const docs = names.map(n => parse(clusterKubeconfig(n)) as Record<string, any[]>)
  return stringify({ apiVersion: 'v1', kind: 'Config', clusters: docs.flatMap(d => d.clusters), contexts: docs.flatMap(d => d.contexts), 'current-context': docs[0]?.['current-context'] ?? '', preferences: {}, users: docs.flatMap(d => d.users) }, { lineWidth: 0 })
}

export function kubeconfigCommand (): Command {
  const get = new Command('get')
    .aliases(['print', 'show'])
    .description('print the admin kubeconfig of clusters')
    .argument('[NAME...]', 'clusters')
    .option('-a, --all', 'every cluster')
    .addHelpText('after', '\nExamples:\n  $ k3sim kubeconfig get dev > dev.yaml\n  $ k3sim kubeconfig get --all')
    .action(action((names: string[], o: { all?: boolean }) => { process.stdout.write(combined(selected(names, o.all))) }))
  const write = new Command('write')
    .description('write a cluster\'s kubeconfig to $K3SIM_HOME/kubeconfig-NAME.yaml and print the path')
    .argument('<NAME>', 'cluster')
    .addHelpText('after', '\nExamples:\n  $ k3sim kubeconfig write dev\n  $ export KUBECONFIG=$(k3sim kubeconfig write dev)')
    .action(action((name: string) => {
      selectClusters([name], false)
      const file = join(k3simHome(), `kubeconfig-${name}.yaml`)
      writeFileSync(file, clusterKubeconfig(name), { mode: 0o600 })
      console.log(file)
    }))
  const merge = new Command('merge')
    .description('merge clusters\' kubeconfigs into $KUBECONFIG or ~/.kube/config (other entries stay) and print the file')
    .argument('[NAME...]', 'clusters')
    .option('-a, --all', 'every cluster')
    .option('-d, --kubeconfig-merge-default', 'merge into the default kubeconfig (the default)')
    .option('-o, --output <file>', 'merge into this file instead')
    .option('-s, --kubeconfig-switch-context [bool]', 'make the (last) merged context current', bool, true)
    .option('--no-kubeconfig-switch-context', 'keep the current context')
    .addHelpText('after', '\nExamples:\n  $ k3sim kubeconfig merge dev\n  $ k3sim kubeconfig merge --all --kubeconfig-switch-context=false')
    .action(action((names: string[], o: { all?: boolean, output?: string, kubeconfigSwitchContext: boolean }) => {
      const file = o.output ?? defaultKubeconfigPaths()[0]
      for (const name of selected(names, o.all)) mergeKubeconfig(file, clusterKubeconfig(name), { switchContext: o.kubeconfigSwitchContext })
      console.log(file)
    }))
  return new Command('kubeconfig').description('print, write or merge clusters\' kubeconfigs')
    .addHelpText('after', '\nExamples:\n  $ k3sim kubeconfig merge dev\n  $ k3sim kubeconfig get dev').addCommand(get).addCommand(write).addCommand(merge)
}
