// The k3d-style CLI as a user drives it, with the real kubectl, in a private K3SIM_HOME and
// KUBECONFIG: two clusters side by side, a Deployment that survives stop/start with its
// resourceVersion and pods, a node added to schedule what was Pending, a kill -9 recovered from
// the SQLite file, and a delete that leaves no process, file or kubeconfig entry behind.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, parseAllDocuments } from 'yaml'
import { alive, cliEnv, waitFor, type CliEnv } from '../support/k3sim-cli.ts'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

interface Kubeconfig { 'current-context': string, clusters: Array<{ name: string, cluster: { server: string } }>, contexts: Array<{ name: string, context: { cluster: string, user: string } }>, users: Array<{ name: string }> }

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.27, resources: {requests: {cpu: 100m}}}]
`

const BIG_POD = `apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: "3"}}}]
`

describe('k3sim cluster/node/kubeconfig (the k3d-style CLI)', function () {
  this.timeout(180_000)
  let env: CliEnv
  let webBefore: { rv: string, pods: string[], nodes: string[] }

  const k3sim = async (...args: string[]): Promise<string> => {
    const r = await env.k3sim(args)
    assert.equal(r.code, 0, `k3sim ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`)
    return r.stdout + r.stderr
  }
  const kubectl = async (...args: string[]): Promise<string> => {
    const r = await env.kubectl(args)
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }
  const kubeconfig = (): Kubeconfig => parse(readFileSync(env.kubeconfig, 'utf8')) as Kubeconfig
  const listLine = async (name: string): Promise<string> => (await k3sim('cluster', 'list', '--no-headers')).split('\n').find(l => l.startsWith(name + ' '))!.trim().split(/\s+/).join(' ')
  const webState = async (): Promise<{ rv: string, pods: string[], nodes: string[] }> => ({
    rv: await kubectl('--context', 'k3sim-two', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}'),
    pods: (await kubectl('--context', 'k3sim-two', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').sort(),
    nodes: (await kubectl('--context', 'k3sim-two', 'get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').sort(),
  })

  before(() => { env = cliEnv() })
  after(async () => { await env.cleanup() })

  it('creates two clusters, printing k3d\'s lines (INFO on stdout, as k3d), and merges both into the default kubeconfig', async () => {
    const created = await env.k3sim(['cluster', 'create', 'one'])
    assert.equal(created.code, 0, created.stderr)
    assert.equal(created.stderr, '')
    const one = created.stdout
    assert.match(one, /^INFO\[\d{4}\] Creating node 'k3sim-one-server-0'$/m)
    assert.match(one, /^INFO\[\d{4}\] Cluster 'one' created successfully!$/m)
    assert.match(one, /^kubectl cluster-info$/m)
    const two = await k3sim('cluster', 'create', 'two', '--agents', '2', '--node-cpu', '2', '--node-memory', '4Gi', '-p', '8081:80@loadbalancer')
    assert.match(two, /^INFO\[\d{4}\] Creating node 'k3sim-two-agent-1'$/m)
    assert.match(two, /^INFO\[\d{4}\] 3 node\(s\) Ready in \d+ ms$/m)
    const kc = kubeconfig()
    assert.equal(kc['current-context'], 'k3sim-two')
    assert.deepEqual(kc.contexts.map(c => c.name).sort(), ['k3sim-one', 'k3sim-two'])
    assert.deepEqual(kc.contexts.find(c => c.name === 'k3sim-one')!.context, { cluster: 'k3sim-one', user: 'admin@k3sim-one' })
    assert.deepEqual(kc.users.map(u => u.name).sort(), ['admin@k3sim-one', 'admin@k3sim-two'])
  })

  it('serves both through their contexts with the real kubectl', async () => {
    assert.match(await kubectl('--context', 'k3sim-one', 'get', 'nodes'), /^k3sim-one-server-0\s+Ready\s+control-plane,master\s+/m)
    const nodes = await kubectl('get', 'nodes', '-o', 'custom-columns=NAME:.metadata.name,CPU:.status.capacity.cpu,READY:.status.conditions[?(@.type=="Ready")].status', '--no-headers')
    assert.deepEqual(nodes.trim().split('\n').map(l => l.split(/\s+/).join(' ')).sort(), ['k3sim-two-agent-0 2 True', 'k3sim-two-agent-1 2 True', 'k3sim-two-server-0 2 True'])
  })

  it('ends quietly when its reader goes away (`k3sim cluster list | head -0`): exit 141 as SIGPIPE, no stack trace', async () => {
    const child = spawn(process.execPath, ['src/cli/main.ts', 'cluster', 'list'], { cwd: repoRoot, env: { PATH: process.env.PATH, HOME: env.home, K3SIM_HOME: env.k3simHome, KUBECONFIG: env.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.destroy() // the reader is gone before the first line is written
    let stderr = ''
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
    const code = await new Promise(resolve => child.on('close', resolve))
    assert.deepEqual([code, stderr], [141, ''])
  })

  it('lists clusters and nodes with k3d\'s columns', async () => {
    const table = await env.k3sim(['cluster', 'list'])
    assert.match(table.stdout, /^NAME {3,}SERVERS {3}AGENTS {3}LOADBALANCER$/m)
    assert.equal(await listLine('one'), 'one 1/1 0/0 true')
    assert.equal(await listLine('two'), 'two 1/1 2/2 true')
    const json = JSON.parse((await env.k3sim(['cluster', 'list', 'two', '-o', 'json'])).stdout) as Array<Record<string, unknown>>
    assert.equal(json.length, 1)
    assert.deepEqual([json[0].serversRunning, json[0].serversCount, json[0].agentsRunning, json[0].agentsCount], [1, 1, 2, 2])
    assert.deepEqual(json[0].ports, ['8081:80/tcp@loadbalancer'])
    const nodes = (await env.k3sim(['node', 'list'])).stdout
    assert.match(nodes, /^NAME {3,}ROLE {3,}CLUSTER {3}STATUS$/m)
    assert.match(nodes, /^k3sim-two-agent-1 {3,}agent {3,}two {7}running$/m)
    assert.match(nodes, /^k3sim-one-server-0 {3,}server {3,}one {7}running$/m)
  })

  it('stop and start give back the Deployment with its resourceVersion, its pods (restarted once) and the nodes', async () => {
    const applied = await env.kubectl(['--context', 'k3sim-two', 'apply', '-f', '-'], { input: DEPLOYMENT })
    assert.equal(applied.code, 0, applied.stderr)
    await kubectl('--context', 'k3sim-two', 'rollout', 'status', 'deploy/web', '--timeout=60s')
    webBefore = await webState()
    assert.equal(webBefore.pods.length, 3)
    const stopped = await k3sim('cluster', 'stop', 'two')
    assert.match(stopped, /^INFO\[\d{4}\] Stopped cluster 'two'$/m)
    assert.equal(await listLine('two'), 'two 0/1 0/2 true')
    assert.notEqual((await env.kubectl(['--context', 'k3sim-two', 'get', 'nodes'])).code, 0)
    assert.match(await k3sim('cluster', 'start', 'two'), /^INFO\[\d{4}\] Started cluster 'two'$/m)
    assert.deepEqual(await webState(), webBefore)
    await kubectl('--context', 'k3sim-two', 'wait', '--for=condition=Ready', 'pod', '-l', 'app=web', '--timeout=60s')
    const restarts = await kubectl('--context', 'k3sim-two', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.containerStatuses[0].restartCount}')
    assert.deepEqual(restarts.split(' '), ['1', '1', '1'])
    const last = await kubectl('--context', 'k3sim-two', 'get', 'pod', webBefore.pods[0], '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.reason}/{.status.containerStatuses[0].lastState.terminated.exitCode}')
    assert.equal(last, 'Unknown/255')
    assert.equal(await listLine('two'), 'two 1/1 2/2 true')
  })

  it('schedules a Pending pod once `node create` adds a node big enough', async () => {
    await env.kubectl(['--context', 'k3sim-two', 'apply', '-f', '-'], { input: BIG_POD })
    await waitFor('big to be unschedulable', async () => {
      const r = await kubectl('--context', 'k3sim-two', 'get', 'pod', 'big', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}')
      return r === 'Unschedulable' ? true : undefined
    })
    const out = await k3sim('node', 'create', 'extra', '-c', 'two', '--cpu', '4', '--memory', '8Gi')
    assert.match(out, /^INFO\[\d{4}\] Successfully created 1 node\(s\)!$/m)
    await kubectl('--context', 'k3sim-two', 'wait', '--for=condition=Ready', 'pod/big', '--timeout=60s')
    assert.equal(await kubectl('--context', 'k3sim-two', 'get', 'pod', 'big', '-o', 'jsonpath={.spec.nodeName}'), 'k3sim-extra-0')
    assert.equal(await listLine('two'), 'two 1/1 3/3 true')
  })

  it('recovers from kill -9 with every acknowledged write and the added node', async () => {
    await kubectl('--context', 'k3sim-two', 'create', 'configmap', 'last-write', '--from-literal=k=v')
    const pid = Number(readFileSync(join(env.k3simHome, 'clusters', 'two', 'server.pid'), 'utf8'))
    process.kill(pid, 'SIGKILL')
    await waitFor('the killed process to go', async () => alive(pid) ? undefined : true)
    assert.equal(await listLine('two'), 'two 0/1 0/3 true')
    await k3sim('cluster', 'start', 'two')
    assert.equal(await kubectl('--context', 'k3sim-two', 'get', 'configmap', 'last-write', '-o', 'jsonpath={.data.k}'), 'v')
    assert.deepEqual((await webState()).nodes, [...webBefore.nodes, 'k3sim-extra-0'].sort())
    assert.equal((await webState()).rv, webBefore.rv)
    assert.match(await kubectl('--context', 'k3sim-two', 'get', 'node', 'k3sim-extra-0'), /k3sim-extra-0\s+Ready/)
  })

  it('stops, starts and deletes a node', async () => {
    await k3sim('node', 'stop', 'k3sim-extra-0')
    assert.match((await env.k3sim(['node', 'list', 'k3sim-extra-0'])).stdout, /^k3sim-extra-0 +agent +two +exited$/m)
    await k3sim('node', 'start', 'k3sim-extra-0')
    assert.match((await env.k3sim(['node', 'list', 'k3sim-extra-0'])).stdout, /^k3sim-extra-0 +agent +two +running$/m)
    assert.match(await k3sim('node', 'delete', 'k3sim-extra-0'), /^INFO\[\d{4}\] Deleted k3sim-extra-0$/m)
    await waitFor('the Node object to go', async () => (await env.kubectl(['--context', 'k3sim-two', 'get', 'node', 'k3sim-extra-0'])).code !== 0 ? true : undefined)
    assert.equal(await listLine('two'), 'two 1/1 2/2 true')
  })

  it('gets, writes and merges kubeconfigs', async () => {
    const gotText = (await env.k3sim(['kubeconfig', 'get', 'one'])).stdout
    const got = parse(gotText) as Kubeconfig
    assert.equal(got['current-context'], 'k3sim-one')
    // merge (alias write), as k3d: by default a file of the cluster's own, printed.
    const written = (await env.k3sim(['kubeconfig', 'write', 'one'])).stdout.trim()
    assert.equal(written, join(env.k3simHome, 'kubeconfig-one.yaml'))
    assert.match(await kubectl('--kubeconfig', written, 'get', 'nodes'), /k3sim-one-server-0\s+Ready/)
    const defaultBefore = readFileSync(env.kubeconfig, 'utf8')
    assert.equal((await env.k3sim(['kubeconfig', 'merge', '--all'])).stdout, `${join(env.k3simHome, 'kubeconfig-one.yaml')}:${join(env.k3simHome, 'kubeconfig-two.yaml')}\n`)
    assert.equal(readFileSync(env.kubeconfig, 'utf8'), defaultBefore)
    const other = join(env.home, 'merged.yaml')
    assert.equal((await env.k3sim(['kubeconfig', 'merge', '--all', '-o', other])).stdout.trim(), other)
    const merged = parse(readFileSync(other, 'utf8')) as Kubeconfig
    assert.deepEqual(merged.contexts.map(c => c.name), ['k3sim-one', 'k3sim-two'])
    assert.equal(merged['current-context'], 'k3sim-two')
    // -o - prints the kubeconfig and no path; several are YAML documents.
    const printed = await env.k3sim(['kubeconfig', 'merge', 'one', '-o', '-'])
    assert.deepEqual([printed.code, printed.stdout], [0, gotText])
    const both = await env.k3sim(['kubeconfig', 'merge', '--all', '-o', '-'])
    assert.deepEqual(parseAllDocuments(both.stdout).map(d => (d.toJS() as Kubeconfig)['current-context']), ['k3sim-one', 'k3sim-two'])
    // --update=false refuses an entry of the same name (k3d's message), exit 1, file untouched.
    const refused = await env.k3sim(['kubeconfig', 'merge', 'one', '-o', other, '--update=false'])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, new RegExp(`^ERRO\\[\\d{4}\\] cluster 'k3sim-one' already exists in target KubeConfig ${other}; leave out --update=false to replace it, or give --overwrite to replace the file$`, 'm'))
    assert.deepEqual((parse(readFileSync(other, 'utf8')) as Kubeconfig).contexts.map(c => c.name), ['k3sim-one', 'k3sim-two'])
    // --overwrite replaces the file with the cluster's kubeconfig alone.
    await k3sim('kubeconfig', 'merge', 'one', '-o', other, '--overwrite')
    assert.deepEqual((parse(readFileSync(other, 'utf8')) as Kubeconfig).contexts.map(c => c.name), ['k3sim-one'])
    const both2 = await env.k3sim(['kubeconfig', 'merge', 'one', '-d', '-o', other])
    assert.deepEqual([both2.code, both2.stderr.replace(/^FATA\[\d{4}\] /, '')], [1, 'Cannot use both \'--output\' and \'--kubeconfig-merge-default\' at the same time; give one of them\n'])
    const none = await env.k3sim(['kubeconfig', 'merge'])
    assert.equal(none.code, 1)
    assert.match(none.stderr, /cluster "k3s-default" not found; clusters: one, two/)
    // -d merges into the default kubeconfig, keeping an entry that is not ours.
    await kubectl('config', 'set-context', 'elsewhere', '--cluster=far', '--user=someone')
    assert.equal((await env.k3sim(['kubeconfig', 'merge', 'one', '-d', '--kubeconfig-switch-context=false'])).stdout, `${env.kubeconfig}\n`)
    const kc = kubeconfig()
    assert.deepEqual(kc.contexts.map(c => c.name).sort(), ['elsewhere', 'k3sim-one', 'k3sim-two'])
    assert.equal(kc['current-context'], 'k3sim-two')
  })

  it('deletes everything: no process, no file, no kubeconfig entry of ours left', async () => {
    const pids = env.serverPids()
    assert.equal(pids.length, 2)
    const out = await k3sim('cluster', 'delete', '--all')
    assert.match(out, /^INFO\[\d{4}\] Successfully deleted cluster one!$/m)
    assert.match(out, /^INFO\[\d{4}\] Successfully deleted cluster two!$/m)
    for (const pid of pids) assert.equal(alive(pid), false, `process ${pid} still running`)
    assert.deepEqual(readdirSync(join(env.k3simHome, 'clusters')), [])
    assert.equal(existsSync(join(env.k3simHome, 'kubeconfig-one.yaml')), false)
    const kc = kubeconfig()
    assert.deepEqual(kc.contexts.map(c => c.name), ['elsewhere'])
    assert.deepEqual(kc.clusters.map(c => c.name), [])
    assert.deepEqual(kc.users.map(u => u.name), [])
    assert.equal((await env.k3sim(['cluster', 'list', '--no-headers'])).stdout, '')
  })
})
