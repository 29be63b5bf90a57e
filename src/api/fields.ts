/**
 * Field selectors, emulating k8s.io/apimachinery/pkg/fields (v1.32) for parsing and matching,
 * plus the per-kind field sets and field-label conversions kube-apiserver registers
 * (pkg/apis/core/v1/conversion.go and each registry strategy's ToSelectableFields).
 * Pure, no I/O.
 */

export interface FieldRequirement {
  readonly field: string
  readonly operator: '=' | '!='
  readonly value: string
}

/** A flat map of selectable fields to their string values (fields.Set). */
export type FieldSet = Readonly<Record<string, string>>

/** An invalid field selector, or an unsupported field label; the message is upstream's. */
export class FieldSelectorError extends Error {
  override name = 'FieldSelectorError'
}

/** fields.EscapeValue: backslash-escapes `\`, `,` and `=`. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, c => `\\${c}`)
}

/** fields.UnescapeValue; unescaped `,`/`=` and unknown escapes are errors (the rune prints as its code, as Go's %v does). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s
  let out = ''
  let inSlash = false
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`)
      out += c
      inSlash = false
    } else if (c === '\\') inSlash = true
    else if (c === ',' || c === '=') throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`)
    else out += c
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\')
  return out
}

/** splitTerms: commas split terms unless backslash-escaped. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return []
  const terms: string[] = []
  let start = 0
  let inSlash = false
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]
    if (inSlash) inSlash = false
    else if (c === '\\') inSlash = true
    else if (c === ',') { terms.push(selector.slice(start, i)); start = i + 1 }
  }
  terms.push(selector.slice(start))
  return terms
}

/** splitTerm: the first `!=`, `==` or `=` splits the term (no escaping on the left-hand side). */
function splitTerm(term: string): [string, '!=' | '==' | '=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)]
    }
  }
  return undefined
}

const byBytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * fields.ParseSelector: `a=b`, `a==b`, `a!=b`, comma-joined. Terms are sorted as strings before
 * parsing (so requirement order is deterministic); empty terms and `=` (empty field and value)
 * are dropped. Throws FieldSelectorError with upstream's message.
 */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = []
  for (const part of splitTerms(selector).sort(byBytes)) {
    if (part === '') continue
    const split = splitTerm(part)
    if (!split) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`)
    const [field, op, rhs] = split
    const value = unescapeFieldValue(rhs)
    if (field === '' && value === '') continue // Transform turns such a term into Everything()
    reqs.push({ field, operator: op === '!=' ? '!=' : '=', value })
  }
  return reqs
}

/** Selector.String(): `a=b,c!=d`, values escaped. */
export function formatFieldSelector(reqs: readonly FieldRequirement[]): string {
  return reqs.map(r => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',')
}

/** Selector.Matches: a missing field reads as the empty string. */
export function matchesFields(fieldSet: FieldSet, reqs: readonly FieldRequirement[]): boolean {
  return reqs.every(r => {
    const v = Object.prototype.hasOwnProperty.call(fieldSet, r.field) ? fieldSet[r.field] : ''
    return r.operator === '=' ? v === r.value : v !== r.value
  })
}

/** The value a selector pins `field` to with `=`, if any (Selector.RequiresExactMatch). */
export function requiresExactMatch(reqs: readonly FieldRequirement[], field: string): string | undefined {
  return reqs.find(r => r.field === field && r.operator === '=')?.value
}

// ---- per-kind field sets --------------------------------------------------------------------

type Obj = { metadata?: { name?: string, namespace?: string }, [k: string]: any }

/** generic.ObjectMetaFieldsSet */
export function metadataFields(obj: Obj, namespaced: boolean): Record<string, string> {
  const set: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' }
  if (namespaced) set['metadata.namespace'] = obj.metadata?.namespace ?? ''
  return set
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v))

/** pod.ToSelectableFields: status.podIP is the first of status.podIPs; status.podIPs itself is never set. */
export function podFields(pod: Obj): Record<string, string> {
  const spec = pod.spec ?? {}
  const status = pod.status ?? {}
  return {
    ...metadataFields(pod, true),
    'spec.nodeName': str(spec.nodeName),
    'spec.restartPolicy': str(spec.restartPolicy),
    'spec.schedulerName': str(spec.schedulerName),
    'spec.serviceAccountName': str(spec.serviceAccountName),
    'spec.hostNetwork': String(spec.hostNetwork === true),
    'status.phase': str(status.phase),
    'status.podIP': str(status.podIPs?.[0]?.ip ?? ''),
    'status.nominatedNodeName': str(status.nominatedNodeName),
  }
}

/** event.ToSelectableFields: `source` falls back to reportingComponent when source.component is empty. */
export function eventFields(ev: Obj): Record<string, string> {
  const io = ev.involvedObject ?? {}
  return {
    ...metadataFields(ev, true),
    'involvedObject.kind': str(io.kind),
    'involvedObject.namespace': str(io.namespace),
    'involvedObject.name': str(io.name),
    'involvedObject.uid': str(io.uid),
    'involvedObject.apiVersion': str(io.apiVersion),
    'involvedObject.resourceVersion': str(io.resourceVersion),
    'involvedObject.fieldPath': str(io.fieldPath),
    reason: str(ev.reason),
    reportingComponent: str(ev.reportingComponent),
    source: str(ev.source?.component) || str(ev.reportingComponent),
    type: str(ev.type),
  }
}

export const nodeFields = (node: Obj): Record<string, string> =>
  ({ ...metadataFields(node, false), 'spec.unschedulable': String(node.spec?.unschedulable === true) })
export const namespaceFields = (ns: Obj): Record<string, string> =>
  ({ ...metadataFields(ns, false), 'status.phase': str(ns.status?.phase) })
export const secretFields = (secret: Obj): Record<string, string> =>
  ({ ...metadataFields(secret, true), type: str(secret.type) })
export const serviceFields = (svc: Obj): Record<string, string> =>
  ({ ...metadataFields(svc, true), 'spec.clusterIP': str(svc.spec?.clusterIP), 'spec.type': str(svc.spec?.type) })
const replicasFields = (o: Obj): Record<string, string> =>
  ({ ...metadataFields(o, true), 'status.replicas': String(o.status?.replicas ?? 0) })
const jobFields = (job: Obj): Record<string, string> =>
  ({ ...metadataFields(job, true), 'status.successful': String(job.status?.succeeded ?? 0) })
const csrFields = (csr: Obj): Record<string, string> =>
  ({ ...metadataFields(csr, false), 'spec.signerName': str(csr.spec?.signerName) })

const KIND_FIELDS: Record<string, { fields: (o: Obj) => Record<string, string>, aliases?: Record<string, string> }> = {
  Pod: { fields: podFields, aliases: { 'spec.host': 'spec.nodeName' } },
  Event: { fields: eventFields },
  Node: { fields: nodeFields },
  Namespace: { fields: namespaceFields },
  Secret: { fields: secretFields },
  Service: { fields: serviceFields },
  ReplicationController: { fields: replicasFields },
  ReplicaSet: { fields: replicasFields },
  Job: { fields: jobFields },
  CertificateSigningRequest: { fields: csrFields },
}

/** Field labels the kind accepts in a fieldSelector (upstream's AddFieldLabelConversionFunc lists). */
export function supportedFields(kind: string, namespaced: boolean): string[] {
  const entry = KIND_FIELDS[kind]
  const keys = entry ? Object.keys(entry.fields({})) : Object.keys(metadataFields({}, namespaced))
  // Pod accepts status.podIPs although its field set never carries it (so it only matches '').
  return kind === 'Pod' ? [...keys, 'status.podIPs'] : keys
}

/** The field set of an object of `kind` (metadata.name/namespace only for kinds without extras). */
export function fieldsFor(kind: string, obj: Obj, namespaced: boolean): Record<string, string> {
  const entry = KIND_FIELDS[kind]
  return entry ? entry.fields(obj) : metadataFields(obj, namespaced)
}

/**
 * Runs the kind's field-label conversion over parsed requirements: renames aliases (Pod's
 * `spec.host`) and rejects unknown fields with `field label not supported: <field>` (a 400).
 */
export function convertFieldLabels(kind: string, namespaced: boolean, reqs: readonly FieldRequirement[]): FieldRequirement[] {
  const supported = new Set(supportedFields(kind, namespaced))
  const aliases = KIND_FIELDS[kind]?.aliases ?? {}
  return reqs.map(r => {
    const field = aliases[r.field] ?? r.field
    if (!supported.has(field)) throw new FieldSelectorError(`field label not supported: ${r.field}`)
    return field === r.field ? r : { ...r, field }
  })
}
