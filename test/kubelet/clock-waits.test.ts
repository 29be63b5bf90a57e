// A fake runtime's delays (image pull, container start, graceful stop) wait on the cluster clock.
// On a virtual clock a kubelet sync waiting for one is parked, not busy: settle() returns, and
// advance() plays the delays out in order, with the events at the times upstream's kubelet
// records them (Pulling when the pull begins). More parked pods than kubelet workers still all
// progress.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { Cluster } from '../../src/cluster/cluster.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'

type Json = Record<string, any>

const pod = (name: string, profile: string, extra: Json = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations: { 'k3sim.io/profile': profile } },
  spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'registry.example/app:1', ...extra }] },
} as KubeObject)

describe('kubelet syncs waiting on the clock (virtual time)', function () {
  let cluster: Cluster
  beforeEach(async () => {
    cluster = await Cluster.start({
      clock: 'virtual',
      seed: 3,
      disable: [...ADDON_NAMES],
      profiles: { 'slow-stop': { description: 'ignores SIGTERM for 20s', stopDelay: '20s' } },
    })
  })
  afterEach(async () => { await cluster.stop() })

  const events = (name: string): Array<[string, string, number]> => (cluster.events({ name }) as Json[])
    .map(e => [e.reason, e.message, Date.parse(e.lastTimestamp ?? e.eventTime) - start])
  let start = 0
  const phase = async (name: string): Promise<string> => ((await cluster.client.get('v1', 'Pod', 'default', name)).status as Json).phase

  it('pulls, starts and readies six slow-start pods on one node in virtual time; settle() returns meanwhile', async () => {
    start = cluster.clock.now()
    for (let i = 0; i < 6; i++) await cluster.client.create(pod(`p${i}`, 'slow-start'))
    await cluster.settle()
    for (let i = 0; i < 6; i++) {
      assert.equal(await phase(`p${i}`), 'Pending')
      assert.deepEqual(events(`p${i}`).filter(e => e[0] === 'Pulling'), [['Pulling', 'Pulling image "registry.example/app:1"', 0]], `p${i}`)
      assert.ok(!events(`p${i}`).some(e => e[0] === 'Pulled'), `p${i} pulled before its 3s`)
    }
    await cluster.clock.advance('3s')
    const pulled = events('p0').find(e => e[0] === 'Pulled')!
    assert.match(pulled[1], /^Successfully pulled image "registry\.example\/app:1" in 3s \(3s including waiting\)\. Image size: \d+ bytes\.$/)
    assert.equal(pulled[2], 3000)
    await cluster.clock.advance('2s')
    for (let i = 0; i < 6; i++) assert.equal(await phase(`p${i}`), 'Running', `p${i}`)
    assert.deepEqual(events('p5').map(e => [e[0], e[2]]).filter(e => e[0] !== 'Scheduled'), [['Pulling', 0], ['Pulled', 3000], ['Created', 3000], ['Started', 5000]])
    await cluster.clock.advance('10s')
    const ready = (p: Json): boolean => (p.status.conditions as Json[]).some(c => c.type === 'Ready' && c.status === 'True')
    for (let i = 0; i < 6; i++) assert.ok(ready(await cluster.client.get('v1', 'Pod', 'default', `p${i}`)), `p${i} not ready at 15s`)
  })

  it('a graceful stop waits out the program\'s own delay, not the settle', async () => {
    await cluster.client.create(pod('slow', 'slow-stop'))
    await cluster.settle()
    assert.equal(await phase('slow'), 'Running')
    start = cluster.clock.now()
    await cluster.client.delete('v1', 'Pod', 'default', 'slow')
    await cluster.settle()
    assert.ok(events('slow').some(e => e[0] === 'Killing' && e[2] === 0))
    await cluster.clock.advance('19s')
    await cluster.client.get('v1', 'Pod', 'default', 'slow')
    await cluster.clock.advance('2s')
    await assert.rejects(cluster.client.get('v1', 'Pod', 'default', 'slow'), /not found/)
  })

  it('writes the final status (terminal phase, exit codes) before the final delete: a pod a finalizer holds shows how it ended', async () => {
    const held = (name: string, profile: string): KubeObject => ({ ...pod(name, profile), metadata: { ...pod(name, profile).metadata, finalizers: ['example.com/hold'] } })
    await cluster.client.create(held('clean', 'slow-stop'))
    await cluster.client.create({ ...held('killed', 'default'), metadata: { ...held('killed', 'default').metadata, annotations: { 'k3sim.io/profile-inline': '{stopDelay: 5s, stopExitCode: 143}' } } } as KubeObject)
    await cluster.settle()
    for (const name of ['clean', 'killed']) await cluster.client.delete('v1', 'Pod', 'default', name)
    await cluster.clock.advance('25s')
    const view = async (name: string): Promise<unknown> => {
      const p = await cluster.client.get('v1', 'Pod', 'default', name) as Json
      return [p.status.phase, p.status.containerStatuses[0].state.terminated?.exitCode, p.status.conditions.find((c: Json) => c.type === 'Ready').status]
    }
    assert.deepEqual(await view('clean'), ['Succeeded', 0, 'False'])
    assert.deepEqual(await view('killed'), ['Failed', 143, 'False'])
    await cluster.client.patch('v1', 'Pod', 'default', 'killed', { metadata: { finalizers: null } })
    await assert.rejects(cluster.client.get('v1', 'Pod', 'default', 'killed'), /not found/)
  })

  it('a sync stopping several containers at once parks once: other pods still settle Running', async () => {
    const multi = (name: string, n: number, profile: string): KubeObject => ({
      ...pod(name, profile),
      spec: { terminationGracePeriodSeconds: 30, containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'registry.example/app:1' })) },
    } as KubeObject)
    await cluster.client.create(multi('two', 2, 'slow-stop'))
    await cluster.settle()
    await cluster.client.delete('v1', 'Pod', 'default', 'two')
    await cluster.settle()
    await cluster.client.create(multi('other', 6, 'default'))
    await cluster.settle()
    assert.equal(await phase('other'), 'Running')
  })

  it('a kubelet restarted during a graceful stop waits for it parked: settle() and advance() still work', async () => {
    await cluster.client.create(pod('p', 'slow-stop'))
    await cluster.settle()
    await cluster.client.delete('v1', 'Pod', 'default', 'p')
    await cluster.settle()
    const node = ((await cluster.client.get('v1', 'Pod', 'default', 'p')).spec as Json).nodeName
    await cluster.stopNode(node)
    await cluster.startNode(node)
    await cluster.settle()
    await cluster.clock.advance('25s')
    await assert.rejects(cluster.client.get('v1', 'Pod', 'default', 'p'), /not found/)
  })

  it('an image absent with pullPolicy Never: ErrImageNeverPull, no Pulling', async () => {
    await cluster.client.create(pod('never', 'default', { imagePullPolicy: 'Never' }))
    await cluster.settle()
    const seen = (cluster.events({ name: 'never' }) as Json[]).map(e => [e.type, e.reason, e.message])
    assert.deepEqual(seen.filter(e => e[1] !== 'Scheduled').slice(0, 2), [
      ['Warning', 'ErrImageNeverPull', 'Container image "registry.example/app:1" is not present with pull policy of Never'],
      ['Warning', 'Failed', 'Error: ErrImageNeverPull'],
    ])
    assert.ok(!seen.some(e => e[1] === 'Pulling'))
  })
  it('an idle kubelet holds no worker loops: they start with work and end with it, parked ones included', async () => {
    const kubelet = (): { workers: number, parked: number } => (cluster as unknown as { pool: { get: (n: string) => { kubelet: { workers: number, parked: number } } } }).pool.get(cluster.nodes()[0].name).kubelet
    await cluster.settle()
    assert.equal(kubelet().workers, 0, 'idle after start')
    for (let i = 0; i < 6; i++) await cluster.client.create(pod(`p${i}`, 'slow-start'))
    await cluster.settle()
    assert.ok(kubelet().workers > 0 && kubelet().workers === kubelet().parked, 'only the parked syncs hold workers')
    await cluster.clock.advance('10s')
    for (let i = 0; i < 6; i++) assert.equal(await phase(`p${i}`), 'Running')
    assert.equal(kubelet().workers, 0, 'idle again')
  })
})
