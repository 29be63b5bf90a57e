// The pods printer: upstream printPod, cell by cell. The STATUS cell is the subtle one:
//  1. start from status.reason, else status.phase (`SchedulingGated` if PodScheduled says so);
//  2. walk init containers in order; the first one neither finished with exit 0 nor a started
//     sidecar (restartPolicy Always) decides: `Init:<reason>`, `Init:ExitCode:N`, `Init:Signal:N`,
//     `Init:<waiting reason>` (except PodInitializing) or `Init:i/n`, and stops the walk;
//  3. unless initializing (and Initialized is not True), walk app containers LAST to FIRST, so the
//     first container with a waiting/terminated reason wins; `Completed` with a running ready
//     container turns back into `Running` (pod Ready) or `NotReady`;
//  4. a deleted pod is `Unknown` if its reason is NodeLost, else `Terminating` unless terminal.
import { type PrintedRow, type Printer, ageColumn, column, nameColumn, wide } from './types.ts'
import { humanDuration, parseTime, translateAge } from './time.ts'

const columns = [
  nameColumn,
  column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn,
  wide('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
  wide('Node', 'NodeName indicates in which node this pod is scheduled.'),
  wide('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.'),
  wide('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.')
]

const podSucceededConditions = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]
const podFailedConditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]

/** Go's zero time sorts before everything: -Infinity. */
function finishedAt (containerStatus: any): number {
  const terminated = containerStatus.lastState?.terminated
  if (terminated === undefined || terminated === null) return -Infinity
  const t = parseTime(terminated.finishedAt)
  return t === undefined || Number.isNaN(t) ? -Infinity : t
}

function isRestartable (initContainer: any): boolean {
  return initContainer?.restartPolicy === 'Always'
}

function conditionTrue (pod: any, type: string): boolean {
  const condition = (pod.status?.conditions ?? []).find((c: any) => c.type === type)
  return condition?.status === 'True'
}

function terminatedReason (terminated: any, prefix: string): string {
  if (terminated.reason) return prefix + terminated.reason
  if (terminated.signal) return `${prefix}Signal:${terminated.signal}`
  return `${prefix}ExitCode:${terminated.exitCode ?? 0}`
}

function printPod (pod: any, now: number): PrintedRow {
  const spec = pod.spec ?? {}
  const status = pod.status ?? {}
  const phase: string = status.phase ?? ''
  let reason: string = status.reason || phase
  for (const condition of status.conditions ?? []) {
    if (condition.type === 'PodScheduled' && condition.reason === 'SchedulingGated') reason = 'SchedulingGated'
  }

  let restarts = 0
  let sidecarRestarts = 0
  let lastRestart = -Infinity
  let lastSidecarRestart = -Infinity
  let readyContainers = 0
  let totalContainers = (spec.containers ?? []).length
  const initContainers = new Map<string, any>()
  for (const c of spec.initContainers ?? []) {
    initContainers.set(c.name, c)
    if (isRestartable(c)) totalContainers++
  }

  let initializing = false
  const initStatuses: any[] = status.initContainerStatuses ?? []
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]
    const state = cs.state ?? {}
    const sidecar = isRestartable(initContainers.get(cs.name))
    restarts += cs.restartCount ?? 0
    lastRestart = Math.max(lastRestart, finishedAt(cs))
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0
      lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(cs))
    }
    if (state.terminated && (state.terminated.exitCode ?? 0) === 0) continue
    if (sidecar && cs.started === true) {
      if (cs.ready) readyContainers++
      continue
    }
    if (state.terminated) reason = terminatedReason(state.terminated, 'Init:')
    else if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing') reason = 'Init:' + state.waiting.reason
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`
    initializing = true
    break
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts
    lastRestart = lastSidecarRestart
    let hasRunning = false
    const statuses: any[] = status.containerStatuses ?? []
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]
      const state = cs.state ?? {}
      restarts += cs.restartCount ?? 0
      lastRestart = Math.max(lastRestart, finishedAt(cs))
      if (state.waiting?.reason) reason = state.waiting.reason
      else if (state.terminated) reason = terminatedReason(state.terminated, '')
      else if (cs.ready && state.running) {
        hasRunning = true
        readyContainers++
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady'
  }

  const deleted = pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null
  if (deleted && status.reason === 'NodeLost') reason = 'Unknown'
  else if (deleted && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating'

  const restartsCell = restarts !== 0 && lastRestart !== -Infinity
    ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
    : String(restarts)

  // v1 → internal conversion makes status.podIP authoritative over podIPs[0].
  const podIP: string = status.podIP || status.podIPs?.[0]?.ip || '<none>'
  let readinessGates = '<none>'
  const gates: any[] = spec.readinessGates ?? []
  if (gates.length > 0) {
    let trueConditions = 0
    for (const gate of gates) {
      const condition = (status.conditions ?? []).find((c: any) => c.type === gate.conditionType)
      if (condition?.status === 'True') trueConditions++
    }
    readinessGates = `${trueConditions}/${gates.length}`
  }

  const cells = [
    pod.metadata?.name ?? '', `${readyContainers}/${totalContainers}`, reason, restartsCell,
    translateAge(pod.metadata?.creationTimestamp, now),
    podIP, spec.nodeName || '<none>', status.nominatedNodeName || '<none>', readinessGates
  ]
  if (phase === 'Succeeded') return { cells, conditions: podSucceededConditions }
  if (phase === 'Failed') return { cells, conditions: podFailedConditions }
  return cells
}

export const podPrinter: Printer = { columns, row: printPod }
