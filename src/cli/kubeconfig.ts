// `k3sim kubeconfig get|merge`: a cluster's admin kubeconfig (contexts `k3sim-<name>`, users
// `admin@k3sim-<name>`) printed, or merged into a file without disturbing other entries. merge
// (alias write) is k3d's cmd/kubeconfig/kubeconfigMerge.go: by default each cluster gets its own
// file, $K3SIM_HOME/kubeconfig-NAME.yaml (k3d: ~/.config/k3d/kubeconfig-NAME.yaml); -d merges
// into the default kubeconfig ($KUBECONFIG's first file or ~/.kube/config), -o into FILE, and
// `-o -` prints the kubeconfig instead. The files written are printed, joined by ':'.
import { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { bool } from './flags.ts'
import { clusterFile, DEFAULT_CLUSTER, k3simHome, selectClusters } from './home.ts'
import { defaultKubeconfigPaths, mergeKubeconfig, overwriteKubeconfig } from './kubeconfig-file.ts'
import { action, CliError, log } from './output.ts'

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

interface MergeFlags { all?: boolean, output?: string, kubeconfigMergeDefault?: boolean, kubeconfigSwitchContext: boolean, update: boolean, overwrite: boolean }

function merge (names: string[], o: MergeFlags): void {
  if (o.kubeconfigMergeDefault === true && o.output !== undefined) throw new CliError('Cannot use both \'--output\' and \'--kubeconfig-merge-default\' at the same time; give one of them')
  const clusters = o.all === true ? selectClusters(names, true) : selectClusters(names.length === 0 ? [DEFAULT_CLUSTER] : names, false)
  const outputs: string[] = []
  let failed = false
  for (const [i, name] of clusters.entries()) {
    const output = o.output ?? (o.kubeconfigMergeDefault === true ? defaultKubeconfigPaths()[0] : join(k3simHome(), `kubeconfig-${name}.yaml`))
    try {
      // Several to stdout are YAML documents one after the other, as `kubeconfig get` prints them.
      if (output === '-') process.stdout.write((i > 0 ? '---\n' : '') + clusterKubeconfig(name))
      else if (o.overwrite) overwriteKubeconfig(output, clusterKubeconfig(name))
      else mergeKubeconfig(output, clusterKubeconfig(name), { switchContext: o.kubeconfigSwitchContext, update: o.update })
      if (!outputs.includes(output)) outputs.push(output)
    } catch (err) {
      // As k3d: the other clusters are still written, and the command exits 1.
      if (!(err instanceof CliError)) throw err
      log.error(err.message)
      failed = true
    }
  }
  if (o.output !== '-') console.log(outputs.join(':'))
  if (failed) process.exitCode = 1
}

export function kubeconfigCommand (): Command {
  const get = new Command('get')
    .aliases(['print', 'show'])
    .description('print the admin kubeconfig of clusters')
    .argument('[NAME...]', 'clusters')
    .option('-a, --all', 'every cluster')
    .addHelpText('after', '\nExamples:\n  $ k3sim kubeconfig get dev > dev.yaml\n  $ k3sim kubeconfig get --all')
    .action(action((names: string[], o: { all?: boolean }) => { process.stdout.write(combined(selected(names, o.all))) }))
  const mergeCommand = new Command('merge')
    .aliases(['write'])
    .description('write/merge clusters\' kubeconfigs into $K3SIM_HOME/kubeconfig-NAME.yaml (default), the default kubeconfig (-d) or a file (-o), and print the files')
    .argument('[NAME...]', `clusters (default: ${DEFAULT_CLUSTER})`)
    .option('-a, --all', 'every cluster')
    .option('-d, --kubeconfig-merge-default', 'merge into the default kubeconfig ($KUBECONFIG\'s first file or ~/.kube/config)')
    .option('-o, --output <file>', 'merge into FILE; - prints the kubeconfig instead')
    .option('-s, --kubeconfig-switch-context [bool]', 'make the (last) merged context current', bool, true)
    .option('--no-kubeconfig-switch-context', 'keep the current context')
    .option('-u, --update [bool]', 'replace entries of the same name in the target (false: refuse to)', bool, true)
    .option('--no-update', 'refuse to replace entries of the same name')
    .option('--overwrite [bool]', '[careful] replace the target file, ignoring what it holds', bool, false)
    .addHelpText('after', '\nExamples:\n  $ k3sim kubeconfig merge dev -d                        # into ~/.kube/config\n  $ export KUBECONFIG=$(k3sim kubeconfig write dev)      # $K3SIM_HOME/kubeconfig-dev.yaml\n  $ k3sim kubeconfig merge --all -o all.yaml --kubeconfig-switch-context=false\n  $ k3sim kubeconfig merge dev -o -                      # print it, write nothing')
    .action(action(merge))
  return new Command('kubeconfig').description('print, write or merge clusters\' kubeconfigs')
    .addHelpText('after', '\nExamples:\n  $ k3sim kubeconfig merge dev -d\n  $ k3sim kubeconfig get dev').addCommand(get).addCommand(mergeCommand)
}
