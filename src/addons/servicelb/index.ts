// k3s's ServiceLB (klipper-lb, pkg/cloudprovider/servicelb.go) with the bit of the cloud
// service-controller in front of it: every LoadBalancer Service without a loadBalancerClass gets
// the finalizer `svccontroller.k3s.cattle.io/daemonset` and a DaemonSet `svclb-<svc>-<uid8>` in
// kube-system; its ready pods' nodes become status.loadBalancer.ingress. When the Service goes
// (or stops being a LoadBalancer) the DaemonSet is deleted and the finalizer removed.
// Reads through listers, writes through the Client only.
import { ignoreNotFound, isStatusError } from '../../apiserver/errors.ts'
import type { KubeObject } from '../../api/object.ts'
import { EventRecorder } from '../../client/events.ts'
import type { ControllerContext, ControllerDefinition, InformerEvent } from '../../controllers/types.ts'
import { recordEvent } from '../local-path/index.ts'
import {
  DEFAULT_IMAGE, ENABLE_LB_LABEL, FINALIZER, LB_NAMESPACE, SVC_NAME_LABEL, SVC_NAMESPACE_LABEL, covers, newDaemonSet, type Service,
} from './daemonset.ts'

export { daemonSetName, newDaemonSet, FINALIZER, ENABLE_LB_LABEL } from './daemonset.ts'

type Json = Record<string, any>

export interface ServiceLBOptions {
  /** klipper-lb image (k3s --servicelb image flag); default rancher/klipper-lb:v0.4.9. */
  image?: string
}

interface Recorders { lb: EventRecorder, service: EventRecorder }

export function serviceLBController (options: ServiceLBOptions = {}): ControllerDefinition {
  const image = options.image ?? DEFAULT_IMAGE
  let recorders: Recorders | undefined
  const events = (ctx: ControllerContext): Recorders => {
    recorders ??= {
      lb: new EventRecorder({ client: ctx.client, clock: ctx.clock, source: { component: 'service-lb-controller' } }),
      service: new EventRecorder({ client: ctx.client, clock: ctx.clock, source: { component: 'service-controller' } }),
    }
    return recorders
  }
  return {
    name: 'service-lb-controller',
    informers: {
      services: { apiVersion: 'v1', kind: 'Service' },
      pods: { apiVersion: 'v1', kind: 'Pod', namespace: LB_NAMESPACE },
      daemonsets: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: LB_NAMESPACE },
      nodes: { apiVersion: 'v1', kind: 'Node' },
      endpoints: { apiVersion: 'v1', kind: 'Endpoints' },
    },
    events: [
      { informer: 'services', on: ['add', 'update', 'delete'], keys: ({ obj }) => [key(obj)] },
      { informer: 'pods', on: ['add', 'update', 'delete'], keys: ownerKeys },
      { informer: 'daemonsets', on: ['update', 'delete'], keys: ownerKeys },
      { informer: 'nodes', on: ['add', 'update', 'delete'], keys: (e, ctx) => nodeChanged(e) ? loadBalancers(ctx) : [] },
      {
        informer: 'endpoints',
        on: ['add', 'update'],
        keys: ({ obj }, ctx) => (ctx.lister('services').get(key(obj)) as Service | undefined)?.spec.externalTrafficPolicy === 'Local' ? [key(obj)] : [],
      },
    ],
    sync: (k, ctx) => syncService(ctx, k, image, events(ctx)),
  }
}

const key = (obj: KubeObject): string => `${obj.metadata.namespace}/${obj.metadata.name}`

function ownerKeys ({ obj }: InformerEvent): string[] {
  const labels = obj.metadata.labels ?? {}
  const name = labels[SVC_NAME_LABEL]
  const ns = labels[SVC_NAMESPACE_LABEL]
  return name !== undefined && ns !== undefined ? [`${ns}/${name}`] : []
}

/** Only label and address changes matter (heartbeats do not). */
function nodeChanged ({ type, obj, old }: InformerEvent): boolean {
  if (type !== 'update' || old === undefined) return true
  const o = obj as Json
  const p = old as Json
  return JSON.stringify(o.metadata.labels) !== JSON.stringify(p.metadata.labels) ||
    JSON.stringify(o.status?.addresses) !== JSON.stringify(p.status?.addresses)
}

