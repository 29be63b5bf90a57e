// The DaemonSet controller (kube-controller-manager's daemonset-controller, v1.32): one pod per
// eligible node, named <ds>-<5 chars>, pinned with a required matchFields node affinity (the
// scheduler binds it), labelled controller-revision-hash with a ControllerRevision per template,
// with the daemon tolerations added; RollingUpdate (maxUnavailable) or OnDelete.
// Events: SuccessfulCreate "Created pod: <name>", SuccessfulDelete "Deleted pod: <name>".
// Depends only on the Client and the EventRecorder.
//
//   Cluster.start({ controllers: () => [daemonSetController()] })
import { objectKey, type KubeObject } from '../../api/object.ts'
import type { ControllerContext, ControllerDefinition, InformerEvent } from '../types.ts'
import { syncDaemonSet } from './sync.ts'

export interface DaemonSetControllerOptions {
  /** Upstream's --concurrent-daemonset-syncs (default 2). */
  workers?: number
}

export function daemonSetController (options: DaemonSetControllerOptions = {}): ControllerDefinition {

  const owner = (ctx: ControllerContext, pod: KubeObject): string[] => {
    const ref = pod.metadata.ownerReferences?.find(r => r.controller === true)
    if (ref === undefined || ref.kind !== 'DaemonSet') return []
    const key = `${pod.metadata.namespace}/${ref.name}`
    return ctx.lister('daemonsets').get(key)?.metadata.uid === ref.uid ? [key] : []
  }
  const all = (_e: InformerEvent, ctx: ControllerContext): string[] => ctx.lister('daemonsets').list().map(objectKey)
  const nodeChanged = (e: InformerEvent, ctx: ControllerContext): string[] => {
    const relevant = (n: KubeObject | undefined): string => JSON.stringify([n?.metadata.labels, (n?.spec as Record<string, unknown> | undefined)?.taints])
    return e.type === 'update' && relevant(e.old) === relevant(e.obj) ? [] : all(e, ctx)
  }

  return {
    name: 'daemonset',
    workers: options.workers ?? 2,
    informers: {
      daemonsets: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
      pods: { apiVersion: 'v1', kind: 'Pod' },
      nodes: { apiVersion: 'v1', kind: 'Node' },
    },
    events: [
      { informer: 'daemonsets', on: ['add', 'update', 'delete'], keys: e => [objectKey(e.obj)] },
      { informer: 'pods', on: ['add', 'update', 'delete'], keys: (e, ctx) => [...owner(ctx, e.obj), ...(e.old === undefined ? [] : owner(ctx, e.old))] },
      { informer: 'nodes', on: ['add', 'update', 'delete'], keys: nodeChanged },
    ],
    async sync (key, ctx) {
      const recorder = ctx.recorder('daemonset-controller')
      await syncDaemonSet(key, ctx, recorder)
    },
  }
}
