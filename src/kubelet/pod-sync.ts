// One pass of the kubelet's SyncPod for one pod: sandbox, init containers in order, then the
// containers, restarts with back-off per restartPolicy, probes, graceful termination; then the
// status is computed and written if it changed. Returns when the pod wants its next sync.
import { rfc3339, type KubeObject } from '../api/object.ts'
import { isStatusError } from '../apiserver/errors.ts'
import type { Client } from '../client/client.ts'
import type { EventRecorder } from '../client/events.ts'
import type { Runtime } from '../runtime/runtime.ts'
import { startContainer, type ContainerList } from './container-start.ts'
import { goDuration } from '../util/go-duration.ts'
import { mountVolumes } from './container-config.ts'
import { computePodStatus, type ContainerView } from './pod-status.ts'
import { containerRecord, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS, type ContainerRecord, type PodIPs, type PodRecord } from './pod-state.ts'

type Json = Record<string, any>

export interface SyncContext {
  client: Client
  runtime: Runtime
  recorder: EventRecorder
  now: () => number
  hostIP: string
  ips: PodIPs
  /** An image was pulled or found present (the node's image list may have changed). */
  pulled?: () => void
}

/** Sync result: the time of the next wanted sync (back-off end, probe period), if any. */
export interface SyncResult { wakeAt?: number, done?: boolean }

/** nestedpendingoperations' exponential back-off of a failed volume operation. */
const MOUNT_INITIAL_BACKOFF_MS = 500
const MOUNT_MAX_BACKOFF_MS = 122_000

const shouldRestart = (policy: string, exitCode: number | undefined): boolean =>
  policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0)

export async function syncPod (ctx: SyncContext, pod: KubeObject, rec: PodRecord): Promise<SyncResult> {
  const spec = pod.spec as Json
  const status = (pod.status ?? {}) as Json
  if (pod.metadata.deletionTimestamp !== undefined) return terminate(ctx, pod, rec)
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return finished(ctx, pod, rec)
  const ref = { uid: pod.metadata.uid!, namespace: pod.metadata.namespace!, name: pod.metadata.name! }
  rec.startTime ??= status.startTime ?? rfc3339(ctx.now())
  const deadline = spec.activeDeadlineSeconds === undefined ? undefined : Date.parse(rec.startTime!) + spec.activeDeadlineSeconds * 1000
  if (deadline !== undefined && ctx.now() >= deadline) return deadlineExceeded(ctx, pod, rec)
  if (rec.sandboxId === undefined) {
    // As the kubelet's volume manager: until every volume can be set up the pod stays
    // ContainerCreating, with a FailedMount event per attempt, retried 0.5 s later, then twice
    // as long each time up to 2m2s.
    // A sync in between (the pod changed) does not try again before the back-off ends.
    if (rec.mountRetryAt !== undefined && ctx.now() < rec.mountRetryAt) return { wakeAt: rec.mountRetryAt }
    const mounted = await mountVolumes({ client: ctx.client, hostIP: ctx.hostIP }, pod)
    if ('failed' in mounted) {
      const { failed } = mounted
      await ctx.recorder.record(pod, { type: 'Warning', reason: 'FailedMount', message: `MountVolume.SetUp failed for volume "${failed.volume}" : ${failed.message}` })
      rec.mountBackoffMs = rec.mountBackoffMs === undefined ? MOUNT_INITIAL_BACKOFF_MS : Math.min(rec.mountBackoffMs * 2, MOUNT_MAX_BACKOFF_MS)
      rec.mountRetryAt = ctx.now() + rec.mountBackoffMs
      await writeStatus(ctx, pod, rec)
      return { wakeAt: rec.mountRetryAt }
    }
    rec.mountBackoffMs = undefined
    rec.mountRetryAt = undefined
    // A pod on the node's network has the node's IP (and takes none of the node's pod IPs).
    const host = { network: spec.hostNetwork === true, pid: spec.hostPID === true, ipc: spec.hostIPC === true }
    const ip = host.network ? ctx.hostIP : ctx.ips.allocate()
    try {
      rec.sandboxId = await ctx.runtime.runPodSandbox({ pod: ref, ip, hostname: pod.metadata.name!, labels: pod.metadata.labels, annotations: pod.metadata.annotations, host, shareProcessNamespace: spec.shareProcessNamespace === true })
      rec.ip = ip
    } catch (err) {
      // As the kubelet: a Warning event, the pod stays ContainerCreating, and the sync is retried.
      ctx.ips.release(ip)
      await ctx.recorder.record(pod, { type: 'Warning', reason: 'FailedCreatePodSandBox', message: `Failed to create pod sandbox: ${err instanceof Error ? err.message : String(err)}` })
      await writeStatus(ctx, pod, rec)
      return { wakeAt: ctx.now() + 10_000 }
    }
  }
  await refresh(ctx, rec)
  let wakeAt: number | undefined
  const wake = (t: number | undefined): void => { if (t !== undefined && (wakeAt === undefined || t < wakeAt)) wakeAt = t }
  const policy = spec.restartPolicy ?? 'Always'
  // Ephemeral containers first (SyncPod's step 5), even while init containers run: each started
  // once, never restarted (a failed pull or config is retried, with back-off).
  for (const c of (spec.ephemeralContainers ?? []) as Json[]) {
    const r = containerRecord(rec, c.name)
    if (r.status === undefined) wake(await run(ctx, pod, rec, c, 'ephemeralContainers', r, 'Never'))
  }
  let initsDone = true
  for (const c of (spec.initContainers ?? []) as Json[]) {
    const r = containerRecord(rec, c.name)
    const st = r.status
    if (st?.state === 'exited' && st.exitCode === 0) continue
    initsDone = false
    if (st === undefined || st.state === 'exited') {
      if (st !== undefined && policy === 'Never') break
      wake(await run(ctx, pod, rec, c, 'initContainers', r, policy))
    }
    break
  }
  for (const c of (spec.containers ?? []) as Json[]) {
    const r = containerRecord(rec, c.name)
    if (!initsDone) { r.waiting = { reason: 'PodInitializing' }; continue }
    if (r.status === undefined || (r.status.state === 'exited' && shouldRestart(policy, r.status.exitCode))) {
      wake(await run(ctx, pod, rec, c, 'containers', r, policy))
    }
    r.ready = r.status?.state === 'running' && await probe(ctx, c, r, wake)
    if (r.status?.state === 'running' && c.livenessProbe !== undefined) await liveness(ctx, pod, c, r, wake)
  }
  await writeStatus(ctx, pod, rec)
  if (deadline !== undefined) wake(deadline)
  return { wakeAt }
}

