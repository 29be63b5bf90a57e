/**
 * What one object costs against a ResourceQuota, per kind (pkg/quota/v1/evaluator/core and
 * apiserver's generic object-count evaluator, v1.32): pods, services and persistent volume
 * claims have their own evaluators; every other kind counts as `count/<resource>[.<group>]`
 * (and configmaps, secrets, replicationcontrollers and resourcequotas under their legacy names
 * too). Shared by the quota admission plugin and the resourcequota controller. Pure, no I/O.
 */
import type { KubeObject } from '../object.ts'
import { podQOSClass, podResourceLists } from '../pod-resources.ts'
import { compareQuantities, isZeroQuantity, type Quantity } from '../quantity.ts'
import { one, quantityOf, resourceList, zero, type ResourceList } from './resource-list.ts'

type Json = Record<string, any>

export interface ScopeSelectorRequirement { scopeName: string, operator: string, values?: string[] }

export type QuotaOperation = 'create' | 'update'

export interface Evaluator {
  readonly group: string
  readonly resource: string
  /** Whether a write of this kind can change what the quota counts (Evaluator.Handles; subresource writes are never evaluated). */
  handles(operation: QuotaOperation): boolean
  /** The names of `names` this evaluator counts. */
  matchingResources(names: readonly string[]): string[]
  /** Whether the object is in the scope (kinds without scopes: never). */
  matchesScope(selector: ScopeSelectorRequirement, obj: KubeObject): boolean
  /** What the object uses; `now` (ms) decides whether a deleted pod still counts. */
  usage(obj: KubeObject, now: number): ResourceList
  /** Why the object cannot be admitted against a quota that tracks `required` (undefined: it can). */
  constraints(required: readonly string[], obj: KubeObject): string | undefined
}

/** generic.ObjectCountQuotaResourceNameFor */
export function objectCountName (group: string, resource: string): string {
  return group === '' ? `count/${resource}` : `count/${resource}.${group}`
}

/** Legacy names for object counts of core kinds (quota/v1/evaluator/core/registry.go). */
const LEGACY_COUNTS: Record<string, string> = {
  configmaps: 'configmaps',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
  secrets: 'secrets',
}

function objectCountEvaluator (group: string, resource: string): Evaluator {
  const names = [objectCountName(group, resource)]
  const alias = group === '' ? LEGACY_COUNTS[resource] : undefined
  if (alias !== undefined) names.push(alias)
  return {
    group,
    resource,
    handles: operation => operation === 'create',
    matchingResources: input => input.filter(n => names.includes(n)),
    matchesScope: () => false,
    usage: () => new Map(names.map(n => [n, one()])),
    constraints: () => undefined,
  }
}

// --- pods ---

const POD_RESOURCES = ['count/pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods']
const POD_PREFIXES = ['hugepages-', 'requests.hugepages-']
const CONSTRAINED = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'])

/** helper.IsNativeResource: unqualified, or in the kubernetes.io domain. */
function isNative (name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/')
}

/** helper.IsExtendedResourceName: qualified outside kubernetes.io, not `requests.`, a valid `requests.<name>`. */
function isExtended (name: string): boolean {
  return !isNative(name) && !name.startsWith('requests.')
}

function isExtendedForQuota (name: string): boolean {
  return !isNative(name) && name.startsWith('requests.')
}

/** podComputeUsageHelper */
function podComputeUsage (requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([['pods', one()]])
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r)
    if (req !== undefined) { out.set(r, req); out.set(`requests.${r}`, req) }
    const lim = limits.get(r)
    if (lim !== undefined) out.set(`limits.${r}`, lim)
  }
  for (const [name, q] of requests) {
    if (name.startsWith('hugepages-')) { out.set(name, q); out.set(`requests.${name}`, q) }
    if (isExtended(name)) out.set(`requests.${name}`, q)
  }
  return out
}

/** QuotaV1Pod: terminal pods, and pods past their deletion grace, no longer count. */
export function podCounts (pod: KubeObject, now: number): boolean {
  const phase = (pod as Json).status?.phase
  if (phase === 'Failed' || phase === 'Succeeded') return false
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata
  if (deletionTimestamp !== undefined && deletionGracePeriodSeconds !== undefined) {
    if (now > Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000) return false
  }
  return true
}

function isTerminating (pod: Json): boolean {
  const s = pod.spec?.activeDeadlineSeconds
  return typeof s === 'number' && s >= 0
}

function isBestEffort (pod: Json): boolean {
  return (pod.status?.qosClass ?? podQOSClass(pod.spec ?? {})) === 'BestEffort'
}

