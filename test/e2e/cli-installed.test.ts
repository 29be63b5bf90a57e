// The CLI as npm installs it: bin/k3sim.js runs dist/bundle/k3sim.js, the single-module build of
// scripts/bundle.ts (npm's `prepare` makes it; this test rebuilds it from the current source so it
// never runs a stale one). A cluster created through it generates its certificates on the
// bundled PKI worker, serves the real kubectl, finds its proto/ and fixtures/ files from the
// bundle's folder, and is deleted without leftovers.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { cliEnv, type CliEnv } from '../support/k3sim-cli.ts'

describe('k3sim as installed (bin/k3sim.js on the bundle)', function () {
  this.timeout(180_000)
  let env: CliEnv

  before(async () => {
    await promisify(execFile)(process.execPath, ['scripts/bundle.ts'])
    env = cliEnv({ entry: 'bin/k3sim.js' })
  })
  after(async () => { await env?.cleanup() })

  it('creates a cluster the real kubectl uses, then deletes it without leftovers', async () => {
    const created = await env.k3sim(['cluster', 'create', 'inst', '--agents', '1'])
    assert.equal(created.code, 0, created.stderr + created.stdout)
    assert.match(created.stderr + created.stdout, /2 node\(s\) Ready in \d+ ms/)
    const nodes = await env.kubectl(['get', 'nodes', '--no-headers'])
    assert.equal(nodes.code, 0, nodes.stderr)
    assert.deepEqual(nodes.stdout.trim().split('\n').map(l => l.split(/\s+/).slice(0, 2).join(' ')).sort(), ['k3sim-inst-agent-0 Ready', 'k3sim-inst-server-0 Ready'])
    // kubectl verified the serving certificate the worker made against the CA in its kubeconfig.
    const version = await env.kubectl(['get', '--raw', '/version'])
    assert.equal(version.code, 0, version.stderr)
    assert.match(version.stdout, /"gitVersion": "v1\.32\.\d+\+k3s1"/)
    // The server started its etcd API (proto/) and deployed the add-ons, both found from dist/bundle/.
    const sa = await env.kubectl(['get', 'deploy', 'coredns', '-n', 'kube-system', '-o', 'name'])
    assert.equal(sa.stdout.trim(), 'deployment.apps/coredns', sa.stderr)
    const list = await env.k3sim(['cluster', 'list', '-o', 'json'])
    const record = (JSON.parse(list.stdout) as Array<{ name: string, serversRunning: number }>).find(c => c.name === 'inst')
    assert.equal(record?.serversRunning, 1, list.stdout)
    const deleted = await env.k3sim(['cluster', 'delete', 'inst'])
    assert.equal(deleted.code, 0, deleted.stderr)
    assert.deepEqual(existsSync(join(env.k3simHome, 'clusters')) ? readdirSync(join(env.k3simHome, 'clusters')) : [], [])
    assert.deepEqual(env.serverPids(), [])
  })
})
