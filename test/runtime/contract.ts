// ONE contract suite for every Runtime (hono's runTest pattern): fake and docker run the same
// cases. What a case needs a container to do is asked of the harness (`workload`), so each
// runtime expresses it its own way; a runtime that cannot, or a case skipped by options, says why.
import assert from 'node:assert/strict'
import type { Context } from 'mocha'
import type { RuntimeEvent } from '../../src/runtime/runtime.ts'
import { type Behaviour, CONTAINER_ID, type ContractOptions, HEX64, type RuntimeHarness, type Workload, flush, newPod, nextIP, rejectsWithReason, setUp, tracked } from './contract-support.ts'
import { logCases } from './contract-logs.ts'

export type { Behaviour, ContractOptions, RuntimeHarness, Workload } from './contract-support.ts'

export type Case = (title: string, fn: (h: RuntimeHarness, need: (b: Behaviour) => Workload) => Promise<void>) => void

export function runRuntimeContract (name: string, options: ContractOptions): void {
  describe(`Runtime contract: ${name}`, () => {
    let h: RuntimeHarness
    beforeEach(async () => { h = await options.newRuntime() })
    afterEach(async () => { await h.runtime.close() })

    const it_: Case = (title, fn) => {
      const skipped = Object.entries(options.skip ?? {}).find(([part]) => title.includes(part))
      if (skipped !== undefined) return it.skip(`${title} (skipped: ${skipped[1]})`)
      it(title, async function (this: Context) {
        const need = (b: Behaviour): Workload => {
          const w = h.workload(b)
          if (typeof w === 'string') {
            this.test!.title += ` (skipped: ${w})`
            this.skip()
          }
          return w as Workload
        }
        await fn(h, need)
      })
    }

    describe('identity and formats', () => {
      it_('reports containerd as the runtime version', async h => {
        assert.match(h.runtime.version, /^containerd:\/\/\d+\.\d+\.\d+/)
      })

      it_('gives sandboxes 64-hex IDs and containers containerd://<64 hex> IDs, each unique', async (h, need) => {
        const a = await setUp(h, need({ kind: 'serve' }))
        const b = await setUp(h, need({ kind: 'serve' }))
        assert.match(a.sandboxId, HEX64)
        assert.match(a.id, CONTAINER_ID)
        assert.notEqual(a.sandboxId, b.sandboxId)
        assert.notEqual(a.id, b.id)
      })

      it_('shows the normalised image and a repo-digest imageRef in the status', async (h, need) => {
        const w = need({ kind: 'serve' })
        const { id, sandboxId } = await setUp(h, w, { start: false })
        const s = await h.runtime.containerStatus(id)
        assert.deepEqual([s.id, s.sandboxId, s.name, s.attempt, s.state], [id, sandboxId, 'app', 0, 'created'])
        assert.match(s.image, /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+:[\w.-]+$/)
        assert.match(s.imageRef, /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/)
        assert.equal(s.imageRef.split('@')[0], s.image.slice(0, s.image.lastIndexOf(':')))
      })
    })

    describe('images', () => {
      it_('pulls once, then finds the image present (IfNotPresent) without pulling', async (h, need) => {
        const w = need({ kind: 'serve' })
        const pod = newPod()
        await h.runtime.runPodSandbox({ pod, ip: nextIP(), hostname: pod.name, annotations: w.annotations })
        const first = await h.runtime.pullImage(w.image, { pod, pullPolicy: 'IfNotPresent' })
        assert.equal(first.cached, false)
        assert.ok(first.size > 0)
        assert.match(first.imageRef, /@sha256:[0-9a-f]{64}$/)
        const second = await h.runtime.pullImage(w.image, { pod, pullPolicy: 'IfNotPresent' })
        assert.deepEqual([second.cached, second.durationMs, second.imageRef], [true, 0, first.imageRef])
        assert.equal((await h.runtime.pullImage(w.image, { pod, pullPolicy: 'Never' })).cached, true)
        // The node's image list (the kubelet's node status) has it, with its size.
        const repo = w.image.slice(0, w.image.lastIndexOf(':')).split('/').pop()!
        const listed = await h.runtime.listImages()
        assert.ok(listed.some(i => i.size > 0 && [...i.repoTags, ...i.repoDigests].some(n => n.includes(repo))), JSON.stringify(listed))
      })

      it_('refuses a missing image under pullPolicy Never with the kubelet\'s message', async h => {
        await rejectsWithReason(h.runtime.pullImage('k3sim.invalid/never-pulled:1', { pod: newPod(), pullPolicy: 'Never' }),
          'ErrImageNeverPull', /^Container image "k3sim.invalid\/never-pulled:1" is not present with pull policy of Never$/)
      })

      it_('refuses an image name that does not parse (InvalidImageName)', async h => {
        await rejectsWithReason(h.runtime.pullImage('Nginx:UPPER CASE', { pod: newPod(), pullPolicy: 'IfNotPresent' }), 'InvalidImageName')
      })
    })

    describe('container lifecycle', () => {
      it_('goes created → running with times on the cluster clock', async (h, need) => {
        const { id } = await setUp(h, need({ kind: 'serve' }), { start: false })
        const created = await h.runtime.containerStatus(id)
        assert.equal(created.state, 'created')
        assert.equal(created.startedAt, undefined)
        await h.runtime.startContainer(id)
        const running = await h.runtime.containerStatus(id)
        assert.equal(running.state, 'running')
        assert.ok(running.startedAt! >= created.createdAt && running.startedAt! <= h.now())
      })

      it_('refuses to create a container whose image was not pulled', async (h, need) => {
        const w = need({ kind: 'serve' })
        const pod = newPod()
        const sandboxId = await h.runtime.runPodSandbox({ pod, ip: nextIP(), hostname: pod.name, annotations: w.annotations })
        await rejectsWithReason(h.runtime.createContainer(sandboxId,
          { name: 'app', image: 'k3sim.invalid/not-pulled:1', init: false, attempt: 0, restartPolicy: 'Always' }, pod), 'CreateContainerError')
      })

      it_('refuses a second container with the same name and attempt in a pod (containerd name reservation)', async (h, need) => {
        const { sandboxId, config, pod } = await setUp(h, need({ kind: 'serve' }))
        await rejectsWithReason(h.runtime.createContainer(sandboxId, config, pod), 'CreateContainerError', /is reserved for/)
        assert.match(await h.runtime.createContainer(sandboxId, { ...config, attempt: 1 }, pod), CONTAINER_ID)
      })

      it_('refuses to start a container twice', async (h, need) => {
        const { id } = await setUp(h, need({ kind: 'serve' }))
        await rejectsWithReason(h.runtime.startContainer(id), 'RunContainerError')
      })

      it_('lists containers, all or one sandbox\'s', async (h, need) => {
        const w = need({ kind: 'serve' })
        const a = await setUp(h, w)
        const b = await setUp(h, w)
        assert.deepEqual((await h.runtime.listContainers({ sandboxId: a.sandboxId })).map(c => c.id), [a.id])
        const all = (await h.runtime.listContainers()).map(c => c.id)
        assert.ok(all.includes(a.id) && all.includes(b.id))
      })

      it_('answers NotFound for a container it does not know', async h => {
        await rejectsWithReason(h.runtime.containerStatus(`containerd://${'0'.repeat(64)}`), 'NotFound')
      })
    })

    describe('exits and events', () => {
      for (const [exitCode, reason] of [[0, 'Completed'], [3, 'Error']] as const) {
        it_(`reports an exit with code ${exitCode} as ${reason} and emits container-exited`, async (h, need) => {
          const events: RuntimeEvent[] = []
          h.runtime.onEvent(e => events.push(e))
          const { id, pod } = await setUp(h, need({ kind: 'exit', afterMs: 2000, exitCode }))
          await h.advance(1000)
          assert.equal((await h.runtime.containerStatus(id)).state, 'running')
          await h.advance(1500)
          const s = await h.runtime.containerStatus(id)
          assert.deepEqual([s.state, s.exitCode, s.reason], ['exited', exitCode, reason])
          assert.ok(s.finishedAt! >= s.startedAt! + 2000)
          assert.deepEqual(events.filter(e => e.type === 'container-exited'), [{ type: 'container-exited', containerId: id, pod }])
        })
      }

      it_('stops listeners that unsubscribed', async (h, need) => {
        const events: RuntimeEvent[] = []
        const off = h.runtime.onEvent(e => events.push(e))
        off()
        await setUp(h, need({ kind: 'exit', afterMs: 1000, exitCode: 0 }))
        await h.advance(2000)
        assert.deepEqual(events, [])
      })
    })

    describe('stop and remove', () => {
      it_('stops a container that honours SIGTERM at once: exit 0, Completed, no container-exited event', async (h, need) => {
        const events: RuntimeEvent[] = []
        h.runtime.onEvent(e => events.push(e))
        const { id } = await setUp(h, need({ kind: 'serve' }))
        await h.runtime.stopContainer(id, 30)
        const s = await h.runtime.containerStatus(id)
        assert.deepEqual([s.state, s.exitCode, s.reason], ['exited', 0, 'Completed'])
        assert.deepEqual(events, [])
        await h.runtime.stopContainer(id, 30)
      })

      it_('kills a container slower than its grace period when the grace period ends: 137, Error', async (h, need) => {
        const { id } = await setUp(h, need({ kind: 'slow-stop', stopMs: 10_000 }))
        const stop = tracked(h.runtime.stopContainer(id, 2))
        await flush()
        assert.equal(stop.done(), false, 'stopContainer resolves only once the container has exited')
        await h.advance(2500)
        await stop.promise
        const s = await h.runtime.containerStatus(id)
        assert.deepEqual([s.state, s.exitCode, s.reason], ['exited', 137, 'Error'])
      })

      it_('removes containers idempotently', async (h, need) => {
        const { id } = await setUp(h, need({ kind: 'serve' }))
        await h.runtime.removeContainer(id)
        await h.runtime.removeContainer(id)
        await rejectsWithReason(h.runtime.containerStatus(id), 'NotFound')
      })

      it_('stops a sandbox\'s containers with it, refuses new ones, and removes them with it', async (h, need) => {
        const { id, sandboxId, config, pod } = await setUp(h, need({ kind: 'serve' }))
        await h.runtime.stopPodSandbox(sandboxId, 30)
        assert.equal((await h.runtime.containerStatus(id)).state, 'exited')
        await rejectsWithReason(h.runtime.createContainer(sandboxId, { ...config, attempt: 1 }, pod), 'CreateContainerError')
        await h.runtime.removePodSandbox(sandboxId)
        assert.deepEqual(await h.runtime.listContainers({ sandboxId }), [])
        await h.runtime.stopPodSandbox(sandboxId, 30)
        await h.runtime.removePodSandbox(sandboxId)
      })
    })

    describe('probes and stats', () => {
      it_('answers readiness from when the application is ready', async (h, need) => {
        const { id } = await setUp(h, need({ kind: 'serve', readyAfterMs: 5000 }))
        assert.equal((await h.runtime.probe(id, 'readiness')).success, false)
        await h.advance(6000)
        assert.equal((await h.runtime.probe(id, 'readiness')).success, true)
      })

      it_('answers liveness as failing once the application is broken', async (h, need) => {
        const { id } = await setUp(h, need({ kind: 'serve', livenessFailsAfterMs: 5000 }))
        assert.equal((await h.runtime.probe(id, 'liveness')).success, true)
        await h.advance(6000)
        const failed = await h.runtime.probe(id, 'liveness')
        assert.equal(failed.success, false)
        assert.ok((failed.message ?? '').length > 0, 'a failed probe says why')
      })

      it_('fails probes of a container that is not running', async (h, need) => {
        const { id } = await setUp(h, need({ kind: 'serve' }))
        await h.runtime.stopContainer(id, 30)
        assert.equal((await h.runtime.probe(id, 'readiness')).success, false)
      })

      it_('gives small plausible stats for a running container', async (h, need) => {
        const { id } = await setUp(h, need({ kind: 'serve' }))
        // A real container's first sample is its CPU rate since it started, which its own
        // start-up can fill (a core for the first milliseconds); an idle server's rate is the
        // one between two samples.
        await h.runtime.containerStats(id)
        const s = await h.runtime.containerStats(id)
        assert.ok(s.cpuNanoCores >= 0 && s.cpuNanoCores < 1e9, `cpu ${s.cpuNanoCores}`)
        assert.ok(s.memoryBytes > 0 && s.memoryBytes < 1024 ** 3, `memory ${s.memoryBytes}`)
      })
    })

    logCases(it_)

    describe('close', () => {
      it_('refuses calls once closed', async (h, need) => {
        const { id } = await setUp(h, need({ kind: 'serve' }))
        await h.runtime.close()
        await assert.rejects(h.runtime.containerStatus(id))
        await h.runtime.close()
      })
    })
  })
}
