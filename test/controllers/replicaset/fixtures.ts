// A whole cluster in virtual time with the workload controllers, and small object builders.
import type { KubeObject } from '../../../src/api/object.ts'
import { Cluster } from '../../../src/cluster/cluster.ts'
import { deploymentController } from '../../../src/controllers/deployment/index.ts'
import { replicaSetController } from '../../../src/controllers/replicaset/index.ts'

/** Controller errors (sync failures, requeued) logged by the control plane, for inspection. */
export const controllerLog: string[] = []

/**
 * Until the control plane registers the two controllers they are passed in; once it does,
 * passing them again is refused ("listed twice") and the cluster starts with its own.
 */
export async function startCluster (): Promise<Cluster> {
  const log = (msg: string): void => { controllerLog.push(msg) }
  try {
    return await Cluster.start({ agents: 1, clock: 'virtual', seed: 1, log, controllers: () => [replicaSetController(), deploymentController()] })
  } catch (err) {
    if (!/is listed twice/.test((err as Error).message)) throw err
    return await Cluster.start({ agents: 1, clock: 'virtual', seed: 1, log })
  }
}

const template = (image: string, app = 'web'): Record<string, unknown> => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'web', image }] },
})

export function makeReplicaSet (name: string, replicas: number, opts: { app?: string, image?: string, minReadySeconds?: number } = {}): KubeObject {
  const app = opts.app ?? name
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app } }, template: template(opts.image ?? 'nginx:1.27', app), ...(opts.minReadySeconds === undefined ? {} : { minReadySeconds: opts.minReadySeconds }) },
  }
}

export function makeDeployment (name: string, replicas: number, opts: { image?: string, strategy?: Record<string, unknown>, revisionHistoryLimit?: number } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: template(opts.image ?? 'nginx:1.27', name),
      ...(opts.strategy === undefined ? {} : { strategy: opts.strategy }),
      ...(opts.revisionHistoryLimit === undefined ? {} : { revisionHistoryLimit: opts.revisionHistoryLimit }),
    },
  }
}

export async function podsOf (cluster: Cluster, app: string): Promise<KubeObject[]> {
  const list = await cluster.client.list('v1', 'Pod', { namespace: 'default', labelSelector: `app=${app}` })
  return list.items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))
}

export const phase = (p: KubeObject): string => (p.status as { phase?: string } | undefined)?.phase ?? ''

/** Reason and message of each event about `name`, oldest first. */
export function eventsOf (cluster: Cluster, name: string, source?: string): string[] {
  return cluster.events({ name })
    .filter(e => source === undefined || (e.source as { component?: string } | undefined)?.component === source)
    .map(e => `${String(e.reason)} ${String(e.message)}`)
}
