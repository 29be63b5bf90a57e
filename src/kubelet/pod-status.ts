// The status a kubelet writes for a pod (k3s-facts.md §4), computed from what the runtime
// reports: phase, the five conditions in upstream's order with reasons and messages, and the
// container statuses. Pure, so it is tested field by field.
import type { ContainerStatus } from '../runtime/runtime.ts'

type Json = Record<string, any>

/** What the kubelet knows of one container of the spec. */
export interface ContainerView {
  name: string
  init: boolean
  /** The current attempt, if one was created. */
  current?: ContainerStatus
  /** The previous attempt's termination (lastState). */
  previous?: ContainerStatus
  restartCount: number
  /** Why it is waiting when not running: ContainerCreating, PodInitializing, CrashLoopBackOff, ErrImagePull… */
  waiting?: { reason: string, message?: string }
  ready: boolean
}

export interface PodView {
  spec: Json
  /** The status last written (transition times are kept while a condition does not change). */
  oldStatus: Json
  sandboxReady: boolean
  podIP?: string
  hostIP: string
  startTime: string
  containers: ContainerView[]
  /** The ephemeral containers: statuses only, no part in the phase or the conditions. */
  ephemerals?: ContainerView[]
  now: string
  /** Being deleted and its containers stopped: the final status takes a terminal phase. */
  terminal?: boolean
  /** A terminal phase the pod already has: it stays (the status manager never leaves one). */
  phase?: 'Succeeded' | 'Failed'
}

const t = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'))

function stateOf (c: ContainerStatus | undefined, waiting: ContainerView['waiting']): Json {
  if (c === undefined || c.state === 'created') return { waiting: waiting ?? { reason: 'ContainerCreating' } }
  if (c.state === 'running') return { running: { startedAt: t(c.startedAt) } }
  if (waiting !== undefined) return { waiting }
  return { terminated: terminated(c) }
}

function terminated (c: ContainerStatus): Json {
  const out: Json = { exitCode: c.exitCode ?? 0, reason: c.reason ?? (c.exitCode === 0 ? 'Completed' : 'Error') }
  if (c.message !== undefined) out.message = c.message
  return { ...out, startedAt: t(c.startedAt), finishedAt: t(c.finishedAt), containerID: c.id }
}

/** v1.31+ (RecursiveReadOnlyMounts): a created container's mounts, read-only ones not recursively so. */
function mountStatuses (spec: Json | undefined): Json[] | undefined {
  const mounts = (spec?.volumeMounts ?? []) as Json[]
  if (mounts.length === 0) return undefined
  return mounts.map(m => (m.readOnly === true
    ? { name: m.name, mountPath: m.mountPath, readOnly: true, recursiveReadOnly: 'Disabled' }
    : { name: m.name, mountPath: m.mountPath }))
}

function containerStatus (v: ContainerView, spec: Json | undefined, ephemeral = false): Json {
  const specImage = spec?.image ?? ''
  const c = v.current
  const out: Json = {
    containerID: c?.id,
    image: c?.image ?? specImage,
    imageID: c?.imageRef ?? '',
    lastState: v.previous === undefined ? {} : { terminated: terminated(v.previous) },
    name: v.name,
    ready: v.ready,
    restartCount: v.restartCount,
    started: c?.state === 'running',
    state: stateOf(c, v.waiting),
  }
  if (out.containerID === undefined) delete out.containerID
  // The prober sets `started` of containers and init containers only.
  if (ephemeral) delete out.started
  const mounts = c === undefined ? undefined : mountStatuses(spec)
  if (mounts !== undefined) out.volumeMounts = mounts
  return out
}

/**
 * The phase of a pod whose containers the kubelet stopped for its deletion (getPhase with
 * podIsTerminal): Succeeded when every container exited 0, else Failed.
 */
export function terminalPhase (views: ContainerView[]): 'Succeeded' | 'Failed' {
  const apps = views.filter(v => !v.init)
  const ok = apps.length > 0 && apps.every(v => v.current?.state === 'exited' && v.current.exitCode === 0)
  return ok ? 'Succeeded' : 'Failed'
}

