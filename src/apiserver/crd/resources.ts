// A CustomResourceDefinition → the resource rows it serves (one per served version), and the
// status the apiextensions controllers would write (names accepted, established).
import type { KubeObject } from '../../api/object.ts'
import type { ResourceInfo, SubresourceInfo, Verb } from '../../api/resources.ts'

type Json = Record<string, any>

const VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

export interface CrdVersion {
  info: ResourceInfo
  schema?: Json
  printerColumns?: Json[]
  scale?: { specReplicasPath: string, statusReplicasPath: string, labelSelectorPath?: string }
}

export function crdVersions (crd: KubeObject): CrdVersion[] {
  const spec = crd.spec as Json
  const names = spec.names as Json
  return (spec.versions as Json[] ?? []).filter(v => v.served !== false).map(v => {
    const subresources: SubresourceInfo[] = []
    if (v.subresources?.status !== undefined) subresources.push({ name: 'status', kind: names.kind, verbs: ['get', 'patch', 'update'] })
    if (v.subresources?.scale !== undefined) subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] })
    const info: ResourceInfo = {
      group: spec.group,
      version: v.name,
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      resource: names.plural,
      singular: names.singular ?? String(names.kind).toLowerCase(),
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      namespaced: spec.scope !== 'Cluster',
      verbs: VERBS,
      subresources,
      storagePrefix: `${spec.group}/${names.plural}`,
      custom: true,
    }
    return { info, schema: v.schema?.openAPIV3Schema, printerColumns: v.additionalPrinterColumns, scale: v.subresources?.scale }
  })
}

/** The status upstream's naming and establishing controllers converge to. */
export function crdStatus (crd: KubeObject, now: string): Json {
  const spec = crd.spec as Json
  const storage = (spec.versions as Json[] ?? []).find(v => v.storage === true)?.name
  const previous = ((crd.status as Json | undefined)?.storedVersions ?? []) as string[]
  const stored = storage === undefined || previous.includes(storage) ? previous : [...previous, storage]
  const condition = (type: string, reason: string, message: string): Json => ({ type, status: 'True', lastTransitionTime: now, reason, message })
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: { ...spec.names, singular: spec.names.singular ?? String(spec.names.kind).toLowerCase(), listKind: spec.names.listKind ?? `${spec.names.kind}List` },
    storedVersions: stored,
  }
}
