// Shared by the Job and CronJob tests: a one-agent virtual-clock cluster running both
// controllers (through Cluster's `controllers` option) and a Job builder.
import { Cluster } from '../../../src/index.ts'
import { jobController } from '../../../src/controllers/job/index.ts'
import { cronJobController } from '../../../src/controllers/cronjob/index.ts'

type Json = Record<string, any>

export function makeJob (name: string, spec: Json = {}, annotations?: Record<string, string>): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      template: { metadata: { annotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1.36' }] } },
    },
  }
}

/** A default-namespace Job as stored. */
export const getJob = (cluster: Cluster, name: string): Promise<Json> => cluster.client.get('batch/v1', 'Job', 'default', name) as Promise<Json>

/** The pods of a default-namespace Job (by its job-name label). */
export async function jobPods (cluster: Cluster, name: string): Promise<Json[]> {
  return (await cluster.client.list('v1', 'Pod', { namespace: 'default', labelSelector: `batch.kubernetes.io/job-name=${name}` })).items as Json[]
}

export async function startCluster (): Promise<Cluster> {
  return await Cluster.start({ agents: 1, clock: 'virtual', seed: 7, controllers: () => [jobController(), cronJobController()] })
}

