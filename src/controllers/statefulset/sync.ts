// updateStatefulSet (pkg/controller/statefulset/stateful_set_control.go, v1.32): split the pods
// into replicas (ordinals in [start, start+replicas)) and condemned (the rest, highest first);
// create missing replicas with their claims, delete failed ones, scale down from the highest
// ordinal, then RollingUpdate from the highest ordinal down to the partition, one pod at a time
// waiting for the replacement to be Running and Ready (OnDelete: pods change only when the user
// deletes them). OrderedReady stops at the first pod that is not Running and Ready; Parallel does
// not wait. Pods are read fresh from the API on every sync, so no expectations are needed.
import { clone, type KubeObject } from '../../api/object.ts'
import { selectorFromLabelSelector } from '../../api/labels.ts'
import type { EventRecorder } from '../../client/events.ts'
import type { ControllerContext } from '../types.ts'
import {
  createPod, deletePod, ensureClaims, isFailed, isRunningAndAvailable, isRunningAndReady, isTerminating, newPod,
  ordinalOf, REVISION_LABEL, spec, status,
} from './pods.ts'
import { ensureRevision, isNotFound, templateOf, truncateHistory } from '../history.ts'

type Json = Record<string, any>

interface Plan {
  sts: KubeObject
  start: number
  replicas: Array<KubeObject | undefined>
  condemned: KubeObject[]
  currentRevision: string
  updateRevision: string
  currentTemplate: Json
  monotonic: boolean
  minReadySeconds: number
  now: number
}

export async function syncStatefulSet (key: string, ctx: ControllerContext, recorder: EventRecorder): Promise<void> {
  const sts = ctx.lister('statefulsets').get(key)
  if (sts === undefined) return
  const selector = selectorFromLabelSelector(spec(sts).selector)
  const pods = (await ctx.client.list('v1', 'Pod', { namespace: sts.metadata.namespace })).items
    .filter(p => p.metadata.ownerReferences?.some(r => r.controller === true && r.uid === sts.metadata.uid) && selector.matches(p.metadata.labels))
  const { revision, all } = await ensureRevision(ctx, sts, { hashLabel: h => ({ 'controller.kubernetes.io/hash': h }) })
  const updateRevision = revision.metadata.name!
  const recorded = all.find(r => r.metadata.name === status(sts).currentRevision)
  const currentRevision = recorded?.metadata.name ?? updateRevision
  const start: number = spec(sts).ordinals?.start ?? 0
  const count: number = spec(sts).replicas ?? 1
  const plan: Plan = {
    sts,
    start,
    replicas: Array.from({ length: count }, () => undefined),
    condemned: [],
    currentRevision,
    updateRevision,
    currentTemplate: recorded === undefined ? clone(spec(sts).template ?? {}) : templateOf(recorded),
    monotonic: spec(sts).podManagementPolicy !== 'Parallel',
    minReadySeconds: spec(sts).minReadySeconds ?? 0,
    now: ctx.clock.now(),
  }
  for (const pod of pods) {
    const ord = ordinalOf(sts, pod)
    if (ord < 0) continue
    if (ord >= start && ord < start + count) plan.replicas[ord - start] = pod
    else plan.condemned.push(pod)
  }
  plan.condemned.sort((a, b) => ordinalOf(sts, b) - ordinalOf(sts, a))
  const rolled = sts.metadata.deletionTimestamp === undefined ? await converge(ctx, recorder, plan) : 'none'
  const live = new Set([currentRevision, updateRevision, ...pods.map(p => p.metadata.labels?.[REVISION_LABEL] ?? '')])
  await truncateHistory(ctx, all, live, spec(sts).revisionHistoryLimit ?? 10)
  await writeStatus(ctx, plan, pods, rolled)
  if (plan.minReadySeconds > 0 && pods.some(p => isRunningAndReady(p) && !isRunningAndAvailable(p, plan.minReadySeconds, plan.now))) {
    ctx.enqueueAfter(key, plan.minReadySeconds * 1000 + 1)
  }
}

function partition (sts: KubeObject): number | undefined {
  const strategy: Json = spec(sts).updateStrategy ?? {}
  if (strategy.type === 'OnDelete') return undefined
  return strategy.rollingUpdate?.partition ?? 0
}

