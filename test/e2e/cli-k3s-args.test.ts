// k3d's ways of passing k3s its settings, through the real CLI and kubectl: `--k3s-arg
// "--disable=traefik@server:0"` leaves the add-on out, `--node-label` (as a k3s arg) and
// `--k3s-node-label` label the nodes their filters select, labels survive `cluster stop/start`,
// and `node create --k3s-node-label` labels the new node, which `--wait` (the default) waits for.
import assert from 'node:assert/strict'
import { cliEnv, type CliEnv } from '../support/k3sim-cli.ts'

describe('k3sim cluster create --k3s-arg / --k3s-node-label, node create --k3s-node-label', function () {
  this.timeout(180_000)
  let env: CliEnv
  before(() => { env = cliEnv() })
  after(async () => { await env.cleanup() })

  const k3sim = async (...args: string[]): Promise<string> => {
    const r = await env.k3sim(args)
    assert.equal(r.code, 0, `k3sim ${args.join(' ')} failed:\n${r.stderr}`)
    return r.stdout
  }
  const kubectl = async (...args: string[]): Promise<string> => {
    const r = await env.kubectl(args)
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }
  /** node → "role/tier/gpu" labels ('-' when unset). */
  const labels = async (): Promise<Record<string, string>> => {
    const list = JSON.parse(await kubectl('get', 'nodes', '-o', 'json')) as { items: Array<{ metadata: { name: string, labels: Record<string, string> } }> }
    return Object.fromEntries(list.items.map(n => [n.metadata.name, ['role', 'tier', 'gpu'].map(k => n.metadata.labels[k] ?? '-').join('/')]))
  }

  it('disables an add-on and labels nodes by node filter', async () => {
    await k3sim('cluster', 'create', 'ka', '--agents', '2',
      '--k3s-arg', '--disable=traefik@server:0', '--k3s-arg', '--node-label=tier=edge@server:0',
      '--k3s-node-label', 'role=worker@agent:*', '--k3s-node-label', 'gpu@agent:1')
    const addons = (await kubectl('get', 'addons', '-n', 'kube-system', '-o', 'name')).split('\n')
    assert.ok(addons.includes('addon.k3s.cattle.io/coredns'), addons.join(' '))
    assert.ok(!addons.some(a => a.includes('traefik')), addons.join(' '))
    const [listed] = JSON.parse(await k3sim('cluster', 'list', 'ka', '-o', 'json')) as Array<{ disable: string[] }>
    assert.deepEqual(listed.disable, ['traefik'])
    const want = { 'k3sim-ka-server-0': '-/edge/-', 'k3sim-ka-agent-0': 'worker/-/-', 'k3sim-ka-agent-1': 'worker/-/' }
    assert.deepEqual(await labels(), want)
    await k3sim('cluster', 'stop', 'ka')
    await k3sim('cluster', 'start', 'ka')
    assert.deepEqual(await labels(), want)
  })

  it('node create --k3s-node-label labels the new nodes and waits for them Ready', async () => {
    const out = await k3sim('node', 'create', 'gpu', '-c', 'ka', '--k3s-node-label', 'role=gpu,tier=batch', '--timeout', '60s')
    assert.match(out, /^INFO\[\d{4}\] Successfully created 1 node\(s\)!$/m)
    assert.equal((await labels())['k3sim-gpu-0'], 'gpu/batch/-')
    assert.match(await kubectl('get', 'node', 'k3sim-gpu-0', '--no-headers'), /^k3sim-gpu-0\s+Ready\s/)
    const bad = await env.k3sim(['node', 'create', 'bad', '-c', 'ka', '--k3s-node-label', 'role'])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /^FATA\[\d{4}\] invalid node label "role" \(--k3s-node-label\): use the format KEY=VALUE, e.g\. role=worker$/m)
    assert.doesNotMatch(await kubectl('get', 'nodes', '-o', 'name'), /k3sim-bad-0/)
  })

  it('refuses a k3s arg it cannot honour before creating anything', async () => {
    const r = await env.k3sim(['cluster', 'create', 'kb', '--k3s-arg', '--tls-san=my.host@server:*'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^FATA\[\d{4}\] --k3s-arg "--tls-san=my\.host@server:\*": k3sim cannot honour the k3s arg --tls-san: it runs no k3s binary to pass it to, and takes only --disable=NAME\[,NAME\.\.\.\] \(.*\) and --node-label=KEY\[=VALUE\]/m)
    assert.deepEqual(JSON.parse(await k3sim('cluster', 'list', '-o', 'json')).map((c: { name: string }) => c.name), ['ka'])
  })
})
