// `k3sim server`: the equivalent of `k3s server` in the foreground — the store, its etcd API and
// the Kubernetes API over HTTPS; writes an admin kubeconfig to <data-dir>/kubeconfig.yaml.
import { Command, InvalidArgumentError } from 'commander'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Cluster } from '../cluster/cluster.ts'

function port (value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError(`use a port number 0-65535 (0 picks a free port), got "${value}"`)
  return Number(value)
}

function count (value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`use a whole number, got "${value}"`)
  return Number(value)
}

/** k3s accepts --disable a,b and repeated --disable flags. */
function list (value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map(s => s.trim()).filter(s => s !== '')]
}

function runtime (value: string): 'fake' | 'docker' {
  if (value !== 'fake' && value !== 'docker') throw new InvalidArgumentError(`use fake or docker, got "${value}"`)
  return value
}

/** HOST:PORT — what `cluster create -p HOST:PORT@loadbalancer` asks of the server. */
function lbPort (value: string, previous: Array<{ hostPort: number, port: number }>): Array<{ hostPort: number, port: number }> {
  const m = /^(\d+):(\d+)$/.exec(value)
  if (m === null || Number(m[1]) > 65535 || Number(m[2]) > 65535) throw new InvalidArgumentError(`use HOSTPORT:PORT, e.g. 8081:80, got "${value}"`)
  return [...previous, { hostPort: Number(m[1]), port: Number(m[2]) }]
}

export function serverCommand (): Command {
  return new Command('server')
    .description('run a k3sim server in the foreground (store, etcd API, Kubernetes API over HTTPS), like `k3s server`')
    .option('--data-dir <dir>', 'data directory (db/state.db, server/tls, kubeconfig.yaml)', join(process.env.K3SIM_HOME ?? join(homedir(), '.k3sim'), 'server'))
    .option('--cluster-name <name>', 'cluster name used in the kubeconfig (k3sim-<name>)', 'k3s-default')
    .option('--bind-address <ip>', 'address the API listens on (the etcd API, unauthenticated, stays on loopback)', '127.0.0.1')
    .option('--api-port <port>', 'Kubernetes API port (0: a free port)', port, 6443)
    .option('--etcd-port <port>', 'etcd v3 API port (0: a free port)', port, 2379)
    .option('--disable-etcd', 'do not serve the etcd API')
    .option('--servers <n>', 'server nodes (control-plane,master) of a new cluster; a restart brings back the nodes stored', count, 1)
    .option('--agents <n>', 'agent nodes of a new cluster; a restart brings back the nodes stored', count, 0)
    .option('--node-cpu <quantity>', 'CPU of each node (default: this host\'s)')
    .option('--node-memory <quantity>', 'memory of each node, e.g. 4Gi (default: this host\'s)')
    .option('--disable <names>', 'k3s add-ons not to deploy, comma-separated: coredns, servicelb, traefik, local-storage, metrics-server, runtimes', list, [])
    .option('--manifests <dir>', 'auto-deploy directory: every *.yaml, *.yml, *.json file in it is applied at start and when it changes (k3s\'s server/manifests)')
    .option('--runtime <fake|docker>', 'container runtime of the nodes: fake (simulated) or docker (real containers, DOCKER_HOST or /var/run/docker.sock)', runtime, 'fake')
    .option('--lb-port <hostport:port>', 'docker runtime: forward 127.0.0.1:HOSTPORT to the LoadBalancer port PORT (repeatable; k3d\'s -p HOSTPORT:PORT@loadbalancer)', lbPort, [])
    .addHelpText('after', '\nExamples:\n  $ k3sim server --data-dir ./data --agents 2\n  $ k3sim server --api-port 0 --etcd-port 0 --disable traefik')
    .option('--scheduler-config <file>', 'a KubeSchedulerConfiguration YAML (one profile: plugins disabled, score weights, pluginConfig)')
    .action(async (o: { dataDir: string, clusterName: string, bindAddress: string, apiPort: number, etcdPort: number, disableEtcd?: boolean, servers: number, agents: number, nodeCpu?: string, nodeMemory?: string, schedulerConfig?: string, disable: string[], manifests?: string, runtime: 'fake' | 'docker', lbPort: Array<{ hostPort: number, port: number }> }) => {
      let cluster: Cluster
      let settlePki = async (): Promise<void> => {}
      try {
        // A new cluster's certificates are generated on a worker thread while the cluster's modules
        // load; the control plane's loadOrCreatePki takes them (and reports a failure).
        const { pregeneratePki, pkiDir, settlePregenerated } = await import('../cluster/certificates.ts')
        settlePki = settlePregenerated
        pregeneratePki(pkiDir(o.dataDir))
        // Loaded here so other commands (and `k3sim --help`) start without the whole cluster.
        const [{ Cluster }, { loadSchedulerConfig }] = await Promise.all([import('../cluster/cluster.ts'), import('../scheduler/config-file.ts')])
        const scheduler = o.schedulerConfig === undefined ? undefined : loadSchedulerConfig(o.schedulerConfig)
        cluster = await Cluster.start({
          name: o.clusterName,
          dataDir: o.dataDir,
          apiServer: { port: o.apiPort, host: o.bindAddress },
          etcdPort: o.disableEtcd === true ? undefined : o.etcdPort,
          servers: o.servers,
          agents: o.agents,
          node: { cpu: o.nodeCpu, memory: o.nodeMemory },
          scheduler,
          disable: o.disable,
          manifests: o.manifests,
          runtime: o.runtime,
          loadBalancerPorts: o.lbPort,
          log: msg => console.error(msg),
        })
      } catch (err) {
        const e = err as NodeJS.ErrnoException
        if (e.code === 'EADDRINUSE') console.error(`Error: ${e.message}: another k3s, etcd or k3sim is using the port; choose one with --api-port / --etcd-port (0 picks a free one)`)
        else console.error(`Error: ${e.message ?? String(err)}`)
        // Exit now: a start that failed part-way may leave servers and timers behind that would
        // keep the process alive, and `cluster create` waits for it to exit. Not while a worker
        // generates keys: that aborts the process instead of exiting with 1.
        await settlePki()
        process.exit(1)
      }
      let stopping = false
      const stop = (): void => {
        if (stopping) return
        stopping = true
        cluster.stop().then(() => process.exit(0), err => { console.error('Error while stopping:', err); process.exit(1) })
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      // Announced only once SIGINT/SIGTERM stop it cleanly.
      const ep = cluster.endpoints
      console.log(`k3sim server listening on ${ep.api} (etcd: ${ep.etcd ?? 'off'}, kubeconfig: ${join(o.dataDir, 'kubeconfig.yaml')})`)
      announceReady({ ready: true, api: ep.api, etcd: ep.etcd, pid: process.pid })
    })
}

/**
 * Started by `k3sim cluster create|start` (an IPC channel): say so, then live on alone. The
 * command may be gone by now (Ctrl-C, `| head` closing its output): then there is no one to
 * tell, and the cluster keeps running, as k3d's node containers keep running when `k3d cluster
 * create` is killed once they have started. (Disconnecting a channel the parent already closed
 * would throw ERR_IPC_DISCONNECTED as an unhandled 'error' event and take the cluster down.)
 */
function announceReady (message: object): void {
  if (process.send === undefined) return
  process.send(message, (err: Error | null) => {
    if (err !== null) console.error(`k3sim server: the command that started this server is gone (${(err as NodeJS.ErrnoException).code ?? err.message}); the server keeps running`)
    if (process.connected) process.disconnect()
  })
}
