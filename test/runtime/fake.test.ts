// The Runtime contract run against FakeRuntime, whose behaviours are inline lifecycle profiles,
// plus what only the fake has: KWOK's run-to-completion rule, start delays, recorded calls,
// injected errors, seeded IDs and a clean close() on the virtual clock.
import assert from 'node:assert/strict'
import { FakeRuntime, formatLogTimestamp, renderLogs } from '../../src/runtime/fake/index.ts'
import { LogBuffer } from '../../src/runtime/fake/logs.ts'
import { MAX_RECORDED_CALLS } from '../../src/runtime/fake/calls.ts'
import { PROFILE_INLINE_ANNOTATION, ProfileRegistry } from '../../src/runtime/profiles/index.ts'
import { type RuntimeEvent, RuntimeError } from '../../src/runtime/runtime.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'
import { type Behaviour, runRuntimeContract } from './contract.ts'
import { flush, newPod, rejectsWithReason, setUp } from './contract-support.ts'

function profileOf (b: Behaviour): Record<string, unknown> {
  switch (b.kind) {
    case 'serve': return { logs: b.logs, readyDelay: b.readyAfterMs, failLivenessAfter: b.livenessFailsAfterMs }
    case 'exit': return { exitAfter: b.afterMs, exitCode: b.exitCode, logs: b.logs }
    case 'log-every': return { logEvery: { interval: b.intervalMs, line: b.line } }
    case 'slow-stop': return { stopDelay: b.stopMs }
  }
}

function harness (profiles?: ProfileRegistry): { clock: VirtualClock, runtime: FakeRuntime, h: Parameters<typeof setUp>[0] } {
  const clock = new VirtualClock()
  const runtime = new FakeRuntime({ clock, ids: new Ids({ seed: 7 }), nodeName: 'k3sim-k3s-default-server-0', profiles, recordCalls: true })
  return {
    clock,
    runtime,
    h: {
      runtime,
      advance: ms => clock.advance(ms),
      now: () => clock.now(),
      workload: b => ({ image: 'nginx:1.27', annotations: { [PROFILE_INLINE_ANNOTATION]: JSON.stringify(profileOf(b)) } }),
    },
  }
}

runRuntimeContract('fake', { newRuntime: async () => harness().h })

const inline = (profile: Record<string, unknown>): { image: string, annotations: Record<string, string> } =>
  ({ image: 'nginx', annotations: { [PROFILE_INLINE_ANNOTATION]: JSON.stringify(profile) } })

