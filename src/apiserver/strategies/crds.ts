// CustomResourceDefinitions: the names and versions rules kubectl users meet, and the status
// upstream's naming/establishing controllers write (set here at once: no controller lag).
import { rfc3339 } from '../../api/object.ts'
import { crdStatus } from '../crd/resources.ts'
import type { StatusCause } from '../errors.ts'
import { immutable, invalidValue, required, unsupported, type Strategy } from './strategy.ts'

type Json = Record<string, any>

export const crdStrategy: Strategy = {
  generation: true,
  status: true,
  defaults (obj) {
    const spec = (obj.spec ??= {}) as Json
    if (spec.names !== undefined) {
      spec.names.singular ??= String(spec.names.kind ?? '').toLowerCase()
      spec.names.listKind ??= `${spec.names.kind}List`
    }
    for (const v of spec.versions ?? []) v.served ??= true
    spec.conversion ??= { strategy: 'None' }
  },
  prepareForCreate (obj, ctx) {
    obj.status = crdStatus(obj, rfc3339(ctx.clock.now()))
  },
  prepareForUpdate (obj, old, ctx) {
    obj.status = crdStatus({ ...obj, status: old.status }, rfc3339(ctx.clock.now()))
  },
  validate (obj) {
    const spec = (obj.spec ?? {}) as Json
    const causes: StatusCause[] = []
    if (!spec.group) causes.push(required('spec.group'))
    if (!spec.names?.plural) causes.push(required('spec.names.plural'))
    if (!spec.names?.kind) causes.push(required('spec.names.kind'))
    if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') causes.push(unsupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']))
    if (spec.group && spec.names?.plural && obj.metadata.name !== `${spec.names.plural}.${spec.group}`) {
      causes.push(invalidValue('metadata.name', obj.metadata.name, 'must be spec.names.plural+"."+spec.group'))
    }
    const versions = (spec.versions ?? []) as Json[]
    if (versions.length === 0) causes.push(required('spec.versions'))
    if (versions.filter(v => v.storage === true).length !== 1) {
      causes.push(invalidValue('spec.versions', versions.map(v => v.name), 'must have exactly one version marked as storage version'))
    }
    versions.forEach((v, i) => { if (v.schema?.openAPIV3Schema === undefined) causes.push(required(`spec.versions[${i}].schema.openAPIV3Schema`)) })
    return causes
  },
  validateUpdate (obj, old) {
    const a = (obj.spec as Json)?.scope
    const b = (old.spec as Json)?.scope
    return a !== b ? [immutable('spec.scope', a)] : []
  },
}