function crossNamespaceTerms (terms: Json[] | undefined): boolean {
  return (terms ?? []).some(t => {
    const term = t.podAffinityTerm ?? t
    return (term.namespaces ?? []).length !== 0 || (term.namespaceSelector !== undefined && term.namespaceSelector !== null)
  })
}

function usesCrossNamespacePodAffinity (pod: Json): boolean {
  const a = pod.spec?.affinity
  if (a === undefined || a === null) return false
  for (const x of [a.podAffinity, a.podAntiAffinity]) {
    if (x === undefined || x === null) continue
    if (crossNamespaceTerms(x.requiredDuringSchedulingIgnoredDuringExecution) || crossNamespaceTerms(x.preferredDuringSchedulingIgnoredDuringExecution)) return true
  }
  return false
}

/** A scope selector as a label selector over {<scopeName>: value} (ScopedResourceSelectorRequirementsAsSelector). */
function selectorMatches (selector: ScopeSelectorRequirement, value: string | undefined): boolean {
  const values = selector.values ?? []
  switch (selector.operator) {
    case 'In': return value !== undefined && values.includes(value)
    case 'NotIn': return value === undefined || !values.includes(value)
    case 'Exists': return value !== undefined
    case 'DoesNotExist': return value === undefined
    default: return false
  }
}

function podMatchesScope (selector: ScopeSelectorRequirement, pod: KubeObject): boolean {
  const p = pod as Json
  switch (selector.scopeName) {
    case 'Terminating': return isTerminating(p)
    case 'NotTerminating': return !isTerminating(p)
    case 'BestEffort': return isBestEffort(p)
    case 'NotBestEffort': return !isBestEffort(p)
    case 'PriorityClass': {
      const name: string = p.spec?.priorityClassName ?? ''
      if (selector.operator === 'Exists') return name !== ''
      return selectorMatches(selector, name === '' ? undefined : name)
    }
    case 'CrossNamespacePodAffinity': return usesCrossNamespacePodAffinity(p)
    default: return false
  }
}

const podEvaluator: Evaluator = {
  group: '',
  resource: 'pods',
  handles: operation => operation === 'create',
  matchingResources (input) {
    const out = input.filter(n => POD_RESOURCES.includes(n))
    for (const n of input) {
      if (POD_PREFIXES.some(p => n.startsWith(p))) out.push(n)
      if (isExtendedForQuota(n)) out.push(n)
    }
    return out
  },
  matchesScope: podMatchesScope,
  usage (pod, now) {
    const out: ResourceList = new Map([['count/pods', one()]])
    if (!podCounts(pod, now)) return out
    const { requests, limits } = podResourceLists(pod)
    for (const [k, q] of podComputeUsage(requests, limits)) out.set(k, q)
    return out
  },
  constraints (required, pod) {
    const requiredSet = required.filter(r => CONSTRAINED.has(r))
    if (requiredSet.length === 0) return undefined
    const missing = new Map<string, Set<string>>()
    const spec = (pod as Json).spec ?? {}
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Json[]) {
      const has = podComputeUsage(resourceList(c.resources?.requests), resourceList(c.resources?.limits))
      for (const r of requiredSet) {
        if (has.has(r)) continue
        let names = missing.get(r)
        if (names === undefined) missing.set(r, names = new Set())
        names.add(String(c.name))
      }
    }
    if (missing.size === 0) return undefined
    const parts = [...missing.keys()].sort().map(r => `${r} for: ${[...missing.get(r)!].sort().join(',')}`)
    return `must specify ${parts.join('; ')}`
  },
}

// --- services ---

const SERVICE_RESOURCES = ['count/services', 'services', 'services.nodeports', 'services.loadbalancers']

const serviceEvaluator: Evaluator = {
  group: '',
  resource: 'services',
  handles: operation => operation === 'create' || operation === 'update',
  matchingResources: input => input.filter(n => SERVICE_RESOURCES.includes(n)),
  matchesScope: () => false,
  usage (svc) {
    const spec: Json = (svc as Json).spec ?? {}
    const ports: Json[] = spec.ports ?? []
    const out: ResourceList = new Map([['count/services', one()], ['services', one()], ['services.loadbalancers', zero()], ['services.nodeports', zero()]])
    if (spec.type === 'NodePort') out.set('services.nodeports', quantityOf(ports.length))
    if (spec.type === 'LoadBalancer') {
      const nodePorts = spec.allocateLoadBalancerNodePorts === false ? ports.filter(p => (p.nodePort ?? 0) !== 0).length : ports.length
      out.set('services.nodeports', quantityOf(nodePorts))
      out.set('services.loadbalancers', one())
    }
    return out
  },
  constraints: () => undefined,
}

// --- persistent volume claims ---

const PVC_RESOURCES = ['persistentvolumeclaims', 'requests.storage']
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/'

