// The StatefulSet controller (kube-controller-manager's statefulset-controller, v1.32): pods
// `<sts>-<ordinal>` with stable hostnames under spec.serviceName, claims from
// volumeClaimTemplates (`<template>-<sts>-<ordinal>`, retained), OrderedReady or Parallel pod
// management, RollingUpdate with partition or OnDelete, ControllerRevisions `<sts>-<hash>`.
// Events: SuccessfulCreate "create Pod <pod> in StatefulSet <sts> successful",
// SuccessfulDelete "delete Pod <pod> in StatefulSet <sts> successful",
// SuccessfulCreate "create Claim <claim> Pod <pod> in StatefulSet <sts> success".
// Depends only on the Client and the EventRecorder.
//
//   Cluster.start({ controllers: () => [statefulSetController()] })
import { objectKey, type KubeObject } from '../../api/object.ts'
import type { ControllerContext, ControllerDefinition } from '../types.ts'
import { syncStatefulSet } from './sync.ts'

export interface StatefulSetControllerOptions {
  /** Upstream's --concurrent-statefulset-syncs (default 5). */
  workers?: number
}

export function statefulSetController (options: StatefulSetControllerOptions = {}): ControllerDefinition {

  const owner = (ctx: ControllerContext, pod: KubeObject | undefined): string[] => {
    const ref = pod?.metadata.ownerReferences?.find(r => r.controller === true)
    if (pod === undefined || ref === undefined || ref.kind !== 'StatefulSet') return []
    const key = `${pod.metadata.namespace}/${ref.name}`
    return ctx.lister('statefulsets').get(key)?.metadata.uid === ref.uid ? [key] : []
  }

  return {
    name: 'statefulset',
    workers: options.workers ?? 5,
    informers: {
      statefulsets: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
      pods: { apiVersion: 'v1', kind: 'Pod' },
    },
    events: [
      { informer: 'statefulsets', on: ['add', 'update', 'delete'], keys: e => [objectKey(e.obj)] },
      { informer: 'pods', on: ['add', 'update', 'delete'], keys: (e, ctx) => [...new Set([...owner(ctx, e.obj), ...owner(ctx, e.old)])] },
    ],
    async sync (key, ctx) {
      const recorder = ctx.recorder('statefulset-controller')
      await syncStatefulSet(key, ctx, recorder)
    },
  }
}
