// A Job's podFailurePolicy (upstream pkg/controller/job/pod_failure_policy.go, v1.32): the first
// rule matching a failed pod decides — FailJob (the Job fails with that rule's message), Ignore
// (the failure does not count towards backoffLimit), Count (it does, as without a policy).
// FailIndex needs backoffLimitPerIndex, which k3sim does not model: such a rule counts the
// failure, without failing the index.
import type { Job, Pod } from './status.ts'

type Json = Record<string, any>

export interface PolicyMatch {
  /** The FailJob message, when a FailJob rule matched. */
  failJob?: string
  /** Whether the failure counts towards backoffLimit (false for Ignore). */
  count: boolean
}

interface Terminated { name: string, exitCode: number }

/** Upstream's matchPodFailurePolicy. */
export function matchPodFailurePolicy (job: Job, pod: Pod): PolicyMatch {
  const rules = (job.spec.podFailurePolicy?.rules ?? []) as Json[]
  for (const [index, rule] of rules.entries()) {
    let matched: string | undefined
    if (rule.onExitCodes !== undefined && rule.onExitCodes !== null) {
      const c = matchingContainer(pod, rule.onExitCodes)
      if (c !== undefined) matched = `Container ${c.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${c.exitCode} matching ${rule.action} rule at index ${index}`
    } else if (Array.isArray(rule.onPodConditions)) {
      const cond = matchingCondition(pod, rule.onPodConditions)
      if (cond !== undefined) matched = `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${cond} matching ${rule.action} rule at index ${index}`
    }
    if (matched === undefined) continue
    switch (rule.action) {
      case 'Ignore': return { count: false }
      case 'Count': case 'FailIndex': return { count: true }
      case 'FailJob': return { count: true, failJob: matched }
    }
  }
  return { count: true }
}

/** Container statuses first, then init containers': the first terminated non-zero exit matching. */
function matchingContainer (pod: Pod, req: Json): Terminated | undefined {
  for (const list of [pod.status?.containerStatuses, pod.status?.initContainerStatuses]) {
    for (const s of (list ?? []) as Json[]) {
      const exitCode = s.state?.terminated?.exitCode
      if (typeof exitCode !== 'number' || exitCode === 0) continue
      if (req.containerName !== undefined && req.containerName !== null && req.containerName !== s.name) continue
      const listed = ((req.values ?? []) as number[]).includes(exitCode)
      if ((req.operator === 'In' && listed) || (req.operator === 'NotIn' && !listed)) return { name: s.name, exitCode }
    }
  }
  return undefined
}

function matchingCondition (pod: Pod, patterns: Json[]): string | undefined {
  for (const c of pod.status?.conditions ?? []) {
    if (patterns.some(p => p?.type === c.type && (p?.status ?? 'True') === c.status)) return c.type
  }
  return undefined
}

/** Upstream's getFailJobMessage: the first failed pod a FailJob rule matches. */
export function failJobMessage (job: Job, pods: readonly Pod[]): string | undefined {
  if (job.spec.podFailurePolicy === undefined || job.spec.podFailurePolicy === null) return undefined
  for (const p of pods) {
    if (p.status?.phase !== 'Failed') continue
    const m = matchPodFailurePolicy(job, p)
    if (m.failJob !== undefined) return m.failJob
  }
  return undefined
}

/** Upstream's onlyReplaceFailedPods: a terminating pod is replaced only once it has failed. */
export function onlyReplaceFailedPods (job: Job): boolean {
  return job.spec.podReplacementPolicy === 'Failed' || (job.spec.podFailurePolicy !== undefined && job.spec.podFailurePolicy !== null)
}
