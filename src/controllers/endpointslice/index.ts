// The EndpointSlice controller (kube-controller-manager's endpointslice-controller, v1.32): for
// every Service with a selector, discovery.k8s.io/v1 EndpointSlices named `<service>-<5 chars>`
// (generateName), labelled with the service name and `managed-by: endpointslice-controller.k8s.io`,
// owned by the Service (so the garbage collector removes them with it), addressType IPv4.
// Reconciling reuses existing slices in name order, updates only those that differ, creates the
// missing ones and deletes the extra ones (upstream also packs to minimise churn; we do not).
// Like the endpoints controller, it also plays kube-apiserver's reconciler for the `kubernetes`
// slice in `default` (named `kubernetes`, labelled only with the service name).
import { isStatusError } from '../../apiserver/errors.ts'
import type { KubeObject } from '../../api/object.ts'
import type { ControllerContext, ControllerDefinition } from '../types.ts'
import {
  CONTROLLER_NAME, MANAGED_BY_LABEL, MAX_ENDPOINTS_PER_SLICE, SERVICE_NAME_LABEL, desiredSlices, serviceOwnerRef,
  sliceLabels, slicePrefix, type DesiredSlice, type EndpointSlice,
} from './slices.ts'
import {
  API_SERVER_SERVICE, DEFAULT_API_SERVER, TRIGGER_TIME_ANNOTATION, hasSelector, lastChangeTriggerTime, selects,
  semanticEqual, servicesForPod, splitKey, type ApiServerEndpoint, type Pod, type Service,
} from './util.ts'

export interface EndpointSliceControllerOptions {
  /** Upstream's --concurrent-service-endpoint-syncs (default 5). */
  workers?: number
  /** Upstream's --max-endpoints-per-slice (default 100). */
  maxEndpointsPerSlice?: number
  /** The API server address published in the `kubernetes` slice; default 172.18.0.2:6443; false: none. */
  apiServer?: ApiServerEndpoint | false
}

const DISCOVERY = 'discovery.k8s.io/v1'

export function endpointSliceController (options: EndpointSliceControllerOptions = {}): ControllerDefinition {
  const max = options.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw new Error(`maxEndpointsPerSlice must be an integer from 1 to 1000, got ${max}`)
  const apiServer = options.apiServer === undefined ? DEFAULT_API_SERVER : options.apiServer
  return {
    name: 'endpointslice-controller',
    workers: options.workers ?? 5,
    informers: {
      services: { apiVersion: 'v1', kind: 'Service' },
      pods: { apiVersion: 'v1', kind: 'Pod' },
      endpointslices: { apiVersion: DISCOVERY, kind: 'EndpointSlice' },
    },
    events: [
      { informer: 'services', on: ['add', 'update', 'delete'], keys: ({ obj }) => [`${obj.metadata.namespace}/${obj.metadata.name}`] },
      { informer: 'pods', on: ['add', 'update', 'delete'], keys: ({ obj, old }, ctx) => servicesForPod(ctx, [obj, old]) },
      { informer: 'endpointslices', on: ['update', 'delete'], keys: ({ obj }) => ownerServiceKey(obj) },
    ],
    sync: (k, ctx) => syncService(ctx, k, { max, apiServer }),
  }
}

/** A slice change concerns its service when the slice is ours (or the API server's `kubernetes` slice). */
function ownerServiceKey (slice: KubeObject): string[] {
  const service = slice.metadata.labels?.[SERVICE_NAME_LABEL]
  if (service === undefined) return []
  const key = `${slice.metadata.namespace}/${service}`
  return slice.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME || key === API_SERVER_SERVICE ? [key] : []
}

