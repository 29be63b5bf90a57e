// OpenAPI v3, enough for kubectl (api-facts.md §3): an index of group-versions, and per
// group-version the paths of every resource with a PATCH operation that declares
// x-kubernetes-group-version-kind and the fieldValidation parameter, so kubectl sends
// fieldValidation=Strict and lets the server validate. Schemas come from ./schemas when known.
import { groupVersion, type ResourceInfo } from '../api/resources.ts'
import type { ResourceIndex } from './resource-index.ts'

const QUERY = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map(name => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string' }, uniqueItems: true }))

export function openapiIndex (index: ResourceIndex): object {
  const paths: Record<string, object> = {}
  for (const [group, versions] of index.groups()) {
    for (const v of versions) {
      const key = group === '' ? `api/${v}` : `apis/${group}/${v}`
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${docHash(index, group, v)}` }
    }
  }
  return { paths }
}

function itemPath (r: ResourceInfo): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`
  return r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}/{name}` : `${base}/${r.resource}/{name}`
}

function operation (r: ResourceInfo, action: string, verb: string): object {
  return {
    operationId: `${verb}${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
    parameters: QUERY,
    requestBody: {
      content: Object.fromEntries(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']
        .map(t => [t, { schema: { type: 'object' } }])),
    },
    responses: { 200: { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName(r)}` } } } } },
  }
}

export function schemaName (r: ResourceInfo): string {
  const group = r.group === '' ? 'core' : r.group.split('.')[0]
  return `io.k8s.api.${group}.${r.version}.${r.kind}`
}

export function openapiDocument (index: ResourceIndex, group: string, version: string, schemas: (r: ResourceInfo) => object | undefined, serverVersion: string): object | undefined {
  const resources = index.inGroupVersion(group, version).filter(r => r.virtual !== true)
  if (index.inGroupVersion(group, version).length === 0) return undefined
  const paths: Record<string, object> = {}
  const components: Record<string, object> = {}
  for (const r of resources) {
    paths[itemPath(r)] = { patch: operation(r, 'patch', 'patch'), put: operation(r, 'put', 'replace') }
    components[schemaName(r)] = schemas(r) ?? {
      type: 'object',
      description: `${r.kind} (${groupVersion(r)})`,
      'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }],
    }
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: serverVersion }, paths, components: { schemas: components } }
}

function docHash (index: ResourceIndex, group: string, version: string): string {
  const names = index.inGroupVersion(group, version).map(r => r.resource).join(',')
  let h = 0
  for (let i = 0; i < names.length; i++) h = (Math.imul(h, 31) + names.charCodeAt(i)) >>> 0
  return h.toString(16).toUpperCase().padStart(16, '0')
}
