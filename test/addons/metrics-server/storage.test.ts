// metrics-server's storage rules: a rate needs two scrapes, fresh containers, restarts, zeros.
import assert from 'node:assert/strict'
import type { NodeUsageSample, PodUsageSample } from '../../../src/api/resource-usage.ts'
import { MetricsStorage } from '../../../src/addons/metrics-server/storage.ts'

const usage = (m: number, mi: number): { cpuNanoCores: number, memoryBytes: number } => ({ cpuNanoCores: m * 1e6, memoryBytes: mi * 1024 * 1024 })

function pod (name: string, startedAt: number, containers: Array<[string, number, number]> = [['app', 5, 10]], uid = `uid-${name}`): PodUsageSample {
  return { namespace: 'default', name, uid, containers: containers.map(([c, m, mi]) => ({ name: c, startedAt, usage: usage(m, mi) })) }
}

function sample (timestamp: number, pods: PodUsageSample[], node = usage(100, 512)): NodeUsageSample {
  return { node: 'n1', timestamp, usage: node, pods }
}

describe('metrics-server storage', () => {
  it('reports a node and a pod only from their second scrape on, with the window between the two', () => {
    const s = new MetricsStorage(15_000)
    s.store([sample(100_000, [pod('web', 0)])])
    assert.equal(s.node('n1'), undefined)
    assert.equal(s.pod('default', 'web'), undefined)
    s.store([sample(115_000, [pod('web', 0)])])
    assert.deepEqual(s.node('n1'), { timestamp: 115_000, windowMs: 15_000, usage: usage(100, 512) })
    const p = s.pod('default', 'web')!
    assert.equal(p.timestamp, 115_000)
    assert.equal(p.windowMs, 15_000)
    assert.deepEqual(p.containers.map(c => c.name), ['app'])
  })

  it('counts a container started 10 s to one resolution before the scrape from its start (freshContainerMinMetricsResolution)', () => {
    const s = new MetricsStorage(15_000)
    s.store([sample(112_000, [pod('fresh', 100_000), pod('newborn', 105_000)])])
    assert.equal(s.pod('default', 'fresh')!.windowMs, 12_000, 'started 12 s before: its start is the first point')
    assert.equal(s.pod('default', 'newborn'), undefined, 'started 7 s before: needs a second scrape')
  })

  it('starts over for a container that restarted between scrapes, and for a new pod of the same name', () => {
    const s = new MetricsStorage(15_000)
    s.store([sample(100_000, [pod('web', 0), pod('db', 0)])])
    s.store([sample(115_000, [pod('web', 110_000), pod('db', 0, undefined, 'other-uid')])])
    assert.equal(s.pod('default', 'web'), undefined)
    assert.equal(s.pod('default', 'db'), undefined)
  })

  it('leaves out a pod until all its containers have two points', () => {
    const s = new MetricsStorage(15_000)
    s.store([sample(100_000, [pod('two', 0, [['a', 1, 1]])])])
    s.store([sample(115_000, [pod('two', 0, [['a', 1, 1], ['b', 1, 1]])])])
    assert.equal(s.pod('default', 'two'), undefined)
  })

  it('drops a pod with any container at zero memory and a node at zero memory, as the decoder does; an idle cpu of 0 is reported', () => {
    const s = new MetricsStorage(15_000)
    const empty = pod('empty', 0, [['a', 5, 10], ['b', 5, 0]])
    const idle = pod('idle', 0, [['a', 0, 10]])
    s.store([sample(100_000, [empty, idle], usage(0, 0)), { ...sample(100_000, [], usage(0, 64)), node: 'n2' }])
    s.store([sample(115_000, [empty, idle], usage(0, 0)), { ...sample(115_000, [], usage(0, 64)), node: 'n2' }])
    assert.equal(s.pod('default', 'empty'), undefined)
    assert.equal(s.pod('default', 'idle')!.containers[0].point.usage.cpuNanoCores, 0)
    assert.equal(s.node('n1'), undefined)
    assert.equal(s.node('n2')!.usage.cpuNanoCores, 0)
  })

  it('forgets what a scrape did not see (a node that went down, a pod that stopped)', () => {
    const s = new MetricsStorage(15_000)
    s.store([sample(100_000, [pod('web', 0)])])
    s.store([sample(115_000, [pod('web', 0)])])
    s.store([])
    assert.equal(s.node('n1'), undefined)
    assert.equal(s.pod('default', 'web'), undefined)
  })
})
