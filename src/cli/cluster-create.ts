// `k3sim cluster create [NAME]`: k3d's flags (and a --config file, flags winning), a state dir,
// the cluster's detached `k3sim server`, its nodes Ready, the default kubeconfig updated, and
// k3d's output. A failed create is rolled back: nothing of it is left.
import { Command } from 'commander'
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { K3S_VERSION } from '../api/version.ts'
import { loadConfig, type SimpleConfig } from './config-file.ts'
import { bool, checkDisable, checkQuantity, checkRuntime, collect, count, durationMs, list } from './flags.ts'
import { checkClusterName, clusterDir, clusterExists, clusterFile, clusterNames, DEFAULT_CLUSTER, readRecord, writeRecord, type ClusterRecord } from './home.ts'
import { addRefusedOptions, checkImage, CLUSTER_CREATE_REFUSALS, refuseGiven } from './k3d-only-flags.ts'
import { SUPPORTED_K3S_ARGS, translateK3sArgs } from './k3s-args.ts'
import { mergeKubeconfig, defaultKubeconfigPaths, contextName } from './kubeconfig-file.ts'
import { bringUp, defaultNodeNames } from './lifecycle.ts'
import { withLocks } from './lock.ts'
import { applyNodeLabels } from './node-labels.ts'
import { action, CliError, log } from './output.ts'
import { stopServer } from './process.ts'
import { checkPortClash, freePort, parseApiPort, parsePortMapping, portInUse, probePort } from './ports.ts'

interface CreateFlags {
  servers: number
  agents: number
  apiPort?: string
  port: string[]
  runtime: string
  nodeCpu?: string
  nodeMemory?: string
  disable: string[]
  k3sArg: string[]
  k3sNodeLabel: string[]
  config?: string
  manifests?: string
  wait: boolean
  timeout: string
  kubeconfigUpdateDefault: boolean
  kubeconfigSwitchContext: boolean
  image?: string
}

const EXAMPLES = `
Examples:
  $ k3sim cluster create                                  # k3s-default: 1 server
  $ k3sim cluster create dev --agents 2 -p 8081:80@loadbalancer
  $ k3sim cluster create big --node-cpu 4 --node-memory 8Gi --disable traefik,metrics-server
  $ k3sim cluster create k3d-style -a 2 --k3s-arg "--disable=traefik@server:0" --k3s-node-label "role=worker@agent:*"
  $ k3sim cluster create --config dev.yaml --agents 3     # flags override the file
  $ k3sim cluster create ci --api-port 6550 --kubeconfig-switch-context=false`

/** A flag given on the command line wins over the config file, which wins over the default. */
function pick<K extends keyof CreateFlags> (cmd: Command, flags: CreateFlags, key: K, fromConfig: CreateFlags[K] | undefined): CreateFlags[K] {
  return cmd.getOptionValueSource(key) === 'cli' || fromConfig === undefined ? flags[key] : fromConfig
}

