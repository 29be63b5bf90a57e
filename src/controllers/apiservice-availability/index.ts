// kube-aggregator's AvailableConditionController (staging/src/k8s.io/kube-aggregator/pkg/
// controllers/status, v1.32), keyed by APIService name: the `Available` condition of every
// APIService. A local one (no spec.service) is always available; one backed by a Service needs
// the Service, the port, an Endpoints address on that port's name, and an answer to its
// discovery check — which, in k3sim, only an in-process backend can give (the metrics-server
// add-on's metrics.k8s.io): an APIService naming any other Service fails that check, since
// k3sim proxies to no pod. The API server's aggregator serves a group only while it is Available.
import { rfc3339, type KubeObject } from '../../api/object.ts'
import type { ControllerContext, ControllerDefinition } from '../types.ts'

interface Condition { type: string, status: string, lastTransitionTime?: string, reason: string, message: string }

type ApiService = KubeObject & {
  spec?: { service?: { name?: string, namespace?: string, port?: number } | null, group?: string, version?: string }
  status?: { conditions?: Condition[] }
}

type Service = KubeObject & { spec?: { type?: string, clusterIP?: string, ports?: Array<{ name?: string, port?: number }> } }
type Endpoints = KubeObject & { subsets?: Array<{ addresses?: unknown[], ports?: Array<{ name?: string }> }> }

const RECHECK_MS = 30_000

export interface ApiServiceAvailabilityOptions {
  /** Whether the API server has an in-process backend for this group/version (the discovery check). */
  serves: (group: string, version: string) => boolean
}

export function apiServiceAvailabilityController (options: ApiServiceAvailabilityOptions): ControllerDefinition {
  /** The APIServices that name the Service `ns/name`. */
  const naming = (ctx: ControllerContext, obj: KubeObject): string[] => ctx.lister('apiservices').list()
    .filter(a => (a as ApiService).spec?.service?.name === obj.metadata.name && (a as ApiService).spec?.service?.namespace === obj.metadata.namespace)
    .map(a => a.metadata.name!)
  return {
    name: 'apiservice-availability',
    informers: {
      apiservices: { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService' },
      services: { apiVersion: 'v1', kind: 'Service' },
      endpoints: { apiVersion: 'v1', kind: 'Endpoints' },
    },
    events: [
      { informer: 'apiservices', on: ['add', 'update'], keys: ({ obj }) => [obj.metadata.name!] },
      { informer: 'services', on: ['add', 'update', 'delete'], keys: ({ obj }, ctx) => naming(ctx, obj) },
      { informer: 'endpoints', on: ['add', 'update', 'delete'], keys: ({ obj }, ctx) => naming(ctx, obj) },
    ],
    async sync (name, ctx) {
      const apiService = ctx.lister('apiservices').get(name) as ApiService | undefined
      if (apiService === undefined) return
      // Checked again every 30 s, as upstream's controller does (a backend may come or go).
      if (apiService.spec?.service != null) ctx.enqueueAfter(name, RECHECK_MS)
      const wanted = availability(apiService, ctx, options.serves)
      const conditions = apiService.status?.conditions ?? []
      const current = conditions.find(c => c.type === 'Available')
      if (current !== undefined && current.status === wanted.status && current.reason === wanted.reason && current.message === wanted.message) return
      const condition: Condition = {
        type: 'Available',
        status: wanted.status,
        lastTransitionTime: current !== undefined && current.status === wanted.status ? current.lastTransitionTime : rfc3339(ctx.clock.now()),
        reason: wanted.reason,
        message: wanted.message,
      }
      const others = conditions.filter(c => c.type !== 'Available')
      await ctx.client.update({ ...apiService, status: { ...apiService.status, conditions: [...others, condition] } } as KubeObject, { subresource: 'status', fieldManager: 'k3s' })
    },
  }
}

/** AvailableConditionController.sync's checks, in its order, with its reasons and messages. */
export function availability (apiService: ApiService, ctx: ControllerContext, serves: (group: string, version: string) => boolean): { status: string, reason: string, message: string } {
  const ref = apiService.spec?.service
  if (ref == null) return { status: 'True', reason: 'Local', message: 'Local APIServices are always available' }
  const ns = ref.namespace ?? ''
  const svcName = ref.name ?? ''
  const port = ref.port ?? 443
  const svc = ctx.lister('services').get(`${ns}/${svcName}`) as Service | undefined
  if (svc === undefined) return { status: 'False', reason: 'ServiceNotFound', message: `service/${svcName} in "${ns}" is not present` }
  const svcPort = svc.spec?.type === 'ExternalName' ? undefined : (svc.spec?.ports ?? []).find(p => p.port === port)
  if (svc.spec?.type !== 'ExternalName') {
    if (svcPort === undefined) return { status: 'False', reason: 'ServicePortError', message: `service/${svcName} in "${ns}" is not listening on port ${port}` }
    const endpoints = ctx.lister('endpoints').get(`${ns}/${svcName}`) as Endpoints | undefined
    if (endpoints === undefined) return { status: 'False', reason: 'EndpointsNotFound', message: `cannot find endpoints for service/${svcName} in "${ns}"` }
    const portName = svcPort.name ?? ''
    const ready = (endpoints.subsets ?? []).some(s => (s.addresses ?? []).length > 0 && (s.ports ?? []).some(p => (p.name ?? '') === portName))
    if (!ready) return { status: 'False', reason: 'MissingEndpoints', message: `endpoints for service/${svcName} in "${ns}" have no addresses with port name "${portName}"` }
  }
  const group = apiService.spec?.group ?? ''
  const version = apiService.spec?.version ?? ''
  if (!serves(group, version)) {
    const url = `https://${svc.spec?.clusterIP ?? svcName}:${port}/apis/${group}/${version}`
    return { status: 'False', reason: 'FailedDiscoveryCheck', message: `failing or missing response from ${url}: k3sim proxies to no Service; only its own add-ons back APIServices` }
  }
  return { status: 'True', reason: 'Passed', message: 'all checks passed' }
}
