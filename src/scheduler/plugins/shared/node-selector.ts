/**
 * Node selectors as k8s.io/component-helpers/scheduling/corev1/nodeaffinity evaluates them:
 * GetRequiredNodeAffinity (spec.nodeSelector AND required node affinity) and
 * PreferredSchedulingTerms (sum of the weights of matching preferred terms).
 *
 * A term is an AND of its matchExpressions (over labels) and matchFields (only `metadata.name`
 * has a value); terms are ORed; an empty term matches nothing. In the required selector a term
 * that does not parse just does not match (LazyErrorNodeSelector); preferred terms that do not
 * parse are an error.
 */
import type { KubeObject } from '../../../api/object.ts'
import { newRequirement, type Operator, requirementMatches, type Requirement, selectorFromSet, type Selector } from '../../../api/labels.ts'

type Json = Record<string, any>

export interface NodeSelectorRequirement { key: string, operator: string, values?: string[] }
export interface NodeSelectorTerm { matchExpressions?: NodeSelectorRequirement[], matchFields?: NodeSelectorRequirement[] }

const LABEL_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' }

interface ParsedTerm { labels: Requirement[], fields: Array<{ key: string, value: string, equal: boolean }> }

const goQuote = (s: string): string => JSON.stringify(s)

/**
 * newNodeSelectorTerm: throws when the term does not parse, the message prefixed with the field
 * path as upstream reports it (`[0].matchExpressions[0].key: Invalid value: ...`).
 */
function parseTerm (term: NodeSelectorTerm, path: string): ParsedTerm {
  const labels = (term.matchExpressions ?? []).map((e, j) => {
    const at = `${path}.matchExpressions[${j}]`
    const op = LABEL_OPERATORS[e.operator]
    if (op === undefined) throw new Error(`${at}.operator: Unsupported value: ${goQuote(String(e.operator))}`)
    return newRequirement(e.key, op, e.values ?? [], at)
  })
  const fields = (term.matchFields ?? []).map((e, j) => {
    const at = `${path}.matchFields[${j}]`
    if (e.operator !== 'In' && e.operator !== 'NotIn') throw new Error(`${at}.operator: Unsupported value: ${goQuote(String(e.operator))}`)
    const values = e.values ?? []
    if (values.length !== 1) throw new Error(`${at}.values: Invalid value: must have one element`)
    return { key: e.key, value: values[0], equal: e.operator === 'In' }
  })
  return { labels, fields }
}

const isEmptyTerm = (t: NodeSelectorTerm): boolean => (t.matchExpressions ?? []).length === 0 && (t.matchFields ?? []).length === 0

function termMatches (t: ParsedTerm, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {}
  if (!t.labels.every((r) => requirementMatches(r, labels))) return false
  const fields: Record<string, string> = { 'metadata.name': node.metadata.name ?? '' }
  return t.fields.every((f) => ((fields[f.key] ?? '') === f.value) === f.equal)
}

/** A node selector whose unparsable terms never match (nodeaffinity.LazyErrorNodeSelector). */
export function lazyNodeSelector (terms: NodeSelectorTerm[]): (node: KubeObject) => boolean {
  const parsed: ParsedTerm[] = []
  for (const [i, t] of terms.entries()) {
    if (isEmptyTerm(t)) continue
    try {
      parsed.push(parseTerm(t, `[${i}]`))
    } catch { /* a term that does not parse matches nothing */ }
  }
  return (node) => parsed.some((t) => termMatches(t, node))
}

export interface RequiredNodeAffinity {
  /** True when the pod's nodeSelector and required node affinity both admit the node. */
  match(node: KubeObject): boolean
  /** Whether the pod has either at all (without them every node matches). */
  readonly constrains: boolean
}

export function requiredNodeAffinity (pod: KubeObject): RequiredNodeAffinity {
  const spec: Json = (pod as Json).spec ?? {}
  const nodeSelector: Record<string, string> | undefined = spec.nodeSelector
  const labelSelector: Selector | undefined = nodeSelector && Object.keys(nodeSelector).length > 0 ? selectorFromSet(nodeSelector) : undefined
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  const selector = required ? lazyNodeSelector(required.nodeSelectorTerms ?? []) : undefined
  return {
    constrains: labelSelector !== undefined || selector !== undefined,
    match: (node) => {
      if (labelSelector && !labelSelector.matches(node.metadata.labels ?? {})) return false
      return selector ? selector(node) : true
    },
  }
}

export interface PreferredSchedulingTerm { weight: number, preference: NodeSelectorTerm }

/** nodeaffinity.NewPreferredSchedulingTerms: throws when a term does not parse; weight-0 and empty terms are dropped. */
export function preferredSchedulingTerms (terms: PreferredSchedulingTerm[]): (node: KubeObject) => number {
  const parsed: Array<{ weight: number, term: ParsedTerm }> = []
  for (const [i, t] of terms.entries()) {
    if (!t.weight || isEmptyTerm(t.preference ?? {})) continue
    parsed.push({ weight: t.weight, term: parseTerm(t.preference, `[${i}]`) })
  }
  return (node) => parsed.reduce((sum, p) => sum + (termMatches(p.term, node) ? p.weight : 0), 0)
}
