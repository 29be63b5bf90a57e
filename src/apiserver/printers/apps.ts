// apps/v1 printers: deployments, replicasets, daemonsets, statefulsets, controllerrevisions.
// spec.replicas defaults to 1 (v1 defaulting, which upstream applies when it decodes from storage).
import { CONTAINERS_DOC, IMAGES_DOC, type Printer, ageColumn, column, nameColumn, wide } from './types.ts'
import { formatLabelSelector, formatLabels, layoutContainerCells, selectorString, templateContainers } from './format.ts'
import { translateAge } from './time.ts'

const name = (obj: any): string => obj.metadata?.name ?? ''
const age = (obj: any, now: number): string => translateAge(obj.metadata?.creationTimestamp, now)
const containers = (obj: any): [string, string] => layoutContainerCells(templateContainers(obj.spec?.template))

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'Number of the pod with ready state'),
    column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    wide('Containers', CONTAINERS_DOC),
    wide('Images', IMAGES_DOC),
    wide('Selector', 'Label selector for pods.')
  ],
  // Unlike the other workloads, the selector cell is the bare selector string (`''` when empty).
  row: (obj, now) => [
    name(obj), `${obj.status?.readyReplicas ?? 0}/${obj.spec?.replicas ?? 1}`, obj.status?.updatedReplicas ?? 0,
    obj.status?.availableReplicas ?? 0, age(obj, now), ...containers(obj), selectorString(obj.spec?.selector) ?? '<invalid>'
  ]
}

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    column('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
    ageColumn,
    wide('Containers', CONTAINERS_DOC),
    wide('Images', IMAGES_DOC),
    wide('Selector', 'Selector is a label query over pods that should match the replica count.')
  ],
  row: (obj, now) => [
    name(obj), obj.spec?.replicas ?? 1, obj.status?.replicas ?? 0, obj.status?.readyReplicas ?? 0, age(obj, now),
    ...containers(obj), formatLabelSelector(obj.spec?.selector)
  ]
}

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
    column('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
    column('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', { type: 'integer' }),
    column('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
    column('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', { type: 'integer' }),
    column('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn,
    wide('Containers', CONTAINERS_DOC),
    wide('Images', IMAGES_DOC),
    wide('Selector', 'A label query over pods that are managed by the daemon set.')
  ],
  row: (obj, now) => {
    const s = obj.status ?? {}
    return [
      name(obj), s.desiredNumberScheduled ?? 0, s.currentNumberScheduled ?? 0, s.numberReady ?? 0,
      s.updatedNumberScheduled ?? 0, s.numberAvailable ?? 0, formatLabels(obj.spec?.template?.spec?.nodeSelector),
      age(obj, now), ...containers(obj), formatLabelSelector(obj.spec?.selector)
    ]
  }
}

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'Number of the pod with ready state'),
    ageColumn,
    wide('Containers', CONTAINERS_DOC),
    wide('Images', IMAGES_DOC)
  ],
  row: (obj, now) => [name(obj), `${obj.status?.readyReplicas ?? 0}/${obj.spec?.replicas ?? 1}`, age(obj, now), ...containers(obj)]
}

/** `daemonset.apps/svclb-traefik`: schema.GroupKind.String() lower-cased, then the name. */
function controllerName (obj: any): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r: any) => r.controller === true)
  if (ref === undefined) return '<none>'
  const apiVersion: string = ref.apiVersion ?? ''
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''
  const kind: string = ref.kind ?? ''
  if (group === '' && kind === '') return ref.name
  return `${(group === '' ? kind : `${kind}.${group}`).toLowerCase()}/${ref.name}`
}

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'Controller of the object'),
    column('Revision', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn
  ],
  row: (obj, now) => [name(obj), controllerName(obj), obj.revision ?? 0, age(obj, now)]
}