function loadBalancers (ctx: ControllerContext): string[] {
  return (ctx.lister('services').list() as Service[]).filter(s => s.spec?.type === 'LoadBalancer').map(key)
}


const wanted = (svc: Service): boolean =>
  svc.spec.type === 'LoadBalancer' && (svc.spec.loadBalancerClass ?? '') === '' && svc.metadata.deletionTimestamp === undefined

async function syncService (ctx: ControllerContext, k: string, image: string, ev: Recorders): Promise<void> {
  const [namespace, name] = k.split('/') as [string, string]
  const cached = ctx.lister('services').get(k) as Service | undefined
  if (cached === undefined) {
    // Gone without our finalizer (or before we saw it): nothing to report on, just clean up.
    await deleteDaemonSets(ctx, namespace, name)
    return
  }
  let svc = await ctx.client.get<Service>('v1', 'Service', namespace, name)
  if (!wanted(svc)) {
    for (const ds of await deleteDaemonSets(ctx, namespace, name)) {
      await recordEvent(ev.lb, svc, { type: 'Normal', reason: 'DeletedDaemonSet', message: `Deleted LoadBalancer DaemonSet ${LB_NAMESPACE}/${ds}` })
    }
    if ((svc.metadata.finalizers ?? []).includes(FINALIZER)) {
      svc.metadata.finalizers = svc.metadata.finalizers!.filter(f => f !== FINALIZER)
      svc = await ctx.client.update(svc, { fieldManager: 'service-lb-controller' })
    }
    if (svc.metadata.deletionTimestamp === undefined && (svc.status?.loadBalancer?.ingress ?? []).length > 0) {
      svc.status = { ...svc.status, loadBalancer: {} }
      await ctx.client.update(svc, { subresource: 'status', fieldManager: 'service-controller' })
    }
    return
  }
  if (!(svc.metadata.finalizers ?? []).includes(FINALIZER)) {
    svc.metadata.finalizers = [...(svc.metadata.finalizers ?? []), FINALIZER]
    svc = await ctx.client.update(svc, { fieldManager: 'service-lb-controller' })
  }
  const applied = await applyDaemonSet(ctx, svc, image, ev)
  await updateStatus(ctx, svc, applied, ev)
}

/** The `svclb` ServiceAccount the pods run as, created as k3s's cloud provider creates it. */
async function ensureServiceAccount (ctx: ControllerContext): Promise<void> {
  const found = await ctx.client.get('v1', 'ServiceAccount', LB_NAMESPACE, 'svclb').catch(ignoreNotFound)
  if (found !== undefined) return
  await ctx.client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'svclb', namespace: LB_NAMESPACE } }).catch(err => { if (!isStatusError(err, 409)) throw err })
}

/** Create or update the DaemonSet; true when it was written. */
async function applyDaemonSet (ctx: ControllerContext, svc: Service, image: string, ev: Recorders): Promise<boolean> {
  const nodeSelection = (ctx.lister('nodes').list()).some(n => n.metadata.labels?.[ENABLE_LB_LABEL] !== undefined)
  const desired = newDaemonSet(svc, { image, nodeSelection }) as KubeObject & Json
  const current = await ctx.client.get<KubeObject & Json>('apps/v1', 'DaemonSet', LB_NAMESPACE, desired.metadata.name!).catch(ignoreNotFound)
  if (current !== undefined && covers(current.metadata.labels, desired.metadata.labels) && covers(current.spec, desired.spec) &&
    sameKeys(current.spec.template.spec.nodeSelector, desired.spec.template.spec.nodeSelector)) return false
  await recordEvent(ev.service, svc, { type: 'Normal', reason: 'EnsuringLoadBalancer', message: 'Ensuring load balancer' })
  if (current === undefined) {
    await ensureServiceAccount(ctx)
    await ctx.client.create(desired, { fieldManager: 'service-lb-controller' })
  } else {
    await ctx.client.update({ ...desired, metadata: { ...current.metadata, labels: desired.metadata.labels } }, { fieldManager: 'service-lb-controller' })
  }
  await recordEvent(ev.lb, svc, { type: 'Normal', reason: 'AppliedDaemonSet', message: `Applied LoadBalancer DaemonSet ${LB_NAMESPACE}/${desired.metadata.name}` })
  return true
}

