// Node taints as the node lifecycle controller manages them: the NoExecute templates for
// not-ready / unreachable, the NoSchedule taints that mirror node conditions (upstream's
// nodeConditionToTaintKeyStatusMap), and the writes (controller.AddOrUpdateTaintOnNode,
// RemoveTaintOffNode, nodeutil.SwapNodeControllerTaint): re-read the node, change spec.taints,
// update with its resourceVersion, retry on conflict.
import { rfc3339 } from '../../api/object.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { Client } from '../../client/client.ts'
import { TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, type Node, type Taint } from './types.ts'

export const UNREACHABLE_NO_EXECUTE: Readonly<Taint> = { key: TAINT_UNREACHABLE, effect: 'NoExecute' }
export const NOT_READY_NO_EXECUTE: Readonly<Taint> = { key: TAINT_NOT_READY, effect: 'NoExecute' }

/** Condition type → status → taint key (applied with effect NoSchedule). */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
}
const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap(m => Object.values(m)))

/** Upstream retries taint writes on conflict a few times (UpdateTaintBackoff: 5 steps). */
const WRITE_ATTEMPTS = 5

/** Same key and effect (Taint.MatchTaint). */
export const matchTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect

export function taintExists (taints: readonly Taint[] | undefined, t: Taint): boolean {
  return taints?.some(x => matchTaint(x, t)) ?? false
}

export function noExecuteTaints (node: Node | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter(t => t.effect === 'NoExecute')
}

/**
 * doNoScheduleTaintingPass's decision: the NoSchedule taints the node's conditions and
 * spec.unschedulable call for, against the condition taints it has (TaintSetDiff).
 */
export function noScheduleTaintDiff (node: Node): { add: Taint[], remove: Taint[] } {
  const want: Taint[] = []
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status]
    if (key !== undefined) want.push({ key, effect: 'NoSchedule' })
  }
  if (node.spec?.unschedulable === true) want.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' })
  const have = (node.spec?.taints ?? []).filter(t =>
    t.effect === 'NoSchedule' && (t.key === TAINT_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)))
  return {
    add: want.filter(t => !taintExists(have, t)),
    remove: have.filter(t => !taintExists(want, t)),
  }
}

const sameTaint = (a: Taint, b: Taint): boolean =>
  matchTaint(a, b) && (a.value ?? '') === (b.value ?? '') && (a.timeAdded ?? '') === (b.timeAdded ?? '')

/** Re-read the node, change its taints, write it; a conflict starts over. */
async function writeTaints (client: Client, name: string, change: (taints: readonly Taint[]) => Taint[] | undefined): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const node = await client.get<Node>('v1', 'Node', undefined, name)
    const taints = change(node.spec?.taints ?? [])
    if (taints === undefined) return
    const spec = { ...node.spec, taints }
    if (taints.length === 0) delete (spec as { taints?: Taint[] }).taints
    try {
      await client.update<Node>({ ...node, spec })
      return
    } catch (err) {
      if (!isStatusError(err, 409) || attempt >= WRITE_ATTEMPTS) throw err
    }
  }
}

/** AddOrUpdateTaintOnNode: a taint with the same key and effect is replaced in place, else appended. */
export async function addOrUpdateTaints (client: Client, name: string, add: readonly Taint[]): Promise<void> {
  if (add.length === 0) return
  await writeTaints(client, name, current => {
    let taints = [...current]
    let changed = false
    for (const t of add) {
      const i = taints.findIndex(x => matchTaint(x, t))
      if (i >= 0 && sameTaint(taints[i], t)) continue
      taints = i >= 0 ? taints.map((x, j) => (j === i ? t : x)) : [...taints, t]
      changed = true
    }
    return changed ? taints : undefined
  })
}

/** RemoveTaintOffNode: nothing to do when `node` (the cached copy) has none of the taints. */
export async function removeTaints (client: Client, name: string, node: Node | undefined, remove: readonly Taint[]): Promise<void> {
  if (remove.length === 0) return
  if (node !== undefined && !remove.some(t => taintExists(node.spec?.taints, t))) return
  await writeTaints(client, name, current => {
    const taints = current.filter(x => !taintExists(remove, x))
    return taints.length === current.length ? undefined : taints
  })
}

/** SwapNodeControllerTaint: add (each stamped timeAdded = now, NoSchedule ones too), then remove. */
export async function swapTaints (client: Client, node: Node, add: readonly Taint[], remove: readonly Taint[], now: number): Promise<void> {
  const timeAdded = rfc3339(now)
  await addOrUpdateTaints(client, node.metadata.name!, add.map(t => ({ ...t, timeAdded })))
  await removeTaints(client, node.metadata.name!, node, remove)
}
