// The LimitRanger admission plugin (plugin/pkg/admission/limitranger, v1.32): a new pod's
// containers take their namespace's LimitRange defaults for requests and limits they do not set
// (annotated `kubernetes.io/limit-ranger`), then pods (create) and claims (create, update) are
// checked against the ranges' min, max and maxLimitRequestRatio, with upstream's messages.
import type { KubeObject } from '../../api/object.ts'
import { podResourceLists } from '../../api/pod-resources.ts'
import { formatQuantity, milliValue, parseQuantity, type Quantity, value } from '../../api/quantity.ts'
import { resourceList, type ResourceList } from '../../api/quota/resource-list.ts'

type Json = Record<string, any>

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger'

interface RangeItem { type?: string, min?: Json, max?: Json, default?: Json, defaultRequest?: Json, maxLimitRequestRatio?: Json }

const itemsOf = (range: KubeObject): RangeItem[] => ((range as Json).spec?.limits ?? []) as RangeItem[]

/** defaultContainerResourceRequirements: the Container items' defaults, later items winning. */
function containerDefaults (range: KubeObject): { requests: Json, limits: Json } {
  const requests: Json = {}
  const limits: Json = {}
  for (const item of itemsOf(range)) {
    if (item.type !== 'Container') continue
    Object.assign(requests, item.defaultRequest)
    Object.assign(limits, item.default)
  }
  return { requests, limits }
}

/** mergeContainerResources: fills what the container lacks; says what it set. */
function mergeContainer (c: Json, defaults: { requests: Json, limits: Json }, prefix: string, notes: string[]): void {
  c.resources ??= {}
  const setLimits: string[] = []
  const setRequests: string[] = []
  for (const [k, v] of Object.entries(defaults.limits)) {
    if ((c.resources.limits ??= {})[k] === undefined) { c.resources.limits[k] = v; setLimits.push(k) }
  }
  for (const [k, v] of Object.entries(defaults.requests)) {
    if ((c.resources.requests ??= {})[k] === undefined) { c.resources.requests[k] = v; setRequests.push(k) }
  }
  if (Object.keys(c.resources.limits ?? {}).length === 0) delete c.resources.limits
  if (Object.keys(c.resources.requests ?? {}).length === 0) delete c.resources.requests
  if (setRequests.length > 0) notes.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`)
  if (setLimits.length > 0) notes.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`)
}

