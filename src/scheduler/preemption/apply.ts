// The writes that follow a preemption decision, as upstream's prepareCandidate/PreemptPod (v1.32,
// synchronous preemption): per victim, DisruptionTarget=True on its status, a graceful delete and
// a `Preempted` event; then lower-priority pods nominated to that node lose their nomination, and
// the preemptor is nominated to it.
import { rfc3339, type KubeObject } from '../../api/object.ts'
import { StatusError } from '../../apiserver/errors.ts'
import type { Client } from '../../client/client.ts'
import type { Clock } from '../../util/clock.ts'
import { defaultPodPriority } from './victims.ts'

type Json = Record<string, any>

/** What is needed of an event recorder (EventsV1Recorder fits; `related` is the preemptor). */
export interface PreemptionEventSink {
  record(obj: KubeObject, o: { type: 'Normal' | 'Warning', reason: string, message: string, action?: string, related?: KubeObject }): Promise<Error | undefined>
}

export interface ApplyPreemptionOptions {
  client: Client
  events: PreemptionEventSink
  clock: Pick<Clock, 'now'>
  preemptor: KubeObject
  /** The nominated node. */
  nodeName: string
  victims: KubeObject[]
  /** Pods the scheduler has nominated to `nodeName`; those of lower priority are un-nominated. */
  nominatedPods?: KubeObject[]
  podPriority?: (pod: KubeObject) => number
  /** Patch the preemptor's status.nominatedNodeName here (default true); false if the caller
   * writes it together with its PodScheduled condition, as upstream's updatePod does. */
  nominate?: boolean
}

const isNotFound = (err: unknown): boolean => err instanceof StatusError && err.code === 404

/** The condition upstream puts on each victim; the scheduler name is the preemptor's. */
export function disruptionTarget (preemptor: KubeObject, now: number): Json {
  const schedulerName = (preemptor.spec as Json | undefined)?.schedulerName || 'default-scheduler'
  return {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: rfc3339(now),
    reason: 'PreemptionByScheduler',
    message: `${schedulerName}: preempting to accommodate a higher priority pod`,
  }
}

/**
 * apipod.UpdatePodCondition: the conditions with `condition` set, or undefined when nothing
 * changes. An existing condition with the same status keeps its lastTransitionTime.
 */
export function withCondition (conditions: Json[], condition: Json): Json[] | undefined {
  const i = conditions.findIndex(c => c.type === condition.type)
  if (i < 0) return [...conditions, condition]
  const old = conditions[i]!
  const next = { ...condition }
  if (old.status === next.status) next.lastTransitionTime = old.lastTransitionTime
  const same = ['status', 'reason', 'message', 'lastProbeTime', 'lastTransitionTime'].every(k => (old[k] ?? null) === (next[k] ?? null))
  if (same) return undefined
  const out = [...conditions]
  out[i] = next
  return out
}

/** Upstream PreemptPod for one victim. A victim already gone is no error (and gets no event). */
async function preemptPod (o: ApplyPreemptionOptions, victim: KubeObject): Promise<void> {
  const { client } = o
  const { namespace, name } = victim.metadata
  const conditions = ((victim.status as Json | undefined)?.conditions ?? []) as Json[]
  const updated = withCondition(conditions, disruptionTarget(o.preemptor, o.clock.now()))
  try {
    if (updated !== undefined) {
      // A merge patch replaces the list: send all of the victim's conditions.
      await client.patch('v1', 'Pod', namespace, name!, { status: { conditions: updated } }, { subresource: 'status', type: 'merge' })
    }
    await client.delete('v1', 'Pod', namespace, name!)
  } catch (err) {
    if (isNotFound(err)) return
    throw err
  }
  await o.events.record(victim, {
    type: 'Normal',
    reason: 'Preempted',
    message: `Preempted by pod ${o.preemptor.metadata.uid} on node ${o.nodeName}`,
    action: 'Preempting',
    related: o.preemptor,
  })
}

/**
 * Perform a preemption decided by DefaultPreemption. A failed victim write throws (upstream
 * returns an Error status, and the preemptor is retried without a nomination); failing to clear
 * other pods' nominations is not critical and is ignored, as upstream only logs it.
 */
export async function applyPreemption (o: ApplyPreemptionOptions): Promise<void> {
  for (const victim of o.victims) await preemptPod(o, victim)

  const podPriority = o.podPriority ?? defaultPodPriority
  const priority = podPriority(o.preemptor)
  for (const p of o.nominatedPods ?? []) {
    if (podPriority(p) >= priority || !(p.status as Json | undefined)?.nominatedNodeName) continue
    await o.client.patch('v1', 'Pod', p.metadata.namespace, p.metadata.name!, { status: { nominatedNodeName: null } }, { subresource: 'status', type: 'merge' })
      .catch(() => undefined)
  }

  if (o.nominate !== false) {
    const { namespace, name } = o.preemptor.metadata
    await o.client.patch('v1', 'Pod', namespace, name!, { status: { nominatedNodeName: o.nodeName } }, { subresource: 'status', type: 'merge' })
  }
}
