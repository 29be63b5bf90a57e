// The API server: in-process create/get/list throughput (the path controllers use; pod creates
// also in a namespace with a LimitRange, a ResourceQuota and restricted PodSecurity), HTTPS GET
// latency, a Table list of 10,000 pods over HTTPS, `kubectl get pods -A` with 10,000 pods,
// and watch fan-out (100 HTTPS watchers, 10,000 events: events/s and the slowest delivery).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startControlPlane, type ControlPlane } from '../src/cluster/control-plane.ts'
import { InProcessClient } from '../src/client/in-process.ts'
import { fmt, runCases, type Result } from './harness.ts'

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'

const pod = (ns: string, i: number): any => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: `web-${i}`, namespace: ns, labels: { app: 'web', shard: String(i % 10) } },
  spec: { nodeName: `node-${i % 50}`, containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
})

/** A pod that passes `restricted`, without requests (a LimitRange gives them). */
const hardenedPod = (ns: string, i: number): any => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: `web-${i}`, namespace: ns },
  spec: { nodeName: `node-${i % 50}`, securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'nginx', image: 'nginx:1.27', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] },
})

/** A namespace enforcing `restricted`, with a LimitRange's defaults and a ResourceQuota (its status as the controller leaves it). */
async function guardedNamespace (client: InProcessClient, name: string): Promise<void> {
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } })
  await client.create({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: name }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '64Mi' }, default: { cpu: '200m', memory: '128Mi' } }] } } as any)
  const hard = { pods: '1000000', 'requests.cpu': '100000', 'limits.memory': '1000Ti' }
  const q = await client.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: name }, spec: { hard } } as any)
  await client.update({ ...q, status: { hard, used: { pods: '0', 'requests.cpu': '0', 'limits.memory': '0' } } }, { subresource: 'status' })
}

function https (cp: ControlPlane, agent: Agent, path: string, accept = 'application/json'): Promise<{ status: number, body: string }> {
  const u = new URL(cp.api!.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, agent, ca: cp.pki!.serverCa.cert, headers: { Authorization: `Bearer ${cp.token}`, Accept: accept } }, res => {
      const chunks: Buffer[] = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function timeIt (fn: () => Promise<unknown>, runs = 5): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) { const t = performance.now(); await fn(); times.push(performance.now() - t) }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]
}

