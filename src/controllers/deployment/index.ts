// The Deployment controller (kube-controller-manager's deployment-controller, v1.32): one
// ReplicaSet per pod template, named <deployment>-<pod-template-hash>, carrying the revision,
// desired-replicas and max-replicas annotations (`kubectl rollout undo` reads the revisions);
// RollingUpdate and Recreate rollouts, proportional scaling, pause, revision-history cleanup,
// status with the Available and Progressing conditions, and ScalingReplicaSet events.
// Depends only on the Client and the EventRecorder.
import { objectKey, type KubeObject } from '../../api/object.ts'
import { selectorFromLabelSelector } from '../../api/labels.ts'
import { claim, controllerOf } from '../replicaset/controller-ref.ts'
import type { ControllerContext, ControllerDefinition, InformerEvent } from '../types.ts'
import { syncDeployment } from './rollout.ts'
import { DeploymentSync } from './sync.ts'
import { spec } from './util.ts'

export interface DeploymentControllerOptions {
  /** Upstream's --concurrent-deployment-syncs (default 5). */
  workers?: number
}

export function deploymentController (options: DeploymentControllerOptions = {}): ControllerDefinition {

  /** The Deployment a ReplicaSet's controller reference points at (same uid), if cached. */
  const owner = (ctx: ControllerContext, rs: KubeObject): string | undefined => {
    const ref = controllerOf(rs)
    if (ref === undefined || ref.kind !== 'Deployment') return undefined
    const key = `${rs.metadata.namespace}/${ref.name}`
    return ctx.lister('deployments').get(key)?.metadata.uid === ref.uid ? key : undefined
  }
  /** getDeploymentsForReplicaSet: Deployments whose selector matches an orphan ReplicaSet. */
  const matching = (ctx: ControllerContext, rs: KubeObject): string[] => ctx.lister('deployments').list()
    .filter(d => d.metadata.namespace === rs.metadata.namespace && selects(d, rs))
    .map(objectKey)

  const rsKeys = ({ type, obj: rs, old }: InformerEvent, ctx: ControllerContext): string[] => {
    const keys = new Set<string>()
    const own = owner(ctx, rs)
    if (own !== undefined) keys.add(own)
    if (type === 'update' && old !== undefined) {
      const was = owner(ctx, old)
      if (was !== undefined) keys.add(was)
      const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(rs.metadata.labels ?? {})
      if (controllerOf(rs) === undefined && (labelsChanged || controllerOf(old) !== undefined)) matching(ctx, rs).forEach(k => keys.add(k))
    } else if (type === 'add' && controllerOf(rs) === undefined && rs.metadata.deletionTimestamp === undefined) {
      matching(ctx, rs).forEach(k => keys.add(k))
    }
    return [...keys]
  }

  /** deletePod: a Recreate rollout waits for the old pods to be gone. */
  const podKeys = ({ obj: pod }: InformerEvent, ctx: ControllerContext): string[] => {
    const ref = controllerOf(pod)
    if (ref?.kind !== 'ReplicaSet') return []
    const rs = ctx.lister('replicasets').get(`${pod.metadata.namespace}/${ref.name}`)
    if (rs === undefined || rs.metadata.uid !== ref.uid) return []
    const key = owner(ctx, rs)
    if (key === undefined) return []
    return spec(ctx.lister('deployments').get(key)!).strategy?.type === 'Recreate' ? [key] : []
  }

  return {
    name: 'deployment',
    workers: options.workers ?? 5,
    informers: {
      deployments: { apiVersion: 'apps/v1', kind: 'Deployment' },
      replicasets: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      pods: { apiVersion: 'v1', kind: 'Pod' },
    },
    events: [
      { informer: 'deployments', on: ['add', 'update', 'delete'], keys: e => [objectKey(e.obj)] },
      { informer: 'replicasets', on: ['add', 'update', 'delete'], keys: rsKeys },
      { informer: 'pods', on: ['delete'], keys: podKeys },
    ],
    async sync (key, ctx) {
      const recorder = ctx.recorder('deployment-controller')
      const d = ctx.lister('deployments').get(key)
      if (d === undefined) return
      const ns = d.metadata.namespace
      const selector = selectorFromLabelSelector(spec(d).selector)
      const inNamespace = ctx.lister('replicasets').inNamespace(ns ?? '')
      const rsList = selector.empty()
        ? []
        : await claim({ client: ctx.client, owner: d, selector, apiVersion: 'apps/v1', kind: 'ReplicaSet', objects: inNamespace })
      // getPodMapForDeployment: pods of each claimed ReplicaSet, terminating ones included.
      const podMap = (): Map<string, KubeObject[]> => new Map(rsList.map(rs => [rs.metadata.uid!, ctx.lister('pods').controlledBy(rs.metadata.uid!).filter(pod => pod.metadata.namespace === ns && selector.matches(pod.metadata.labels))]))
      await syncDeployment(new DeploymentSync({ ctx, recorder, deployment: d, rsList, podMap }))
    },
  }
}

function selects (d: KubeObject, rs: KubeObject): boolean {
  const selector = selectorFromLabelSelector(spec(d).selector)
  return !selector.empty() && selector.matches(rs.metadata.labels)
}
