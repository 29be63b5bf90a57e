// The scheduler in a whole cluster, in virtual time: placement by score, taints and selectors,
// the exact FailedScheduling messages, pods left to another scheduler, and preemption.
import assert from 'node:assert/strict'
import { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'

type Json = Record<string, any>

const pod = (name: string, spec: Json = {}, cpu = '1'): any => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu } } }], ...spec },
})

describe('scheduler', () => {
  let cluster: Cluster
  afterEach(async () => { await cluster.stop() })
  const get = async (name: string): Promise<Json> => await cluster.client.get('v1', 'Pod', 'default', name) as Json
  const message = async (name: string): Promise<string> => (await get(name)).status.conditions.find((c: Json) => c.type === 'PodScheduled').message

  it('spreads pods by LeastAllocated: the emptier node wins', async () => {
    cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 1, clock: 'virtual', node: { cpu: '4', memory: '8Gi' }, seed: 2 })
    await cluster.client.create(pod('a', {}, '3'))
    await cluster.settle()
    const first = (await get('a')).spec.nodeName
    await cluster.client.create(pod('b', {}, '1'))
    await cluster.settle()
    assert.notEqual((await get('b')).spec.nodeName, first)
    assert.equal(cluster.events({ name: 'b', reason: 'Scheduled' }).length, 1)
  })

  it('explains a failure across nodes with upstream\'s sorted reason histogram', async () => {
    cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 2, clock: 'virtual', node: { cpu: '1', memory: '1Gi' }, seed: 2 })
    await cluster.client.patch('v1', 'Node', undefined, 'k3sim-k3s-default-server-0', { spec: { taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoExecute' }] } })
    await cluster.client.create(pod('picky', { nodeSelector: { disk: 'ssd' } }))
    await cluster.settle()
    assert.equal(await message('picky'), '0/3 nodes are available: 1 node(s) had untolerated taint {CriticalAddonsOnly: true}, 2 node(s) didn\'t match Pod\'s node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.')
    const explained = cluster.scheduler.explain({ metadata: { namespace: 'default', name: 'picky' } })!
    assert.equal(explained.filters['k3sim-k3s-default-agent-0'].plugin, 'NodeAffinity')
  })

  it('records through events.k8s.io/v1 as kube-scheduler: eventTime, reportingInstance, no source or count; one FailedScheduling per attempt, none for its own status write', async () => {
    cluster = await Cluster.start({ disable: [...ADDON_NAMES], clock: 'virtual', node: { cpu: '1', memory: '1Gi' }, seed: 2 })
    await cluster.client.create(pod('fits', {}, '100m'))
    await cluster.client.create(pod('huge', {}, '8'))
    await cluster.settle()
    const scheduled = cluster.events({ name: 'fits', reason: 'Scheduled' }) as Json[]
    assert.equal(scheduled.length, 1)
    const e = scheduled[0]
    assert.match(e.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    assert.deepEqual([e.reportingComponent, e.reportingInstance, e.action, e.source, e.count, e.firstTimestamp, e.lastTimestamp],
      ['default-scheduler', 'default-scheduler-k3sim-k3s-default-server-0', 'Binding', undefined, undefined, undefined, undefined])
    const read = await cluster.client.get('events.k8s.io/v1', 'Event', 'default', e.metadata.name) as Json
    assert.deepEqual([read.note, read.regarding.name, read.reportingController], ['Successfully assigned default/fits to k3sim-k3s-default-server-0', 'fits', 'default-scheduler'])
    // Its own PodScheduled condition does not send the pod back to be tried again at once.
    assert.equal(cluster.events({ name: 'huge', reason: 'FailedScheduling' }).length, 1)
  })

  it('with the explain annotation on, a failure is still tried once (its own annotation write is no change to retry for)', async () => {
    cluster = await Cluster.start({ disable: [...ADDON_NAMES], clock: 'virtual', node: { cpu: '1', memory: '1Gi' }, seed: 2, scheduler: { explainAnnotation: true } })
    await cluster.client.create(pod('huge', {}, '8'))
    await cluster.settle()
    assert.equal(cluster.events({ name: 'huge', reason: 'FailedScheduling' }).length, 1)
    assert.ok((await get('huge')).metadata.annotations['k3sim.io/scheduling-explain'] !== undefined)
  })

  it('leaves pods for another scheduler alone', async () => {
    cluster = await Cluster.start({ disable: [...ADDON_NAMES], clock: 'virtual', seed: 2 })
    await cluster.client.create(pod('custom', { schedulerName: 'my-scheduler' }))
    await cluster.settle()
    const p = await get('custom')
    assert.deepEqual([p.spec.nodeName, p.status.conditions], [undefined, undefined])
  })

  it('preempts a lower-priority pod: the victim is evicted with upstream\'s event and condition', async () => {
    cluster = await Cluster.start({ disable: [...ADDON_NAMES], clock: 'virtual', node: { cpu: '2', memory: '4Gi' }, seed: 2 })
    await cluster.client.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as any)
    await cluster.client.create(pod('low', {}, '2'))
    await cluster.settle()
    await cluster.client.create(pod('urgent', { priorityClassName: 'high' }, '2'))
    assert.equal((await get('urgent')).spec.priority, 1000, 'the Priority admission resolved the class')
    await cluster.settle()
    await cluster.clock.advance('40s')
    const events = cluster.events({ name: 'low', reason: 'Preempted' })
    assert.equal(events.length, 1)
    assert.match((events[0] as Json).message, /^Preempted by pod [0-9a-f-]{36} on node k3sim-k3s-default-server-0$/)
    await assert.rejects(get('low'), /not found/)
    const urgent = await get('urgent')
    assert.deepEqual([urgent.spec.nodeName, urgent.status.phase], ['k3sim-k3s-default-server-0', 'Running'])
  })
})