describe('FakeRuntime', () => {
  let t: ReturnType<typeof harness>
  beforeEach(() => { t = harness(ProfileRegistry.withFixtures()) })
  afterEach(async () => { await t.runtime.close() })

  describe('KWOK\'s run-to-completion rule (default profile)', () => {
    for (const [restartPolicy, init, ends] of [
      ['Always', false, false], ['OnFailure', false, true], ['Never', false, true], ['Always', true, true],
    ] as const) {
      it(`${init ? 'an init container' : 'a container'} under restartPolicy ${restartPolicy} ${ends ? 'completes at once with exit 0' : 'runs until stopped'}`, async () => {
        const { sandboxId, pod } = await setUp(t.h, { image: 'nginx' }, { start: false })
        const id = await t.runtime.createContainer(sandboxId, { name: 'c', image: 'nginx', init, attempt: 0, restartPolicy }, pod)
        await t.runtime.startContainer(id)
        assert.equal((await t.runtime.containerStatus(id)).state, 'running', 'it is seen running first')
        await t.clock.advance(0)
        const s = await t.runtime.containerStatus(id)
        assert.deepEqual([s.state, s.exitCode, s.reason], ends ? ['exited', 0, 'Completed'] : ['running', undefined, undefined])
      })
    }
  })

  describe('attempts', () => {
    it('exitAfter ends only the first run; crashLoop ends every run', async () => {
      const exitOnce = await setUp(t.h, inline({ exitAfter: '1s', exitCode: 2 }))
      const crash = await setUp(t.h, inline({ crashLoop: { exitAfter: '1s' } }))
      const again = async (s: typeof exitOnce): Promise<string> => {
        const id = await t.runtime.createContainer(s.sandboxId, { ...s.config, attempt: 1 }, s.pod)
        await t.runtime.startContainer(id)
        return id
      }
      await t.clock.advance('1s')
      assert.deepEqual((await t.runtime.listContainers()).map(c => [c.exitCode, c.reason]), [[2, 'Error'], [1, 'Error']])
      const [once1, crash1] = [await again(exitOnce), await again(crash)]
      await t.clock.advance('1h')
      assert.equal((await t.runtime.containerStatus(once1)).state, 'running')
      assert.equal((await t.runtime.containerStatus(crash1)).exitCode, 1)
    })

    it('oomAfter kills every run with 137 OOMKilled', async () => {
      const { id } = await setUp(t.h, { image: 'nginx', annotations: { 'k3sim.io/profile': 'oom' } })
      await t.clock.advance('30s')
      const s = await t.runtime.containerStatus(id)
      assert.deepEqual([s.exitCode, s.reason], [137, 'OOMKilled'])
    })
  })

  describe('delays', () => {
    it('startContainer resolves after startDelay on the clock, then emits container-started', async () => {
      const events: RuntimeEvent[] = []
      t.runtime.onEvent(e => events.push(e))
      const { id } = await setUp(t.h, inline({ startDelay: '2s' }), { start: false })
      let started = false
      const start = t.runtime.startContainer(id).then(() => { started = true })
      await t.clock.advance('1s')
      assert.deepEqual([started, (await t.runtime.containerStatus(id)).state], [false, 'created'])
      await t.clock.advance('1s')
      await start
      assert.equal((await t.runtime.containerStatus(id)).startedAt, t.clock.now())
      assert.deepEqual(events.map(e => e.type), ['container-started'])
    })

    it('a stop during startDelay fails the start and leaves the container exited 128 StartError', async () => {
      const { id } = await setUp(t.h, inline({ startDelay: '5s' }), { start: false })
      const start = t.runtime.startContainer(id)
      await t.runtime.stopContainer(id, 30)
      await rejectsWithReason(start, 'RunContainerError', /stopped before it started/)
      const s = await t.runtime.containerStatus(id)
      assert.deepEqual([s.state, s.exitCode, s.reason, s.startedAt], ['exited', 128, 'StartError', undefined])
    })

    it('pullDelay makes a pull take that long; pullError fails it with ErrImagePull', async () => {
      const pod = newPod()
      await t.runtime.runPodSandbox({ pod, ip: '10.42.0.5', hostname: pod.name, annotations: { 'k3sim.io/profile': 'image-pull-error' } })
      const pull = rejectsWithReason(t.runtime.pullImage('nosuch', { pod, pullPolicy: 'IfNotPresent' }),
        'ErrImagePull', /^rpc error: code = NotFound desc = failed to pull and unpack image "docker.io\/library\/nosuch:latest"/)
      await t.clock.advance('1s')
      await pull
    })

    it('per-container settings apply to the named container\'s pull and run', async () => {
      const pod = newPod()
      const annotations = { [PROFILE_INLINE_ANNOTATION]: 'pullDelay: 1s\ncontainers:\n  side:\n    pullDelay: 4s\n    failReadiness: true' }
      const sandboxId = await t.runtime.runPodSandbox({ pod, ip: '10.42.0.6', hostname: pod.name, annotations })
      const pull = t.runtime.pullImage('busybox', { pod, pullPolicy: 'Always', container: 'side' })
      await t.clock.advance('4s')
      assert.equal((await pull).durationMs, 4000)
      const id = await t.runtime.createContainer(sandboxId, { name: 'side', image: 'busybox', init: false, attempt: 0, restartPolicy: 'Always' }, pod)
      await t.runtime.startContainer(id)
      await t.clock.advance('1h')
      assert.equal((await t.runtime.probe(id, 'readiness')).success, false)
    })
  })

  describe('profiles', () => {
    it('refuses a sandbox whose pod names an unknown profile, listing the known ones', async () => {
      const pod = newPod()
      await rejectsWithReason(t.runtime.runPodSandbox({ pod, ip: '10.42.0.7', hostname: pod.name, annotations: { 'k3sim.io/profile': 'nope' } }),
        'CreatePodSandboxError', /^unknown lifecycle profile "nope"; known: default, batch-10s, crash-loop, /)
    })

    it('writes logEvery lines on the clock, with {n} counting and the exit instant included', async () => {
      const { id } = await setUp(t.h, { image: 'nginx', annotations: { 'k3sim.io/profile': 'batch-10s' } })
      await t.clock.advance('30s')
      assert.equal(await t.runtime.containerLogs(id),
        'batch started\nprocessed batch 1\nprocessed batch 2\nprocessed batch 3\nprocessed batch 4\nprocessed batch 5\n')
    })
  })

  describe('test hooks (as cri-api\'s FakeRuntimeService)', () => {
    it('records calls in order', async () => {
      t.runtime.clearCalls()
      const { id } = await setUp(t.h, { image: 'nginx' })
      await t.runtime.containerStatus(id)
      assert.deepEqual(t.runtime.callNames(), ['runPodSandbox', 'pullImage', 'createContainer', 'startContainer', 'containerStatus'])
      assert.deepEqual(t.runtime.calls[4].args, [id])
    })

    it('records an options argument without its callbacks (they hold the caller\'s scope: the kubelet\'s pod)', async () => {
      const pod = newPod()
      t.runtime.clearCalls()
      let told = 0
      const options = { pod, pullPolicy: 'Always' as const, container: 'app', onPull: () => { told++ } }
      await t.runtime.pullImage('busybox', options)
      assert.equal(told, 1, 'the callback itself was called')
      assert.deepEqual(t.runtime.calls[0].args, ['busybox', { pod, pullPolicy: 'Always', container: 'app' }])
      assert.equal(typeof options.onPull, 'function', 'the caller\'s object is left as it was')
    })

    it('keeps the newest calls only: a long-running node\'s scrapes and probes do not pile up', async () => {
      t.runtime.clearCalls()
      const { id } = await setUp(t.h, { image: 'nginx' })
      for (let i = 0; i < 3 * MAX_RECORDED_CALLS; i++) await t.runtime.containerStatus(id)
      assert.ok(t.runtime.calls.length <= 2 * MAX_RECORDED_CALLS && t.runtime.calls.length >= MAX_RECORDED_CALLS, `${t.runtime.calls.length} kept`)
      assert.deepEqual(new Set(t.runtime.callNames()), new Set(['containerStatus']), 'the oldest went first')
    })

    it('keeps no calls unless asked to (a cluster\'s nodes), and still fails on request', async () => {
      const runtime = new FakeRuntime({ clock: new VirtualClock(), ids: new Ids({ seed: 7 }) })
      await runtime.pullImage('busybox', { pod: newPod(), pullPolicy: 'Always' })
      runtime.failNext('pullImage', new RuntimeError('Unknown', 'boom'))
      await rejectsWithReason(runtime.pullImage('busybox', { pod: newPod(), pullPolicy: 'Always' }), 'Unknown', /^boom$/)
      assert.deepEqual(runtime.calls, [])
      await runtime.close()
    })

    it('fails the next call of a method with an injected error, once', async () => {
      const { id } = await setUp(t.h, { image: 'nginx' })
      t.runtime.failNext('containerStatus', new RuntimeError('Unknown', 'boom'))
      await rejectsWithReason(t.runtime.containerStatus(id), 'Unknown', /^boom$/)
      assert.equal((await t.runtime.containerStatus(id)).state, 'running')
    })

    it('gives the same IDs for the same seed', async () => {
      const ids = async (): Promise<string[]> => {
        const x = harness()
        const s = await setUp(x.h, { image: 'nginx' })
        await x.runtime.close()
        return [s.sandboxId, s.id]
      }
      assert.deepEqual(await ids(), await ids())
    })

    it('keeps running when a listener throws', async () => {
      const seen: string[] = []
      const original = console.error
      console.error = () => {}
      try {
        t.runtime.onEvent(() => { throw new Error('listener bug') })
        t.runtime.onEvent(e => seen.push(e.type))
        await setUp(t.h, inline({ exitAfter: '1s' }))
        await t.clock.advance('1s')
      } finally {
        console.error = original
      }
      assert.deepEqual(seen, ['container-exited'])
    })
  })

  describe('close', () => {
    it('cancels every timer, fails pending calls and ends log streams', async () => {
      const pod = newPod()
      await t.runtime.runPodSandbox({ pod, ip: '10.42.0.8', hostname: pod.name, annotations: { 'k3sim.io/profile': 'slow-start' } })
      const pull = rejectsWithReason(t.runtime.pullImage('nginx', { pod, pullPolicy: 'Always' }), 'RuntimeClosed')
      const { id } = await setUp(t.h, inline({ logEvery: { interval: '1s', line: 'x' }, exitAfter: '1h' }))
      let ended = false
      t.runtime.followLogs(id, () => {}, { onEnd: () => { ended = true } })
      await flush()
      await t.runtime.close()
      await pull
      assert.equal(t.clock.pending(), 0)
      assert.equal(ended, true)
    })
  })
})

