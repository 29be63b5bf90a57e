// Pure pieces of the Deployment controller: surge/unavailable arithmetic, the template hash,
// proportional sizes and the status conditions.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { computeStatus, setCondition, newCondition, type DeploymentStatus } from '../../../src/controllers/deployment/conditions.ts'
import { computeHash, fnv32a, safeEncodeString } from '../../../src/controllers/deployment/hash.ts'
import { equalIgnoreHash, maxSurge, maxUnavailable, newRSNewReplicas, resolveFenceposts, scaledValue } from '../../../src/controllers/deployment/util.ts'

const deploy = (replicas: number, rollingUpdate: Record<string, unknown> = {}, type = 'RollingUpdate'): KubeObject =>
  ({ metadata: { name: 'web', generation: 1 }, spec: { replicas, strategy: { type, rollingUpdate } } })
const rs = (replicas: number, available = 0): KubeObject =>
  ({ metadata: { name: `rs-${replicas}` }, spec: { replicas }, status: { replicas, availableReplicas: available } })

describe('controllers/deployment units', () => {
  const fenceposts: Array<[string, KubeObject, { surge: number, unavailable: number }]> = [
    ['the 25% defaults of 10 replicas: surge 2.5 rounds up to 3, unavailable 2.5 down to 2', deploy(10), { surge: 3, unavailable: 2 }],
    ['25% of 3: surge 1, unavailable 0', deploy(3), { surge: 1, unavailable: 0 }],
    ['both zero would deadlock, so unavailable becomes 1', deploy(3, { maxSurge: 0, maxUnavailable: 0 }), { surge: 0, unavailable: 1 }],
    ['integers are taken as they are', deploy(4, { maxSurge: 2, maxUnavailable: 1 }), { surge: 2, unavailable: 1 }],
    ['"50%" of 5: surge 3, unavailable 2', deploy(5, { maxSurge: '50%', maxUnavailable: '50%' }), { surge: 3, unavailable: 2 }],
  ]
  for (const [name, d, want] of fenceposts) it(name, () => assert.deepEqual(resolveFenceposts(d), want))

  it('maxUnavailable is capped at replicas and zero for Recreate; maxSurge is zero for Recreate', () => {
    assert.equal(maxUnavailable(deploy(2, { maxUnavailable: 5 })), 2)
    assert.equal(maxUnavailable(deploy(2, {}, 'Recreate')), 0)
    assert.equal(maxSurge(deploy(2, {}, 'Recreate')), 0)
    assert.equal(scaledValue('33%', 10, true), 4)
    assert.equal(scaledValue('33%', 10, false), 3)
  })

  it('the new ReplicaSet grows only within the surge', () => {
    const d = deploy(3)
    assert.equal(newRSNewReplicas(d, [rs(3), rs(0)], rs(0)), 1, '3 + 1 surge allowed, 3 running')
    assert.equal(newRSNewReplicas(d, [rs(2), rs(1)], rs(1)), 2)
    assert.equal(newRSNewReplicas(d, [rs(3), rs(1)], rs(1)), 1, 'at the limit: unchanged')
    assert.equal(newRSNewReplicas(deploy(3, {}, 'Recreate'), [rs(0)], rs(0)), 3)
  })

  it('hashes with FNV-32a and prints the decimal sum safe-encoded', () => {
    assert.equal(fnv32a(new TextEncoder().encode('')), 0x811c9dc5)
    assert.equal(fnv32a(new TextEncoder().encode('a')), 0xe40c292c)
    assert.equal(safeEncodeString('0123456789'), '456789bcdf', 'digits land on 4…9, b…f, as in real hashes like 6d75fdc9c7')
    const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }
    assert.equal(computeHash(t), computeHash(structuredClone(t)))
    assert.notEqual(computeHash(t), computeHash(t, 1))
    assert.ok(computeHash(t).length <= 10)
  })

  it('compares templates ignoring pod-template-hash', () => {
    const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }
    assert.ok(equalIgnoreHash(t, { ...t, metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } }))
    assert.ok(!equalIgnoreHash(t, { ...t, spec: { containers: [{ name: 'web', image: 'nginx:2' }] } }))
  })

  it('Available follows maxUnavailable; counts sum over the ReplicaSets', () => {
    const st = computeStatus([rs(2, 2), rs(2, 1)], rs(2, 1), deploy(4), Date.parse('2025-01-01T00:00:00Z'))
    assert.deepEqual(st, {
      observedGeneration: 1, replicas: 4, updatedReplicas: 2, availableReplicas: 3, unavailableReplicas: 1,
      conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }],
    })
    assert.equal(computeStatus([rs(4, 2)], undefined, deploy(4), 0).conditions?.[0].reason, 'MinimumReplicasUnavailable')
  })

  it('a condition with the same status and reason is left alone; a new one goes last', () => {
    const st: DeploymentStatus = { conditions: [newCondition('Progressing', 'True', 'A', 'a', 0), newCondition('Available', 'True', 'B', 'b', 0)] }
    setCondition(st, newCondition('Progressing', 'True', 'A', 'changed', 5000))
    assert.equal(st.conditions?.[0].message, 'a')
    setCondition(st, newCondition('Progressing', 'True', 'C', 'c', 5000))
    assert.deepEqual(st.conditions?.map(c => `${c.type} ${c.reason} ${c.lastTransitionTime}`), ['Available B 1970-01-01T00:00:00Z', 'Progressing C 1970-01-01T00:00:00Z'])
  })
})