async function create (nameArg: string | undefined, flags: CreateFlags, cmd: Command): Promise<void> {
  refuseGiven(cmd, CLUSTER_CREATE_REFUSALS)
  const config: SimpleConfig = flags.config === undefined ? {} : loadConfig(flags.config)
  const name = checkClusterName(nameArg ?? config.name ?? DEFAULT_CLUSTER)
  const servers = pick(cmd, flags, 'servers', config.servers)
  const agents = pick(cmd, flags, 'agents', config.agents)
  if (servers < 1) throw new CliError('--servers must be at least 1 (a cluster needs a server node)')
  const shape = { servers, agents }
  const portFlags = cmd.getOptionValueSource('port') === 'cli' ? flags.port : [...(config.ports ?? []), ...flags.port]
  const ports = checkPortClash(portFlags.map(p => parsePortMapping(p, shape)))
  const apiPortText = cmd.getOptionValueSource('apiPort') === 'cli' ? flags.apiPort : config.apiPort === undefined ? undefined : `${config.apiHost ?? '127.0.0.1'}:${config.apiPort}`
  const api = apiPortText === undefined ? undefined : parseApiPort(apiPortText)
  const nodeCpu = flags.nodeCpu ?? config.nodeCpu
  const nodeMemory = flags.nodeMemory ?? config.nodeMemory
  if (nodeCpu !== undefined) checkQuantity(nodeCpu, '--node-cpu')
  if (nodeMemory !== undefined) checkQuantity(nodeMemory, '--node-memory')
  // As k3d, --k3s-arg and --k3s-node-label add to the config file's options.k3s lists.
  const k3s = translateK3sArgs({ cluster: name, shape, k3sArgs: [...config.k3sArgs ?? [], ...flags.k3sArg], nodeLabels: [...config.k3sNodeLabels ?? [], ...flags.k3sNodeLabel] })
  const disable = [...new Set([...checkDisable(cmd.getOptionValueSource('disable') === 'cli' ? flags.disable : config.disable ?? []), ...k3s.disable])]
  const runtime = checkRuntime(pick(cmd, flags, 'runtime', config.runtime))
  const manifests = flags.manifests === undefined ? config.manifests : resolve(flags.manifests)
  if (manifests !== undefined && !(existsSync(manifests) && statSync(manifests).isDirectory())) throw new CliError(`manifests directory ${manifests} does not exist; create it or fix the path`)
  const wait = pick(cmd, flags, 'wait', config.wait)
  const timeoutMs = durationMs(pick(cmd, flags, 'timeout', config.timeout), '--timeout')
  const updateDefault = pick(cmd, flags, 'kubeconfigUpdateDefault', config.updateDefaultKubeconfig)
  const switchContext = updateDefault && pick(cmd, flags, 'kubeconfigSwitchContext', config.switchContext)
  checkImage(flags.image)

  await withLocks([name], async () => {
    if (clusterExists(name)) throw new CliError(`Failed to create cluster '${name}' because a cluster with that name already exists; choose another name, or delete it first with \`k3sim cluster delete ${name}\``)
    const taken = new Map(clusterNames().map(n => { const r = readRecord(n); return [[r.apiPort, n], [r.etcdPort, n]] as const }).flat())
    const apiHost = api?.host ?? '127.0.0.1'
    if (api !== undefined) {
      const owner = taken.get(api.port)
      if (owner !== undefined) throw new CliError(`port ${api.port} is kept by cluster "${owner}" (bind: address already in use); choose another with --api-port PORT, or leave --api-port out to get a free one`)
      const code = await probePort(apiHost, api.port)
      if (code !== undefined) throw portInUse(api.port, apiHost, '--api-port', code)
    }
    const avoid = new Set(taken.keys())
    const apiPort = api?.port ?? await freePort(apiHost, avoid)
    const record: ClusterRecord = {
      name, servers, agents, apiHost, apiPort, etcdPort: await freePort('127.0.0.1', avoid.add(apiPort)),
      ports, runtime, nodeCpu, nodeMemory, disable, manifests, created: new Date().toISOString(),
    }
    log.info(`Prep: State directory ${clusterDir(name)}`)
    writeRecord(record)
    for (const n of defaultNodeNames(record)) log.info(`Creating node '${n.name}'`)
    try {
      log.info(`Starting cluster '${name}'`)
      await bringUp(record, { wait, timeoutMs, registered: () => applyNodeLabels(name, k3s.nodeLabels) })
    } catch (err) {
      log.warn(`Failed to create cluster >>> Rolling Back: ${err instanceof Error ? err.message : String(err)}`)
      await stopServer(name)
      rmSync(clusterDir(name), { recursive: true, force: true })
      if (err instanceof CliError && /EADDRINUSE/.test(err.message)) throw portInUse(apiPort, apiHost, '--api-port', 'EADDRINUSE')
      throw new CliError(`${err instanceof Error ? err.message : String(err)}\nCluster creation FAILED, all changes have been rolled back!`)
    }
    log.info(`Cluster '${name}' created successfully!`)
    if (updateDefault) {
      const file = defaultKubeconfigPaths()[0]
      mergeKubeconfig(file, readFileSync(clusterFile(name, 'kubeconfig.yaml'), 'utf8'), { switchContext })
      log.info(`Updated kubeconfig ${file} with context '${contextName(name)}'${switchContext ? ' (now the current context)' : ''}`)
    }
    log.info('You can now use it like this:')
    if (updateDefault && !switchContext) console.log(`kubectl config use-context ${contextName(name)}`)
    else if (!updateDefault) console.log(`export KUBECONFIG=$(k3sim kubeconfig write ${name})`)
    console.log('kubectl cluster-info')
  })
}

export function clusterCreateCommand (): Command {
  return addRefusedOptions(new Command('create'), CLUSTER_CREATE_REFUSALS)
    .description('create a new cluster: a detached k3sim server process with its nodes, state in $K3SIM_HOME/clusters/NAME')
    .argument('[NAME]', `cluster name (default: ${DEFAULT_CLUSTER}, or metadata.name of --config)`)
    .option('-s, --servers <n>', 'server nodes', count, 1)
    .option('-a, --agents <n>', 'agent nodes', count, 0)
    .option('--api-port <[host:]port>', 'Kubernetes API port (default: a free port on 127.0.0.1)')
    .option('-p, --port <mapping>', 'port mapping [HOST:][HOSTPORT:]CONTAINERPORT[/PROTOCOL][@NODEFILTER], e.g. 8081:80@loadbalancer (recorded; forwarded with the Docker runtime); repeatable', collect, [])
    .option('--runtime <name>', 'node runtime: fake', 'fake')
    .option('-i, --image <image>', `a k3s image, as k3d takes it (rancher/k3s:TAG): noted, not used; k3sim emulates k3s ${K3S_VERSION}`)
    .option('--node-cpu <quantity>', 'CPU of each node, e.g. 2 (default: this host\'s)')
    .option('--node-memory <quantity>', 'memory of each node, e.g. 4Gi (default: this host\'s)')
    .option('--disable <names>', 'k3s add-ons not to deploy, comma-separated: coredns, servicelb, traefik, local-storage, metrics-server, runtimes', list, [])
    .option('--k3s-arg <ARG@NODEFILTER>', `a k3s arg for the nodes the filter selects (repeatable); k3sim takes ${SUPPORTED_K3S_ARGS}, e.g. "--disable=traefik@server:0"`, collect, [])
    .option('--k3s-node-label <KEY[=VALUE]@NODEFILTER>', 'label the nodes the filter selects (repeatable), e.g. "role=worker@agent:*"', collect, [])
    .option('-c, --config <file>', `config file (kind: Simple, apiVersion: k3sim.io/v1alpha1)`)
    .option('--manifests <dir>', 'auto-deploy directory of manifests (k3s\'s server/manifests), passed to the server')
    .option('--wait [bool]', 'wait until all nodes are Ready', bool, true)
    .option('--no-wait', 'return once the cluster process serves')
    .option('--timeout <duration>', 'give up (and roll back) after this long, e.g. 60s; 0 = no limit', '0')
    .option('--kubeconfig-update-default [bool]', 'merge the cluster into $KUBECONFIG or ~/.kube/config', bool, true)
    .option('--no-kubeconfig-update-default', 'do not touch the default kubeconfig')
    .option('--kubeconfig-switch-context [bool]', 'make the new context current', bool, true)
    .option('--no-kubeconfig-switch-context', 'keep the current context')
    .addHelpText('after', EXAMPLES)
    .action(action(create))
}
