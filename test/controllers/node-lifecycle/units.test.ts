// The pure parts: toleration matching, health decisions, zone states and the tainting limiter.
import assert from 'node:assert/strict'
import { rfc3339, rfc3339Micro } from '../../../src/api/object.ts'
import { tryUpdateNodeHealth, type HealthConfig, type NodeHealth } from '../../../src/controllers/node-lifecycle/health.ts'
import { noScheduleTaintDiff } from '../../../src/controllers/node-lifecycle/taints.ts'
import { matchingTolerations, minTolerationMs, toleratesTaint } from '../../../src/controllers/node-lifecycle/tolerations.ts'
import type { Lease, Node, Taint, Toleration } from '../../../src/controllers/node-lifecycle/types.ts'
import { computeZoneState, zoneKey, ZoneTainter } from '../../../src/controllers/node-lifecycle/zones.ts'

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }
const dedicated: Taint = { key: 'dedicated', value: 'db', effect: 'NoExecute' }

describe('controllers/node-lifecycle: tolerations', () => {
  const cases: Array<[string, Toleration, Taint, boolean]> = [
    ['Exists with no key tolerates every taint', { operator: 'Exists' }, dedicated, true],
    ['Exists with the key ignores the value', { key: 'dedicated', operator: 'Exists' }, dedicated, true],
    ['empty operator means Equal and compares values', { key: 'dedicated', value: 'db' }, dedicated, true],
    ['Equal with another value does not tolerate', { key: 'dedicated', operator: 'Equal', value: 'web' }, dedicated, false],
    ['another effect does not tolerate', { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, dedicated, false],
    ['an empty effect tolerates any effect', { key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, unreachable, true],
    ['an unknown operator tolerates nothing', { key: 'dedicated', operator: 'Gt', value: 'db' }, dedicated, false],
  ]
  for (const [name, toleration, taint, want] of cases) it(name, () => assert.equal(toleratesTaint(toleration, taint), want))

  it('uses the first matching toleration per taint and the smallest seconds among them', () => {
    const tolerations: Toleration[] = [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { operator: 'Exists' },
      { key: 'dedicated', operator: 'Exists', tolerationSeconds: 30 },
    ]
    const { all, used } = matchingTolerations([unreachable, dedicated], tolerations)
    assert.equal(all, true)
    assert.deepEqual(used, [tolerations[0], tolerations[1]])
    assert.equal(minTolerationMs(used), 300_000)
  })

  it('no seconds anywhere is forever (-1); zero or negative seconds is now; an untolerated taint fails', () => {
    assert.equal(minTolerationMs([{ operator: 'Exists' }]), -1)
    assert.equal(minTolerationMs([{ operator: 'Exists', tolerationSeconds: 600 }, { operator: 'Exists', tolerationSeconds: -5 }]), 0)
    assert.equal(minTolerationMs([]), 0)
    assert.deepEqual(matchingTolerations([dedicated], [{ key: 'other', operator: 'Exists' }]), { all: false, used: [] })
  })
})

describe('controllers/node-lifecycle: node health', () => {
  const T = Date.UTC(2025, 0, 1)
  const config: HealthConfig = { gracePeriodMs: 50_000, startupGracePeriodMs: 60_000 }
  const node = (heartbeat: number | undefined): Node => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n', creationTimestamp: rfc3339(T) },
    status: heartbeat === undefined
      ? {}
      : { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: rfc3339(heartbeat), lastTransitionTime: rfc3339(T) }] },
  })
  const lease = (renew: number): Lease => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n' }, spec: { renewTime: rfc3339Micro(renew) } })

  it('first sight assumes a heartbeat now; silence is judged from when a change was observed', () => {
    let saved: NodeHealth | undefined
    const pass = (now: number, l?: Lease, hb = T) => {
      const r = tryUpdateNodeHealth(node(hb), l, saved, now, config)
      saved = r.update?.health ?? r.health
      return r
    }
    assert.equal(pass(T + 1000).update, undefined)
    assert.equal(saved?.probeTimestamp, T + 1000)
    // A renewal seen at +20 s moves the probe to +20 s, whatever renewTime says.
    assert.equal(pass(T + 20_000, lease(T + 12_000)).update, undefined)
    assert.equal(saved?.probeTimestamp, T + 20_000)
    assert.equal(pass(T + 70_000, lease(T + 12_000)).update, undefined) // exactly 50 s: not yet
    const r = pass(T + 70_001, lease(T + 12_000))
    assert.equal(r.observedReady.status, 'True')
    assert.equal(r.currentReady?.status, 'Unknown')
    assert.equal(r.update?.node.status?.conditions?.length, 4)
  })

  it('a node that never posted gets the startup grace period from its creation', () => {
    const early = tryUpdateNodeHealth(node(undefined), undefined, undefined, T + 60_000, config)
    assert.equal(early.update, undefined)
    assert.equal(early.currentReady, undefined)
    assert.equal(early.observedReady.status, 'Unknown')
    const late = tryUpdateNodeHealth(node(undefined), undefined, early.health, T + 60_001, config)
    assert.deepEqual(late.update?.node.status?.conditions?.map(c => `${c.type}=${c.status}/${c.reason}`), [
      'Ready=Unknown/NodeStatusNeverUpdated', 'MemoryPressure=Unknown/NodeStatusNeverUpdated',
      'DiskPressure=Unknown/NodeStatusNeverUpdated', 'PIDPressure=Unknown/NodeStatusNeverUpdated',
    ])
  })
})

