// `npm run demo`: starts `k3sim server` on a fresh data dir and walks through it with the real
// kubectl and etcdctl, printing each command and its output. Run by the README's first command.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const dataDir = mkdtempSync(join(tmpdir(), 'k3sim-demo-'))
const home = mkdtempSync(join(tmpdir(), 'k3sim-demo-home-'))
const started = performance.now()
const server = spawn(process.execPath, [join(root, 'src', 'cli', 'main.ts'), 'server', '--data-dir', dataDir, '--api-port', '0', '--etcd-port', '0', '--agents', '2', '--node-cpu', '2', '--node-memory', '4Gi'], { stdio: ['ignore', 'pipe', 'pipe'] })
// The server's log (controllers retrying refused creates, as kube-controller-manager logs them)
// is kept, not interleaved with the walkthrough; it is printed if the server stops on its own.
let serverLog = ''
server.stderr.on('data', (chunk: Buffer) => { serverLog = (serverLog + chunk.toString()).slice(-20000) })
const etcd = await new Promise<string>((resolve, reject) => {
  server.on('exit', code => reject(new Error(`k3sim server exited with code ${code}:\n${serverLog}`)))
  let out = ''
  server.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    const m = /etcd: (\S+),/.exec(out)
    if (m !== null) { process.stdout.write(out); resolve(m[1]) }
  })
})
console.log(`(the server was up ${Math.round(performance.now() - started)} ms after the command started)`)
const kubeconfig = join(dataDir, 'kubeconfig.yaml')

function show (cmd: string, args: string[], options: { input?: string, env?: Record<string, string> } = {}): string {
  console.log(`\n$ ${cmd} ${args.map(a => (/[\s{}"'*]/.test(a) ? `'${a}'` : a)).join(' ')}`)
  const r = spawnSync(cmd, args, { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig, ...options.env }, input: options.input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
  if ((r.error as { code?: string } | undefined)?.code === 'ENOENT') throw new Error(`${cmd} not found: run \`npm run setup\``)
  // What a terminal shows: the warnings and errors (stderr) with the output.
  const out = `${r.stderr ?? ''}${r.stdout ?? ''}`
  process.stdout.write(out)
  return out
}
const kubectl = (...args: string[]): string => show('kubectl', args)
/** kubectl's stdout without printing it (for waiting on what takes real time, as metrics do). */
const quiet = (...args: string[]): string => spawnSync('kubectl', args, { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig }, encoding: 'utf8' }).stdout ?? ''
async function until (ready: () => boolean, timeoutMs: number): Promise<void> {
  for (const end = Date.now() + timeoutMs; !ready() && Date.now() < end;) await new Promise(resolve => setTimeout(resolve, 1000))
}

try {
  kubectl('version')
  kubectl('get', 'nodes', '-o', 'wide')
  kubectl('get', 'pods', '-A')
  kubectl('get', 'svc', '-n', 'kube-system')
  kubectl('apply', '-f', join(root, 'fixtures', 'manifests', 'web.yaml'))
  kubectl('rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=30s')
  kubectl('get', 'deploy,rs,pods,svc,endpoints', '-n', 'shop', '-o', 'wide')
  kubectl('create', 'configmap', 'greeting', '-n', 'shop', '--from-literal=hello=world')
  kubectl('scale', 'deploy', 'web', '-n', 'shop', '--replicas=3')
  kubectl('rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=30s')
  kubectl('set', 'image', 'deployment/web', 'nginx=nginx:1.28', '-n', 'shop')
  kubectl('rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=30s')
  kubectl('get', 'rs', '-n', 'shop')
  kubectl('create', 'job', 'hello', '--image=busybox', '-n', 'shop', '--', 'echo', 'hello')
  kubectl('wait', '--for=condition=Complete', 'job/hello', '-n', 'shop', '--timeout=30s')
  kubectl('apply', '-f', join(root, 'fixtures', 'manifests', 'crontab-crd.yaml'))
  show('kubectl', ['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'nightly', namespace: 'shop' }, spec: { cronSpec: '0 3 * * *', image: 'backup' } }) })
  kubectl('get', 'crontabs', '-n', 'shop')
  kubectl('explain', 'deployment.spec.strategy')
  // RBAC: a service account may do nothing until a binding grants it (view: no secrets).
  const robot = '--as=system:serviceaccount:shop:default'
  kubectl('auth', 'can-i', 'list', 'pods', '-n', 'shop', robot)
  kubectl('create', 'rolebinding', 'default-view', '-n', 'shop', '--clusterrole=view', '--serviceaccount=shop:default')
  kubectl('get', 'pods', '-n', 'shop', robot)
  kubectl('get', 'secrets', '-n', 'shop', robot)
  // A LimitRange gives new containers a CPU request; a quota caps the namespace's requests.
  show('kubectl', ['apply', '-n', 'shop', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'cpu-defaults' }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '250m' }, default: { cpu: '500m' } }] } }) })
  kubectl('create', 'quota', 'compute', '-n', 'shop', '--hard=requests.cpu=1')
  kubectl('scale', 'deploy', 'web', '-n', 'shop', '--replicas=8')
  await new Promise(resolve => setTimeout(resolve, 1000))
  kubectl('describe', 'quota', 'compute', '-n', 'shop')
  kubectl('get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.status.conditions[?(@.type=="ReplicaFailure")].message}{"\\n"}')
  // metrics-server (behind the APIService v1beta1.metrics.k8s.io) scrapes the kubelets every 15 s;
  // a pod's k3sim.io/usage-cpu annotation says what its fake containers use.
  kubectl('get', 'apiservices')
  kubectl('annotate', 'pods', '-n', 'shop', '-l', 'app=web', 'k3sim.io/usage-cpu=400m')
  await until(() => /k3sim/.test(quiet('top', 'nodes')), 45_000)
  kubectl('top', 'nodes')
  await until(() => /400m/.test(quiet('top', 'pods', '-n', 'shop')), 45_000)
  kubectl('top', 'pods', '-n', 'shop')
  // Pod Security admission: labelling the namespace warns about what runs there; new pods are refused.
  kubectl('label', 'namespace', 'shop', 'pod-security.kubernetes.io/enforce=restricted')
  kubectl('run', 'probe', '--image=busybox', '-n', 'shop')
  kubectl('delete', 'namespace', 'shop')
  kubectl('get', 'namespaces')
  show('etcdctl', ['--endpoints', etcd, 'get', '/registry/namespaces/default'], { env: { ETCDCTL_API: '3' } })
  show('etcdctl', ['--endpoints', etcd, 'endpoint', 'status', '-w', 'table'], { env: { ETCDCTL_API: '3' } })
  console.log(`\nEverything above is rows of kine's table in ${join(dataDir, 'db', 'state.db')}; stopping k3sim server.`)
} finally {
  server.kill('SIGTERM')
  await new Promise(resolve => server.on('exit', resolve))
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(home, { recursive: true, force: true })
}