describe('FakeRuntime logs', () => {
  it('keeps about maxBytes of a long log, dropping the oldest lines (kubelet rotation)', () => {
    const buf = new LogBuffer({ maxBytes: 100 })
    for (let i = 0; i < 50; i++) buf.append(i, `line ${String(i).padStart(3, '0')}`)
    const text = renderLogs(buf.entries)
    assert.ok(text.length <= 100, String(text.length))
    assert.ok(text.endsWith('line 049\n'))
  })

  it('renders timestamps with nine fractional digits', () => {
    assert.equal(formatLogTimestamp(Date.UTC(2025, 0, 1, 0, 0, 1, 250)), '2025-01-01T00:00:01.250000000Z')
  })
})

describe('FakeRuntime stops', () => {
  it('a grace-0 stop during a graceful one kills at once and leaves no timer behind', async () => {
    const t = harness()
    const { id } = await setUp(t.h, inline({ stopDelay: '20s' }))
    const graceful = t.runtime.stopContainer(id, 30)
    await t.runtime.stopContainer(id, 0)
    await graceful
    const s = await t.runtime.containerStatus(id)
    assert.deepEqual([s.state, s.exitCode, s.reason], ['exited', 137, 'Error'])
    assert.equal(t.clock.pending(), 0)
    await t.runtime.close()
  })
})