describe('scheduler profiles', () => {
  it('reads a KubeSchedulerConfiguration: disabled plugins, weights, args', async () => {
    const { schedulerConfigOverrides } = await import('../../src/scheduler/config-file.ts')
    const o = schedulerConfigOverrides({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      profiles: [{ schedulerName: 'default-scheduler', plugins: { score: { disabled: [{ name: 'ImageLocality' }], enabled: [{ name: 'NodeResourcesFit', weight: 5 }] } }, pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }] }],
    })
    assert.deepEqual([o.disabled, o.weights, o.pluginConfig?.NodeResourcesFit], [['ImageLocality'], { NodeResourcesFit: 5 }, { scoringStrategy: { type: 'MostAllocated' } }])
    assert.throws(() => schedulerConfigOverrides({ kind: 'Nope' }), /kind must be KubeSchedulerConfiguration/)
  })

  it('packs pods with MostAllocated when the profile says so', async () => {
    const cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 1, clock: 'virtual', node: { cpu: '4', memory: '8Gi' }, seed: 2, scheduler: { pluginConfig: { NodeResourcesFit: { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } } } } })
    try {
      await cluster.client.create(pod('a', {}, '1'))
      await cluster.settle()
      await cluster.client.create(pod('b', {}, '1'))
      await cluster.settle()
      const node = async (n: string): Promise<string> => ((await cluster.client.get('v1', 'Pod', 'default', n)) as Json).spec.nodeName
      assert.equal(await node('b'), await node('a'))
    } finally {
      await cluster.stop()
    }
  })
})

describe('scheduler explain annotation', () => {
  it('writes each attempt\'s per-node results to the pod when asked', async () => {
    const cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 1, clock: 'virtual', node: { cpu: '1', memory: '1Gi' }, seed: 2, scheduler: { explainAnnotation: true } })
    try {
      await cluster.client.create(pod('big', {}, '2'))
      await cluster.settle()
      const annotation = ((await cluster.client.get('v1', 'Pod', 'default', 'big')).metadata.annotations ?? {})['k3sim.io/scheduling-explain']
      const explained = JSON.parse(annotation!)
      assert.deepEqual(explained.filters['k3sim-k3s-default-agent-0'], { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] })
    } finally {
      await cluster.stop()
    }
  })
})

describe('scheduler: volume binding', () => {
  it('waits for a missing claim, follows WaitForFirstConsumer claims, honours a volume\'s node affinity', async () => {
    const cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 1, clock: 'virtual', node: { cpu: '2', memory: '4Gi' }, seed: 4 })
    try {
      const withClaim = (name: string, claim: string): any => pod(name, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] }, '100m')
      await cluster.client.create(withClaim('no-claim', 'missing'))
      await cluster.settle()
      const cond = ((await cluster.client.get('v1', 'Pod', 'default', 'no-claim')).status as Json).conditions.find((c: Json) => c.type === 'PodScheduled')
      assert.equal(cond.message, '0/2 nodes are available: persistentvolumeclaim "missing" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.')
      await cluster.client.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-path' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete' } as any)
      await cluster.client.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'wffc', namespace: 'default' }, spec: { storageClassName: 'local-path', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as any)
      await cluster.client.create(withClaim('late', 'wffc'))
      await cluster.settle()
      const late = await cluster.client.get('v1', 'Pod', 'default', 'late') as Json
      const pvc = await cluster.client.get('v1', 'PersistentVolumeClaim', 'default', 'wffc')
      assert.equal(pvc.metadata.annotations?.['volume.kubernetes.io/selected-node'], late.spec.nodeName)
      await cluster.client.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-agent' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['k3sim-k3s-default-agent-0'] }] }] } } } } as any)
      await cluster.client.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'bound', namespace: 'default' }, spec: { volumeName: 'pv-agent', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as any)
      for (let i = 0; i < 3; i++) {
        await cluster.client.create(withClaim(`pinned-${i}`, 'bound'))
        await cluster.settle()
        assert.equal(((await cluster.client.get('v1', 'Pod', 'default', `pinned-${i}`)) as Json).spec.nodeName, 'k3sim-k3s-default-agent-0')
      }
    } finally {
      await cluster.stop()
    }
  })
})
