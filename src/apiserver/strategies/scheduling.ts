// scheduling.k8s.io PriorityClasses (pkg/registry/scheduling/priorityclass): generation 1 at
// create and never bumped, SetDefaults_PriorityClass, ValidatePriorityClass and
// ValidatePriorityClassUpdate; and the storage's Delete, which refuses the system classes.
import type { ResourceInfo } from '../../api/resources.ts'
import { HIGHEST_USER_DEFINABLE_PRIORITY, SYSTEM_PRIORITY_CLASS_PREFIX, SYSTEM_PRIORITY_CLASSES, systemPriorityClassError } from '../../api/priority-classes.ts'
import { admissionForbidden, type StatusCause } from '../errors.ts'
import { def, immutable, required, unsupported, type Strategy } from './strategy.ts'

type Json = Record<string, any>

const forbidden = (field: string, detail: string): StatusCause => ({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field })

export const priorityClassStrategy: Strategy = {
  generation: false,
  status: false,
  defaults (obj) { def(obj as Json, 'preemptionPolicy', 'PreemptLowerPriority') },
  prepareForCreate (obj) { obj.metadata.generation = 1 },
  // ValidatePriorityClass runs on create only: the strategy's ValidateUpdate checks the update rules alone.
  validateCreate (obj) {
    const pc = obj as Json
    const name = obj.metadata.name ?? ''
    const causes: StatusCause[] = []
    if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
      const why = systemPriorityClassError(name, pc.value ?? 0, pc.globalDefault === true)
      if (why !== undefined) causes.push(forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`))
    } else if ((pc.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) {
      causes.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`))
    }
    const policy = pc.preemptionPolicy
    if (policy === '') causes.push(required('preemptionPolicy'))
    else if (policy !== undefined && policy !== 'PreemptLowerPriority' && policy !== 'Never') causes.push(unsupported('preemptionPolicy', policy, ['PreemptLowerPriority', 'Never']))
    return causes
  },
  validateUpdate (obj, old) {
    const causes: StatusCause[] = []
    if ((obj as Json).value !== (old as Json).value) causes.push(forbidden('value', 'may not be changed in an update.'))
    if ((obj as Json).preemptionPolicy !== (old as Json).preemptionPolicy) causes.push(immutable('preemptionPolicy', (obj as Json).preemptionPolicy))
    return causes
  },
}

/**
 * The PriorityClass storage's Delete: a system class cannot be deleted, checked before the
 * class is even read. (A deletecollection goes through the generic store and is not refused.)
 */
export function admitPriorityClassDelete (info: ResourceInfo, name: string): void {
  if (info.group !== 'scheduling.k8s.io' || info.resource !== 'priorityclasses') return
  if (SYSTEM_PRIORITY_CLASSES.some(c => c.name === name)) throw admissionForbidden(info, name, 'this is a system priority class and cannot be deleted')
}
