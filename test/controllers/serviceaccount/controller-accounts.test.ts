// kube-controller-manager with --use-service-account-credentials (as k3s runs it): each
// controller's ServiceAccount exists in kube-system from the start, bare (no Secrets), created
// once even when asked again (a restart).
import assert from 'node:assert/strict'
import { Cluster } from '../../../src/index.ts'
import { ADDON_NAMES } from '../../../src/addons/manifests/index.ts'
import { CONTROLLER_SERVICE_ACCOUNTS, ensureControllerServiceAccounts } from '../../../src/controllers/serviceaccount/controller-accounts.ts'

type Json = Record<string, any>

describe('kube-controller-manager\'s ServiceAccounts', () => {
  it('exist in kube-system from the start, one per controller, with nothing but a name; asking again creates none', async () => {
    const cluster = await Cluster.start({ clock: 'virtual', disable: [...ADDON_NAMES] })
    try {
      const list = async (): Promise<Json[]> => (await cluster.client.list('v1', 'ServiceAccount', { namespace: 'kube-system' })).items as Json[]
      const names = (await list()).map(sa => sa.metadata.name)
      assert.deepEqual(names, [...CONTROLLER_SERVICE_ACCOUNTS, 'default'].sort())
      assert.ok(names.includes('generic-garbage-collector') && names.includes('node-controller') && !names.includes('taint-eviction-controller'))
      const gc = (await list()).find(sa => sa.metadata.name === 'generic-garbage-collector')!
      // Nothing but a name: no labels, no Secrets, and no managed fields (an empty field set is dropped).
      assert.deepEqual([gc.metadata.labels, gc.secrets, gc.metadata.managedFields], [undefined, undefined, undefined])
      const before = (await list()).map(sa => sa.metadata.resourceVersion)
      await ensureControllerServiceAccounts(cluster.client)
      assert.deepEqual((await list()).map(sa => sa.metadata.resourceVersion), before)
    } finally {
      await cluster.stop()
    }
  })
})
