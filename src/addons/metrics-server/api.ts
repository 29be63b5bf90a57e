// metrics.k8s.io/v1beta1 as metrics-server serves it (pkg/api): NodeMetrics and PodMetrics,
// get and list, built from the last two scrapes in MetricsStorage. Objects carry the node's or
// pod's labels and a creationTimestamp of now; cpu is a nanocore quantity, memory bytes in
// binary SI (`10468Ki`).
import type { KubeObject } from '../../api/object.ts'
import { rfc3339 } from '../../api/object.ts'
import { formatQuantity } from '../../api/quantity.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import type { Usage } from '../../api/resource-usage.ts'
import { parseFieldSelector } from '../../api/fields.ts'
import { badRequest, notFound, StatusError } from '../../apiserver/errors.ts'
import type { Served } from '../../apiserver/handlers/index.ts'
import type { ApiRequest } from '../../apiserver/request.ts'
import { buildMatcher } from '../../apiserver/selectors.ts'
import type { MetricsStorage } from './storage.ts'
import { goDuration } from '../../util/go-duration.ts'

export const METRICS_GROUP = 'metrics.k8s.io'
export const METRICS_VERSION = 'v1beta1'
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`

function resource (kind: string, plural: string, namespaced: boolean): ResourceInfo {
  return { group: METRICS_GROUP, version: METRICS_VERSION, kind, listKind: `${kind}List`, resource: plural, singular: '', shortNames: [], categories: [], namespaced, verbs: ['get', 'list'], subresources: [], storagePrefix: '' }
}

export const NODE_METRICS = resource('NodeMetrics', 'nodes', false)
export const POD_METRICS = resource('PodMetrics', 'pods', true)

/**
 * What the metrics API needs besides the scrapes (metrics-server's listers): the nodes, and
 * whether a pod exists. Pods' labels come with the scrapes (their kubelets have them), so no
 * second cache of every pod is kept.
 */
export interface MetricsListers {
  node(name: string): KubeObject | undefined
  nodes(): readonly KubeObject[]
  podExists(namespace: string, name: string): Promise<boolean>
}

export async function serveMetrics (req: ApiRequest, storage: MetricsStorage, listers: MetricsListers, now: number): Promise<Served> {
  const nodes = req.info.resource === 'nodes'
  if (req.verb === 'get') {
    // The object itself missing is its lister's NotFound (`node "x"`, `pods "x"`), as metrics-server returns it.
    if (nodes && listers.node(req.name!) === undefined) throw notFound({ group: '', resource: 'node' }, req.name!)
    if (!nodes && !await listers.podExists(req.namespace!, req.name!)) throw notFound({ group: '', resource: 'pods' }, req.name!)
    const obj = nodes ? nodeMetrics(req.name!, storage, listers, now) : podMetrics(req.namespace!, req.name!, storage, now)
    if (obj === undefined) throw notFound({ group: METRICS_GROUP, resource: nodes ? 'nodemetrics' : 'podmetrics' }, nodes ? req.name! : `${req.namespace}/${req.name}`)
    return { status: 200, body: obj }
  }
  if (req.verb !== 'list') throw new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`)
  // Selectors apply to the nodes' and pods' labels and names, as metrics-server lists them from
  // its listers; the metrics kinds know only the metadata fields.
  checkFieldSelector(req.options.fieldSelector)
  const matches = buildMatcher(req.info, req.options)
  const items: KubeObject[] = []
  const objects = nodes ? listers.nodes() : storage.podsIn(req.namespace).map(p => ({ metadata: p }) as KubeObject)
  for (const o of [...objects].filter(matches).sort(byNamespaceAndName)) {
    const m = nodes ? nodeMetrics(o.metadata.name!, storage, listers, now) : podMetrics(o.metadata.namespace!, o.metadata.name!, storage, now)
    // List items carry no kind/apiVersion of their own.
    if (m !== undefined) { const { kind: _k, apiVersion: _a, ...item } = m; items.push(item as KubeObject) }
  }
  return { status: 200, body: { kind: req.info.listKind, apiVersion: API_VERSION, metadata: {}, items } }
}

/** runtime.DefaultMetaV1FieldSelectorConversion: the generic apiserver's metadata-only fields. */
function checkFieldSelector (selector: string | undefined): void {
  if (selector === undefined || selector === '') return
  let reqs
  try { reqs = parseFieldSelector(selector) } catch { return } // buildMatcher words the syntax error
  for (const r of reqs) {
    if (r.field !== 'metadata.name' && r.field !== 'metadata.namespace') throw badRequest(`"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`)
  }
}

function nodeMetrics (name: string, storage: MetricsStorage, listers: MetricsListers, now: number): KubeObject | undefined {
  const node = listers.node(name)
  const point = storage.node(name)
  if (node === undefined || point === undefined) return undefined
  return {
    kind: 'NodeMetrics',
    apiVersion: API_VERSION,
    metadata: withLabels({ name, creationTimestamp: rfc3339(now) }, node.metadata.labels),
    ...timing(point),
    usage: usageList(point.usage),
  } as KubeObject
}

function podMetrics (namespace: string, name: string, storage: MetricsStorage, now: number): KubeObject | undefined {
  const entry = storage.pod(namespace, name)
  if (entry === undefined) return undefined
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: withLabels({ name, namespace, creationTimestamp: rfc3339(now) }, entry.labels),
    ...timing(entry),
    containers: entry.containers.map(c => ({ name: c.name, usage: usageList(c.point.usage) })),
  } as KubeObject
}

function withLabels (meta: Record<string, unknown>, labels: Readonly<Record<string, string>> | undefined): KubeObject['metadata'] {
  return (labels !== undefined && Object.keys(labels).length > 0 ? { ...meta, labels } : meta) as KubeObject['metadata']
}

function timing (p: { timestamp: number, windowMs: number }): { timestamp: string, window: string } {
  return { timestamp: rfc3339(p.timestamp), window: goDuration(p.windowMs) }
}

/** cpu: resource.NewScaledQuantity(nanocores, -9); memory: resource.NewQuantity(bytes, BinarySI). */
export function usageList (u: Usage): { cpu: string, memory: string } {
  return {
    cpu: formatQuantity({ unscaled: BigInt(Math.round(u.cpuNanoCores)), scale: -9, format: 'DecimalSI', big: false }),
    memory: formatQuantity({ unscaled: BigInt(Math.round(u.memoryBytes)), scale: 0, format: 'BinarySI', big: false }),
  }
}

const byNamespaceAndName = (a: KubeObject, b: KubeObject): number =>
  compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compareStrings(a.metadata.name!, b.metadata.name!)

const compareStrings = (a: string, b: string): number => a < b ? -1 : a > b ? 1 : 0
