// syncDaemonSet (pkg/controller/daemon/daemon_controller.go and update.go, v1.32): one pod per
// node that should run it, pinned by node affinity; pods on nodes that should not keep them,
// surplus pods and finished (Failed, Succeeded) pods deleted; RollingUpdate replaces old-revision pods within
// maxUnavailable (unavailable old pods first), OnDelete waits for the user; then the status.
// Pods are read fresh from the API on every sync, so no expectations are needed; the rolling
// update runs only in a sync that created and deleted nothing, where upstream waits for them.
import { clone, type KubeObject } from '../../api/object.ts'
import { selectorFromLabelSelector } from '../../api/labels.ts'
import type { EventRecorder, RecordOptions } from '../../client/events.ts'
import type { ControllerContext } from '../types.ts'
import { pinToNode, placement, targetNode, withDaemonTolerations, type Placement } from './nodes.ts'
import { ensureRevision, isNotFound, ownerRef, truncateHistory } from '../history.ts'

type Json = Record<string, any>

export const HASH_LABEL = 'controller-revision-hash'
export const GENERATION_LABEL = 'pod-template-generation'

const spec = (o: KubeObject): Json => (o.spec ?? {}) as Json
const status = (o: KubeObject): Json => (o.status ?? {}) as Json
const readyCondition = (p: KubeObject): Json | undefined => (status(p).conditions as Json[] | undefined)?.find(c => c.type === 'Ready')
export const isReady = (p: KubeObject): boolean => readyCondition(p)?.status === 'True'

export function isAvailable (p: KubeObject, minReadySeconds: number, now: number): boolean {
  const c = readyCondition(p)
  if (c?.status !== 'True') return false
  if (minReadySeconds === 0) return true
  return c.lastTransitionTime !== undefined && Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 < now
}

/** podsShouldBeOnNode: a Failed daemon pod is killed with a warning, a Succeeded one deleted with a notice. */
function finished (p: KubeObject, node: string): RecordOptions | undefined {
  const pod = `${p.metadata.namespace}/${p.metadata.name}`
  if (status(p).phase === 'Failed') return { type: 'Warning', reason: 'FailedDaemonPod', message: `Found failed daemon pod ${pod} on node ${node}, will try to kill it` }
  if (status(p).phase === 'Succeeded') return { type: 'Normal', reason: 'SucceededDaemonPod', message: `Found succeeded daemon pod ${pod} on node ${node}, will try to delete it` }
  return undefined
}

const byAge = (a: KubeObject, b: KubeObject): number =>
  Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '') || a.metadata.name!.localeCompare(b.metadata.name!)

/** maxUnavailable (int or percent of desired, rounded up; 0 → 1 when maxSurge is 0). */
function maxUnavailable (ds: KubeObject, desired: number): number {
  const v = spec(ds).updateStrategy?.rollingUpdate?.maxUnavailable ?? 1
  const n = typeof v === 'string' && v.endsWith('%') ? Math.ceil(Number.parseInt(v, 10) * desired / 100) : Number(v)
  return n === 0 ? 1 : n
}

