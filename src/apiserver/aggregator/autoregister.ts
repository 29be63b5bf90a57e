// kube-apiserver's autoregister and CRD registration controllers: a local APIService (no
// spec.service) for every group/version the server itself serves — `v1.`, `v1.apps`,
// `v2.autoscaling`, … with kube-apiserver's priorities (pkg/controlplane/apiserver/aggregator.go),
// and one per CRD group/version (priority 1000/100) while a CRD serves it. kube-aggregator's
// availability controller then marks them `Available: True (Local)`, as `kubectl get apiservices`
// shows on k3s. Built-in ones are labelled automanaged `onstart`, CRD ones `true`; only `true`
// ones are removed when nothing serves their group/version any more.
import type { KubeObject } from '../../api/object.ts'
import type { ResourceIndex } from '../resource-index.ts'
import { apiServiceName } from './index.ts'

export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged'

/** kube-apiserver's apiVersionPriorities (group, then version within the group), v1.32. */
const PRIORITIES: Record<string, [number, number]> = {
  'v1.': [18000, 1],
  'v1.apiregistration.k8s.io': [18000, 15],
  'v1.apps': [17800, 15],
  'v1.events.k8s.io': [17750, 15],
  'v1.authentication.k8s.io': [17700, 15],
  'v1.authorization.k8s.io': [17600, 15],
  'v1.autoscaling': [17500, 15],
  'v2.autoscaling': [17500, 30],
  'v1.batch': [17400, 15],
  'v1.certificates.k8s.io': [17300, 15],
  'v1.networking.k8s.io': [17200, 15],
  'v1.policy': [17100, 15],
  'v1.rbac.authorization.k8s.io': [17000, 15],
  'v1.storage.k8s.io': [16800, 15],
  'v1.apiextensions.k8s.io': [16700, 15],
  'v1.admissionregistration.k8s.io': [16700, 15],
  'v1.scheduling.k8s.io': [16600, 15],
  'v1.coordination.k8s.io': [16500, 15],
  'v1.node.k8s.io': [16300, 15],
  'v1.discovery.k8s.io': [16200, 15],
  'v1.flowcontrol.apiserver.k8s.io': [16100, 21],
}

/** CRDs: low priority, versions sorted as any other group's. */
const CRD_PRIORITY: [number, number] = [1000, 100]

export interface LocalApiService { name: string, group: string, version: string, priority: [number, number], automanaged: 'onstart' | 'true' }

/** The local APIServices the resource table calls for. */
export function localApiServices (index: ResourceIndex): LocalApiService[] {
  const out: LocalApiService[] = []
  for (const [group, versions] of index.groups()) {
    for (const version of versions) {
      const resources = index.inGroupVersion(group, version)
      if (resources.length === 0 || resources.every(r => r.aggregated === true)) continue
      const name = apiServiceName(group, version)
      const custom = resources.every(r => r.custom === true)
      const priority = custom ? CRD_PRIORITY : PRIORITIES[name]
      if (priority === undefined) continue // upstream skips a group/version it has no priority for
      out.push({ name, group, version, priority, automanaged: custom ? 'true' : 'onstart' })
    }
  }
  return out
}

export function apiServiceObject (s: LocalApiService): KubeObject {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: s.name, labels: { [AUTOMANAGED_LABEL]: s.automanaged } },
    spec: { group: s.group, version: s.version, groupPriorityMinimum: s.priority[0], versionPriority: s.priority[1] },
  } as KubeObject
}
