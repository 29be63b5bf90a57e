// On every Node add/update (upstream's doNodeProcessingPassWorker): NoSchedule taints follow
// the node's conditions and spec.unschedulable at once (doNoScheduleTaintingPass), and the beta
// os/arch labels follow the stable ones (reconcileNodeLabels).
import type { LifecycleContext } from './state.ts'
import { noScheduleTaintDiff, swapTaints } from './taints.ts'
import { type Node } from './types.ts'

/** [primary, secondary]: the secondary label is set to the primary's value. */
const RECONCILED_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['kubernetes.io/os', 'beta.kubernetes.io/os'],
  ['kubernetes.io/arch', 'beta.kubernetes.io/arch'],
]

export async function nodeProcessingPass (ctx: LifecycleContext, name: string): Promise<void> {
  const node = ctx.nodes.get(name) as Node | undefined
  if (node === undefined) return
  const { add, remove } = noScheduleTaintDiff(node)
  let error: unknown
  if (add.length > 0 || remove.length > 0) {
    await swapTaints(ctx.client, node, add, remove, ctx.clock.now()).catch(err => { error = err })
  }
  await reconcileNodeLabels(ctx, node).catch(err => { error ??= err })
  if (error !== undefined) throw error
}

async function reconcileNodeLabels (ctx: LifecycleContext, node: Node): Promise<void> {
  const labels = node.metadata.labels
  if (labels === undefined) return
  const update: Record<string, string> = {}
  for (const [primary, secondary] of RECONCILED_LABELS) {
    const value = labels[primary]
    if (value !== undefined && labels[secondary] !== value) update[secondary] = value
  }
  if (Object.keys(update).length === 0) return
  await ctx.client.patch('v1', 'Node', undefined, node.metadata.name!, { metadata: { labels: update } }, { type: 'strategic' })
}
