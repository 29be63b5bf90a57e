// Pods of a node that stopped being Ready (upstream: nodeutil.MarkPodsNotReady and the node
// lifecycle controller's processPod for pods bound to such a node later).
import { clone, rfc3339 } from '../../api/object.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { LifecycleContext } from './state.ts'
import { type Pod } from './types.ts'

/**
 * Each pod's Ready condition becomes False (reason and message kept, lastTransitionTime now:
 * podutil.UpdatePodCondition) through the status subresource, then a Warning `NodeNotReady`
 * "Node is not ready" event. Pods already not Ready, or without a Ready condition, are skipped.
 */
export async function markPodsNotReady (ctx: LifecycleContext, pods: readonly Pod[], nodeName: string): Promise<void> {
  const errors: unknown[] = []
  for (const cached of pods) {
    if (cached.spec?.nodeName !== nodeName) continue
    const pod = clone(cached) as Pod
    const conditions = pod.status?.conditions ?? []
    const i = conditions.findIndex(c => c.type === 'Ready')
    if (i < 0 || conditions[i].status === 'False') continue
    conditions[i] = { ...conditions[i], status: 'False', lastTransitionTime: rfc3339(ctx.clock.now()) }
    try {
      await ctx.client.update<Pod>(pod, { subresource: 'status' })
    } catch (err) {
      if (isStatusError(err, 404)) continue
      errors.push(err)
    }
    // Recorded after the update, as upstream, so that the pod still exists.
    await ctx.recorder.record(pod, { type: 'Warning', reason: 'NodeNotReady', message: 'Node is not ready' })
  }
  if (errors.length > 0) throw new AggregateError(errors, `marking pods on node ${nodeName} NotReady: ${errors.map(String).join('; ')}`)
}

/**
 * A pod newly bound to a node the controller knows as not Ready is marked NotReady at once
 * (processPod). Upstream retries a missing node with backoff; here the next monitor pass covers it.
 */
export async function processPod (ctx: LifecycleContext, key: string): Promise<void> {
  const pod = ctx.podLister.get(key) as Pod | undefined
  const nodeName = pod?.spec?.nodeName
  if (pod === undefined || nodeName === undefined || nodeName === '') return
  const health = ctx.state.health.get(nodeName)
  if (health === undefined || ctx.nodes.get(nodeName) === undefined) return
  const ready = health.ready
  if (ready === undefined || ready.status === 'True') return
  await markPodsNotReady(ctx, [pod], nodeName)
}