export async function apiserverBench (): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'k3sim-api-bench-'))
  const cp = await startControlPlane({ dataDir: dir, apiPort: 0, etcdPort: false })
  const client = new InProcessClient({ core: cp.core })
  const agent = new Agent({ keepAlive: true, maxSockets: 200 })
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } })
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'big' } })
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'small' } })
  await guardedNamespace(client, 'guarded')
  await Promise.all(Array.from({ length: 1000 }, (_, i) => client.create(pod('small', i))))
  for (let b = 0; b < 10; b++) await Promise.all(Array.from({ length: 1000 }, (_, i) => client.create(pod('big', b * 1000 + i))))
  const tableMs = await timeIt(async () => {
    const r = await https(cp, agent, '/api/v1/pods?limit=500', TABLE)
    if (r.status !== 200) throw new Error(r.body)
  })
  const fullTableMs = await timeIt(async () => { await https(cp, agent, '/api/v1/namespaces/big/pods', TABLE) })
  const home = mkdtempSync(join(tmpdir(), 'k3sim-api-bench-home-'))
  writeFileSync(join(home, 'kubeconfig'), cp.kubeconfig())
  const env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: join(home, 'kubeconfig') }
  // Async: the server runs in this process, a blocking exec would stall it.
  const run = promisify(execFile)
  await run('kubectl', ['get', 'ns'], { env })
  const kubectlMs = await timeIt(() => run('kubectl', ['get', 'pods', '-A'], { env, maxBuffer: 64 << 20 }), 3)
  console.log(`\n## 10,000+ pods`)
  console.log(`Table list of all pods over HTTPS, first page (limit=500):      ${tableMs.toFixed(0)} ms`)
  console.log(`Table list of 10,000 pods over HTTPS, one response:            ${fullTableMs.toFixed(0)} ms`)
  console.log(`kubectl get pods -A (11,000 pods, whole command incl. start):   ${kubectlMs.toFixed(0)} ms`)
  const results: Result[] = []
  results.push({ name: 'table list 10,000 pods over HTTPS (ms)', perSecond: fullTableMs, rme: 0, samples: 5, unit: 'ms' })
  results.push({ name: 'kubectl get pods -A, 11,000 pods (ms)', perSecond: kubectlMs, rme: 0, samples: 3, unit: 'ms' })
  let n = 0
  results.push(...await runCases('API server, in process (SQLite file)', [
    { name: 'create configmaps (1000 in flight)', unit: 'creates', perOp: 1000, fn: () => Promise.all(Array.from({ length: 1000 }, () => client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${n++}`, namespace: 'bench' }, data: { key: 'value' } }))) },
    { name: 'create pods (1000 in flight)', unit: 'creates', perOp: 1000, fn: () => Promise.all(Array.from({ length: 1000 }, () => client.create(pod('bench', n++)))) },
    { name: 'the same under LimitRange, ResourceQuota and restricted PodSecurity', unit: 'creates', perOp: 1000, fn: () => Promise.all(Array.from({ length: 1000 }, () => client.create(hardenedPod('guarded', n++)))) },
    { name: 'get a pod', unit: 'gets', perOp: 100, fn: async () => { for (let i = 0; i < 100; i++) await client.get('v1', 'Pod', 'small', `web-${i}`) } },
    { name: 'list a namespace of 1,000 pods', unit: 'lists', fn: () => client.list('v1', 'Pod', { namespace: 'small' }) },
    { name: 'list 1,000 pods with a label selector (100 match)', unit: 'lists', fn: () => client.list('v1', 'Pod', { namespace: 'small', labelSelector: 'shard=3' }) },
  ]))
  results.push(...await runCases('API server over HTTPS (keep-alive, bearer token)', [
    { name: 'GET a pod', unit: 'requests', fn: () => https(cp, agent, '/api/v1/namespaces/small/pods/web-1') },
  ]))
  results.push(await watchFanOut(cp, client))
  agent.destroy()
  await cp.stop()
  rmSync(dir, { recursive: true, force: true })
  rmSync(home, { recursive: true, force: true })
  return results
}

/** 100 HTTPS watchers on one namespace; 10,000 writes; each watcher must see every event. */
async function watchFanOut (cp: ControlPlane, client: InProcessClient): Promise<Result> {
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fan' } })
  const written = new Map<string, number>()
  const WATCHERS = 100
  const EVENTS = 10_000
  let maxDelay = 0
  let done = 0
  const agent = new Agent({ keepAlive: true, maxSockets: WATCHERS + 10 })
  const u = new URL(cp.api!.url)
  const rv = String(cp.backend.revision)
  let finish!: () => void
  const allDone = new Promise<void>(resolve => { finish = resolve })
  const requests = Array.from({ length: WATCHERS }, () => new Promise<void>(ready => {
    let seen = 0
    let partial = ''
    const req = request({ host: u.hostname, port: u.port, path: `/api/v1/namespaces/fan/configmaps?watch=true&resourceVersion=${rv}`, agent, ca: cp.pki!.serverCa.cert, headers: { Authorization: `Bearer ${cp.token}` } }, res => {
      ready()
      res.on('data', (c: Buffer) => {
        partial += c.toString()
        const lines = partial.split('\n')
        partial = lines.pop()!
        const now = performance.now()
        for (const line of lines) {
          const name = line.slice(line.indexOf('"name":"') + 8, line.indexOf('"', line.indexOf('"name":"') + 8))
          maxDelay = Math.max(maxDelay, now - (written.get(name) ?? now))
          if (++seen === EVENTS) { req.destroy(); if (++done === WATCHERS) finish() }
        }
      })
    })
    req.end()
  }))
  await Promise.all(requests)
  const t0 = performance.now()
  for (let b = 0; b < EVENTS / 500; b++) {
    await Promise.all(Array.from({ length: 500 }, (_, i) => {
      const name = `cm-${b * 500 + i}`
      written.set(name, performance.now())
      return client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'fan' }, data: { k: 'v' } })
    }))
  }
  await allDone
  const seconds = (performance.now() - t0) / 1000
  agent.destroy()
  const perSecond = (EVENTS * WATCHERS) / seconds
  console.log(`\n## watch fan-out: ${WATCHERS} HTTPS watchers x ${fmt(EVENTS)} events`)
  console.log(`delivered ${fmt(perSecond)} events/s (${seconds.toFixed(1)} s in all); slowest delivery ${maxDelay.toFixed(0)} ms after its write`)
  return { name: `watch fan-out ${WATCHERS}x${EVENTS} (events/s delivered)`, perSecond, rme: 0, samples: 1, unit: 'events' }
}
