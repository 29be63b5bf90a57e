// quota.CalculateUsage (v1.32): what a namespace uses of each resource a quota limits, summed over
// the objects of every kind whose evaluator counts one of its names, those objects filtered by
// the quota's scopes. Every tracked name gets a value, zero when nothing counts.
import type { KubeObject } from '../../api/object.ts'
import { countedKind, evaluatorFor, isQuotaIgnored, scopeSelectors, type Evaluator } from '../../api/quota/evaluators.ts'
import { add, mask, zero, type ResourceList } from '../../api/quota/resource-list.ts'

type Json = Record<string, any>

/** The evaluators a quota's hard names need: pods, services, claims, and the kinds `count/…` names. */
export function evaluatorsFor (hard: readonly string[]): Evaluator[] {
  const out = new Map<string, Evaluator>()
  const consider = (e: Evaluator): void => {
    if (e.matchingResources(hard).length > 0) out.set(`${e.resource}.${e.group}`, e)
  }
  for (const resource of ['pods', 'services', 'persistentvolumeclaims']) consider(evaluatorFor('', resource))
  for (const name of hard) {
    const kind = countedKind(name)
    if (kind !== undefined && !isQuotaIgnored(kind.group, kind.resource)) consider(evaluatorFor(kind.group, kind.resource))
  }
  return [...out.values()]
}

/** The namespace's objects of one kind (undefined: the kind is not served; it counts nothing). */
export type ObjectsOf = (group: string, resource: string) => Promise<readonly KubeObject[] | undefined>

/**
 * The usage of every hard name some evaluator counts (names none counts are left out, and so are
 * those of a kind that could not be listed: `errors` says why).
 */
export async function calculateUsage (quota: KubeObject, objectsOf: ObjectsOf, now: number): Promise<{ usage: ResourceList, errors: unknown[] }> {
  const hard = Object.keys((quota as Json).spec?.hard ?? {})
  const selectors = scopeSelectors(quota)
  let usage: ResourceList = new Map()
  const matched = new Set<string>()
  const errors: unknown[] = []
  for (const evaluator of evaluatorsFor(hard)) {
    const names = evaluator.matchingResources(hard)
    let items: readonly KubeObject[] | undefined
    try {
      items = await objectsOf(evaluator.group, evaluator.resource)
    } catch (err) {
      errors.push(err)
      continue
    }
    if (items === undefined) continue
    let used: ResourceList = new Map(names.map(n => [n, zero()]))
    for (const item of items) {
      if (selectors.every(s => evaluator.matchesScope(s, item))) used = add(used, evaluator.usage(item, now))
    }
    usage = add(usage, used)
    for (const n of names) matched.add(n)
  }
  return { usage: mask(usage, matched), errors }
}
