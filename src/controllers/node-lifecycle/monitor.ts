// One monitor pass (upstream's monitorNodeHealth, every nodeMonitorPeriod): record new and
// removed nodes, turn silent nodes' conditions Unknown, queue NoExecute tainting from the Ready
// condition the pass observed, mark pods NotReady when a node leaves Ready, and adjust the
// tainting rate to zone disruption.
import { isStatusError } from '../../apiserver/errors.ts'
import { handleDisruption, markNodeAsReachable } from './disruption.ts'
import { tryUpdateNodeHealth } from './health.ts'
import { markPodsNotReady } from './pods.ts'
import { nodeRef, podsOnNode, type LifecycleContext } from './state.ts'
import { NOT_READY_NO_EXECUTE, swapTaints, taintExists, UNREACHABLE_NO_EXECUTE } from './taints.ts'
import { NODE_LEASE_NAMESPACE, type Condition, type Lease, type Node } from './types.ts'
import { zoneKey, ZoneTainter } from './zones.ts'

/** Upstream tries a node's health update this many times (NodeHealthUpdateRetry), re-reading it. */
const HEALTH_UPDATE_ATTEMPTS = 5

/** Nodes with this label are left out of zone disruption counts. */
const EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption'

export async function monitorNodeHealth (ctx: LifecycleContext): Promise<void> {
  const { state, recorder } = ctx
  const nodes = (ctx.nodes.list() as Node[]).slice().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))
  const errors: unknown[] = []
  const names = new Set(nodes.map(n => n.metadata.name!))
  for (const node of nodes) {
    const name = node.metadata.name!
    if (state.knownNodes.has(name)) {
      addZone(ctx, node)
      continue
    }
    await recorder.record(nodeRef(node), { type: 'Normal', reason: 'RegisteredNode', message: `Node ${name} event: Registered Node ${name} in Controller` })
    state.knownNodes.set(name, node)
    addZone(ctx, node)
    await markNodeAsReachable(ctx, node).catch(err => errors.push(err))
  }
  for (const [name, node] of [...state.knownNodes]) {
    if (names.has(name)) continue
    await recorder.record(nodeRef(node), { type: 'Normal', reason: 'RemovingNode', message: `Node ${name} event: Removing Node ${name} from Controller` })
    state.knownNodes.delete(name)
    state.health.delete(name)
    state.nodesToRetry.delete(name)
  }

  const zoneConditions = new Map<string, Array<Condition | undefined>>()
  for (const node of nodes) {
    try {
      await updateNode(ctx, node, zoneConditions)
    } catch (err) {
      errors.push(err)
    }
  }
  await handleDisruption(ctx, zoneConditions, nodes).catch(err => errors.push(err))
  ctx.runTainters()
  if (errors.length > 0) throw new AggregateError(errors, `node health monitor: ${errors.map(String).join('; ')}`)
}

/** A zone seen for the first time gets its state and its NoExecute tainter. */
function addZone (ctx: LifecycleContext, node: Node): void {
  const zone = zoneKey(node)
  if (ctx.state.zoneStates.has(zone)) return
  ctx.state.zoneStates.set(zone, 'Initial')
  ctx.state.tainters.set(zone, new ZoneTainter(ctx.config.evictionQps, ctx.clock.now()))
}

async function updateNode (ctx: LifecycleContext, cached: Node, zoneConditions: Map<string, Array<Condition | undefined>>): Promise<void> {
  const { state, client, clock } = ctx
  const name = cached.metadata.name!
  const lease = ctx.leases.get(`${NODE_LEASE_NAMESPACE}/${name}`) as Lease | undefined
  let node = cached
  let result
  for (let attempt = 1; ; attempt++) {
    result = tryUpdateNodeHealth(node, lease, state.health.get(name), clock.now(), ctx.config)
    state.health.set(name, result.health)
    if (result.update === undefined) break
    try {
      await client.update<Node>(result.update.node, { subresource: 'status' })
      state.health.set(name, result.update.health)
      node = result.update.node
      break
    } catch (err) {
      // Skipped for this pass ("no pods will be evicted"); a deleted node simply drops out.
      if (isStatusError(err, 404)) return
      if (attempt >= HEALTH_UPDATE_ATTEMPTS) throw err
      node = await client.get<Node>('v1', 'Node', undefined, name)
    }
  }
  const { observedReady, currentReady } = result
  if (node.metadata.labels?.[EXCLUDE_DISRUPTION] === undefined) {
    const zone = zoneKey(node)
    // Appended in place: copying the zone's list per node was quadratic (12.5 million copies per
    // pass over 5,000 nodes in one zone).
    const ready = zoneConditions.get(zone)
    if (ready === undefined) zoneConditions.set(zone, [currentReady])
    else ready.push(currentReady)
  }
  if (currentReady === undefined) {
    state.nodesToRetry.delete(name)
    return
  }
  const pods = podsOnNode(ctx, name)
  const errors: unknown[] = []
  await processTaintBaseEviction(ctx, node, observedReady).catch(err => errors.push(err))
  const leftReady = currentReady.status !== 'True' && observedReady.status === 'True'
  if (leftReady || (state.nodesToRetry.has(name) && observedReady.status !== 'True')) {
    // Reported once, when the controller itself saw the node leave Ready.
    if (leftReady) await ctx.recorder.record(nodeRef(node), { type: 'Normal', reason: 'NodeNotReady', message: `Node ${name} status is now: NodeNotReady` })
    try {
      await markPodsNotReady(ctx, pods, name)
    } catch (err) {
      state.nodesToRetry.add(name)
      throw err
    }
  }
  state.nodesToRetry.delete(name)
  if (errors.length > 0) throw errors[0]
}

/**
 * From the Ready condition this pass observed (before any change of its own): False or Unknown
 * queue the node for the matching NoExecute taint (or swap the opposite one at once), True
 * removes both.
 */
async function processTaintBaseEviction (ctx: LifecycleContext, node: Node, observed: Condition): Promise<void> {
  const taints = node.spec?.taints
  switch (observed.status) {
    case 'False':
      if (taintExists(taints, UNREACHABLE_NO_EXECUTE)) await swapTaints(ctx.client, node, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE], ctx.clock.now())
      else markNodeForTainting(ctx, node, 'False')
      break
    case 'Unknown':
      if (taintExists(taints, NOT_READY_NO_EXECUTE)) await swapTaints(ctx.client, node, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], ctx.clock.now())
      else markNodeForTainting(ctx, node, 'Unknown')
      break
    case 'True':
      await markNodeAsReachable(ctx, node)
      break
  }
}

function markNodeForTainting (ctx: LifecycleContext, node: Node, status: 'False' | 'Unknown'): boolean {
  const tainter = ctx.state.tainters.get(zoneKey(node))
  if (tainter === undefined) return false
  const name = node.metadata.name!
  const wanted = status === 'False' ? NOT_READY_NO_EXECUTE : UNREACHABLE_NO_EXECUTE
  // A node whose taint went missing is queued again.
  if (!taintExists(node.spec?.taints, wanted)) tainter.remove(name)
  return tainter.add(name, ctx.clock.now())
}
