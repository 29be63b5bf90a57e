// What `kubectl get --raw` shows of the API server's own endpoints, as kube-apiserver v1.32 serves
// them: /version indented (WriteRawJSON), and /healthz, /livez, /readyz with ?verbose, ?exclude
// and one check by path (k8s.io/apiserver pkg/server/healthz).
import assert from 'node:assert/strict'
import { HEALTH_CHECKS } from '../../src/apiserver/http/health.ts'
import { startTestServer, type TestServer } from '../support/kubectl.ts'
import { RawClient } from '../support/raw-https.ts'
import { readFileSync } from 'node:fs'

describe('kubectl get --raw: version and health endpoints', () => {
  let s: TestServer
  before(async () => { s = await startTestServer({ seed: 3 }) })
  after(async () => { await s.stop() })

  it('prints /version as indented JSON', async () => {
    const out = await s.ok(['get', '--raw', '/version'])
    assert.match(out, /^\{\n {2}"major": "1",\n {2}"minor": "32",\n/)
    assert.equal(JSON.parse(out).gitVersion.startsWith('v1.32.'), true)
  })

  it('answers ok, or each check and "<endpoint> check passed" with ?verbose', async () => {
    for (const name of ['healthz', 'livez', 'readyz'] as const) {
      assert.equal(await s.ok(['get', '--raw', `/${name}`]), 'ok')
      const verbose = await s.ok(['get', '--raw', `/${name}?verbose`])
      const lines = verbose.trimEnd().split('\n')
      assert.deepEqual(lines.slice(0, -1), HEALTH_CHECKS[name].map(c => `[+]${c} ok`))
      assert.equal(lines.at(-1), `${name} check passed`)
    }
    const readyz = await s.ok(['get', '--raw', '/readyz?verbose'])
    assert.match(readyz, /^\[\+\]ping ok\n\[\+\]log ok\n\[\+\]etcd ok\n\[\+\]etcd-readiness ok\n\[\+\]informer-sync ok\n/)
    assert.match(readyz, /\[\+\]shutdown ok\nreadyz check passed\n$/)
  })

  it('marks excluded checks, warns of unknown ones, and serves one check by path (404 for an unknown one)', async () => {
    const out = await s.ok(['get', '--raw', '/readyz?verbose&exclude=etcd&exclude=zz&exclude=nope'])
    assert.match(out, /\n\[\+\]etcd excluded: ok\n/)
    assert.match(out, /\nwarn: some health checks cannot be excluded: no matches for "nope","zz"\nreadyz check passed\n$/)
    assert.equal(await s.ok(['get', '--raw', '/readyz/etcd']), 'ok')
    assert.equal(await s.ok(['get', '--raw', '/livez/poststarthook/rbac/bootstrap-roles']), 'ok')
    assert.match(await s.fails(['get', '--raw', '/readyz/nonexistent']), /the server could not find the requested resource/)
    const raw = await new RawClient(readFileSync(s.kubeconfig, 'utf8')).get('/readyz/nonexistent')
    assert.equal(raw.status, 404)
    assert.equal(raw.json?.kind, 'Status', 'the NotFound Status of any unknown path')
  })
})
