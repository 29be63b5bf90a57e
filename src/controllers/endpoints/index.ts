// The Endpoints controller (kube-controller-manager's endpoints-controller, v1.32): for every
// Service with a selector, an Endpoints object of the same name listing the selected pods'
// addresses (ready ones in `addresses`, the others in `notReadyAddresses`) grouped by port set.
// Services without a selector are left alone; when a Service goes, its Endpoints go too.
// The `kubernetes` service in `default` has no selector: its Endpoints are the API server's own
// address, which upstream's kube-apiserver endpoint reconciler writes; k3sim has no such
// reconciler, so this controller plays it (option `apiServer`).
// No `endpoints.kubernetes.io/managed-by` label: upstream added it in v1.33 (kubernetes#130564).
// Reads services and pods through listers, the current Endpoints through the Client (the cache
// may not hold our last write yet); writes through the Client only.
import { isStatusError } from '../../apiserver/errors.ts'
import type { KubeObject } from '../../api/object.ts'
import type { ControllerContext, ControllerDefinition } from '../types.ts'
import {
  API_SERVER_SERVICE, DEFAULT_API_SERVER, HEADLESS_LABEL, TRIGGER_TIME_ANNOTATION, hasSelector, isHeadless,
  lastChangeTriggerTime, selects, semanticEqual, servicesForPod, splitKey, type ApiServerEndpoint, type Pod, type Service,
} from '../endpointslice/util.ts'
import { computeSubsets, type EndpointSubset } from './subsets.ts'

/** The label kube-apiserver puts on the `kubernetes` Endpoints so the mirroring controller skips them. */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror'

export interface EndpointsControllerOptions {
  /** Upstream's --concurrent-endpoint-syncs (default 5). */
  workers?: number
  /** The API server address published for `default/kubernetes`; default 172.18.0.2:6443; false: leave it alone. */
  apiServer?: ApiServerEndpoint | false
}

type Endpoints = KubeObject & { subsets?: EndpointSubset[] }

export function endpointsController (options: EndpointsControllerOptions = {}): ControllerDefinition {
  const apiServer = options.apiServer === undefined ? DEFAULT_API_SERVER : options.apiServer
  return {
    name: 'endpoints-controller',
    workers: options.workers ?? 5,
    informers: {
      services: { apiVersion: 'v1', kind: 'Service' },
      pods: { apiVersion: 'v1', kind: 'Pod' },
      endpoints: { apiVersion: 'v1', kind: 'Endpoints' },
    },
    events: [
      { informer: 'services', on: ['add', 'update', 'delete'], keys: ({ obj }) => [key(obj)] },
      { informer: 'pods', on: ['add', 'update', 'delete'], keys: ({ obj, old }, ctx) => servicesForPod(ctx, [obj, old]) },
      // Upstream watches Endpoints deletions only: a deleted Endpoints is recreated.
      { informer: 'endpoints', on: ['delete'], keys: ({ obj }) => [key(obj)] },
    ],
    sync: (k, ctx) => syncEndpoints(ctx, k, apiServer),
  }
}

const key = (obj: KubeObject): string => `${obj.metadata.namespace}/${obj.metadata.name}`

export async function syncEndpoints (ctx: ControllerContext, k: string, apiServer: ApiServerEndpoint | false): Promise<void> {
  const [namespace, name] = splitKey(k)
  const svc = ctx.lister('services').get(k) as Service | undefined
  if (svc === undefined) {
    // The service is gone: so are its Endpoints (they carry no ownerReference).
    await ctx.client.delete('v1', 'Endpoints', namespace, name).catch(err => { if (!isStatusError(err, 404)) throw err })
    return
  }
  // The stored object, not the cache: one the previous sync created may not be cached yet.
  const current = await ctx.client.get<Endpoints>('v1', 'Endpoints', namespace, name)
    .catch(err => { if (isStatusError(err, 404)) return undefined; throw err })
  if (k === API_SERVER_SERVICE && !hasSelector(svc)) {
    if (apiServer !== false) await writeEndpoints(ctx, current, { namespace, name, subsets: apiServerSubsets(apiServer), labels: { [SKIP_MIRROR_LABEL]: 'true' } })
    return
  }
  if (!hasSelector(svc)) return
  const pods = (ctx.lister('pods').inNamespace(svc.metadata.namespace ?? '') as Pod[]).filter(p => selects(svc, p))
  const labels: Record<string, string> = { ...svc.metadata.labels }
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = ''
  else delete labels[HEADLESS_LABEL]
  await writeEndpoints(ctx, current, { namespace, name, subsets: computeSubsets(svc, pods), labels, triggerTime: lastChangeTriggerTime(svc, pods) })
}

export function apiServerSubsets (apiServer: ApiServerEndpoint): EndpointSubset[] {
  return [{ addresses: [{ ip: apiServer.ip }], ports: [{ name: 'https', port: apiServer.port, protocol: 'TCP' }] }]
}

interface Desired { namespace: string, name: string, subsets: EndpointSubset[], labels: Record<string, string>, triggerTime?: string }

/** Create, or update when subsets or labels differ (the trigger-time annotation alone never causes a write, as upstream). */
async function writeEndpoints (ctx: ControllerContext, current: Endpoints | undefined, d: Desired): Promise<void> {
  if (current !== undefined && semanticEqual(current.subsets ?? [], d.subsets) && semanticEqual(current.metadata.labels ?? {}, d.labels)) return
  const annotations: Record<string, string> = { ...current?.metadata.annotations }
  if (d.triggerTime !== undefined) annotations[TRIGGER_TIME_ANNOTATION] = d.triggerTime
  else delete annotations[TRIGGER_TIME_ANNOTATION]
  const metadata: KubeObject['metadata'] = current === undefined
    ? { name: d.name, namespace: d.namespace }
    : { ...current.metadata }
  metadata.labels = d.labels
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations
  else delete metadata.annotations
  const obj: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata }
  if (d.subsets.length > 0) obj.subsets = d.subsets
  // A stale cache makes these fail with 409; the runner requeues the key with backoff.
  if (current === undefined) await ctx.client.create(obj)
  else await ctx.client.update(obj)
}