export async function syncService (ctx: ControllerContext, k: string, o: { max: number, apiServer: ApiServerEndpoint | false }): Promise<void> {
  const [namespace, name] = splitKey(k)
  const svc = ctx.lister('services').get(k) as Service | undefined
  // A deleted service's slices go with it through their ownerReference (garbage collector).
  if (svc === undefined) return
  if (k === API_SERVER_SERVICE && !hasSelector(svc)) {
    if (o.apiServer !== false) await syncApiServerSlice(ctx, o.apiServer)
    return
  }
  if (!hasSelector(svc)) return
  const pods = (ctx.lister('pods').inNamespace(svc.metadata.namespace ?? '') as Pod[]).filter(p => selects(svc, p))
  const desired = desiredSlices(svc, pods, o.max)
  // Read the slices from the API, not the cache: a slice created by the previous sync may not have
  // reached the informer yet, and generateName would make a duplicate (upstream keeps an
  // endpointSliceTracker of expected generations for this).
  const labelSelector = `${SERVICE_NAME_LABEL}=${name},${MANAGED_BY_LABEL}=${CONTROLLER_NAME}`
  const existing = (await ctx.client.list<EndpointSlice>(DISCOVERY, 'EndpointSlice', { namespace, labelSelector })).items
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))
  const labels = sliceLabels(svc)
  const ownerReferences = [serviceOwnerRef(svc)]
  const triggerTime = lastChangeTriggerTime(svc, pods)
  for (let i = 0; i < desired.length; i++) {
    const current = existing[i]
    if (current !== undefined && isUpToDate(current, desired[i], labels, ownerReferences)) continue
    const annotations: Record<string, string> = { ...current?.metadata.annotations }
    if (triggerTime !== undefined) annotations[TRIGGER_TIME_ANNOTATION] = triggerTime
    const metadata: KubeObject['metadata'] = current === undefined
      ? { generateName: slicePrefix(name), namespace }
      : { ...current.metadata }
    Object.assign(metadata, { labels, annotations, ownerReferences })
    const slice = sliceObject(metadata, desired[i])
    if (current === undefined) await ctx.client.create(slice)
    else await ctx.client.update(slice)
  }
  for (const extra of existing.slice(desired.length)) {
    await ctx.client.delete(DISCOVERY, 'EndpointSlice', namespace, extra.metadata.name!).catch(err => { if (!isStatusError(err, 404)) throw err })
  }
}

function sliceObject (metadata: KubeObject['metadata'], d: DesiredSlice): EndpointSlice {
  const slice: EndpointSlice = { apiVersion: DISCOVERY, kind: 'EndpointSlice', metadata, addressType: 'IPv4', endpoints: d.endpoints }
  if (d.ports !== undefined) slice.ports = d.ports
  return slice
}

function isUpToDate (s: EndpointSlice, d: DesiredSlice, labels: Record<string, string>, ownerReferences: unknown): boolean {
  return s.addressType === 'IPv4' &&
    semanticEqual(s.endpoints ?? [], d.endpoints) &&
    semanticEqual(s.ports ?? [], d.ports ?? []) &&
    semanticEqual(s.metadata.labels ?? {}, labels) &&
    semanticEqual(s.metadata.ownerReferences ?? [], ownerReferences)
}

/** kube-apiserver's EndpointsAdapter: slice `kubernetes` with the API server's address, ready. */
async function syncApiServerSlice (ctx: ControllerContext, apiServer: ApiServerEndpoint): Promise<void> {
  const current = await ctx.client.get<EndpointSlice>(DISCOVERY, 'EndpointSlice', 'default', 'kubernetes')
    .catch(err => { if (isStatusError(err, 404)) return undefined; throw err })
  const d: DesiredSlice = {
    endpoints: [{ addresses: [apiServer.ip], conditions: { ready: true } }],
    ports: [{ name: 'https', protocol: 'TCP', port: apiServer.port }],
  }
  const labels = { [SERVICE_NAME_LABEL]: 'kubernetes' }
  if (current !== undefined && isUpToDate(current, d, labels, current.metadata.ownerReferences ?? [])) return
  const metadata: KubeObject['metadata'] = current === undefined ? { name: 'kubernetes', namespace: 'default' } : { ...current.metadata }
  metadata.labels = labels
  const slice = sliceObject(metadata, d)
  if (current === undefined) await ctx.client.create(slice)
  else await ctx.client.update(slice)
}
