// NoExecute tainting and zone disruption (upstream: doNoExecuteTaintingPass, handleDisruption,
// markNodeAsReachable). When every zone has lost all its Ready nodes the controller assumes the
// problem is its own ("master disruption mode"): it removes the NoExecute taints and stops
// tainting, so a one-node cluster whose kubelet stops keeps its pods; it resumes, with fresh
// heartbeat timestamps for every node, once any node is Ready again.
import { NOT_READY_NO_EXECUTE, removeTaints, swapTaints, UNREACHABLE_NO_EXECUTE } from './taints.ts'
import type { LifecycleContext } from './state.ts'
import { condition, type Condition, type Node, type Taint } from './types.ts'
import { computeZoneState, zoneKey, type ZoneState } from './zones.ts'

/** Remove both NoExecute node-controller taints and take the node out of its tainting queue. */
export async function markNodeAsReachable (ctx: LifecycleContext, node: Node): Promise<boolean> {
  const name = node.metadata.name!
  await removeTaints(ctx.client, name, node, [UNREACHABLE_NO_EXECUTE])
  await removeTaints(ctx.client, name, node, [NOT_READY_NO_EXECUTE])
  return ctx.state.tainters.get(zoneKey(node))?.remove(name) ?? false
}

/**
 * Taint the queued nodes, as far as each zone's rate limit allows: Ready False → not-ready,
 * Unknown → unreachable (the opposite one removed), Ready again → nothing.
 */
export async function noExecuteTaintingPass (ctx: LifecycleContext): Promise<void> {
  for (const tainter of ctx.state.tainters.values()) {
    await tainter.try(ctx.clock.now(), async name => {
      const node = ctx.nodes.get(name) as Node | undefined
      if (node === undefined) return { done: true }
      const ready = condition(node.status?.conditions, 'Ready')
      if (ready === undefined) return { done: false, retryMs: 50 }
      let add: Taint
      let opposite: Taint
      if (ready.status === 'False') [add, opposite] = [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE]
      else if (ready.status === 'Unknown') [add, opposite] = [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE]
      else return { done: true }
      try {
        await swapTaints(ctx.client, node, [add], [opposite], ctx.clock.now())
        return { done: true }
      } catch {
        return { done: false }
      }
    })
  }
}

/** When a tainting pass could next make progress, if ever. */
export function nextTaintingAttempt (ctx: LifecycleContext): number | undefined {
  let next: number | undefined
  for (const tainter of ctx.state.tainters.values()) {
    const at = tainter.nextAttemptAt(ctx.clock.now())
    if (at !== undefined && (next === undefined || at < next)) next = at
  }
  return next
}

export async function handleDisruption (ctx: LifecycleContext, zoneConditions: Map<string, Array<Condition | undefined>>, nodes: readonly Node[]): Promise<void> {
  const { state, config } = ctx
  const newStates = new Map<string, ZoneState>()
  let allAreFullyDisrupted = true
  for (const [zone, ready] of zoneConditions) {
    const { state: next } = computeZoneState(ready, config.unhealthyZoneThreshold)
    if (next !== 'FullDisruption') allAreFullyDisrupted = false
    newStates.set(zone, next)
    if (!state.zoneStates.has(zone)) state.zoneStates.set(zone, 'Initial')
  }
  let allWasFullyDisrupted = true
  for (const [zone, was] of [...state.zoneStates]) {
    if (!zoneConditions.has(zone)) {
      state.zoneStates.delete(zone)
      continue
    }
    if (was !== 'FullDisruption') allWasFullyDisrupted = false
  }
  if (allAreFullyDisrupted && allWasFullyDisrupted) return
  const now = ctx.clock.now()
  if (allAreFullyDisrupted) {
    // "Controller detected that all Nodes are not-Ready. Entering master disruption mode."
    const errors: unknown[] = []
    for (const node of nodes) await markNodeAsReachable(ctx, node).catch(err => errors.push(err))
    for (const zone of state.zoneStates.keys()) {
      state.tainters.get(zone)?.swapLimiter(0, now)
      state.zoneStates.set(zone, 'FullDisruption')
    }
    if (errors.length > 0) throw errors[0]
    return
  }
  if (allWasFullyDisrupted) {
    // Leaving it: every node gets a fresh grace period before it can be found silent.
    for (const node of nodes) {
      const health = state.health.get(node.metadata.name!)
      if (health !== undefined) state.health.set(node.metadata.name!, { ...health, probeTimestamp: now, readyTransitionTimestamp: now })
    }
  }
  for (const [zone, was] of [...state.zoneStates]) {
    const next = newStates.get(zone)!
    if (!allWasFullyDisrupted && was === next) continue
    setLimiterInZone(ctx, zone, zoneConditions.get(zone)?.length ?? 0, next)
    state.zoneStates.set(zone, next)
  }
}

/** Normal and full disruption taint at the eviction rate; partial disruption slows or stops. */
function setLimiterInZone (ctx: LifecycleContext, zone: string, size: number, zoneState: ZoneState): void {
  const { config } = ctx
  const qps = zoneState === 'PartialDisruption'
    ? (size > config.largeClusterThreshold ? config.secondaryEvictionQps : 0)
    : config.evictionQps
  ctx.state.tainters.get(zone)?.swapLimiter(qps, ctx.clock.now())
}
