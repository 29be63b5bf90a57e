/**
 * Name and metadata validation, emulating k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label,
 * IsQualifiedName, ...) and pkg/api/validation (ValidateObjectMeta) of v1.32, with upstream's
 * exact message strings. Pure, no I/O. Field errors render via ./field-errors.ts.
 */
import {
  type FieldError, forbidden, invalid, required, tooLong,
} from './field-errors.ts'

export * from './field-errors.ts'

/** validation.MaxLenError */
export const maxLenError = (length: number): string => `must be no more than ${length} characters`
/** validation.EmptyError */
export const emptyError = (): string => 'must be non-empty'

/** validation.RegexError: note upstream's double space in `'a',  or 'b'`. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`
  return `${msg} (e.g. ${examples.map(e => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const DNS1123_LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`
const DNS1123_SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?'
const DNS1035_LABEL_ERR = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const QNAME_ERR = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`
const LABEL_VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

export const DNS1123_LABEL_MAX_LENGTH = 63
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253
export const DNS1035_LABEL_MAX_LENGTH = 63
export const LABEL_VALUE_MAX_LENGTH = 63
const QUALIFIED_NAME_MAX_LENGTH = 63
/** apimachinery validation.TotalAnnotationSizeLimitB (256 KiB) */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024

const anchored = (fmt: string): RegExp => new RegExp(`^${fmt}$`)
const dns1123LabelRe = anchored(DNS1123_LABEL_FMT)
const dns1123SubdomainRe = anchored(DNS1123_SUBDOMAIN_FMT)
const dns1035LabelRe = anchored(DNS1035_LABEL_FMT)
const qnameRe = anchored(QNAME_FMT)
const labelValueRe = anchored(LABEL_VALUE_FMT)

/** Go's len(): bytes of UTF-8, not UTF-16 code units. */
const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8')

/** validation.IsDNS1123Label */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH))
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain but not a valid label: having checked the length, it must be dots.
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots')
    else errs.push(regexError(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, 'my-name', '123-abc'))
  }
  return errs
}

/** validation.IsDNS1123Subdomain */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH))
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, 'example.com'))
  return errs
}

/** validation.IsDNS1035Label */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH))
  if (!dns1035LabelRe.test(value)) errs.push(regexError(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, 'my-name', 'abc-123'))
  return errs
}

