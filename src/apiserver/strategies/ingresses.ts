// Ingresses: the DefaultIngressClass admission plugin. On create, an Ingress that names no class
// (neither spec.ingressClassName nor the old `kubernetes.io/ingress.class` annotation) gets the
// IngressClass annotated `ingressclass.kubernetes.io/is-default-class: "true"` — on k3s, traefik's.
// With several defaults the newest wins, as upstream since v1.28.
import type { KubeObject } from '../../api/object.ts'
import type { Strategy, StrategyContext } from './strategy.ts'

type Json = Record<string, any>

export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class'
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class'

async function admitDefaultClass (obj: KubeObject, ctx: StrategyContext): Promise<void> {
  const spec = (obj.spec ??= {}) as Json
  if (spec.ingressClassName != null || obj.metadata.annotations?.[CLASS_ANNOTATION] !== undefined) return
  const info = ctx.index?.lookup('networking.k8s.io', 'v1', 'ingressclasses')
  if (info === undefined) return
  const defaults = (await ctx.storage.list(info, undefined)).items
    .filter(c => c.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true')
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name! < b.metadata.name! ? -1 : 1))
  if (defaults.length > 0) spec.ingressClassName = defaults[0].metadata.name
}

export const ingressStrategy: Strategy = {
  generation: true,
  status: true,
  prepareForCreate: admitDefaultClass,
}