/** newVersionedStatefulSetPod: ordinals below the partition keep the current revision. */
function podFor (plan: Plan, ordinal: number): KubeObject {
  const p = partition(plan.sts)
  if (p !== undefined && ordinal < plan.start + p) return newPod(plan.sts, ordinal, plan.currentTemplate, plan.currentRevision)
  return newPod(plan.sts, ordinal, spec(plan.sts).template ?? {}, plan.updateRevision)
}

/** Creates, deletes and rolls; says whether it deleted a pod for the rolling update. */
async function converge (ctx: ControllerContext, recorder: EventRecorder, plan: Plan): Promise<'none' | 'deleted'> {
  const { sts, monotonic } = plan
  const healthy = (p: KubeObject): boolean => isRunningAndAvailable(p, plan.minReadySeconds, plan.now)
  for (let i = 0; i < plan.replicas.length; i++) {
    const pod = plan.replicas[i]
    const ordinal = plan.start + i
    if (pod === undefined) {
      await ensureClaims(ctx, recorder, sts, ordinal)
      await createPod(ctx, recorder, sts, podFor(plan, ordinal))
      if (monotonic) return 'none'
      continue
    }
    if (isTerminating(pod)) { if (monotonic) return 'none'; continue }
    if (isFailed(pod)) {
      await deletePod(ctx, recorder, sts, pod)
      if (monotonic) return 'none'
      continue
    }
    if (monotonic && !healthy(pod)) return 'none'
  }
  for (const pod of plan.condemned) {
    if (isTerminating(pod)) { if (monotonic) return 'none'; continue }
    await deletePod(ctx, recorder, sts, pod)
    if (monotonic) return 'none'
  }
  const p = partition(sts)
  if (p === undefined) return 'none'
  // RollingUpdate, maxUnavailable 1: the highest ordinal not yet updated goes first.
  for (let i = plan.replicas.length - 1; i >= Math.max(0, p); i--) {
    const pod = plan.replicas[i]
    if (pod === undefined || isTerminating(pod)) return 'none'
    if (pod.metadata.labels?.[REVISION_LABEL] !== plan.updateRevision) {
      await deletePod(ctx, recorder, sts, pod)
      return 'deleted'
    }
    if (!healthy(pod)) return 'none'
  }
  return 'none'
}

/** `rolled: 'deleted'`: a pod was just deleted for the update, so one fewer is current (upstream's status.CurrentReplicas--). */
async function writeStatus (ctx: ControllerContext, plan: Plan, pods: KubeObject[], rolled: 'none' | 'deleted'): Promise<void> {
  const { sts } = plan
  let replicas = 0; let ready = 0; let available = 0; let current = 0; let updated = 0
  for (const pod of pods) {
    if (ordinalOf(sts, pod) < 0 || status(pod).phase === undefined) continue
    replicas++
    if (isRunningAndReady(pod)) {
      ready++
      if (isRunningAndAvailable(pod, plan.minReadySeconds, plan.now)) available++
    }
    if (isTerminating(pod)) continue
    const rev = pod.metadata.labels?.[REVISION_LABEL]
    if (rev === plan.currentRevision) current++
    if (rev === plan.updateRevision) updated++
  }
  if (rolled === 'deleted') current--
  let currentRevision = plan.currentRevision
  // completeRollingUpdate: every replica updated and ready makes the update revision current.
  if (partition(sts) !== undefined && updated === replicas && ready === replicas) {
    current = updated
    currentRevision = plan.updateRevision
  }
  const next: Json = {
    ...(sts.metadata.generation === undefined ? {} : { observedGeneration: sts.metadata.generation }),
    replicas,
    ...(ready > 0 ? { readyReplicas: ready } : {}),
    ...(current > 0 ? { currentReplicas: current } : {}),
    ...(updated > 0 ? { updatedReplicas: updated } : {}),
    currentRevision,
    updateRevision: plan.updateRevision,
    collisionCount: status(sts).collisionCount ?? 0,
    availableReplicas: available,
    ...(status(sts).conditions === undefined ? {} : { conditions: status(sts).conditions }),
  }
  if (JSON.stringify(next) === JSON.stringify(status(sts))) return
  try {
    await ctx.client.update({ ...clone(sts), status: next }, { subresource: 'status' })
  } catch (err) {
    if (isNotFound(err)) return
    const fresh = await ctx.client.get('apps/v1', 'StatefulSet', sts.metadata.namespace, sts.metadata.name!)
    await ctx.client.update({ ...fresh, status: next }, { subresource: 'status' })
  }
}
