// labelSelector / fieldSelector query parameters → one predicate over stored objects. Bad
// selectors are 400s with upstream's messages; an unsupported field says so by name.
import { convertFieldLabels, fieldsFor, FieldSelectorError, matchesFields, parseFieldSelector, requiresExactMatch } from '../api/fields.ts'
import { parseLabelSelector } from '../api/label-parser.ts'
import { selectorFromLabelSelector, type LabelSelector } from '../api/labels.ts'
import type { KubeObject } from '../api/object.ts'
import type { ResourceInfo } from '../api/resources.ts'
import { badRequest } from './errors.ts'
import type { RequestOptions } from './request.ts'

export type Matcher = (obj: KubeObject) => boolean

/** The matcher of a request without selectors: everything matches. */
export const MATCH_ALL: Matcher = () => true

export function buildMatcher (info: ResourceInfo, options: RequestOptions): Matcher {
  const tests: Matcher[] = []
  if (options.labelSelector !== undefined && options.labelSelector !== '') {
    let selector
    try {
      selector = parseLabelSelector(options.labelSelector)
    } catch (err) {
      throw badRequest((err as Error).message)
    }
    tests.push(obj => selector.matches(obj.metadata.labels ?? {}))
  }
  if (options.fieldSelector !== undefined && options.fieldSelector !== '') {
    let selector
    try {
      selector = convertFieldLabels(info.kind, info.namespaced, parseFieldSelector(options.fieldSelector))
    } catch (err) {
      if (err instanceof FieldSelectorError) throw badRequest(err.message)
      throw err
    }
    const sel = selector
    tests.push(obj => matchesFields(fieldsFor(info.kind, obj, info.namespaced), sel))
  }
  if (tests.length === 0) return MATCH_ALL
  return obj => tests.every(t => t(obj))
}

/**
 * The node a pods request's field selector pins (`spec.nodeName=X`, or its alias `spec.host`),
 * which the kubelets' lists and watches all use; undefined for other resources, other
 * selectors, and a selector buildMatcher refuses.
 */
export function selectedNodeName (info: ResourceInfo, options: RequestOptions): string | undefined {
  if (info.group !== '' || info.resource !== 'pods' || options.fieldSelector === undefined || options.fieldSelector === '') return undefined
  try {
    return requiresExactMatch(convertFieldLabels(info.kind, info.namespaced, parseFieldSelector(options.fieldSelector)), 'spec.nodeName')
  } catch {
    return undefined
  }
}

/** A predicate for a metav1.LabelSelector (PDBs, workloads): empty matches all, null nothing. */
export function buildMatcherFromSelector (ls: LabelSelector | null | undefined): Matcher {
  const selector = selectorFromLabelSelector(ls)
  return obj => selector.matches(obj.metadata.labels ?? {})
}
