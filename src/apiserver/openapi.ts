// OpenAPI v3 (api-facts.md §3): an index of group-versions, and per group-version the paths of
// every resource with PATCH and PUT operations that declare x-kubernetes-group-version-kind and
// the fieldValidation parameter (so kubectl sends fieldValidation=Strict and lets the server
// validate), plus the component schemas they reference, transitively: kubectl explain reads
// them, and kubectl apply builds strategic merge patches from their x-kubernetes-patch-* fields.
// Built-in schemas come from ./schemas; custom resources' from the `schemas` callback (CRDs).
import type { ResourceInfo } from '../api/resources.ts'
import type { ResourceIndex } from './resource-index.ts'
import { componentsFor } from './schemas/components.ts'
import { modelNameFor } from './schemas/models.ts'
import { kindComponentName, META_PACKAGE } from './schemas/naming.ts'

const QUERY = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map(name => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string' }, uniqueItems: true }))
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']
/** apiextensions serves no strategic merge patch: kubectl apply then sends a merge patch. */
const CUSTOM_PATCH_TYPES = PATCH_TYPES.filter(t => t !== 'application/strategic-merge-patch+json')
const OBJECT_META = `${META_PACKAGE}.ObjectMeta`

/**
 * The index kubectl reads first. Pass `schemas` (the same callback as openapiDocument's) so a
 * changed CRD schema changes its group-version's hash, and clients refetch the document.
 */
export function openapiIndex (index: ResourceIndex, schemas?: (r: ResourceInfo) => object | undefined): object {
  const paths: Record<string, object> = {}
  for (const [group, versions] of index.groups()) {
    for (const v of versions) {
      const key = group === '' ? `api/${v}` : `apis/${group}/${v}`
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${docHash(index, group, v, schemas)}` }
    }
  }
  return { paths }
}

function collectionPath (r: ResourceInfo): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`
  return r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}` : `${base}/${r.resource}`
}

function operation (r: ResourceInfo, action: string, verb: string, contentTypes: string[]): object {
  const body = { $ref: `#/components/schemas/${schemaName(r)}` }
  return {
    operationId: `${verb}${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
    parameters: QUERY,
    requestBody: { content: Object.fromEntries(contentTypes.map(t => [t, { schema: action === 'patch' ? { type: 'object' } : body }])), required: true },
    responses: { 200: { description: 'OK', content: { 'application/json': { schema: body } } } },
  }
}

/**
 * The component name of a resource's kind: upstream's for built-ins
 * (`io.k8s.api.apps.v1.Deployment`), reversed group for custom resources (`com.example.v1.Widget`).
 */
export function schemaName (r: ResourceInfo): string {
  const builtin = r.custom === true ? undefined : kindComponentName(r.group, r.version, r.kind)
  return builtin ?? `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`
}

/** A custom resource's schema with apiVersion, kind, metadata and its GVK, as upstream publishes CRDs. */
function customSchema (r: ResourceInfo, schema: object | undefined): Record<string, unknown> {
  const s = { type: 'object', ...(schema ?? { 'x-kubernetes-preserve-unknown-fields': true }) } as Record<string, unknown>
  const properties = { ...(s.properties as Record<string, unknown> | undefined) }
  properties.apiVersion ??= { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' }
  properties.kind ??= { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' }
  properties.metadata = { allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }], description: "Standard object's metadata." }
  return { ...s, properties, 'x-kubernetes-group-version-kind': [{ group: r.group, kind: r.kind, version: r.version }] }
}

/**
 * The document of one group-version, or undefined when nothing is served there. `schemas` gives a
 * custom resource's OpenAPI v3 schema (its CRD's openAPIV3Schema); built-ins need none. Built-in
 * components are computed once per set of kinds and shared between calls.
 */
export function openapiDocument (index: ResourceIndex, group: string, version: string, schemas: (r: ResourceInfo) => object | undefined, serverVersion: string): object | undefined {
  const all = index.inGroupVersion(group, version)
  if (all.length === 0) return undefined
  const paths: Record<string, object> = {}
  const models: string[] = []
  const custom: Record<string, object> = {}
  for (const r of all) {
    const model = r.custom === true ? undefined : modelNameFor(r.group, r.version, r.kind)
    if (model !== undefined) models.push(model)
    else custom[schemaName(r)] = customSchema(r, schemas(r))
    if (r.virtual === true) {
      // Reviews are created; ComponentStatus is only read (kubectl explain finds a kind by its paths).
      if ((r.verbs as string[]).includes('create')) paths[collectionPath(r)] = { post: operation(r, 'post', 'create', ['*/*']) }
      else {
        paths[collectionPath(r)] = { get: { ...operation(r, 'list', 'list', []), requestBody: undefined } }
        paths[`${collectionPath(r)}/{name}`] = { get: { ...operation(r, 'get', 'read', []), requestBody: undefined } }
      }
    } else {
      paths[`${collectionPath(r)}/{name}`] = {
        patch: operation(r, 'patch', 'patch', r.custom === true ? CUSTOM_PATCH_TYPES : PATCH_TYPES),
        put: operation(r, 'put', 'replace', ['*/*']),
      }
    }
  }
  // Custom resources reference ObjectMeta, so the core components come along when any are served.
  const builtins = componentsFor(Object.keys(custom).length > 0 ? [...models, 'V1ObjectMeta'] : models)
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: serverVersion }, paths, components: { schemas: { ...builtins, ...custom } } }
}

function docHash (index: ResourceIndex, group: string, version: string, schemas?: (r: ResourceInfo) => object | undefined): string {
  const names = index.inGroupVersion(group, version).map(r => (r.custom === true && schemas !== undefined ? `${r.resource}:${JSON.stringify(schemas(r))}` : r.resource)).join(',')
  let h = 0
  for (let i = 0; i < names.length; i++) h = (Math.imul(h, 31) + names.charCodeAt(i)) >>> 0
  return h.toString(16).toUpperCase().padStart(16, '0')
}