/** PodMutateLimitFunc, for each range in turn: a new pod's containers take the defaults. */
export function defaultPodResources (pod: KubeObject, ranges: readonly KubeObject[]): void {
  const spec = (pod as Json).spec ?? {}
  for (const range of ranges) {
    const defaults = containerDefaults(range)
    if (Object.keys(defaults.requests).length === 0 && Object.keys(defaults.limits).length === 0) continue
    const notes: string[] = []
    for (const c of spec.containers ?? []) mergeContainer(c, defaults, 'container', notes)
    for (const c of spec.initContainers ?? []) mergeContainer(c, defaults, 'init container', notes)
    if (notes.length > 0) pod.metadata.annotations = { ...pod.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` }
  }
}

const MAX_MILLI_VALUE = Number.MAX_SAFE_INTEGER / 1000

/** requestLimitEnforcedValues: milli-units when none would overflow, else whole units. */
function comparable (req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [number, number, number] {
  const zero = parseQuantity('0')
  const r = req ?? zero
  const l = lim ?? zero
  if (value(r) <= MAX_MILLI_VALUE && value(l) <= MAX_MILLI_VALUE && value(enforced) <= MAX_MILLI_VALUE) return [milliValue(r), milliValue(l), milliValue(enforced)]
  return [value(r), value(l), value(enforced)]
}

function minConstraint (type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name)
  const lim = limits.get(name)
  const [r, l, e] = comparable(req, lim, enforced)
  const want = formatQuantity(enforced)
  if (req === undefined) return `minimum ${name} usage per ${type} is ${want}.  No request is specified`
  if (r < e) return `minimum ${name} usage per ${type} is ${want}, but request is ${formatQuantity(req)}`
  if (lim !== undefined && l < e) return `minimum ${name} usage per ${type} is ${want}, but limit is ${formatQuantity(lim)}`
  return undefined
}

function maxConstraint (type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name)
  const lim = limits.get(name)
  const [r, l, e] = comparable(req, lim, enforced)
  const want = formatQuantity(enforced)
  if (lim === undefined) return `maximum ${name} usage per ${type} is ${want}.  No limit is specified`
  if (l > e) return `maximum ${name} usage per ${type} is ${want}, but limit is ${formatQuantity(lim)}`
  if (req !== undefined && r > e) return `maximum ${name} usage per ${type} is ${want}, but request is ${formatQuantity(req)}`
  return undefined
}

/** maxRequestConstraint: claims have requests only. */
function maxRequestConstraint (type: string, name: string, enforced: Quantity, requests: ResourceList): string | undefined {
  const req = requests.get(name)
  const [r, , e] = comparable(req, undefined, enforced)
  const want = formatQuantity(enforced)
  if (req === undefined) return `maximum ${name} usage per ${type} is ${want}.  No request is specified`
  if (r > e) return `maximum ${name} usage per ${type} is ${want}, but request is ${formatQuantity(req)}`
  return undefined
}

/** Go's %f: six decimals. */
const goFloat = (n: number): string => n.toFixed(6)

function ratioConstraint (type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name)
  const lim = limits.get(name)
  const [r, l] = comparable(req, lim, enforced)
  const want = formatQuantity(enforced)
  if (req === undefined || r === 0) return `${name} max limit to request ratio per ${type} is ${want}, but no request is specified or request is 0`
  if (lim === undefined || l === 0) return `${name} max limit to request ratio per ${type} is ${want}, but no limit is specified or limit is 0`
  const displayed = l / r
  let observed = displayed
  let max = value(enforced)
  if (value(enforced) <= MAX_MILLI_VALUE) { observed *= 1000; max = milliValue(enforced) }
  if (observed > max) return `${name} max limit to request ratio per ${type} is ${want}, but provided ratio is ${goFloat(displayed)}`
  return undefined
}

/** Each of the item's min, max and ratio entries (names sorted: upstream walks a Go map) against one requests/limits pair. */
function checkItem (item: RangeItem, type: string, requests: ResourceList, limits: ResourceList, errs: string[], claims = false): void {
  const each = (list: Json | undefined, check: (name: string, q: Quantity) => string | undefined): void => {
    for (const name of Object.keys(list ?? {}).sort()) {
      const err = check(name, parseQuantity(String(list![name])))
      if (err !== undefined) errs.push(err)
    }
  }
  each(item.min, (n, q) => minConstraint(type, n, q, requests, limits))
  if (claims) { each(item.max, (n, q) => maxRequestConstraint(type, n, q, requests)); return }
  each(item.max, (n, q) => maxConstraint(type, n, q, requests, limits))
  each(item.maxLimitRequestRatio, (n, q) => ratioConstraint(type, n, q, requests, limits))
}

/** utilerrors.NewAggregate(...).Error(): one message as it is, several deduplicated in brackets. */
function aggregate (errs: string[]): string | undefined {
  const unique = [...new Set(errs)]
  if (unique.length === 0) return undefined
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`
}

/** PodValidateLimitFunc: why the pod breaks the range, or undefined. */
function validatePod (range: KubeObject, pod: KubeObject): string | undefined {
  const errs: string[] = []
  const spec = (pod as Json).spec ?? {}
  for (const item of itemsOf(range)) {
    if (item.type === 'Container') {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Json[]) {
        checkItem(item, 'Container', resourceList(c.resources?.requests), resourceList(c.resources?.limits), errs)
      }
    }
    if (item.type === 'Pod') {
      const { requests, limits } = podResourceLists(pod, { overhead: false })
      checkItem(item, 'Pod', requests, limits, errs)
    }
  }
  return aggregate(errs)
}

/** PersistentVolumeClaimValidateLimitFunc: storage requests against the PersistentVolumeClaim items. */
function validateClaim (range: KubeObject, pvc: KubeObject): string | undefined {
  const errs: string[] = []
  const requests = resourceList((pvc as Json).spec?.resources?.requests)
  for (const item of itemsOf(range)) {
    if (item.type === 'PersistentVolumeClaim') checkItem(item, 'PersistentVolumeClaim', requests, new Map(), errs, true)
  }
  return aggregate(errs)
}

/** The first range the object breaks, and why (upstream stops at the first). */
export function limitRangeViolation (resource: 'pods' | 'persistentvolumeclaims', obj: KubeObject, ranges: readonly KubeObject[]): string | undefined {
  for (const range of ranges) {
    const why = resource === 'pods' ? validatePod(range, obj) : validateClaim(range, obj)
    if (why !== undefined) return why
  }
  return undefined
}