describe('controllers/node-lifecycle: zones and tainting rate', () => {
  const ready = (s: string) => ({ type: 'Ready', status: s })

  it('classifies zones as upstream ComputeZoneState', () => {
    assert.equal(computeZoneState([ready('Unknown')], 0.55).state, 'FullDisruption')
    assert.equal(computeZoneState([ready('True'), undefined, ready('False')], 0.55).state, 'Normal')
    assert.equal(computeZoneState([ready('True'), ready('False'), ready('False'), ready('Unknown')], 0.55).state, 'PartialDisruption')
    assert.equal(computeZoneState([], 0.55).state, 'Normal')
  })

  it('keys zones by region and zone labels, "" without them', () => {
    const n = (labels: Record<string, string>): Node => ({ metadata: { name: 'x', labels } })
    assert.equal(zoneKey(n({})), '')
    assert.equal(zoneKey(n({ 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'z' })), 'r:\u0000:z')
  })

  it('lets one node through per 1/qps seconds, spends a token per attempt, and swaps limiters', async () => {
    const tainter = new ZoneTainter(0.1, 0)
    assert.equal(tainter.add('a', 0), true)
    assert.equal(tainter.add('b', 0), true)
    const done: string[] = []
    await tainter.try(0, async node => { done.push(node); return { done: true } })
    assert.deepEqual(done, ['a'])
    assert.equal(tainter.nextAttemptAt(0), 10_000)
    assert.equal(tainter.add('a', 1), false, 'processed nodes stay in the set')
    await tainter.try(10_000, async node => { done.push(node); return { done: true } })
    assert.deepEqual(done, ['a', 'b'])
    tainter.remove('a')
    assert.equal(tainter.add('a', 10_000), true)
    tainter.swapLimiter(0, 10_000)
    assert.equal(tainter.nextAttemptAt(50_000), undefined, 'the never limiter')
    tainter.swapLimiter(0.1, 50_000) // from "never": the new bucket starts drained
    assert.equal(tainter.nextAttemptAt(50_000), 60_000)
  })

  it('maps conditions and cordoning to NoSchedule taints, leaving other taints alone', () => {
    const n: Node = {
      metadata: { name: 'x' },
      spec: { unschedulable: true, taints: [{ key: 'dedicated', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] },
      status: { conditions: [{ type: 'MemoryPressure', status: 'True' }, { type: 'Ready', status: 'Unknown' }, { type: 'NetworkUnavailable', status: 'False' }] },
    }
    assert.deepEqual(noScheduleTaintDiff(n), {
      add: [
        { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
      ],
      remove: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }],
    })
  })
})
