// The ReplicaSet controller (kube-controller-manager's replicaset-controller, v1.32): keeps
// spec.replicas active pods from spec.template, each owned by the ReplicaSet (controller: true,
// blockOwnerDeletion: true) and named <rs>-<5 chars>. Orphans whose labels match are adopted,
// owned pods whose labels stop matching are released, terminating pods do not count.
// Events: SuccessfulCreate "Created pod: <name>", SuccessfulDelete "Deleted pod: <name>".
// Depends only on the Client and the EventRecorder.
import { objectKey, type KubeObject } from '../../api/object.ts'
import { selectorFromLabelSelector } from '../../api/labels.ts'
import type { ControllerContext, ControllerDefinition, InformerEvent } from '../types.ts'
import { controllerOf } from './controller-ref.ts'
import { Expectations } from './expectations.ts'
import { PodFactsCache } from './pod-facts.ts'
import { isPodReady, spec } from './pods.ts'
import { syncReplicaSet } from './sync.ts'

export interface ReplicaSetControllerOptions {
  /** Upstream's --concurrent-replicaset-syncs (default 5). */
  workers?: number
}

export interface ReplicaSetController extends ControllerDefinition {
  /** Created on first sync (it needs the cluster clock); exposed for tests. */
  readonly expectations: Expectations | undefined
}

export function replicaSetController (options: ReplicaSetControllerOptions = {}): ReplicaSetController {
  let expectations: Expectations | undefined
  const facts = new PodFactsCache()
  const expect = (ctx: ControllerContext): Expectations => (expectations ??= new Expectations(ctx.clock))

  /** The ReplicaSet a controller reference points at, if it exists with that uid. */
  const resolve = (ctx: ControllerContext, pod: KubeObject): string | undefined => {
    const ref = controllerOf(pod)
    if (ref === undefined || ref.kind !== 'ReplicaSet') return undefined
    const key = `${pod.metadata.namespace}/${ref.name}`
    return ctx.lister('replicasets').get(key)?.metadata.uid === ref.uid ? key : undefined
  }
  /** getPodReplicaSets: the ReplicaSets whose selector matches an orphan. */
  const matching = (ctx: ControllerContext, pod: KubeObject): string[] => ctx.lister('replicasets').list()
    .filter(rs => rs.metadata.namespace === pod.metadata.namespace && matchesSelector(rs, pod))
    .map(objectKey)
  const deleted = (ctx: ControllerContext, pod: KubeObject): string[] => {
    const key = resolve(ctx, pod)
    if (key === undefined) return []
    expect(ctx).deletionObserved(key, objectKey(pod))
    return [key]
  }

  const podKeys = ({ type, obj: pod, old }: InformerEvent, ctx: ControllerContext): string[] => {
    if (type === 'delete') return deleted(ctx, pod)
    if (type === 'add') {
      // A pod that appears already terminating is a deletion to observe (a restart of the cache).
      if (pod.metadata.deletionTimestamp !== undefined) return deleted(ctx, pod)
      if (controllerOf(pod) !== undefined) {
        const key = resolve(ctx, pod)
        if (key === undefined) return []
        expect(ctx).creationObserved(key)
        return [key]
      }
      return matching(ctx, pod)
    }
    if (old === undefined || old.metadata.resourceVersion === pod.metadata.resourceVersion) return []
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {})
    if (pod.metadata.deletionTimestamp !== undefined) {
      return [...deleted(ctx, pod), ...(labelsChanged ? deleted(ctx, old) : [])]
    }
    const keys: string[] = []
    const refChanged = controllerOf(old)?.uid !== controllerOf(pod)?.uid
    if (refChanged && controllerOf(old) !== undefined) keys.push(...(resolve(ctx, old) === undefined ? [] : [resolve(ctx, old)!]))
    if (controllerOf(pod) !== undefined) {
      const key = resolve(ctx, pod)
      if (key === undefined) return keys
      keys.push(key)
      const minReadySeconds: number = spec(ctx.lister('replicasets').get(key)!).minReadySeconds ?? 0
      if (!isPodReady(old) && isPodReady(pod) && minReadySeconds > 0) ctx.enqueueAfter(key, (minReadySeconds + 1) * 1000)
      return keys
    }
    if (labelsChanged || refChanged) keys.push(...matching(ctx, pod))
    return keys
  }

  return {
    name: 'replicaset',
    workers: options.workers ?? 5,
    informers: {
      replicasets: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      pods: { apiVersion: 'v1', kind: 'Pod' },
    },
    events: [
      { informer: 'replicasets', on: ['add', 'update'], keys: e => [objectKey(e.obj)] },
      { informer: 'replicasets', on: ['delete'], keys: (e, ctx) => { expect(ctx).delete(objectKey(e.obj)); return [objectKey(e.obj)] } },
      { informer: 'pods', on: ['add', 'update', 'delete'], keys: podKeys },
    ],
    get expectations () { return expectations },
    async sync (key, ctx) {
      const recorder = ctx.recorder('replicaset-controller')
      await syncReplicaSet(key, ctx, { expectations: expect(ctx), recorder, facts })
    },
  }
}

function matchesSelector (rs: KubeObject, pod: KubeObject): boolean {
  const selector = selectorFromLabelSelector(spec(rs).selector)
  return !selector.empty() && selector.matches(pod.metadata.labels)
}
