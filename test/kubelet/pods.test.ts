// The kubelet's pod status as a k3s kubelet writes it, in virtual time: field by field for a
// running pod, completion for restartPolicy Never, crash-loop back-off timing, init containers
// and graceful deletion.
import assert from 'node:assert/strict'
import { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'

type Json = Record<string, any>

const NODE = 'k3sim-k3s-default-agent-0'

function pod (name: string, spec: Json = {}, annotations?: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', annotations }, spec: { nodeName: NODE, containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec } }
}

describe('kubelet: pod status in virtual time', () => {
  let cluster: Cluster
  beforeEach(async () => { cluster = await Cluster.start({ disable: [...ADDON_NAMES], agents: 1, clock: 'virtual', seed: 3 }) })
  afterEach(async () => { await cluster.stop() })

  const get = (name: string): Promise<Json> => cluster.client.get('v1', 'Pod', 'default', name) as Promise<Json>

  it('runs a pod with the status a k3s kubelet writes', async () => {
    await cluster.client.create(pod('web'))
    await cluster.settle()
    const { status } = await get('web')
    assert.equal(status.phase, 'Running')
    assert.deepEqual(status.conditions.map((c: Json) => [c.type, c.status, c.lastProbeTime]), [
      ['PodReadyToStartContainers', 'True', null], ['Initialized', 'True', null], ['Ready', 'True', null], ['ContainersReady', 'True', null], ['PodScheduled', 'True', null],
    ])
    assert.deepEqual([status.hostIP, status.hostIPs, status.podIP, status.podIPs], ['172.18.0.3', [{ ip: '172.18.0.3' }], '10.42.1.2', [{ ip: '10.42.1.2' }]])
    assert.equal(status.qosClass, 'BestEffort')
    const c = status.containerStatuses[0]
    assert.match(c.containerID, /^containerd:\/\/[0-9a-f]{64}$/)
    assert.equal(c.image, 'docker.io/library/nginx:1.27')
    assert.match(c.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/)
    assert.deepEqual([c.name, c.ready, c.started, c.restartCount, c.lastState, Object.keys(c.state)], ['app', true, true, 0, {}, ['running']])
    assert.deepEqual(cluster.events({ name: 'web' }).map((e: Json) => e.reason), ['Pulling', 'Pulled', 'Created', 'Started'])
    assert.deepEqual(cluster.events({ name: 'web', reason: 'Started' }).map((e: Json) => [e.message, e.source.component, e.source.host, e.involvedObject.fieldPath]),
      [['Started container app', 'kubelet', NODE, 'spec.containers{app}']])
  })

  it('completes a restartPolicy Never pod (the default profile runs it to exit 0)', async () => {
    await cluster.client.create(pod('job-pod', { restartPolicy: 'Never' }))
    await cluster.settle()
    const { status } = await get('job-pod')
    assert.equal(status.phase, 'Succeeded')
    const ready = status.conditions.find((c: Json) => c.type === 'Ready')
    assert.deepEqual([ready.status, ready.reason], ['False', 'PodCompleted'])
    assert.deepEqual(status.containerStatuses[0].state.terminated.reason, 'Completed')
    assert.equal(status.containerStatuses[0].state.terminated.exitCode, 0)
  })

  it('backs off a crash-looping container 10 s, 20 s, 40 s, 80 s … as the kubelet does', async () => {
    // crash-loop: each run exits with code 1 after 2 s. The first failure restarts at once; each
    // later one waits the back-off (10 s doubling) from its finish: starts at 0, 2, 14, 36, 78, 160.
    await cluster.client.create(pod('crash', {}, { 'k3sim.io/profile': 'crash-loop' }))
    await cluster.settle()
    const t0 = cluster.clock.now()
    const at = async (seconds: number): Promise<Json> => {
      await cluster.clock.advance(t0 + seconds * 1000 - cluster.clock.now())
      return (await get('crash')).status.containerStatuses[0]
    }
    const expect: Array<[number, number, string]> = [
      [1, 0, 'running'], [3, 1, 'running'], [5, 1, 'CrashLoopBackOff'], [15, 2, 'running'], [20, 2, 'CrashLoopBackOff'],
      [37, 3, 'running'], [77, 3, 'CrashLoopBackOff'], [79, 4, 'running'], [159, 4, 'CrashLoopBackOff'], [161, 5, 'running'],
    ]
    for (const [seconds, restarts, state] of expect) {
      const c = await at(seconds)
      const shown = c.state.waiting?.reason ?? Object.keys(c.state)[0]
      assert.deepEqual([seconds, c.restartCount, shown], [seconds, restarts, state])
    }
    const c = await at(170)
    assert.match(c.state.waiting.message, /^back-off 2m40s restarting failed container=app pod=crash_default\(/)
    assert.deepEqual([c.lastState.terminated.exitCode, c.lastState.terminated.reason], [1, 'Error'])
    assert.equal((await get('crash')).status.phase, 'Running')
    assert.ok(cluster.events({ name: 'crash', reason: 'BackOff', type: 'Warning' }).length > 0)
  })

  it('an image that cannot be pulled: the kubelet\'s events, then ImagePullBackOff', async () => {
    await cluster.client.create(pod('nopull', {}, { 'k3sim.io/profile': 'image-pull-error' }))
    await cluster.settle()
    await cluster.clock.advance('30s')
    const seen = cluster.events({ name: 'nopull' }).map(e => `${e.type} ${e.reason}: ${e.message ?? e.note}`)
    const first = (text: string): number => seen.findIndex(e => e.startsWith(text))
    for (const text of ['Normal Pulling: Pulling image "nginx:1.27"', 'Warning Failed: Failed to pull image "nginx:1.27"', 'Warning Failed: Error: ErrImagePull', 'Normal BackOff: Back-off pulling image "nginx:1.27"', 'Warning Failed: Error: ImagePullBackOff']) {
      assert.ok(first(text) >= 0, `${text} in\n${seen.join('\n')}`)
    }
    assert.ok(first('Normal BackOff') < first('Warning Failed: Error: ImagePullBackOff'))
    assert.equal((await get('nopull')).status.containerStatuses[0].state.waiting.reason, 'ImagePullBackOff')
  })

  it('runs init containers first, in order', async () => {
    await cluster.client.create(pod('init', { initContainers: [{ name: 'one', image: 'busybox' }, { name: 'two', image: 'busybox' }] }))
    await cluster.settle()
    const { status } = await get('init')
    assert.equal(status.phase, 'Running')
    assert.deepEqual(status.initContainerStatuses.map((c: Json) => [c.name, c.state.terminated?.reason]), [['one', 'Completed'], ['two', 'Completed']])
    const started = cluster.events({ name: 'init', reason: 'Started' }).map((e: Json) => e.message)
    assert.deepEqual(started, ['Started container one', 'Started container two', 'Started container app'])
  })

  it('lists container statuses by name (SortedContainerStatuses), init containers in the spec\'s order', async () => {
    await cluster.client.create(pod('two', { initContainers: [{ name: 'z-init', image: 'busybox' }, { name: 'a-init', image: 'busybox' }], containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'app', image: 'nginx:1.27' }] }))
    await cluster.settle()
    const { status } = await get('two')
    assert.deepEqual(status.containerStatuses.map((c: Json) => c.name), ['app', 'web'])
    assert.deepEqual(status.initContainerStatuses.map((c: Json) => c.name), ['z-init', 'a-init'])
  })

  it('starts an ephemeral container once, its events at spec.ephemeralContainers{…}, its status not ready and without `started`', async () => {
    await cluster.client.create(pod('debugged'))
    await cluster.settle()
    const add = (name: string, extra: Json = {}): Promise<unknown> => cluster.client.patch('v1', 'Pod', 'default', 'debugged', { spec: { ephemeralContainers: [{ name, image: 'busybox:1.36', ...extra }] } }, { subresource: 'ephemeralcontainers', type: 'strategic' })
    await add('zz-dbg', { targetContainerName: 'app' })
    await add('dbg')
    await cluster.settle()
    const { status } = await get('debugged')
    assert.equal(status.phase, 'Running')
    assert.deepEqual(status.ephemeralContainerStatuses.map((c: Json) => [c.name, Object.keys(c.state)[0], c.ready, c.restartCount, 'started' in c]), [['dbg', 'running', false, 0, false], ['zz-dbg', 'running', false, 0, false]])
    assert.match(status.ephemeralContainerStatuses[0].containerID, /^containerd:\/\/[0-9a-f]{64}$/)
    assert.deepEqual(Object.keys(status).slice(-2), ['qosClass', 'ephemeralContainerStatuses'])
    assert.deepEqual(cluster.events({ name: 'debugged' }).filter((e: Json) => e.involvedObject.fieldPath === 'spec.ephemeralContainers{dbg}').map((e: Json) => `${e.reason}: ${e.message}`),
      ['Pulled: Container image "busybox:1.36" already present on machine', 'Created: Created container: dbg', 'Started: Started container dbg'])
    // Every later sync leaves it be: one start each.
    await cluster.clock.advance('5m')
    assert.equal(cluster.events({ name: 'debugged', reason: 'Started' }).length, 3)
  })

  const addDebugger = (pod: string): Promise<unknown> => cluster.client.patch('v1', 'Pod', 'default', pod, { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] } }, { subresource: 'ephemeralcontainers', type: 'strategic' })

  it('an ephemeral container that exits stays exited (never restarted, whatever the pod\'s restartPolicy)', async () => {
    await cluster.client.create(pod('short-debug', {}, { 'k3sim.io/profile-inline': '{containers: {dbg: {exitAfter: 1s}}}' }))
    await cluster.settle()
    await addDebugger('short-debug')
    await cluster.settle()
    await cluster.clock.advance('5m')
    const { status } = await get('short-debug')
    assert.deepEqual([status.phase, status.ephemeralContainerStatuses[0].state.terminated?.reason, status.ephemeralContainerStatuses[0].restartCount], ['Running', 'Completed', 0])
    assert.equal(cluster.events({ name: 'short-debug', reason: 'Started' }).filter((e: Json) => e.involvedObject.fieldPath === 'spec.ephemeralContainers{dbg}').length, 1)
  })

  it('a pod that completes stops the ephemeral containers still running, as SyncTerminatingPod', async () => {
    await cluster.client.create(pod('job-debug', { restartPolicy: 'Never' }, { 'k3sim.io/profile-inline': '{containers: {app: {exitAfter: 1m}, dbg: {exitAfter: 1h}}}' }))
    await cluster.settle()
    await addDebugger('job-debug')
    await cluster.settle()
    assert.equal(Object.keys((await get('job-debug')).status.ephemeralContainerStatuses[0].state)[0], 'running')
    await cluster.clock.advance('61s')
    const { status } = await get('job-debug')
    assert.equal(status.phase, 'Succeeded')
    assert.equal(Object.keys(status.ephemeralContainerStatuses[0].state)[0], 'terminated')
  })

  it('a pod on the node\'s network has the node\'s IP and takes none of the node\'s pod IPs', async () => {
    await cluster.client.create(pod('on-host', { hostNetwork: true }))
    await cluster.settle()
    await cluster.client.create(pod('after'))
    await cluster.settle()
    const onHost = (await get('on-host')).status
    assert.deepEqual([onHost.podIP, onHost.podIPs, onHost.hostIP], ['172.18.0.3', [{ ip: '172.18.0.3' }], '172.18.0.3'])
    assert.equal((await get('after')).status.podIP, '10.42.1.2')
  })

  it('a pod given a terminal phase keeps it: its containers are stopped, the phase never goes back', async () => {
    await cluster.client.create(pod('marked'))
    await cluster.settle()
    const p = await get('marked')
    await cluster.client.update({ ...p, status: { ...p.status, phase: 'Succeeded' } } as any, { subresource: 'status' })
    await cluster.settle()
    await cluster.clock.advance('1m')
    const { status } = await get('marked')
    assert.deepEqual([status.phase, Object.keys(status.containerStatuses[0].state)[0]], ['Succeeded', 'terminated'])
  })

  it('an ephemeral container whose target has no container yet fails as kuberuntime\'s getTargetID', async () => {
    await cluster.client.create(pod('stuck', { containers: [{ name: 'app', image: 'not-on-this-node:1', imagePullPolicy: 'Never' }] }))
    await cluster.settle()
    await cluster.client.patch('v1', 'Pod', 'default', 'stuck', { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox', targetContainerName: 'app' }] } }, { subresource: 'ephemeralcontainers', type: 'strategic' })
    await cluster.settle()
    const failed = cluster.events({ name: 'stuck', reason: 'Failed' }).filter((e: Json) => e.involvedObject.fieldPath === 'spec.ephemeralContainers{dbg}').map((e: Json) => e.message)
    assert.deepEqual([...new Set(failed)], ['Error: unable to find target container app'])
    // Retried, and still saying why (never CrashLoopBackOff: it never ran).
    await cluster.clock.advance('30s')
    const s = (await get('stuck')).status.ephemeralContainerStatuses[0]
    assert.deepEqual([s.name, s.state.waiting.reason, s.state.waiting.message], ['dbg', 'CreateContainerConfigError', 'unable to find target container app'])
    const repeated = cluster.events({ name: 'stuck', reason: 'Failed' }).find((e: Json) => e.involvedObject.fieldPath === 'spec.ephemeralContainers{dbg}') as Json
    assert.ok(repeated.count > 1, `retried: count ${repeated.count}`)
  })

  it('fails a pod past its activeDeadlineSeconds', async () => {
    await cluster.client.create(pod('deadline', { activeDeadlineSeconds: 30 }))
    await cluster.settle()
    assert.equal((await get('deadline')).status.phase, 'Running')
    await cluster.clock.advance('31s')
    const { status } = await get('deadline')
    assert.deepEqual([status.phase, status.reason, status.message], ['Failed', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline'])
  })

  it('reports an unknown lifecycle profile as upstream reports a failed sandbox', async () => {
    await cluster.client.create(pod('bad-profile', {}, { 'k3sim.io/profile': 'no-such-profile' }))
    await cluster.settle()
    const { status } = await get('bad-profile')
    assert.equal(status.phase, 'Pending')
    assert.equal(status.containerStatuses[0].state.waiting.reason, 'ContainerCreating')
    const e = cluster.events({ name: 'bad-profile', reason: 'FailedCreatePodSandBox' })[0] as Json
    assert.equal(e.type, 'Warning')
    assert.match(e.message, /^Failed to create pod sandbox: unknown lifecycle profile "no-such-profile"; known: default, /)
  })

  it('refuses a node name that is taken or invalid, and sizes that are not quantities', async () => {
    await assert.rejects(cluster.addNode({ name: NODE }), /node "k3sim-k3s-default-agent-0" already exists in this cluster; choose another name/)
    await assert.rejects(cluster.addNode({ name: 'Bad_Name' }), /invalid node name "Bad_Name"/)
    await assert.rejects(cluster.addNode({ name: 'n2', cpu: 'lots' }), /node cpu "lots" is not a quantity/)
  })

  it('finishes a graceful deletion: Killing, then the pod is gone', async () => {
    await cluster.client.create(pod('bye'))
    await cluster.settle()
    await cluster.client.delete('v1', 'Pod', 'default', 'bye')
    await cluster.settle()
    await assert.rejects(get('bye'), /not found/)
    assert.deepEqual(cluster.events({ name: 'bye', reason: 'Killing' }).map((e: Json) => e.message), ['Stopping container app'])
  })
})