export async function syncDaemonSet (key: string, ctx: ControllerContext, recorder: EventRecorder): Promise<void> {
  const ds = ctx.lister('daemonsets').get(key)
  if (ds === undefined) return
  const ns = ds.metadata.namespace
  const selector = selectorFromLabelSelector(spec(ds).selector)
  const pods = (await ctx.client.list('v1', 'Pod', { namespace: ns })).items
    .filter(p => p.metadata.ownerReferences?.some(r => r.controller === true && r.uid === ds.metadata.uid) && selector.matches(p.metadata.labels))
  const nodes = ctx.lister('nodes').list()
  const nodeNames = new Set(nodes.map(n => n.metadata.name!))
  const byNode = new Map<string, KubeObject[]>()
  const orphaned: KubeObject[] = []
  for (const p of pods) {
    const node = targetNode(p)
    if (node === undefined || !nodeNames.has(node)) { if (p.metadata.deletionTimestamp === undefined || spec(p).nodeName) orphaned.push(p); continue }
    byNode.set(node, [...(byNode.get(node) ?? []), p].sort(byAge))
  }
  const places = new Map<string, Placement>(nodes.map(n => [n.metadata.name!, placement(ds, n)]))
  // A DaemonSet being deleted is left alone, status included: its revisions may already be gone,
  // so the status could not be computed reliably (upstream returns before constructHistory).
  if (ds.metadata.deletionTimestamp !== undefined) return
  const { hash, all } = await ensureRevision(ctx, ds, { hashLabel: h => ({ [HASH_LABEL]: h }) })
  const live = new Set(pods.map(p => `${ds.metadata.name}-${p.metadata.labels?.[HASH_LABEL]}`))
  live.add(`${ds.metadata.name}-${hash}`)
  await truncateHistory(ctx, all, live, spec(ds).revisionHistoryLimit ?? 10)
  // manage: create where missing, delete where not wanted.
  const create: string[] = []
  const remove: KubeObject[] = [...orphaned]
  for (const node of [...nodeNames].sort()) {
    const p = places.get(node)!
    const onNode = byNode.get(node) ?? []
    if (p.shouldRun && onNode.length === 0) { create.push(node); continue }
    if (!p.shouldContinueRunning) { remove.push(...onNode.filter(x => x.metadata.deletionTimestamp === undefined)); continue }
    const live = onNode.filter(x => x.metadata.deletionTimestamp === undefined)
    for (const x of live) {
      const event = finished(x, node)
      if (event !== undefined) { await recorder.record(ds, event); remove.push(x) }
    }
    const running = live.filter(x => finished(x, node) === undefined)
    if (running.length > 1) remove.push(...running.slice(1))
  }
  // Upstream runs the rolling update only once manage's creations and deletions are observed
  // (expectations satisfied): never in a sync that created or deleted pods.
  if (remove.length === 0 && create.length === 0 && spec(ds).updateStrategy?.type !== 'OnDelete') remove.push(...rollingUpdate(ds, byNode, places, hash, ctx.clock.now()))
  for (const node of create) await createPod(ctx, recorder, ds, node, hash)
  for (const p of remove) await deletePod(ctx, recorder, ds, p, spec(p).nodeName !== undefined && !nodeNames.has(spec(p).nodeName))
  await writeStatus(ctx, ds, byNode, places, hash)
  const minReadySeconds: number = spec(ds).minReadySeconds ?? 0
  if (minReadySeconds > 0 && pods.some(p => isReady(p) && !isAvailable(p, minReadySeconds, ctx.clock.now()))) ctx.enqueueAfter(key, minReadySeconds * 1000 + 1)
}

/** rollingUpdate (maxSurge 0): old pods that are unavailable go first, then available ones within budget. */
function rollingUpdate (ds: KubeObject, byNode: Map<string, KubeObject[]>, places: Map<string, Placement>, hash: string, now: number): KubeObject[] {
  const minReadySeconds: number = spec(ds).minReadySeconds ?? 0
  let desired = 0
  let unavailable = 0
  const oldAvailable: KubeObject[] = []
  const oldUnavailable: KubeObject[] = []
  for (const [node, p] of places) {
    if (!p.shouldRun) continue
    desired++
    const pods = byNode.get(node) ?? []
    const pod = pods[0]
    if (pod === undefined || pods.some(x => x.metadata.deletionTimestamp !== undefined)) { unavailable++; continue }
    const available = isAvailable(pod, minReadySeconds, now)
    if (!available) unavailable++
    if (pod.metadata.labels?.[HASH_LABEL] === hash) continue
    ;(available ? oldAvailable : oldUnavailable).push(pod)
  }
  const budget = maxUnavailable(ds, desired) - unavailable
  return [...oldUnavailable, ...oldAvailable.sort((a, b) => targetNode(a)!.localeCompare(targetNode(b)!)).slice(0, Math.max(0, budget))]
}

