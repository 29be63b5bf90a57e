// Upstream OpenAPI component names for client-node models: V1Deployment →
// io.k8s.api.apps.v1.Deployment, V1ObjectMeta → io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.
// Class names carry the version but usually not the group, so a model takes the group of the
// first built-in kind (in resource-table order, core first) that reaches it: PodSpec is reached
// from Pod before Deployment, so it is core; DeploymentSpec only from Deployment, so apps.
import { BUILTIN_RESOURCES } from '../../api/resources.ts'
import { attributesOf, groupPrefix, modelNameFor, referencedModels } from './models.ts'

/** Shared apimachinery types, named by meta/v1 rather than by the kind that reaches them. */
const META = new Set([
  'APIResource', 'Condition', 'DeleteOptions', 'FieldsV1', 'LabelSelector', 'LabelSelectorRequirement', 'ListMeta',
  'ManagedFieldsEntry', 'ObjectMeta', 'OwnerReference', 'Preconditions', 'Status', 'StatusCause', 'StatusDetails', 'WatchEvent',
])

/** core/v1 types that only other groups' kinds reach (StorageClass.allowedTopologies). */
const CORE = new Set(['TopologySelectorLabelRequirement', 'TopologySelectorTerm'])

/** Package of each API group in k8s.io/api (apiextensions lives in its own module). */
export function groupPackage (group: string, version: string): string {
  if (group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`
  return `io.k8s.api.${group === '' ? 'core' : group.split('.')[0]}.${version}`
}

export const META_PACKAGE = 'io.k8s.apimachinery.pkg.apis.meta.v1'
export const TIME = `${META_PACKAGE}.Time`
export const MICRO_TIME = `${META_PACKAGE}.MicroTime`
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString'
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity'

let groups: Map<string, string> | undefined

/** Model → API group, breadth-first from the built-in kinds in table order. */
function modelGroups (): Map<string, string> {
  if (groups !== undefined) return groups
  groups = new Map()
  const queue: string[] = []
  for (const r of BUILTIN_RESOURCES) {
    const model = modelNameFor(r.group, r.version, r.kind)
    if (model !== undefined && !groups.has(model)) { groups.set(model, r.group); queue.push(model) }
  }
  for (let i = 0; i < queue.length; i++) {
    const group = groups.get(queue[i]!)!
    for (const a of attributesOf(queue[i]!) ?? []) {
      for (const m of referencedModels(a.type)) {
        if (!groups.has(m)) { groups.set(m, group); queue.push(m) }
      }
    }
  }
  return groups
}

/**
 * The component name of a model. Names with a group prefix (CoreV1Event, RbacV1Subject) say
 * their group themselves; others take it from the kinds that reach them.
 */
export function componentName (model: string): string {
  const m = /^([A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z]\w*)$/.exec(model)
  if (m === null) return model
  const [, prefix, v, kind] = m as unknown as [string, string | undefined, string, string]
  const version = v.charAt(0).toLowerCase() + v.slice(1)
  if (META.has(kind) && prefix === undefined) return `${META_PACKAGE}.${kind}`
  if (CORE.has(kind) && prefix === undefined) return `${groupPackage('', version)}.${kind}`
  if (prefix !== undefined) {
    const group = prefix === 'Core' ? '' : [...modelGroups().values()].find(g => groupPrefix(g) === prefix) ?? prefix.toLowerCase()
    return `${groupPackage(group, version)}.${kind}`
  }
  return `${groupPackage(modelGroups().get(model) ?? '', version)}.${kind}`
}

/** The component name of a built-in kind, or undefined when client-node has no model for it. */
export function kindComponentName (group: string, version: string, kind: string): string | undefined {
  const model = modelNameFor(group, version, kind)
  return model === undefined ? undefined : `${groupPackage(group, version)}.${kind}`
}

