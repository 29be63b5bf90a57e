// What the Runtime contract suite needs from an implementation (hono's runTest({ newRouter })):
// a runtime, a way to let time pass, and a way to make a container behave as a case needs.
// The fake expresses behaviours as inline lifecycle profiles; docker will use busybox commands.
import assert from 'node:assert/strict'
import type { ContainerConfig, PodRef, ProbeHandler, ProbeKind, Runtime } from '../../src/runtime/runtime.ts'
import { RuntimeError } from '../../src/runtime/runtime.ts'

/** How a case wants its container to behave. Times in milliseconds after the container started. */
export type Behaviour =
  | { kind: 'serve', logs?: string[], readyAfterMs?: number, livenessFailsAfterMs?: number }
  | { kind: 'exit', afterMs: number, exitCode: number, logs?: string[] }
  | { kind: 'log-every', intervalMs: number, line: string }
  /** Takes stopMs to exit after SIGTERM. */
  | { kind: 'slow-stop', stopMs: number }

/** What a pod needs to get a behaviour: its image, command and annotations. */
export interface Workload {
  image: string
  command?: string[]
  args?: string[]
  annotations?: Record<string, string>
  /** Probe handlers (a real runtime runs them; the fake answers from its profile). */
  probes?: Partial<Record<ProbeKind, ProbeHandler>>
}

export interface RuntimeHarness {
  runtime: Runtime
  /** Let `ms` of cluster time pass (VirtualClock.advance for the fake; waiting for real runtimes). */
  advance (ms: number): Promise<void>
  /** The workload for a behaviour, or a string saying why this runtime cannot express it. */
  workload (behaviour: Behaviour): Workload | string
  /** Cluster clock time now. */
  now (): number
  /** Wait until a just-started container has run its start-up (its first lines, its signal traps). */
  afterStart?: (containerId: string) => Promise<void>
}

export interface ContractOptions {
  newRuntime: () => Promise<RuntimeHarness>
  /** Cases this implementation skips: a substring of the case title → the reason. */
  skip?: Record<string, string>
}

export const HEX64 = /^[0-9a-f]{64}$/
export const CONTAINER_ID = /^containerd:\/\/[0-9a-f]{64}$/

let podCounter = 0
let ipCounter = 0

/** A fresh pod IP in 10.42.0.0/24, as the kubelet allocates them (.2 to .254, reused in turn). */
export function nextIP (): string {
  ipCounter = (ipCounter % 253) + 1
  return `10.42.0.${ipCounter + 1}`
}

export function newPod (): PodRef {
  podCounter++
  return { uid: `00000000-0000-4000-8000-${String(podCounter).padStart(12, '0')}`, namespace: 'default', name: `pod-${podCounter}` }
}

export interface Started {
  pod: PodRef
  sandboxId: string
  id: string
  config: ContainerConfig
}

/** Sandbox, pull, create (and start unless told not to) one container with this behaviour. */
export async function setUp (h: RuntimeHarness, workload: Workload, options: { start?: boolean, restartPolicy?: string, name?: string } = {}): Promise<Started> {
  const pod = newPod()
  const sandboxId = await h.runtime.runPodSandbox({ pod, ip: nextIP(), hostname: pod.name, annotations: workload.annotations })
  await h.runtime.pullImage(workload.image, { pod, pullPolicy: 'IfNotPresent' })
  const config: ContainerConfig = {
    name: options.name ?? 'app', image: workload.image, command: workload.command, args: workload.args,
    init: false, attempt: 0, restartPolicy: options.restartPolicy ?? 'Always', probeHandlers: workload.probes,
  }
  const id = await h.runtime.createContainer(sandboxId, config, pod)
  if (options.start !== false) {
    await h.runtime.startContainer(id)
    await h.afterStart?.(id)
  }
  return { pod, sandboxId, id, config }
}

/** Expect a RuntimeError with this reason (and a message matching `message`, if given). */
export async function rejectsWithReason (p: Promise<unknown>, reason: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof RuntimeError, `expected a RuntimeError, got ${String(err)}`)
    assert.equal(err.reason, reason, err.message)
    if (message !== undefined) assert.match(err.message, message)
    return true
  })
}

/** Whether a promise has settled, without waiting for it. */
export function tracked<T> (p: Promise<T>): { promise: Promise<T>, done: () => boolean } {
  let settled = false
  p.then(() => { settled = true }, () => { settled = true })
  return { promise: p, done: () => settled }
}

/** Let promise continuations run (no clock time passes). */
export const flush = (): Promise<void> => new Promise(resolve => setImmediate(resolve))