/** RoundUp(0): storage is counted in whole bytes. */
function wholeUnits (q: Quantity): Quantity {
  if (q.scale >= 0) return q
  const d = 10n ** BigInt(-q.scale)
  const v = q.unscaled / d + (q.unscaled % d > 0n ? 1n : 0n)
  return { unscaled: v, scale: 0, format: q.format, big: q.big }
}

function storageUsage (pvc: Json): Quantity | undefined {
  const requested = resourceList(pvc.spec?.resources?.requests).get('storage')
  if (requested === undefined) return undefined
  let result = wholeUnits(requested)
  const allocated = resourceList(pvc.status?.allocatedResources).get('storage')
  if (allocated !== undefined && compareQuantities(allocated, result) > 0) result = wholeUnits(allocated)
  return result
}

/** storagehelpers.GetPersistentVolumeClaimClass: the beta annotation first, then spec. */
function claimClass (pvc: Json): string {
  const annotated = pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class']
  if (annotated !== undefined) return annotated
  return pvc.spec?.storageClassName ?? ''
}

const pvcEvaluator: Evaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  handles: operation => operation === 'create' || operation === 'update',
  matchingResources: input => input.filter(n => n === 'count/persistentvolumeclaims' || PVC_RESOURCES.includes(n) || PVC_RESOURCES.some(r => n.endsWith(STORAGE_CLASS_SUFFIX + r))),
  matchesScope: () => false,
  usage (pvc) {
    const out: ResourceList = new Map([['persistentvolumeclaims', one()], ['count/persistentvolumeclaims', one()]])
    const cls = claimClass(pvc as Json)
    if (cls !== '') out.set(`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, one())
    const storage = storageUsage(pvc as Json)
    if (storage !== undefined) {
      out.set('requests.storage', storage)
      if (cls !== '') out.set(`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`, storage)
    }
    return out
  },
  constraints: () => undefined,
}

/** Kinds quota never counts (quota/v1/install/registry.go ignoredResources). */
const IGNORED = new Set([
  '/events', 'events.k8s.io/events', '/bindings', '/componentstatuses',
  'authentication.k8s.io/tokenreviews', 'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/subjectaccessreviews', 'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/localsubjectaccessreviews', 'authorization.k8s.io/selfsubjectrulesreviews',
])

export function isQuotaIgnored (group: string, resource: string): boolean {
  return IGNORED.has(`${group}/${resource}`)
}

const SPECIFIC: Record<string, Evaluator> = { pods: podEvaluator, services: serviceEvaluator, persistentvolumeclaims: pvcEvaluator }
const counts = new Map<string, Evaluator>()

/** The evaluator of a kind (an object count for any kind without its own). */
export function evaluatorFor (group: string, resource: string): Evaluator {
  if (group === '' && SPECIFIC[resource] !== undefined) return SPECIFIC[resource]
  const key = `${resource}.${group}`
  let e = counts.get(key)
  if (e === undefined) counts.set(key, e = objectCountEvaluator(group, resource))
  return e
}

/** The evaluators with informers in the controller; `count/<resource>.<group>` names any other kind. */
export const CORE_EVALUATED = ['pods', 'services', 'persistentvolumeclaims', 'configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas']

/** The kind a `count/<resource>[.<group>]` or legacy name counts, if it names one. */
export function countedKind (name: string): { group: string, resource: string } | undefined {
  const legacy = Object.values(LEGACY_COUNTS).includes(name) ? name : undefined
  if (legacy !== undefined) return { group: '', resource: legacy }
  if (!name.startsWith('count/')) return undefined
  const rest = name.slice('count/'.length)
  const dot = rest.indexOf('.')
  return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) }
}

/** helper.GetScopeSelectorsFromQuota: spec.scopes (as Exists) then spec.scopeSelector's expressions. */
export function scopeSelectors (quota: KubeObject): ScopeSelectorRequirement[] {
  const spec: Json = (quota as Json).spec ?? {}
  const out: ScopeSelectorRequirement[] = (spec.scopes ?? []).map((s: string) => ({ scopeName: s, operator: 'Exists' }))
  for (const e of spec.scopeSelector?.matchExpressions ?? []) out.push(e)
  return out
}

/** generic.Matches: the quota tracks something the evaluator counts, and every scope matches. */
export function quotaMatches (evaluator: Evaluator, quota: KubeObject, obj: KubeObject): boolean {
  const hard = Object.keys((quota as Json).status?.hard ?? {})
  if (evaluator.matchingResources(hard).length === 0) return false
  return scopeSelectors(quota).every(s => evaluator.matchesScope(s, obj))
}

/** Whether the usage has no non-zero entry. */
export function allZero (list: ResourceList): boolean {
  for (const q of list.values()) if (!isZeroQuantity(q)) return false
  return true
}
