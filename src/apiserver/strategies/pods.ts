// Pods: SetDefaults_Pod, the admission plugins every k3s pod passes (ServiceAccount,
// DefaultTolerationSeconds, Priority), QoS class at create, and the spec's update rules.
import { semanticEqual, type KubeObject } from '../../api/object.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import type { StatusCause } from '../errors.ts'
import { defaultHostNetworkPorts, defaultPodSpec, validatePodSpec } from './pod-spec.ts'
import { podQOSClass } from '../../api/pod-resources.ts'
import { podWarnings } from './pod-warnings.ts'
import { ephemeralOnCreate, validateEphemeralUpdate, withEphemeralContainers } from './pod-ephemeral.ts'
import { admitServiceAccount } from './service-account.ts'
import { def, type Strategy, type StrategyContext } from './strategy.ts'
import { StatusError } from '../errors.ts'

type Json = Record<string, any>

const defaultTolerations = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']

export const podStrategy: Strategy = {
  generation: false,
  status: true,
  defaults (obj) {
    const spec = (obj.spec ??= {}) as Json
    defaultPodSpec(spec)
    defaultHostNetworkPorts(spec)
    // v1's deprecated serviceAccount mirrors serviceAccountName (its conversion sets it).
    if (spec.serviceAccountName !== undefined) def(spec, 'serviceAccount', spec.serviceAccountName)
  },
  async prepareForCreate (obj, ctx) {
    // The admission plugins (after managedFields: what they add is nobody's).
    const spec = obj.spec as Json
    admitDefaultTolerationSeconds(spec)
    await admitServiceAccount(obj, ctx)
    await admitPriority(obj, ctx)
    def(spec, 'preemptionPolicy', 'PreemptLowerPriority')
    applyAppArmorVersionSkew(obj, ctx.warnings)
    obj.status = { phase: 'Pending', qosClass: podQOSClass(obj.spec as Json) }
  },
  prepareForUpdate (obj) {
    // DefaultTolerationSeconds admits updates too: a write that drops them gets them back.
    admitDefaultTolerationSeconds(obj.spec as Json)
  },
  specParts: { ephemeralcontainers: { spec: withEphemeralContainers, validateUpdate: validateEphemeralUpdate } },
  validate (obj) {
    return validatePodSpec(obj.spec as Json, 'spec')
  },
  validateCreate (obj) {
    return ephemeralOnCreate(obj.spec as Json)
  },
  warningsOnCreate (obj) {
    return podWarnings('', obj.spec as Json, obj.metadata)
  },
  warningsOnUpdate (obj) {
    return podWarnings('', obj.spec as Json, obj.metadata)
  },
  validateUpdate (obj, old) {
    return validatePodUpdate(obj, old)
  },
}

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/'

/** appArmorAnnotationForField */
function annotationForField (f: Json): string {
  if (f.type === 'Unconfined') return 'unconfined'
  if (f.type === 'RuntimeDefault') return 'runtime/default'
  if (f.type === 'Localhost' && typeof f.localhostProfile === 'string') return `localhost/${f.localhostProfile}`
  return ''
}

/** apparmorFieldForAnnotation (undefined: no valid field says the same) */
function fieldForAnnotation (a: string): Json | undefined {
  if (a === 'unconfined') return { type: 'Unconfined' }
  if (a === 'runtime/default') return { type: 'RuntimeDefault' }
  if (a.startsWith('localhost/') && a.length > 'localhost/'.length) return { type: 'Localhost', localhostProfile: a.slice('localhost/'.length) }
  return undefined
}

/**
 * applyAppArmorVersionSkew (v1.30+), at create: each container's AppArmor annotation and field
 * say the same — a field (the container's, else the pod's) becomes the annotation, an annotation
 * becomes the container's field unless the pod's field already says it.
 */
function applyAppArmorVersionSkew (pod: KubeObject, warnings: string[] | undefined): void {
  const spec = pod.spec as Json
  if (spec.os?.name === 'windows') return
  const podProfile: Json | undefined = spec.securityContext?.appArmorProfile ?? undefined
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])] as Json[]) {
    const key = APPARMOR_PREFIX + c.name
    const annotation = pod.metadata.annotations?.[key]
    const containerProfile: Json | undefined = c.securityContext?.appArmorProfile ?? undefined
    if (annotation === undefined) {
      const value = containerProfile !== undefined ? annotationForField(containerProfile) : podProfile !== undefined ? annotationForField(podProfile) : ''
      if (value !== '') pod.metadata.annotations = { ...pod.metadata.annotations, [key]: value }
    } else if (containerProfile === undefined) {
      const field = fieldForAnnotation(annotation)
      // Warned when the annotation says nothing valid, or says what only the annotation said.
      let warn = field === undefined
      if (field !== undefined && !(field.type === podProfile?.type && field.localhostProfile === (podProfile?.localhostProfile ?? undefined))) {
        c.securityContext = { ...c.securityContext, appArmorProfile: field }
        warn = true
      }
      if (warn) warnings?.push(`metadata.annotations[${key}]: deprecated since v1.30; use the "appArmorProfile" field instead`)
    }
  }
}

