// The Job controller's writes to pods: create from the template (upstream's podControl with
// generateName `<job>-`, or `<job>-<index>-` for Indexed Jobs), delete, and drop the tracking
// finalizer once a finished pod has been counted.
import { clone, type KubeObject } from '../../api/object.ts'
import { ignoreNotFound } from '../../apiserver/errors.ts'
import type { Client } from '../../client/client.ts'
import { COMPLETION_INDEX, TRACKING_FINALIZER, type Job, type Pod } from './status.ts'

export function podFromTemplate (job: Job, index: number | undefined): KubeObject {
  const template = clone(job.spec.template)
  const meta = template.metadata ?? {}
  const labels: Record<string, string> = { ...meta.labels }
  const annotations: Record<string, string> = { ...meta.annotations }
  const spec = template.spec as Record<string, unknown> & { containers: Array<Record<string, unknown>> }
  if (index !== undefined) {
    // Upstream (PodIndexLabel): the index as annotation and label, the hostname `<job>-<index>`
    // and JOB_COMPLETION_INDEX from the downward API.
    annotations[COMPLETION_INDEX] = String(index)
    labels[COMPLETION_INDEX] = String(index)
    spec.hostname ??= `${job.metadata.name}-${index}`
    for (const c of spec.containers) {
      const env = (c.env ?? []) as Array<Record<string, unknown>>
      if (!env.some(e => e.name === 'JOB_COMPLETION_INDEX')) {
        env.push({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${COMPLETION_INDEX}']` } } })
      }
      c.env = env
    }
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${job.metadata.name}-` : `${job.metadata.name}-${index}-`,
      namespace: job.metadata.namespace,
      labels,
      annotations,
      finalizers: [TRACKING_FINALIZER],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name!, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  }
}

export async function createPod (client: Client, job: Job, index: number | undefined): Promise<KubeObject> {
  return await client.create(podFromTemplate(job, index))
}

export async function deletePod (client: Client, pod: Pod): Promise<void> {
  await client.delete('v1', 'Pod', pod.metadata.namespace, pod.metadata.name!).catch(ignoreNotFound)
}

/** Remove the tracking finalizer; a pod already gone is fine, any other failure throws (the key is retried). */
export async function removeFinalizer (client: Client, pod: Pod): Promise<void> {
  const finalizers = pod.metadata.finalizers ?? []
  if (!finalizers.includes(TRACKING_FINALIZER)) return
  // A JSON patch with a test op, so a concurrent change to the list conflicts instead of being lost.
  const i = finalizers.indexOf(TRACKING_FINALIZER)
  await client.patch('v1', 'Pod', pod.metadata.namespace, pod.metadata.name!, [
    { op: 'test', path: `/metadata/finalizers/${i}`, value: TRACKING_FINALIZER },
    { op: 'remove', path: `/metadata/finalizers/${i}` },
  ], { type: 'json' }).catch(ignoreNotFound)
}

/** The pods this Job controls: its selector's label, and its uid as controller. */
export async function listJobPods (client: Client, job: Job): Promise<Pod[]> {
  const match = job.spec.selector?.matchLabels ?? {}
  const labelSelector = Object.entries(match).map(([k, v]) => `${k}=${v}`).join(',')
  const list = await client.list<Pod>('v1', 'Pod', { namespace: job.metadata.namespace, labelSelector })
  return list.items.filter(p => p.metadata.ownerReferences?.some(r => r.controller === true && r.uid === job.metadata.uid))
}
