// Building blocks of the CustomResourceDefinitions the add-ons install (k3s's own, helm-controller's,
// the traefik-crd chart's): one served and stored version, a structural schema of `spec` (and
// `status`), printer columns, and small helpers for the schema's types.
import type { KubeObject } from '../../api/object.ts'

type Schema = Record<string, unknown>

export const str: Schema = { type: 'string' }
export const bool: Schema = { type: 'boolean' }
export const int: Schema = { type: 'integer' }
export const strs: Schema = { type: 'array', items: str }
/** A Go intstr.IntOrString (or a resource.Quantity): a number or a string. */
export const intOrStr: Schema = { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true }
/** An object kept as written (no pruning below it). */
export const open: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
export const oneOf = (...values: string[]): Schema => ({ type: 'string', enum: values })
export const arr = (items: Schema): Schema => ({ type: 'array', items })
export const obj = (properties: Record<string, Schema>, required?: string[]): Schema =>
  ({ type: 'object', properties, ...(required === undefined || required.length === 0 ? {} : { required }) })

export interface CrdOptions {
  /** API group (default helm.cattle.io). */
  group?: string
  /** The one version (default v1). */
  version?: string
  scope?: 'Namespaced' | 'Cluster'
  /** `spec`'s required fields; when given (even empty) the object requires `metadata` and `spec`. */
  required?: string[]
  /** `status`'s properties, served with the status subresource (unless statusSubresource: false). */
  status?: Record<string, Schema>
  statusSubresource?: boolean
  columns?: unknown[]
  labels?: Record<string, string>
  annotations?: Record<string, string>
}

export function crd (plural: string, kind: string, spec: Record<string, Schema>, options: CrdOptions = {}): KubeObject {
  const group = options.group ?? 'helm.cattle.io'
  const properties: Record<string, Schema> = { spec: obj(spec, options.required) }
  if (options.status !== undefined) properties.status = obj(options.status)
  const schema: Schema = { type: 'object', properties }
  if (options.required !== undefined) {
    Object.assign(properties, { apiVersion: str, kind: str, metadata: { type: 'object' } })
    schema.required = ['metadata', 'spec']
  }
  const metadata: KubeObject['metadata'] = { name: `${plural}.${group}` }
  if (options.labels !== undefined) metadata.labels = { ...options.labels }
  if (options.annotations !== undefined) metadata.annotations = { ...options.annotations }
  const subresources = options.status !== undefined && options.statusSubresource !== false
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata,
    spec: {
      group,
      scope: options.scope ?? 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{
        name: options.version ?? 'v1',
        served: true,
        storage: true,
        ...(subresources ? { subresources: { status: {} } } : {}),
        ...(options.columns !== undefined ? { additionalPrinterColumns: options.columns } : {}),
        schema: { openAPIV3Schema: schema },
      }],
    },
  }
}

/** A printer column of type string, as wrangler's WithColumn adds them. */
export const column = (name: string, jsonPath: string): Record<string, string> => ({ name, type: 'string', jsonPath })