const sameKeys = (a: Json | undefined, b: Json | undefined): boolean => JSON.stringify(Object.keys(a ?? {}).sort()) === JSON.stringify(Object.keys(b ?? {}).sort())

/** Delete the Service's svclb DaemonSets (by label); returns the names deleted. */
async function deleteDaemonSets (ctx: ControllerContext, namespace: string, name: string): Promise<string[]> {
  const mine = ctx.lister('daemonsets').list()
    .filter(ds => ds.metadata.labels?.[SVC_NAME_LABEL] === name && ds.metadata.labels?.[SVC_NAMESPACE_LABEL] === namespace && ds.metadata.deletionTimestamp === undefined)
  const deleted: string[] = []
  for (const ds of mine) {
    const gone = await ctx.client.delete('apps/v1', 'DaemonSet', LB_NAMESPACE, ds.metadata.name!).then(() => true, err => { ignoreNotFound(err); return false })
    if (gone) deleted.push(ds.metadata.name!)
  }
  return deleted
}

/** Ingress IPs: nodes of ready svclb pods (eTP Local: only nodes with a ready endpoint), per family sorted. */
export function ingressIPs (svc: Service, pods: readonly KubeObject[], nodes: readonly KubeObject[], endpoints: KubeObject | undefined): string[] {
  const nodeNames = new Set<string>()
  for (const pod of pods as readonly Json[]) {
    const labels = pod.metadata.labels ?? {}
    if (labels[SVC_NAME_LABEL] !== svc.metadata.name || labels[SVC_NAMESPACE_LABEL] !== svc.metadata.namespace) continue
    if (pod.metadata.deletionTimestamp !== undefined || !pod.spec?.nodeName || !pod.status?.podIP) continue
    if (!(pod.status.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True')) continue
    nodeNames.add(pod.spec.nodeName)
  }
  if (svc.spec.externalTrafficPolicy === 'Local') {
    const withEndpoint = new Set<string>()
    for (const subset of ((endpoints as Json | undefined)?.subsets ?? []) as Json[]) {
      for (const a of (subset.addresses ?? []) as Json[]) if (a.nodeName !== undefined) withEndpoint.add(a.nodeName)
    }
    for (const n of [...nodeNames]) if (!withEndpoint.has(n)) nodeNames.delete(n)
  }
  const ips: string[] = []
  for (const node of nodes as readonly Json[]) {
    if (!nodeNames.has(node.metadata.name)) continue
    const addresses = (node.status?.addresses ?? []) as Json[]
    const external = addresses.filter(a => a.type === 'ExternalIP').map(a => a.address as string)
    ips.push(...(external.length > 0 ? external : addresses.filter(a => a.type === 'InternalIP').map(a => a.address as string)))
  }
  const families: string[] = svc.spec.ipFamilies ?? ['IPv4']
  return families.flatMap(f => [...new Set(ips.filter(ip => ip.includes(':') === (f === 'IPv6')))].sort())
}

async function updateStatus (ctx: ControllerContext, svc: Service, applied: boolean, ev: Recorders): Promise<void> {
  const ips = ingressIPs(svc, ctx.lister('pods').list(), ctx.lister('nodes').list(), ctx.lister('endpoints').get(key(svc)))
  const old = ((svc.status?.loadBalancer?.ingress ?? []) as Json[]).map(i => i.ip as string)
  if (ips.length === 0 && (applied || old.length > 0)) {
    await recordEvent(ev.lb, svc, { type: 'Warning', reason: 'UnAvailableLoadBalancer', message: 'There are no available nodes for LoadBalancer' })
  }
  if (JSON.stringify(ips) === JSON.stringify(old)) return
  svc.status = { ...svc.status, loadBalancer: ips.length === 0 ? {} : { ingress: ips.map(ip => ({ ip, ipMode: 'VIP' })) } }
  await ctx.client.update(svc, { subresource: 'status', fieldManager: 'service-controller' })
  await recordEvent(ev.lb, svc, { type: 'Normal', reason: 'UpdatedLoadBalancer', message: `Updated LoadBalancer with new IPs: [${old.join(' ')}] -> [${ips.join(' ')}]` })
}