async function createPod (ctx: ControllerContext, recorder: EventRecorder, ds: KubeObject, node: string, hash: string): Promise<void> {
  const template = clone(spec(ds).template ?? {}) as Json
  const meta: Json = template.metadata ?? {}
  const podSpec: Json = template.spec ?? {}
  podSpec.affinity = pinToNode(podSpec.affinity, node)
  podSpec.tolerations = withDaemonTolerations(podSpec)
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...(meta.labels ?? {}), [HASH_LABEL]: hash, [GENERATION_LABEL]: String(ds.metadata.generation ?? 1) },
      ...(meta.annotations === undefined ? {} : { annotations: meta.annotations }),
      ...(meta.finalizers === undefined ? {} : { finalizers: meta.finalizers }),
      ownerReferences: [ownerRef(ds)],
    },
    spec: podSpec,
  }
  try {
    const created = await ctx.client.create(pod)
    await recorder.record(ds, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${created.metadata.name}` })
  } catch (err) {
    if ((err as { code?: number }).code === 403 && /being terminated/.test((err as Error).message)) return
    await recorder.record(ds, { type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${(err as Error).message}` })
    throw err
  }
}

/** `force`: the pod's node is gone, no kubelet will finish it (what pod GC does upstream). */
async function deletePod (ctx: ControllerContext, recorder: EventRecorder, ds: KubeObject, pod: KubeObject, force = false): Promise<void> {
  try {
    await ctx.client.delete('v1', 'Pod', pod.metadata.namespace, pod.metadata.name!, force ? { gracePeriodSeconds: 0 } : undefined)
    await recorder.record(ds, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}` })
  } catch (err) {
    if (isNotFound(err)) return
    await recorder.record(ds, { type: 'Warning', reason: 'FailedDelete', message: `Error deleting: ${(err as Error).message}` })
    throw err
  }
}

/** updateDaemonSetStatus: counts per node; zero-valued optional counts omitted. */
async function writeStatus (ctx: ControllerContext, ds: KubeObject, byNode: Map<string, KubeObject[]>, places: Map<string, Placement>, hash: string): Promise<void> {
  const minReadySeconds: number = spec(ds).minReadySeconds ?? 0
  const now = ctx.clock.now()
  let desired = 0; let current = 0; let mis = 0; let ready = 0; let updated = 0; let available = 0
  for (const [node, p] of places) {
    const pods = byNode.get(node) ?? []
    if (p.shouldRun) {
      desired++
      if (pods.length === 0) continue
      current++
      const pod = pods[0]
      if (isReady(pod)) { ready++; if (isAvailable(pod, minReadySeconds, now)) available++ }
      if (pod.metadata.labels?.[HASH_LABEL] === hash) updated++
    } else if (pods.length > 0) {
      mis++
    }
  }
  const next: Json = {
    currentNumberScheduled: current,
    numberMisscheduled: mis,
    desiredNumberScheduled: desired,
    numberReady: ready,
    ...(ds.metadata.generation === undefined ? {} : { observedGeneration: ds.metadata.generation }),
    ...(updated > 0 ? { updatedNumberScheduled: updated } : {}),
    ...(available > 0 ? { numberAvailable: available } : {}),
    ...(desired - available > 0 ? { numberUnavailable: desired - available } : {}),
    ...(status(ds).collisionCount === undefined ? {} : { collisionCount: status(ds).collisionCount }),
    ...(status(ds).conditions === undefined ? {} : { conditions: status(ds).conditions }),
  }
  if (JSON.stringify(next) === JSON.stringify(status(ds))) return
  try {
    await ctx.client.update({ ...clone(ds), status: next }, { subresource: 'status' })
  } catch (err) {
    if (isNotFound(err)) return
    const fresh = await ctx.client.get('apps/v1', 'DaemonSet', ds.metadata.namespace, ds.metadata.name!)
    await ctx.client.update({ ...fresh, status: next }, { subresource: 'status' })
  }
}
