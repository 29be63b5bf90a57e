// Pure parts of the Job controller: classifying a Job's pods, the terminal-condition decision and
// the desired number of active pods (upstream pkg/controller/job: syncJob, manageJob).
import type { KubeObject } from '../../api/object.ts'
import { onlyReplaceFailedPods } from './failure-policy.ts'

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking'
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index'

/** Upstream's DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
export const POD_FAILURE_BACKOFF_MS = 10_000
export const MAX_POD_FAILURE_BACKOFF_MS = 360_000

export interface JobCondition {
  type: string
  status: 'True' | 'False'
  reason?: string
  message?: string
  lastProbeTime?: string
  lastTransitionTime?: string
}

export interface JobSpec {
  parallelism?: number
  completions?: number | null
  completionMode?: 'NonIndexed' | 'Indexed'
  backoffLimit?: number
  activeDeadlineSeconds?: number
  suspend?: boolean
  podFailurePolicy?: { rules?: unknown[] } | null
  podReplacementPolicy?: 'Failed' | 'TerminatingOrFailed'
  selector?: { matchLabels?: Record<string, string> }
  template: { metadata?: KubeObject['metadata'], spec: { restartPolicy?: string, containers: unknown[] } }
}

export interface JobStatus {
  active?: number
  ready?: number
  terminating?: number
  succeeded?: number
  failed?: number
  startTime?: string
  completionTime?: string
  completedIndexes?: string
  conditions?: JobCondition[]
  uncountedTerminatedPods?: { succeeded?: string[], failed?: string[] }
}

export interface Job extends KubeObject { spec: JobSpec, status?: JobStatus }

interface ContainerStatus { name?: string, restartCount?: number, state?: { terminated?: { exitCode?: number } } }

export interface Pod extends KubeObject {
  spec: { restartPolicy?: string }
  status?: {
    phase?: string
    conditions?: Array<{ type: string, status: string }>
    containerStatuses?: ContainerStatus[]
    initContainerStatuses?: ContainerStatus[]
  }
}

export const FAILED_MESSAGES: Record<string, string> = {
  BackoffLimitExceeded: 'Job has reached the specified backoff limit',
  DeadlineExceeded: 'Job was active longer than specified deadline',
}
export const COMPLETIONS_REACHED = 'Reached expected number of succeeded pods'

export function hasCondition (job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find(c => c.type === type && c.status === 'True')
}

export function isFinished (job: Job): boolean {
  return hasCondition(job, 'Complete') !== undefined || hasCondition(job, 'Failed') !== undefined
}

/**
 * A pod counts as finished when terminal, or when deleted and not Succeeded — unless the Job
 * replaces only failed pods (podReplacementPolicy Failed, or a podFailurePolicy): then a deleted
 * pod counts once it is Failed (upstream's isPodFailed).
 */
export function podOutcome (pod: Pod, job: Job): 'succeeded' | 'failed' | undefined {
  const phase = pod.status?.phase
  if (phase === 'Succeeded') return 'succeeded'
  if (phase === 'Failed') return 'failed'
  if (pod.metadata.deletionTimestamp !== undefined && !onlyReplaceFailedPods(job)) return 'failed'
  return undefined
}

export function isReady (pod: Pod): boolean {
  return pod.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') === true
}

export function podIndex (pod: Pod): number | undefined {
  const raw = pod.metadata.annotations?.[COMPLETION_INDEX] ?? pod.metadata.labels?.[COMPLETION_INDEX]
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined
  return Number(raw)
}

/** Upstream's pastBackoffLimitOnFailure: container restarts of active pods count as failures. */
export function pastBackoffLimitOnFailure (job: Job, active: readonly Pod[]): boolean {
  if (job.spec.template.spec.restartPolicy !== 'OnFailure') return false
  let restarts = 0
  for (const p of active) {
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0
  }
  const limit = job.spec.backoffLimit ?? 6
  return limit === 0 ? restarts > 0 : restarts >= limit
}

/** [0,1,2,5,7,8] → "0-2,5,7-8", as status.completedIndexes. */
export function formatIndexes (indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return parts.join(',')
}

export function parseIndexes (text: string | undefined): Set<number> {
  const out = new Set<number>()
  for (const part of (text ?? '').split(',').filter(s => s !== '')) {
    const [a, b] = part.split('-').map(Number)
    for (let i = a; i <= (b ?? a); i++) out.add(i)
  }
  return out
}

/** Whether the success criteria are met (upstream: complete := ... in syncJob). */
export function successCriteriaMet (job: Job, succeeded: number, completedIndexes: Set<number>, active: number): boolean {
  const completions = job.spec.completions
  if (completions === undefined || completions === null) return succeeded > 0 && active === 0
  if (job.spec.completionMode === 'Indexed') return completedIndexes.size >= completions
  return succeeded >= completions
}

/**
 * How many pods should be running (upstream manageJob's wantActive). Work queue Jobs (no
 * completions) stop adding pods once one has succeeded.
 */
export function wantActive (job: Job, succeeded: number, active: number): number {
  const parallelism = job.spec.parallelism ?? 1
  const completions = job.spec.completions
  if (job.spec.suspend === true) return 0
  if (completions === undefined || completions === null) return succeeded > 0 ? Math.min(active, parallelism) : parallelism
  return Math.max(0, Math.min(completions - succeeded, parallelism))
}

/** Indexes still to run: not completed and not held by an active pod, lowest first. */
export function pendingIndexes (completions: number, completed: Set<number>, active: readonly Pod[]): number[] {
  const held = new Set(active.map(podIndex))
  const out: number[] = []
  for (let i = 0; i < completions; i++) if (!completed.has(i) && !held.has(i)) out.push(i)
  return out
}

/** 10s, 20s, 40s, … capped at 6 minutes, after `failures` consecutive failed pods. */
export function podFailureBackoff (failures: number): number {
  if (failures <= 0) return 0
  return Math.min(MAX_POD_FAILURE_BACKOFF_MS, POD_FAILURE_BACKOFF_MS * 2 ** (failures - 1))
}

export function condition (type: string, reason: string, message: string, now: string): JobCondition {
  return { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message }
}

/** Set or replace a condition of this type; returns the new list. */
export function setCondition (conditions: readonly JobCondition[] | undefined, c: JobCondition): JobCondition[] {
  const list = [...(conditions ?? [])]
  const i = list.findIndex(x => x.type === c.type)
  if (i < 0) list.push(c)
  else if (list[i].status !== c.status || list[i].reason !== c.reason) list[i] = c
  return list
}
