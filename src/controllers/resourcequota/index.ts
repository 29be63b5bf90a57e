// kube-controller-manager's resourcequota controller (v1.32), keyed by "<namespace>/<name>":
// a quota's status.hard follows its spec, and status.used is recounted from the namespace's
// objects when the quota is created or its limits change, when something it counts goes away
// (a pod deleted or finished, a service deleted or its type changed, a claim deleted or resized,
// any counted object deleted), and every 5 minutes (--resource-quota-sync-period). Admission
// charges creates as they happen (apiserver/admission/resource-quota.ts); this controller gives
// back what deletions free. Kinds other than the core ones it has informers for (`count/<resource>.<group>`)
// are listed at sync and watched for deletions once a quota names them.
import { jsonEqual, type KubeObject } from '../../api/object.ts'
import { podCounts } from '../../api/quota/evaluators.ts'
import { wellFormedQuota } from '../../api/quota/shape.ts'
import { equals, resourceList, toJsonList, type ResourceList } from '../../api/quota/resource-list.ts'
import type { ResourceKind } from '../resources.ts'
import type { ControllerContext, ControllerDefinition, EventRule, InformerEvent } from '../types.ts'
import { DeletionWatches } from './deletion-watches.ts'
import { calculateUsage, evaluatorsFor } from './usage.ts'

type Json = Record<string, any>

/** --resource-quota-sync-period */
export const QUOTA_RESYNC_MS = 5 * 60 * 1000

/** The kinds with informers here: the evaluators' own, and the legacy object counts. */
const INFORMED: Record<string, { apiVersion: string, kind: string }> = {
  pods: { apiVersion: 'v1', kind: 'Pod' },
  services: { apiVersion: 'v1', kind: 'Service' },
  persistentvolumeclaims: { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  configmaps: { apiVersion: 'v1', kind: 'ConfigMap' },
  secrets: { apiVersion: 'v1', kind: 'Secret' },
  replicationcontrollers: { apiVersion: 'v1', kind: 'ReplicationController' },
  resourcequotas: { apiVersion: 'v1', kind: 'ResourceQuota' },
}

export interface ResourceQuotaControllerOptions {
  /** The kinds served now (servedResources), for `count/<resource>.<group>` of any of them, CRDs included. */
  served: () => readonly ResourceKind[]
  /** Concurrent syncs (--concurrent-resource-quota-syncs); default 5. */
  workers?: number
}

/** replenishQuota: the namespace's quotas that track something of this kind. */
function replenish (ctx: ControllerContext, group: string, resource: string, namespace: string | undefined): string[] {
  if (namespace === undefined) return []
  const keys: string[] = []
  for (const q of ctx.lister('resourcequotas').inNamespace(namespace)) {
    const hard = Object.keys((q as Json).status?.hard ?? {})
    if (evaluatorsFor(hard).some(e => e.group === group && e.resource === resource)) keys.push(`${namespace}/${q.metadata.name}`)
  }
  return keys
}

const serviceType = (s: KubeObject): string => {
  const t = (s as Json).spec?.type
  return t === 'NodePort' || t === 'LoadBalancer' ? t : ''
}

/** DefaultUpdateFilter: the updates that can lower usage. */
const UPDATE_FREES: Record<string, (e: InformerEvent, now: number) => boolean> = {
  pods: (e, now) => podCounts(e.old!, now) && !podCounts(e.obj, now),
  services: e => serviceType(e.old!) !== serviceType(e.obj),
  // Upstream compares two fresh pointers (Status.AllocatedResources.Storage()): every update.
  persistentvolumeclaims: () => true,
}

function replenishRules (): EventRule[] {
  return Object.keys(INFORMED).map(resource => ({
    informer: resource,
    on: resource in UPDATE_FREES ? ['update', 'delete'] : ['delete'],
    keys: (e: InformerEvent, ctx: ControllerContext) => {
      if (e.type === 'update' && !UPDATE_FREES[resource](e, ctx.clock.now())) return []
      return replenish(ctx, '', resource, e.obj.metadata.namespace)
    },
  }))
}

export function resourceQuotaController (options: ResourceQuotaControllerOptions): ControllerDefinition {
  let deletions: DeletionWatches | undefined
  return {
    name: 'resourcequota-controller',
    workers: options.workers ?? 5,
    informers: { ...INFORMED },
    events: [
      { informer: 'resourcequotas', on: ['add'], keys: ({ obj }) => [`${obj.metadata.namespace}/${obj.metadata.name}`] },
      {
        // Only spec changes: the status is this controller's and admission's to write.
        informer: 'resourcequotas',
        on: ['update'],
        keys: ({ obj, old }) => (jsonEqual((old as Json).spec?.hard, (obj as Json).spec?.hard) ? [] : [`${obj.metadata.namespace}/${obj.metadata.name}`]),
      },
      ...replenishRules(),
    ],
    async sync (key, ctx) {
      const quota = ctx.lister('resourcequotas').get(key)
      // One that would not decode (written through the etcd port) is not there for the controller either.
      if (quota === undefined || !wellFormedQuota(quota)) return
      deletions ??= new DeletionWatches(ctx.client, (group, resource, namespace) => { for (const k of replenish(ctx, group, resource, namespace)) ctx.enqueue(k) })
      const { usage, errors } = await calculateUsage(quota, async (group, resource) => {
        if (group === '' && resource in INFORMED) return ctx.lister(resource).inNamespace(quota.metadata.namespace!)
        const kind = options.served().find(r => r.group === group && r.resource === resource && r.namespaced)
        if (kind === undefined) return undefined
        const list = await ctx.client.list(kind.apiVersion, kind.kind, { namespace: quota.metadata.namespace })
        await deletions!.follow(kind, list.metadata.resourceVersion)
        return list.items
      }, ctx.clock.now())
      await writeStatus(ctx, quota, usage)
      ctx.enqueueAfter(key, QUOTA_RESYNC_MS)
      // As upstream: what could be counted is written, then the sync fails (and is retried) for the rest.
      if (errors.length > 0) throw errors[0]
    },
    stop () { deletions?.stop() },
  }
}

/** syncResourceQuota's write: status.hard = spec.hard, status.used recounted, when either changed. */
async function writeStatus (ctx: ControllerContext, quota: KubeObject, counted: ResourceList): Promise<void> {
  const q = quota as Json
  const hard = resourceList(q.spec?.hard)
  const previous = resourceList(q.status?.used)
  const used = new Map(previous)
  for (const [k, v] of counted) used.set(k, v)
  for (const k of [...used.keys()]) if (!hard.has(k)) used.delete(k)
  const dirty = q.status?.hard === undefined || (q.status?.used === undefined && used.size > 0) || !equals(hard, resourceList(q.status.hard)) || !equals(used, previous)
  if (!dirty) return
  // A 409 (admission charged the quota meanwhile) retries the key; the retry recounts.
  // An empty used is left out, as Go's omitempty leaves it.
  await ctx.client.update({ ...quota, status: used.size === 0 ? { hard: toJsonList(hard) } : { hard: toJsonList(hard), used: toJsonList(used) } }, { subresource: 'status' })
}
