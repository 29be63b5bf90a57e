// A value in the store that is not an object's JSON (the etcd API writes anything) is a 500
// naming its key for whoever reads it; watches end with that error as an ERROR event, informers
// back off, and the rest of the cluster goes on (before: watch and informer re-watched each other
// in a loop that never yielded to timers).
import assert from 'node:assert/strict'
import { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import * as ops from '../../src/store/ops.ts'
import type { StatusError } from '../../src/apiserver/errors.ts'
import type { Backend } from '../../src/store/backend.ts'

describe('undecodable stored values', () => {
  it('answer 500 naming the key, end watches with an ERROR event, and stop nothing else', async () => {
    const cluster = await Cluster.start({ agents: 1, clock: 'virtual', disable: [...ADDON_NAMES] })
    try {
      const backend = (cluster as unknown as { cp: { backend: Backend } }).cp.backend
      const watch = await cluster.client.watch('v1', 'ConfigMap', { namespace: 'default', resourceVersion: String(backend.revision) })
      await ops.create(backend, '/registry/configmaps/default/junk', new TextEncoder().encode('not json'), {})
      const events = await watch.next()
      assert.equal(events?.[0].type, 'ERROR')
      assert.equal((events?.[0].object as { code: number }).code, 500)
      await cluster.settle()
      const err = await cluster.client.list('v1', 'ConfigMap', { namespace: 'default' }).then(() => undefined, (e: StatusError) => e)
      assert.equal(err?.code, 500)
      assert.equal(err?.message, 'Internal error occurred: unable to decode "/registry/configmaps/default/junk": Unexpected token \'o\', "not json" is not valid JSON')
      await cluster.client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fine', namespace: 'default' } })
      assert.equal((await cluster.client.list('v1', 'Secret', { namespace: 'default' })).items.length, 1)
    } finally {
      await cluster.stop()
    }
  })
})
