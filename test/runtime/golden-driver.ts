// A scripted run of one pod with one container on a VirtualClock, for the profile golden files
// (KWOK's stage tests). A minimal kubelet: pull (IfNotPresent), create, start, restart on exit as
// the restartPolicy says with the kubelet's CrashLoopBackOff (10s, doubling, 5m cap), stop on the
// first failed liveness probe (grace 30s). Time advances in 1s steps; a row is recorded whenever
// (attempt, state, exitCode, reason, ready) changes.
import { FakeRuntime } from '../../src/runtime/fake/index.ts'
import type { ProfileRegistry } from '../../src/runtime/profiles/index.ts'
import { type ContainerStatus, type PodRef, RuntimeError } from '../../src/runtime/runtime.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'

export interface Row {
  /** Seconds since the pod was started. */
  t: number
  attempt?: number
  state?: string
  exitCode?: number
  reason?: string
  ready?: boolean
  /** Pull outcome rows. */
  pull?: string
  durationMs?: number
  message?: string
}

export interface GoldenRun {
  rows: Row[]
  /** The log of every attempt, with timestamps, as `kubectl logs [--previous] --timestamps`. */
  logs: Record<string, string[]>
}

const STEP = 1000
const DURATION = 90_000
const IMAGE = 'nginx'

export async function scriptedRun (profiles: ProfileRegistry, profile: string, restartPolicy: string): Promise<GoldenRun> {
  const clock = new VirtualClock()
  const t0 = clock.now()
  const rt = new FakeRuntime({ clock, ids: new Ids({ seed: 1 }), profiles, nodeName: 'k3sim-k3s-default-server-0' })
  const pod: PodRef = { uid: '5f0c1a52-8c2e-4b7e-9d1a-0e7b3c4d5e6f', namespace: 'default', name: 'demo' }
  const rows: Row[] = []
  const ids: string[] = []
  let last = ''
  let exited: (() => void) | undefined
  let stopping = false

  const secs = (): number => (clock.now() - t0) / 1000
  const observe = async (): Promise<void> => {
    const id = ids[ids.length - 1]
    if (id === undefined) return
    const s: ContainerStatus = await rt.containerStatus(id)
    const ready = s.state === 'running' && (await rt.probe(id, 'readiness')).success
    const row: Row = { t: secs(), attempt: s.attempt, state: s.state, exitCode: s.exitCode, reason: s.reason, ready }
    const key = JSON.stringify({ ...row, t: 0 })
    if (key !== last) { rows.push(row); last = key }
  }
  rt.onEvent(e => { if (e.type === 'container-exited' && e.containerId === ids[ids.length - 1]) exited?.() })

  const kubelet = async (): Promise<void> => {
    const sandboxId = await rt.runPodSandbox({ pod, ip: '10.42.0.9', hostname: 'demo', annotations: { 'k3sim.io/profile': profile } })
    try {
      const p = await rt.pullImage(IMAGE, { pod, pullPolicy: 'IfNotPresent', container: 'app' })
      rows.push({ t: secs(), pull: p.cached ? 'present' : 'pulled', durationMs: p.durationMs })
    } catch (err) {
      if (!(err instanceof RuntimeError)) throw err
      rows.push({ t: secs(), pull: err.reason, message: err.message })
      return
    }
    let backoff = 10_000
    for (let attempt = 0; ; attempt++) {
      const id = await rt.createContainer(sandboxId, { name: 'app', image: IMAGE, init: false, attempt, restartPolicy }, pod)
      ids.push(id)
      await observe()
      const done = new Promise<void>(resolve => { exited = resolve })
      await rt.startContainer(id)
      await observe()
      if ((await rt.containerStatus(id)).state !== 'exited') await done
      await observe()
      const { exitCode } = await rt.containerStatus(id)
      if (!(restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && exitCode !== 0))) return
      await new Promise<void>(resolve => clock.setTimeout(resolve, backoff))
      backoff = Math.min(backoff * 2, 300_000)
    }
  }

  const run = kubelet()
  let failure: unknown
  run.catch(err => { failure = err })
  for (let elapsed = 0; elapsed <= DURATION && failure === undefined; elapsed += STEP) {
    await tick()
    await clock.advance(elapsed === 0 ? 0 : STEP)
    await tick()
    await observe()
    const id = ids[ids.length - 1]
    if (id !== undefined && !stopping && (await rt.containerStatus(id)).state === 'running' && !(await rt.probe(id, 'liveness')).success) {
      stopping = true
      void rt.stopContainer(id, 30).then(() => { stopping = false; exited?.() })
    }
  }
  if (failure !== undefined) throw failure
  const logs: Record<string, string[]> = {}
  for (const [attempt, id] of ids.entries()) {
    logs[`attempt ${attempt}`] = (await rt.containerLogs(id, { timestamps: true })).split('\n').filter(l => l !== '')
  }
  await rt.close()
  return { rows: rows.map(r => JSON.parse(JSON.stringify(r)) as Row), logs }
}

const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))