/** validation.IsQualifiedName: label keys, annotation keys, finalizers (`[prefix/]name`). */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = []
  const parts = value.split('/')
  let name: string
  if (parts.length === 1) name = parts[0]
  else if (parts.length === 2) {
    const prefix = parts[0]
    name = parts[1]
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`)
    else errs.push(...isDNS1123Subdomain(prefix).map(m => `prefix part ${m}`))
  } else {
    return [`a qualified name ${regexError(QNAME_ERR, QNAME_FMT, 'MyName', 'my.name', '123-abc')}` +
      " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`)
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`)
  if (!qnameRe.test(name)) errs.push(`name part ${regexError(QNAME_ERR, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`)
  return errs
}

/** validation.IsValidLabelValue */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH))
  if (!labelValueRe.test(value)) errs.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'))
  return errs
}

/** Total annotation size in bytes (keys plus values), as ValidateAnnotationsSize counts it. */
export function annotationsSize(annotations: Record<string, string> | undefined): number {
  let total = 0
  for (const [k, v] of Object.entries(annotations ?? {})) total += byteLength(k) + byteLength(v)
  return total
}

/** A ValidateNameFunc: `prefix` is true when validating generateName. */
export type NameValidator = (name: string, prefix: boolean) => string[]

/** maskTrailingDash: a generateName may end in '-', which upstream masks (dropping two characters). */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name
}

export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name)
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name)
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name)

/** path.ValidatePathSegmentName: used by kinds whose names only need to be URL-safe (e.g. RBAC roles). */
export const validatePathSegmentName: NameValidator = (name, prefix) => {
  if (!prefix && (name === '.' || name === '..')) return [`may not be '${name}'`]
  return ['/', '%'].filter(c => name.includes(c)).map(c => `may not contain '${c}'`)
}

export interface ObjectMetaInput {
  name?: string
  generateName?: string
  namespace?: string
  generation?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
  finalizers?: string[]
  ownerReferences?: Array<{ apiVersion?: string, kind?: string, name?: string, uid?: string, controller?: boolean }>
}

export interface ValidateObjectMetaOptions {
  namespaced: boolean
  nameValidator?: NameValidator
  /** Path prefix; `metadata` unless validating an embedded template. */
  path?: string
}

const sortedEntries = (m: Record<string, string> | undefined): Array<[string, string]> =>
  Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

/** v1validation.ValidateLabels (keys sorted here; Go iterates its map in random order). */
export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = []
  for (const [k, v] of sortedEntries(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(field, k, msg))
    for (const msg of isValidLabelValue(v)) errs.push(invalid(field, v, msg))
  }
  return errs
}

/**
 * metav1validation.ValidateLabelSelector (strict label values): matchLabels, then each
 * expression's operator and values, key and values.
 */
export function validateLabelSelector(sel: { matchLabels?: Record<string, string>, matchExpressions?: unknown }, field: string): FieldError[] {
  const errs: FieldError[] = [...validateLabels(sel.matchLabels, `${field}.matchLabels`)]
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions as Array<Record<string, any>> : []
  for (const [i, r] of exprs.entries()) {
    const p = `${field}.matchExpressions[${i}]`
    const values: unknown[] = Array.isArray(r?.values) ? r.values : []
    if (r?.operator === 'In' || r?.operator === 'NotIn') {
      if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"))
    } else if (r?.operator === 'Exists' || r?.operator === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    } else {
      errs.push(invalid(`${p}.operator`, r?.operator ?? '', 'not a valid selector operator'))
    }
    for (const msg of isQualifiedName(String(r?.key ?? ''))) errs.push(invalid(`${p}.key`, r?.key ?? '', msg))
    for (const v of values) for (const msg of isValidLabelValue(String(v))) errs.push(invalid(`${p}.values`, v, msg))
  }
  return errs
}

/** validation.ValidateAnnotations: keys are qualified names compared case-insensitively; 256 KiB in total. */
export function validateAnnotations(annotations: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = []
  for (const [k] of sortedEntries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, msg))
  }
  if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_B))
  return errs
}

/** schema.ParseGroupVersion; an unparsable string yields an empty group and version. */
function parseGroupVersion(gv: string): { group: string, version: string } {
  const parts = gv.split('/')
  if (gv === '' || gv === '/' || parts.length > 2) return { group: '', version: '' }
  return parts.length === 1 ? { group: '', version: gv } : { group: parts[0], version: parts[1] }
}

function validateOwnerReferences(refs: ObjectMetaInput['ownerReferences'], field: string): FieldError[] {
  const errs: FieldError[] = []
  let firstController = ''
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? ''
    const { group, version } = parseGroupVersion(apiVersion)
    const kind = ref.kind ?? ''
    if (!version) errs.push(invalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'))
    if (!kind) errs.push(invalid(`${field}.kind`, ref.kind ?? '', 'must not be empty'))
    if (!ref.name) errs.push(invalid(`${field}.name`, ref.name ?? '', 'must not be empty'))
    if (!ref.uid) errs.push(invalid(`${field}.uid`, ref.uid ?? '', 'must not be empty'))
    if (group === '' && version === 'v1' && kind === 'Event') errs.push(invalid(field, ref, '/v1, Kind=Event is disallowed from being an owner'))
    if (ref.controller === true) {
      const current = `${ref.kind ?? ''}/${ref.name ?? ''}`
      if (firstController !== '') {
        errs.push(invalid(field, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`))
      } else firstController = current
    }
  }
  return errs
}

function validateFinalizers(finalizers: string[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = []
  for (const f of finalizers ?? []) for (const msg of isQualifiedName(f)) errs.push(invalid(field, f, msg))
  if (finalizers?.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalid(field, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'))
  }
  return errs
}

/**
 * validation.ValidateObjectMeta (the ValidateNameFunc flavour most registry strategies use):
 * generateName, name, namespace, generation, labels, annotations, ownerReferences, finalizers.
 */
export function validateObjectMeta(meta: ObjectMetaInput, opts: ValidateObjectMetaOptions): FieldError[] {
  const path = opts.path ?? 'metadata'
  const nameFn = opts.nameValidator ?? nameIsDNSSubdomain
  const errs: FieldError[] = []
  const generateName = meta.generateName ?? ''
  const name = meta.name ?? ''
  const namespace = meta.namespace ?? ''
  if (generateName) for (const msg of nameFn(generateName, true)) errs.push(invalid(`${path}.generateName`, generateName, msg))
  if (!name) errs.push(required(`${path}.name`, 'name or generateName is required'))
  else for (const msg of nameFn(name, false)) errs.push(invalid(`${path}.name`, name, msg))
  if (opts.namespaced) {
    if (!namespace) errs.push(required(`${path}.namespace`))
    else for (const msg of nameIsDNSLabel(namespace, false)) errs.push(invalid(`${path}.namespace`, namespace, msg))
  } else if (namespace) {
    errs.push(forbidden(`${path}.namespace`, 'not allowed on this type'))
  }
  if ((meta.generation ?? 0) < 0) errs.push(invalid(`${path}.generation`, meta.generation, 'must be greater than or equal to 0'))
  errs.push(...validateLabels(meta.labels, `${path}.labels`))
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`))
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`))
  errs.push(...validateFinalizers(meta.finalizers, `${path}.finalizers`))
  return errs
}
