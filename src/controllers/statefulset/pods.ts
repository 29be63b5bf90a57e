// StatefulSet pod identity and storage (pkg/controller/statefulset/stateful_set_utils.go, v1.32):
// pod `<sts>-<ordinal>` with hostname = its name, subdomain = spec.serviceName, labels
// statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index and controller-revision-hash;
// one claim `<template>-<sts>-<ordinal>` per volumeClaimTemplate, mounted as the template's volume.
import { clone, type KubeObject } from '../../api/object.ts'
import type { EventRecorder } from '../../client/events.ts'
import type { ControllerContext } from '../types.ts'
import { isNotFound, ownerRef } from '../history.ts'

type Json = Record<string, any>

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name'
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index'
export const REVISION_LABEL = 'controller-revision-hash'

export const spec = (o: KubeObject): Json => (o.spec ?? {}) as Json
export const status = (o: KubeObject): Json => (o.status ?? {}) as Json

/** The ordinal in `<sts>-<ordinal>`, or -1 when the name is not one of the set's. */
export function ordinalOf (sts: KubeObject, pod: KubeObject): number {
  const prefix = `${sts.metadata.name}-`
  const name = pod.metadata.name ?? ''
  if (!name.startsWith(prefix)) return -1
  const rest = name.slice(prefix.length)
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1
}

export const isTerminating = (p: KubeObject): boolean => p.metadata.deletionTimestamp !== undefined
export const isFailed = (p: KubeObject): boolean => status(p).phase === 'Failed' || status(p).phase === 'Succeeded'
const readyCondition = (p: KubeObject): Json | undefined => (status(p).conditions as Json[] | undefined)?.find(c => c.type === 'Ready')
export const isRunningAndReady = (p: KubeObject): boolean => status(p).phase === 'Running' && readyCondition(p)?.status === 'True'

export function isRunningAndAvailable (p: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isRunningAndReady(p)) return false
  if (minReadySeconds === 0) return true
  const t = readyCondition(p)?.lastTransitionTime
  return t !== undefined && Date.parse(t) + minReadySeconds * 1000 < now
}

/** The claims of one ordinal: template name → claim name. */
export function claimNames (sts: KubeObject, ordinal: number): Array<{ template: Json, name: string }> {
  return ((spec(sts).volumeClaimTemplates ?? []) as Json[]).map(t => ({ template: t, name: `${t.metadata?.name}-${sts.metadata.name}-${ordinal}` }))
}

/** newVersionedStatefulSetPod: the pod for `ordinal` from `template`, labelled with `revision`. */
export function newPod (sts: KubeObject, ordinal: number, template: Json, revision: string): KubeObject {
  const t = clone(template)
  const name = `${sts.metadata.name}-${ordinal}`
  const podSpec: Json = t.spec ?? {}
  const volumes: Json[] = (podSpec.volumes ?? []).filter((v: Json) => !claimNames(sts, ordinal).some(c => c.template.metadata?.name === v.name))
  for (const c of claimNames(sts, ordinal)) volumes.push({ name: c.template.metadata?.name, persistentVolumeClaim: { claimName: c.name } })
  if (volumes.length > 0) podSpec.volumes = volumes
  podSpec.hostname = name
  if (spec(sts).serviceName) podSpec.subdomain = spec(sts).serviceName
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: sts.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision },
      ...(t.metadata?.annotations === undefined ? {} : { annotations: t.metadata.annotations }),
      ...(t.metadata?.finalizers === undefined ? {} : { finalizers: t.metadata.finalizers }),
      ownerReferences: [ownerRef(sts)],
    },
    spec: podSpec,
  }
}

/** createPersistentVolumeClaims: each missing claim is created (retention policy Retain: no owner). */
export async function ensureClaims (ctx: ControllerContext, recorder: EventRecorder, sts: KubeObject, ordinal: number): Promise<void> {
  const pod = `${sts.metadata.name}-${ordinal}`
  for (const { template, name } of claimNames(sts, ordinal)) {
    try {
      await ctx.client.get('v1', 'PersistentVolumeClaim', sts.metadata.namespace, name)
      continue
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
    const labels = { ...(template.metadata?.labels ?? {}), ...(spec(sts).selector?.matchLabels ?? {}) }
    const claim: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name,
        namespace: sts.metadata.namespace,
        ...(Object.keys(labels).length === 0 ? {} : { labels }),
        ...(template.metadata?.annotations === undefined ? {} : { annotations: template.metadata.annotations }),
      },
      spec: clone(template.spec ?? {}),
    }
    try {
      await ctx.client.create(claim)
      await recorder.record(sts, { type: 'Normal', reason: 'SuccessfulCreate', message: `create Claim ${name} Pod ${pod} in StatefulSet ${sts.metadata.name} success` })
    } catch (err) {
      if ((err as { code?: number }).code === 409) continue
      await recorder.record(sts, { type: 'Warning', reason: 'FailedCreate', message: `create Claim ${name} for Pod ${pod} in StatefulSet ${sts.metadata.name} failed error: ${(err as Error).message}` })
      throw err
    }
  }
}

export async function createPod (ctx: ControllerContext, recorder: EventRecorder, sts: KubeObject, pod: KubeObject): Promise<void> {
  try {
    await ctx.client.create(pod)
    await recorder.record(sts, { type: 'Normal', reason: 'SuccessfulCreate', message: `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful` })
  } catch (err) {
    if ((err as { code?: number }).code === 409) return
    await recorder.record(sts, { type: 'Warning', reason: 'FailedCreate', message: `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${(err as Error).message}` })
    throw err
  }
}

export async function deletePod (ctx: ControllerContext, recorder: EventRecorder, sts: KubeObject, pod: KubeObject): Promise<void> {
  try {
    await ctx.client.delete('v1', 'Pod', pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } })
    await recorder.record(sts, { type: 'Normal', reason: 'SuccessfulDelete', message: `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful` })
  } catch (err) {
    if (isNotFound(err) || (err as { code?: number }).code === 409) return
    await recorder.record(sts, { type: 'Warning', reason: 'FailedDelete', message: `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${(err as Error).message}` })
    throw err
  }
}
