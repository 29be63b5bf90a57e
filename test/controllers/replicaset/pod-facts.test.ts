// The facts a ReplicaSet's sync remembers of its pods (pod-facts.ts) answer as the pods
// themselves would: claiming from them finds what claim() finds, and the status counted from
// them is the status counted afresh, however the pods, the selector and the template change.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import type { Client } from '../../../src/client/client.ts'
import { claim } from '../../../src/controllers/replicaset/controller-ref.ts'
import { PodFactsCache } from '../../../src/controllers/replicaset/pod-facts.ts'
import { isPodActive } from '../../../src/controllers/replicaset/pods.ts'
import { computeStatus } from '../../../src/controllers/replicaset/status.ts'
import { claimedAsIs } from '../../../src/controllers/replicaset/sync.ts'
import { uniform } from '../../support/random.ts'

const NOW = Date.parse('2025-01-01T01:00:00Z')
const RS_UID = 'rs-uid'

const rng = uniform

function randomPod (r: () => number, i: number): KubeObject {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]
  const owner = pick([RS_UID, RS_UID, RS_UID, 'other-uid', undefined])
  const labels = pick([{ app: 'web' }, { app: 'web', tier: 'a' }, { app: 'db' }, undefined])
  const ready = pick(['True', 'False', undefined])
  return Object.freeze({
    metadata: {
      name: `p${i}`,
      namespace: 'default',
      ...(labels === undefined ? {} : { labels }),
      ...(owner === undefined ? {} : { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: pick([true, true, false]) }] }),
      ...(r() < 0.1 ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    status: {
      phase: pick(['Running', 'Running', 'Pending', 'Succeeded', 'Failed']),
      ...(ready === undefined ? {} : { conditions: [{ type: 'Ready', status: ready, lastTransitionTime: new Date(NOW - Math.floor(r() * 20) * 1000).toISOString() }] }),
    },
  }) as KubeObject
}

function replicaSet (r: () => number): KubeObject {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'rs', namespace: 'default', uid: RS_UID, generation: 2, ...(r() < 0.1 ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: {
      replicas: 3,
      minReadySeconds: pick([0, 5]),
      selector: pick([{ matchLabels: { app: 'web' } }, { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] }, { matchLabels: { app: 'web', tier: 'a' } }]),
      template: { metadata: { labels: pick([{ app: 'web' }, { app: 'web', tier: 'a' }]) } },
    },
  }
}

/** A client that counts the writes claim() makes (adoptions, releases) and answers the owner's re-read. */
function recordingClient (owner: KubeObject): { client: Client, writes: number } {
  const out = { writes: 0, client: undefined as unknown as Client }
  out.client = {
    get: async () => owner,
    patch: async (_v: string, _k: string, _ns: string, name: string) => { out.writes++; return { metadata: { name } } },
  } as unknown as Client
  return out
}

describe('controllers/replicaset pod facts', () => {
  it('claiming from remembered facts finds what claim() finds whenever claim() writes nothing, across 300 generated syncs', async () => {
    const facts = new PodFactsCache()
    let asIs = 0
    let writing = 0
    // Pod objects seen by earlier syncs (remembered, under other selectors) mixed with new ones.
    const pool: KubeObject[] = []
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed)
      const rs = replicaSet(r)
      const fresh = Array.from({ length: 1 + Math.floor(r() * 6) }, (_, i) => randomPod(r, seed * 100 + i))
      const carried = pool.filter(() => r() < 0.3).slice(0, 6)
      const pods = [...carried, ...fresh]
      pool.push(...fresh)
      const selector = facts.selector((rs.spec as { selector: Record<string, unknown> }).selector)
      const fromFacts = claimedAsIs(rs, selector, pods, facts)
      const rec = recordingClient(rs)
      const claimed = await claim({ client: rec.client, owner: rs, selector, apiVersion: 'v1', kind: 'Pod', objects: pods, keep: isPodActive })
      if (rec.writes === 0) {
        asIs++
        assert.deepEqual(fromFacts?.map(p => p.metadata.name), claimed.map(p => p.metadata.name), `seed ${seed}`)
      } else {
        writing++
        assert.equal(fromFacts, undefined, `seed ${seed}: claim() wrote, so the facts must defer to it`)
      }
      // The same pods again, now remembered: the same answer.
      assert.deepEqual(claimedAsIs(rs, selector, pods, facts)?.map(p => p.metadata.name), fromFacts?.map(p => p.metadata.name), `seed ${seed}, second pass`)
    }
    assert.ok(asIs > 20 && writing > 20, `both outcomes generated (${asIs} as is, ${writing} writing)`)
  })

  it('the status counted from remembered facts is the status counted afresh, as selector and template change', () => {
    const facts = new PodFactsCache()
    const r = rng(7)
    const pods = Array.from({ length: 40 }, (_, i) => randomPod(r, i))
    for (let round = 0; round < 50; round++) {
      const rs = replicaSet(r)
      const active = pods.filter(isPodActive)
      assert.deepEqual(computeStatus(rs, active, NOW, undefined, facts), computeStatus(rs, active, NOW), `round ${round}`)
    }
  })

  it('gives the same compiled selector for the same selector, a new one when it changes', () => {
    const facts = new PodFactsCache()
    const a = facts.selector({ matchLabels: { app: 'web' } })
    assert.equal(facts.selector({ matchLabels: { app: 'web' } }), a)
    assert.notEqual(facts.selector({ matchLabels: { app: 'db' } }), a)
    assert.equal(facts.selector({ matchLabels: { app: 'db' } }).matches({ app: 'db' }), true)
    assert.equal(facts.selector(null).matches({ app: 'web' }), false, 'a null selector selects nothing')
    assert.throws(() => facts.selector({ matchExpressions: [{ key: 'app', operator: 'Bogus' as never }] }), /not a valid pod selector operator/)
  })
})
