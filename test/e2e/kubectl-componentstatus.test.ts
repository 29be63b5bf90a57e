// `kubectl get componentstatuses` as on k3s v1.32: kube-apiserver's deprecated ComponentStatus
// API, answered per request (never stored) with the deprecation warning; the scheduler probe
// fails, as a refused connection, when the cluster runs without a scheduler.
import assert from 'node:assert/strict'
import { startTestServer, type TestServer } from '../support/kubectl.ts'
import { startControlPlane } from '../../src/cluster/control-plane.ts'
import { InProcessClient } from '../../src/client/in-process.ts'

describe('kubectl get componentstatuses', () => {
  let s: TestServer
  before(async () => { s = await startTestServer({ seed: 5 }) })
  after(async () => { await s.stop() })

  it('lists the controller manager, etcd-0 and the scheduler as Healthy, with the deprecation warning', async () => {
    const r = await s.kubectl(['get', 'cs'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr.trim(), 'Warning: v1 ComponentStatus is deprecated in v1.19+')
    assert.deepEqual(r.stdout.trimEnd().split('\n').map(l => l.trimEnd()), [
      'NAME                 STATUS    MESSAGE   ERROR',
      'controller-manager   Healthy   ok',
      'etcd-0               Healthy   ok',
      'scheduler            Healthy   ok',
    ])
  })

  it('gets one by name as upstream serves it, selects by metadata.name, and refuses an unknown one with a 500 without a reason', async () => {
    const one = JSON.parse(await s.ok(['get', 'componentstatuses', 'scheduler', '-o', 'json']))
    assert.deepEqual(one, { apiVersion: 'v1', kind: 'ComponentStatus', metadata: { name: 'scheduler', creationTimestamp: null }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] })
    const selected = await s.ok(['get', 'cs', '--field-selector', 'metadata.name=etcd-0', '-o', 'name'])
    assert.equal(selected.trim(), 'componentstatus/etcd-0')
    assert.match(await s.fails(['get', 'cs', 'kubelet']), /^Error from server: Component not found: kubelet$/m)
    assert.match(await s.fails(['get', 'cs', 'constructor']), /^Error from server: Component not found: constructor$/m)
    assert.match(await s.fails(['delete', 'cs', 'scheduler']), /the server does not allow this method on the requested resource/)
    assert.match(await s.ok(['explain', 'cs']), /^KIND: +ComponentStatus\nVERSION: +v1\n/)
  })

  it('reports the scheduler Unhealthy, with the refused probe as its error, when there is none', async () => {
    const cp = await startControlPlane({ apiPort: false, etcdPort: false, scheduler: false })
    try {
      const client = new InProcessClient({ core: cp.core })
      const scheduler = await client.get('v1', 'ComponentStatus', undefined, 'scheduler') as unknown as { conditions: unknown[] }
      assert.deepEqual(scheduler.conditions, [{ type: 'Healthy', status: 'False', error: 'Get "https://127.0.0.1:10259/healthz": dial tcp 127.0.0.1:10259: connect: connection refused' }])
      const manager = await client.get('v1', 'ComponentStatus', undefined, 'controller-manager') as unknown as { conditions: Array<{ status: string }> }
      assert.equal(manager.conditions[0].status, 'True')
    } finally {
      await cp.stop()
    }
  })
})
