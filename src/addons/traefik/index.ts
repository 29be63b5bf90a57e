// What k3s's traefik does to Ingress status: with `providers.kubernetesIngress.publishedService`
// (k3s's chart values), every Ingress traefik serves gets status.loadBalancer.ingress copied from
// the traefik Service's status (the node IPs klipper's svclb pods publish), so `kubectl get
// ingress` shows them as ADDRESS. Traefik serves Ingresses of an IngressClass whose controller is
// `traefik.io/ingress-controller`, those annotated `kubernetes.io/ingress.class: traefik`, and
// those naming no class at all.
import { objectKey, type KubeObject } from '../../api/object.ts'
import type { ControllerContext, ControllerDefinition } from '../../controllers/types.ts'

type Json = Record<string, any>

export const TRAEFIK_CONTROLLER = 'traefik.io/ingress-controller'
const PUBLISHED = 'kube-system/traefik'

function serves (ingress: KubeObject, ctx: ControllerContext): boolean {
  const className = (ingress.spec as Json | undefined)?.ingressClassName as string | undefined
  if (className !== undefined && className !== null) {
    return (ctx.lister('ingressclasses').get(className)?.spec as Json | undefined)?.controller === TRAEFIK_CONTROLLER
  }
  const annotation = ingress.metadata.annotations?.['kubernetes.io/ingress.class']
  return annotation === undefined || annotation === 'traefik'
}

/** The published Service's load-balancer addresses as IngressLoadBalancerIngress items. */
function published (ctx: ControllerContext): Json[] {
  const svc = ctx.lister('services').get(PUBLISHED)
  const items = ((svc?.status as Json | undefined)?.loadBalancer?.ingress ?? []) as Json[]
  return items.map(i => ({ ...(i.ip === undefined ? {} : { ip: i.ip }), ...(i.hostname === undefined ? {} : { hostname: i.hostname }) }))
}

export function traefikIngressStatus (): ControllerDefinition {
  const all = (_e: unknown, ctx: ControllerContext): string[] => ctx.lister('ingresses').list().map(objectKey)
  return {
    name: 'traefik-ingress-status',
    informers: {
      ingresses: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
      ingressclasses: { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass' },
      services: { apiVersion: 'v1', kind: 'Service', namespace: 'kube-system', fieldSelector: 'metadata.name=traefik' },
    },
    events: [
      { informer: 'ingresses', on: ['add', 'update'], keys: ({ obj }) => [objectKey(obj)] },
      { informer: 'ingressclasses', on: ['add', 'update', 'delete'], keys: all },
      { informer: 'services', on: ['add', 'update', 'delete'], keys: all },
    ],
    async sync (key, ctx) {
      const ingress = ctx.lister('ingresses').get(key)
      if (ingress === undefined) return
      const want = serves(ingress, ctx) ? published(ctx) : undefined
      const status = (ingress.status ?? {}) as Json
      const have = (status.loadBalancer?.ingress ?? []) as Json[]
      if (want === undefined || JSON.stringify(have) === JSON.stringify(want)) return
      const loadBalancer = want.length === 0 ? {} : { ingress: want }
      await ctx.client.patch('networking.k8s.io/v1', 'Ingress', ingress.metadata.namespace, ingress.metadata.name!, { status: { loadBalancer } }, { type: 'merge', subresource: 'status' })
    },
  }
}