/**
 * A pod whose phase is terminal: what still runs (an ephemeral container the phase does not
 * count) is stopped, as the kubelet's SyncTerminatingPod kills the pod, and the status says so.
 */
async function finished (ctx: SyncContext, pod: KubeObject, rec: PodRecord): Promise<SyncResult> {
  const running = [...rec.containers.values()].filter(r => r.id !== undefined && r.status?.state === 'running')
  if (running.length === 0) return { done: true }
  const grace = (pod.spec as Json).terminationGracePeriodSeconds ?? 30
  for (const r of running) await ctx.runtime.stopContainer(r.id!, grace).catch(() => undefined)
  await refresh(ctx, rec)
  await writeStatus(ctx, pod, rec).catch(() => undefined)
  return { done: true }
}

/** activeDeadlineSeconds ran out: the containers are stopped and the pod Failed, as upstream. */
async function deadlineExceeded (ctx: SyncContext, pod: KubeObject, rec: PodRecord): Promise<SyncResult> {
  if (!rec.deadlineExceeded) {
    rec.deadlineExceeded = true
    await ctx.recorder.record(pod, { type: 'Normal', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' })
    if (rec.sandboxId !== undefined) await ctx.runtime.stopPodSandbox(rec.sandboxId, (pod.spec as Json).terminationGracePeriodSeconds ?? 30)
    await refresh(ctx, rec)
  }
  const base = (pod.status ?? {}) as Json
  const status = { ...base, phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' }
  if (JSON.stringify(status) !== JSON.stringify(pod.status)) await ctx.client.update({ ...pod, status } as KubeObject, { subresource: 'status', fieldManager: 'k3s' })
  return { done: true }
}

/** Start (or restart, after its back-off) one container; returns when to come back. */
async function run (ctx: SyncContext, pod: KubeObject, rec: PodRecord, c: Json, list: ContainerList, r: ContainerRecord, policy: string): Promise<number | undefined> {
  const now = ctx.now()
  if (r.backoffUntil !== undefined && now < r.backoffUntil) {
    // A container whose config could not be made never ran: it keeps saying why until a retry works.
    if (r.waiting?.reason === 'CreateContainerConfigError' && r.status === undefined) return r.backoffUntil
    const image = r.waiting?.reason === 'ErrImagePull' || r.waiting?.reason === 'ImagePullBackOff'
    r.waiting = image
      ? { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` }
      : { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(r.backoffMs)} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` }
    const fieldPath = `spec.${list}{${c.name}}`
    await ctx.recorder.record(pod, image
      ? { type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${c.image}"`, fieldPath }
      : { type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, fieldPath })
    // The image puller says BackOff, then startContainer its error (ErrImagePullBackOff).
    if (image) await ctx.recorder.record(pod, { type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff', fieldPath })
    return r.backoffUntil
  }
  // A container whose config could not be made is retried as the pod worker retries a failed
  // sync (10 s), not with the crash back-off: it never ran.
  const neverRan = r.waiting?.reason === 'CreateContainerConfigError' && r.status === undefined
  const restart = !neverRan && (r.status?.state === 'exited' || r.waiting !== undefined)
  if (r.status?.state === 'exited') {
    // A restart: the finished attempt becomes lastState. Like the kubelet's container GC, the
    // newest dead attempt is kept (`kubectl logs --previous` reads it) and the one before goes.
    if (r.previous !== undefined) await ctx.runtime.removeContainer(r.previous.id).catch(() => undefined)
    r.previous = r.status
    r.restartCount++
    r.id = undefined
    r.status = undefined
  }
  // Not in back-off any more: upstream's backOff.Next on a restart — the following failure
  // waits 10 s, and each one after that twice as long, up to 5 min.
  if (restart) r.backoffMs = r.backoffMs === 0 ? INITIAL_BACKOFF_MS : Math.min(r.backoffMs * 2, MAX_BACKOFF_MS)
  r.backoffUntil = undefined
  const target = typeof c.targetContainerName === 'string' && c.targetContainerName !== ''
    ? { name: c.targetContainerName, id: rec.containers.get(c.targetContainerName)?.id ?? rec.containers.get(c.targetContainerName)?.status?.id }
    : undefined
  const ok = await startContainer({ runtime: ctx.runtime, recorder: ctx.recorder, now: ctx.now, client: ctx.client, hostIP: ctx.hostIP, podIP: rec.ip, pulled: ctx.pulled }, pod, rec.sandboxId!, c, list, r, target)
  // A real process may be gone by the time its start returns: its back-off starts now, not at
  // the next refresh (which would see no fresh exit).
  if (ok && r.status?.state === 'exited' && r.backoffMs > 0) r.backoffUntil = (r.status.finishedAt ?? ctx.now()) + r.backoffMs
  if (ok) return r.backoffUntil
  if (r.backoffMs === 0 || r.waiting?.reason === 'CreateContainerConfigError') r.backoffMs = INITIAL_BACKOFF_MS
  r.backoffUntil = ctx.now() + r.backoffMs
  return r.backoffUntil
}

/** Re-read every container of the pod from the runtime; a fresh exit starts its back-off. */
async function refresh (ctx: SyncContext, rec: PodRecord): Promise<void> {
  for (const r of rec.containers.values()) {
    if (r.id === undefined) continue
    const before = r.status?.state
    r.status = await ctx.runtime.containerStatus(r.id).catch(() => r.status)
    if (before !== 'exited' && r.status?.state === 'exited') {
      // Ran for 10 min without failing: the back-off entry is forgotten, as the kubelet's GC does.
      if (r.runningSince !== undefined && ctx.now() - r.runningSince > 600_000) r.backoffMs = 0
      // In back-off since it finished (the first failure restarts at once).
      if (r.backoffMs > 0) r.backoffUntil = (r.status.finishedAt ?? ctx.now()) + r.backoffMs
    }
  }
}

async function probe (ctx: SyncContext, c: Json, r: ContainerRecord, wake: (t: number) => void): Promise<boolean> {
  if (c.readinessProbe === undefined) return true
  const p = c.readinessProbe as Json
  const since = r.runningSince ?? ctx.now()
  const first = since + (p.initialDelaySeconds ?? 0) * 1000
  if (ctx.now() < first) { wake(first); return false }
  const result = await ctx.runtime.probe(r.id!, 'readiness').catch(() => ({ success: false }))
  wake(ctx.now() + (p.periodSeconds ?? 10) * 1000)
  return result.success
}

async function liveness (ctx: SyncContext, pod: KubeObject, c: Json, r: ContainerRecord, wake: (t: number) => void): Promise<void> {
  const p = c.livenessProbe as Json
  const first = (r.runningSince ?? ctx.now()) + (p.initialDelaySeconds ?? 0) * 1000
  if (ctx.now() < first) { wake(first); return }
  const result = await ctx.runtime.probe(r.id!, 'liveness').catch(() => ({ success: false, message: 'probe error' }))
  wake(ctx.now() + (p.periodSeconds ?? 10) * 1000)
  if (result.success) return
  const fieldPath = `spec.containers{${c.name}}`
  await ctx.recorder.record(pod, { type: 'Warning', reason: 'Unhealthy', message: `Liveness probe failed: ${result.message ?? ''}`.trim(), fieldPath })
  await ctx.recorder.record(pod, { type: 'Normal', reason: 'Killing', message: `Container ${c.name} failed liveness probe, will be restarted`, fieldPath })
  await ctx.runtime.stopContainer(r.id!, (pod.spec as Json).terminationGracePeriodSeconds ?? 30)
  r.status = await ctx.runtime.containerStatus(r.id!)
}

/** Graceful deletion: stop the containers (Killing events), then the final delete. */
async function terminate (ctx: SyncContext, pod: KubeObject, rec: PodRecord): Promise<SyncResult> {
  if (!rec.killed) {
    if (rec.sandboxId !== undefined) {
      const spec = pod.spec as Json
      const listOf = (name: string): ContainerList => ((spec.initContainers ?? []) as Json[]).some(c => c.name === name) ? 'initContainers'
        : ((spec.ephemeralContainers ?? []) as Json[]).some(c => c.name === name) ? 'ephemeralContainers' : 'containers'
      for (const [name, r] of rec.containers) {
        const fieldPath = `spec.${listOf(name)}{${name}}`
        if (r.status?.state === 'running') await ctx.recorder.record(pod, { type: 'Normal', reason: 'Killing', message: `Stopping container ${name}`, fieldPath })
      }
      // The kubelet never gives less than 2 s (minimumGracePeriodInSeconds), even for --grace-period=0.
      await ctx.runtime.stopPodSandbox(rec.sandboxId, Math.max(2, pod.metadata.deletionGracePeriodSeconds ?? 0))
      for (const r of rec.containers.values()) if (r.id !== undefined) r.status = await ctx.runtime.containerStatus(r.id).catch(() => r.status)
    }
    // The final status (terminal phase, exit codes; Failed for a pod that never started) is
    // written before the final delete, as the status manager does: a pod a finalizer keeps (a
    // Job's) shows how it ended.
    await writeFinalStatus(ctx, pod, rec)
  }
  rec.killed = true
  await ctx.client.delete('v1', 'Pod', pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } }).catch(() => undefined)
  return { done: true }
}

/** The terminal status, over concurrent status writers (re-read and retried on a conflict). */
async function writeFinalStatus (ctx: SyncContext, pod: KubeObject, rec: PodRecord): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await ctx.client.get('v1', 'Pod', pod.metadata.namespace, pod.metadata.name!).catch(() => undefined)
    if (current === undefined || current.metadata.uid !== pod.metadata.uid) return
    try {
      await writeStatus(ctx, current, rec, { terminal: true, sandboxReady: false })
      return
    } catch (err) {
      if (!isStatusError(err, 409)) return
    }
  }
}

/** Forget a pod that is gone from the API: its sandbox and IP go too. */
export async function removePod (ctx: SyncContext, rec: PodRecord): Promise<void> {
  if (rec.sandboxId !== undefined) {
    await ctx.runtime.stopPodSandbox(rec.sandboxId, 0).catch(() => undefined)
    await ctx.runtime.removePodSandbox(rec.sandboxId).catch(() => undefined)
  }
  ctx.ips.release(rec.ip)
}

async function writeStatus (ctx: SyncContext, pod: KubeObject, rec: PodRecord, final: { terminal: boolean, sandboxReady: boolean } | undefined = undefined): Promise<void> {
  const spec = pod.spec as Json
  const views: ContainerView[] = []
  for (const [list, init] of [[spec.initContainers ?? [], true], [spec.containers ?? [], false]] as Array<[Json[], boolean]>) {
    for (const c of list) {
      const r = containerRecord(rec, c.name)
      const waiting = r.status?.state === 'running' ? undefined : r.waiting
      views.push({ name: c.name, init, current: r.status, previous: r.previous, restartCount: r.restartCount, waiting, ready: r.ready })
    }
  }
  const ephemerals: ContainerView[] = ((spec.ephemeralContainers ?? []) as Json[]).map(c => {
    const r = containerRecord(rec, c.name)
    return { name: c.name, init: false, current: r.status, restartCount: 0, waiting: r.status?.state === 'running' ? undefined : r.waiting, ready: false }
  })
  const sandboxReady = final?.sandboxReady ?? rec.sandboxId !== undefined
  const oldPhase = (pod.status as Json | undefined)?.phase
  const phase = oldPhase === 'Succeeded' || oldPhase === 'Failed' ? oldPhase : undefined
  const status = computePodStatus({ spec, oldStatus: (pod.status ?? {}) as Json, sandboxReady, podIP: rec.ip, hostIP: ctx.hostIP, startTime: rec.startTime!, containers: views, ephemerals, now: rfc3339(ctx.now()), terminal: final?.terminal, phase })
  if (JSON.stringify(status) === JSON.stringify(pod.status)) return
  await ctx.client.update({ ...pod, status } as KubeObject, { subresource: 'status', fieldManager: 'k3s' })
}