/** DefaultTolerationSeconds: tolerate not-ready and unreachable nodes for 300 s, unless a
 * toleration of that key (or of every key: empty key, Exists) for NoExecute (or every effect)
 * already covers it. */
function admitDefaultTolerationSeconds (spec: Json): void {
  const tolerations: Json[] = (spec.tolerations ??= [])
  for (const key of defaultTolerations) {
    if (!tolerations.some(t => (t.key === key || ((t.key ?? '') === '' && t.operator === 'Exists')) && (t.effect === 'NoExecute' || (t.effect ?? '') === ''))) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 })
    }
  }
}

/**
 * Upstream allows only images, activeDeadlineSeconds, added tolerations and a few more to change;
 * the rest of the spec is compared with Semantic.DeepEqual, so a PUT of the pod as read (keys in
 * another order, as `kubectl get -o yaml` writes them) is no change.
 */
function validatePodUpdate (obj: KubeObject, old: KubeObject): StatusCause[] {
  if (obj.spec === old.spec || semanticEqual(mutableFieldsDropped(obj.spec as Json), mutableFieldsDropped(old.spec as Json))) return []
  return [{
    reason: 'FieldValueForbidden',
    field: 'spec',
    message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  }]
}

/** The pod spec without the fields an update may change (compared, never stored). */
function mutableFieldsDropped (spec: Json | undefined): Json | undefined {
  if (spec === undefined) return undefined
  const { activeDeadlineSeconds: _a, tolerations: _t, terminationGracePeriodSeconds: _g, containers, initContainers, ...rest } = spec
  const noImage = (list: Json[] | undefined): Json[] | undefined => list?.map(({ image: _i, ...c }) => c)
  return { ...rest, containers: noImage(containers), initContainers: noImage(initContainers) }
}

/** The globalDefault class (of several, the lowest value, as upstream), from the cache when it can tell. */
async function globalDefaultClass (info: ResourceInfo, ctx: StrategyContext): Promise<Json | undefined> {
  const cached = ctx.priorityClasses?.globalDefault()
  if (cached !== undefined) return cached ?? undefined
  const { items } = await ctx.storage.list(info, undefined)
  let best: Json | undefined
  for (const c of items as Json[]) if (c.globalDefault === true && (best === undefined || c.value < best.value)) best = c
  return best === undefined ? undefined : { name: best.metadata.name, value: best.value, preemptionPolicy: best.preemptionPolicy }
}

/**
 * The Priority admission plugin: spec.priority (and preemptionPolicy) from priorityClassName, or
 * from the globalDefault class, else 0; an unknown class is refused (403) as upstream does.
 */
async function admitPriority (obj: KubeObject, ctx: StrategyContext): Promise<void> {
  const spec = obj.spec as Json
  const info = ctx.index?.lookup('scheduling.k8s.io', 'v1', 'priorityclasses')
  const name = spec.priorityClassName as string | undefined
  let cls: Json | undefined
  if (name !== undefined && name !== '') {
    // The system classes are stored objects (created at bootstrap), looked up like any other.
    const cached = ctx.priorityClasses?.named(name)
    if (cached !== undefined) cls = cached ?? undefined
    else if (info !== undefined) cls = await ctx.storage.tryGet(info, undefined, name) as Json | undefined
    if (cls === undefined) {
      throw new StatusError(403, 'Forbidden', `pods "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is forbidden: no PriorityClass with name ${name} was found`, { name: obj.metadata.name, kind: 'pods' })
    }
  } else if (info !== undefined) {
    cls = await globalDefaultClass(info, ctx)
    if (cls !== undefined) spec.priorityClassName = cls.name
  }
  if (spec.priority !== undefined && cls !== undefined && spec.priority !== cls.value) {
    throw new StatusError(403, 'Forbidden', `pods "${obj.metadata.name ?? ''}" is forbidden: the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${cls.value} from the given PriorityClass name`, { name: obj.metadata.name, kind: 'pods' })
  }
  spec.priority = cls?.value ?? spec.priority ?? 0
  if (cls?.preemptionPolicy !== undefined) spec.preemptionPolicy = cls.preemptionPolicy
}
