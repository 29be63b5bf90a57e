// The aggregator serves a registered group/version while its APIService says so, read from its
// mirror of the APIServices — or from the store while the mirror is not following (its watch
// ended): the same answers either way.
import assert from 'node:assert/strict'
import { MetricsServer } from '../../src/addons/metrics-server/index.ts'
import { startCore } from '../support/api-core.ts'

describe('aggregated group/versions', () => {
  it('are served while their APIService exists, also when the APIService mirror has stopped', async () => {
    const { core, client } = await startCore()
    const metrics = new MetricsServer({ client, clock: core.clock, targets: () => [] })
    core.aggregator.register(metrics.backend)
    const local = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' }, spec: { group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100 } }
    await client.create(local)
    const list = async (): Promise<number | string> => await client.list('metrics.k8s.io/v1beta1', 'NodeMetrics').then(l => l.items.length, (err: { code?: number }) => `error ${err.code}`)
    assert.equal(await list(), 0)
    core.aggregator.stop()
    assert.equal(await list(), 0, 'read from the store')
    await client.delete('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1beta1.metrics.k8s.io')
    assert.equal(await list(), 'error 404', 'gone from the store: not served')
    metrics.stop()
    core.stop()
  })
})