/** Upstream's getPhase (kubelet_pods.go), over the container views. */
export function podPhase (spec: Json, views: ContainerView[]): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const policy = spec.restartPolicy ?? 'Always'
  let pendingInit = 0
  let failedInit = 0
  for (const v of views.filter(c => c.init)) {
    const c = v.current
    if (c?.state === 'exited' && c.exitCode === 0) continue
    if ((c?.state === 'exited' && c.exitCode !== 0) || v.previous !== undefined) failedInit++
    else pendingInit++
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed'
  let running = 0; let waiting = 0; let stopped = 0; let succeeded = 0
  for (const v of views.filter(c => !c.init)) {
    const c = v.current
    if (c?.state === 'running') running++
    else if (c?.state === 'exited' && v.waiting === undefined) { stopped++; if (c.exitCode === 0) succeeded++ }
    else if (v.previous !== undefined || c?.state === 'exited') { stopped++; const last = c?.state === 'exited' ? c : v.previous; if (last?.exitCode === 0) succeeded++ }
    else waiting++
  }
  if (pendingInit > 0 || failedInit > 0) return 'Pending'
  if (waiting > 0) return 'Pending'
  if (running > 0) return 'Running'
  if (stopped > 0) {
    if (policy === 'Always') return 'Running'
    if (stopped === succeeded) return 'Succeeded'
    if (policy === 'Never') return 'Failed'
    return 'Running'
  }
  return 'Pending'
}

function condition (old: Json[], type: string, status: string, now: string, reason?: string, message?: string): Json {
  const prev = old.find(c => c.type === type)
  const c: Json = { type, status, lastProbeTime: null, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : now }
  if (reason !== undefined) c.reason = reason
  if (message !== undefined) c.message = message
  return c
}

/** kubetypes.PodConditionByKubelet. */
const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers'])

const byName = (views: ContainerView[]): ContainerView[] => [...views].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))

export function computePodStatus (view: PodView): Json {
  const { spec, oldStatus, now } = view
  const phase = view.phase ?? (view.terminal === true ? terminalPhase(view.containers) : podPhase(spec, view.containers))
  const old: Json[] = oldStatus.conditions ?? []
  const inits = view.containers.filter(v => v.init)
  const apps = view.containers.filter(v => !v.init)
  const pendingInits = inits.filter(v => !(v.current?.state === 'exited' && v.current.exitCode === 0)).map(v => v.name)
  const unready = apps.filter(v => !v.ready).map(v => v.name)
  const done = phase === 'Succeeded' || phase === 'Failed'
  const ready = unready.length === 0 && !done
  const readyReason = done ? 'PodCompleted' : ready ? undefined : 'ContainersNotReady'
  const readyMessage = done || ready ? undefined : `containers with unready status: [${unready.join(' ')}]`
  const initialized = pendingInits.length === 0 || done
  const scheduled = old.find(c => c.type === 'PodScheduled') ?? condition(old, 'PodScheduled', 'True', now)
  // Conditions the kubelet does not own (DisruptionTarget, readiness gates') are kept, first, as
  // upstream's generateAPIPodStatus and mergePodStatus keep them.
  const conditions = [
    ...old.filter(c => !KUBELET_CONDITIONS.has(c.type)),
    condition(old, 'PodReadyToStartContainers', view.sandboxReady && !done ? 'True' : 'False', now),
    initialized ? condition(old, 'Initialized', 'True', now, done && inits.length > 0 ? 'PodCompleted' : undefined) : condition(old, 'Initialized', 'False', now, 'ContainersNotInitialized', `containers with incomplete status: [${pendingInits.join(' ')}]`),
    condition(old, 'Ready', ready ? 'True' : 'False', now, readyReason, readyMessage),
    condition(old, 'ContainersReady', ready ? 'True' : 'False', now, readyReason, readyMessage),
    scheduled,
  ]
  const specOf = (name: string, init: boolean): Json | undefined => ((init ? spec.initContainers : spec.containers) as Json[] ?? []).find(c => c.name === name)
  const status: Json = {
    phase,
    conditions,
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
  }
  if (view.podIP !== undefined) { status.podIP = view.podIP; status.podIPs = [{ ip: view.podIP }] }
  status.startTime = view.startTime
  if (inits.length > 0) status.initContainerStatuses = inits.map(v => containerStatus(v, specOf(v.name, true)))
  // Sorted by name (SortedContainerStatuses); init containers keep the spec's order.
  status.containerStatuses = byName(apps).map(v => containerStatus(v, specOf(v.name, false)))
  status.qosClass = oldStatus.qosClass
  const ephemerals = view.ephemerals ?? []
  if (ephemerals.length > 0) {
    const ephemeralSpec = (name: string): Json | undefined => ((spec.ephemeralContainers ?? []) as Json[]).find(c => c.name === name)
    const waiting = inits.length > 0 ? { reason: 'PodInitializing' } : undefined
    status.ephemeralContainerStatuses = byName(ephemerals).map(v => containerStatus({ ...v, waiting: v.waiting ?? (v.current === undefined ? waiting : undefined) }, ephemeralSpec(v.name), true))
  }
  return status
}
