// apps/v1 and batch/v1 workloads: SetDefaults_* and the validation kubectl users meet first
// (replicas, selector vs template labels, immutable selectors).
import type { KubeObject } from '../../api/object.ts'
import { goLabelSelector, goStringMap } from '../../api/labels.ts'
import type { StatusCause } from '../errors.ts'
import { defaultClaimTemplate } from './volume-defaults.ts'
import { defaultPodSpec, validatePodSpec } from './pod-spec.ts'
import { def, immutable, invalidValue, required, type Strategy, unsupported } from './strategy.ts'
import { defaultJobPolicies, validateJobPolicies } from './job-policies.ts'
import { statusCauses } from '../validate-meta.ts'

type Json = Record<string, any>

function defaultTemplate (template: Json | undefined): void {
  if (template === undefined) return
  template.spec ??= {}
  defaultPodSpec(template.spec)
  template.metadata ??= {}
  def(template.metadata, 'creationTimestamp', null)
}

function validateTemplate (spec: Json, path: string, { selector = true, podSpec = true } = {}): StatusCause[] {
  const causes: StatusCause[] = []
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    causes.push(invalidValue(`${path}.replicas`, spec.replicas, 'must be greater than or equal to 0'))
  }
  if (selector) {
    const sel: Json | undefined = spec.selector
    if (sel === undefined || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      causes.push(required(`${path}.selector`))
    } else {
      const labels: Json = spec.template?.metadata?.labels ?? {}
      const mismatch = Object.entries(sel.matchLabels ?? {}).some(([k, v]) => labels[k] !== v)
      if (mismatch) causes.push(invalidValue(`${path}.template.metadata.labels`, goStringMap(spec.template?.metadata?.labels), '`selector` does not match template `labels`'))
    }
  }
  if (spec.template === undefined) causes.push(required(`${path}.template`))
  else if (podSpec) causes.push(...validatePodSpec(spec.template.spec, `${path}.template.spec`, { template: true }))
  else causes.push(...statefulSetPodSpec(spec.template.spec ?? {}, `${path}.template.spec`))
  return causes
}

/**
 * ValidatePodTemplateSpecForStatefulSet leaves the pod spec unvalidated (its volumes would fail:
 * volumeClaimTemplates supply them); ValidateStatefulSetSpec asks only this of it.
 */
function statefulSetPodSpec (spec: Json, path: string): StatusCause[] {
  const causes: StatusCause[] = []
  if (spec.restartPolicy !== 'Always') causes.push(unsupported(`${path}.restartPolicy`, spec.restartPolicy ?? '', ['Always']))
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: activeDeadlineSeconds in StatefulSet is not Supported', field: `${path}.activeDeadlineSeconds` })
  }
  return causes
}

/** A LabelSelector as apiequality.Semantic.DeepEqual compares it: key order, nil and empty do not count. */
function selectorKey (sel: Json | null | undefined): string {
  if (sel === null || sel === undefined) return 'nil'
  const labels = Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const expressions = (sel.matchExpressions ?? []).map((e: Json) => [e.key ?? '', e.operator ?? '', e.values ?? []])
  return JSON.stringify([labels, expressions])
}

function selectorImmutable (obj: KubeObject, old: KubeObject): StatusCause[] {
  const a = (obj.spec as Json)?.selector
  const b = (old.spec as Json)?.selector
  return selectorKey(a) === selectorKey(b) ? [] : [immutable('spec.selector', goLabelSelector(a))]
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)
const empty = (v: unknown): boolean => v === undefined || v === null || v === ''

/** The struct (Go value field, or pointer that defaulting allocates) at `key`, made an object if absent or null. */
function nonNull (obj: Json, key: string): Json {
  if (!isObject(obj[key])) obj[key] = {}
  return obj[key]
}

/** A pointer field left nil (absent or null) gets `value`. */
function defNull (obj: Json, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value
}

/**
 * SetDefaults_Deployment / SetDefaults_DaemonSet: an empty strategy type (`strategy: {}`, which
 * `kubectl create deployment` sends) becomes RollingUpdate, whose missing maxUnavailable and
 * maxSurge are filled one by one.
 */
function defaultRollingUpdate (spec: Json, key: string, defaults: { maxUnavailable: number | string, maxSurge: number | string }): void {
  const strategy = nonNull(spec, key)
  if (empty(strategy.type)) strategy.type = 'RollingUpdate'
  if (strategy.type !== 'RollingUpdate') return
  const rollingUpdate = nonNull(strategy, 'rollingUpdate')
  defNull(rollingUpdate, 'maxUnavailable', defaults.maxUnavailable)
  defNull(rollingUpdate, 'maxSurge', defaults.maxSurge)
}

const workload = (defaults: (spec: Json) => void, opts: { selector?: boolean, podSpec?: boolean } = {}): Strategy => ({
  generation: true,
  status: true,
  defaults (obj) { defaults((obj.spec ??= {}) as Json) },
  validate (obj) { return validateTemplate((obj.spec ?? {}) as Json, 'spec', opts) },
  validateUpdate (obj, old) { return opts.selector === false ? [] : selectorImmutable(obj, old) },
})

export const deploymentStrategy: Strategy = {
  ...workload(spec => {
    def(spec, 'replicas', 1)
    defaultRollingUpdate(spec, 'strategy', { maxUnavailable: '25%', maxSurge: '25%' })
    def(spec, 'revisionHistoryLimit', 10)
    def(spec, 'progressDeadlineSeconds', 600)
    defaultTemplate(spec.template)
  }),
  statusWritesMetadata: true,
}

export const replicaSetStrategy = workload(spec => {
  def(spec, 'replicas', 1)
  defaultTemplate(spec.template)
})

export const replicationControllerStrategy = workload(spec => {
  def(spec, 'replicas', 1)
  if (spec.selector === undefined && spec.template?.metadata?.labels !== undefined) spec.selector = { ...spec.template.metadata.labels }
  defaultTemplate(spec.template)
}, { selector: false })

export const statefulSetStrategy = workload(spec => {
  def(spec, 'replicas', 1)
  def(spec, 'podManagementPolicy', 'OrderedReady')
  // SetDefaults_StatefulSet: an empty type becomes RollingUpdate with an (empty) rollingUpdate;
  // a partition is only filled into a rollingUpdate that exists.
  const strategy = nonNull(spec, 'updateStrategy')
  if (empty(strategy.type)) { strategy.type = 'RollingUpdate'; nonNull(strategy, 'rollingUpdate') }
  if (strategy.type === 'RollingUpdate' && isObject(strategy.rollingUpdate)) defNull(strategy.rollingUpdate, 'partition', 0)
  def(spec, 'revisionHistoryLimit', 10)
  const retention = nonNull(spec, 'persistentVolumeClaimRetentionPolicy')
  if (empty(retention.whenDeleted)) retention.whenDeleted = 'Retain'
  if (empty(retention.whenScaled)) retention.whenScaled = 'Retain'
  if (Array.isArray(spec.volumeClaimTemplates)) spec.volumeClaimTemplates = spec.volumeClaimTemplates.map((t: unknown) => isObject(t) ? defaultClaimTemplate(t) : t)
  defaultTemplate(spec.template)
}, { podSpec: false })

export const daemonSetStrategy = workload(spec => {
  defaultRollingUpdate(spec, 'updateStrategy', { maxUnavailable: 1, maxSurge: 0 })
  def(spec, 'revisionHistoryLimit', 10)
  defaultTemplate(spec.template)
})

export const jobStrategy: Strategy = {
  generation: true,
  status: true,
  defaults (obj) {
    const spec = (obj.spec ??= {}) as Json
    if (spec.completions === undefined && spec.parallelism === undefined) { spec.completions = 1; spec.parallelism = 1 }
    def(spec, 'parallelism', 1)
    def(spec, 'backoffLimit', spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null ? 6 : 2147483647)
    // A Job without labels takes its pod template's.
    const labels = spec.template?.metadata?.labels
    if (labels !== undefined && labels !== null && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...labels }
    def(spec, 'completionMode', 'NonIndexed')
    def(spec, 'suspend', false)
    defaultJobPolicies(spec)
    defaultTemplate(spec.template)
  },
  prepareForCreate (obj) {
    // batch/v1 generates the selector from the Job's uid unless manualSelector is set.
    const spec = obj.spec as Json
    if (spec.manualSelector === true) return
    const uid = obj.metadata.uid!
    const name = obj.metadata.name!
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } }
    spec.template.metadata ??= {}
    spec.template.metadata.labels = {
      ...spec.template.metadata.labels,
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    }
  },
  validate (obj) {
    const spec = (obj.spec ?? {}) as Json
    const causes = validateTemplate(spec, 'spec', { selector: false })
    const policy = spec.template?.spec?.restartPolicy
    if (policy !== undefined && policy !== 'OnFailure' && policy !== 'Never') {
      causes.push({ reason: 'FieldValueNotSupported', field: 'spec.template.spec.restartPolicy', message: `Unsupported value: "${policy}": supported values: "OnFailure", "Never"` })
    }
    causes.push(...statusCauses(validateJobPolicies(spec)))
    return causes
  },
  validateUpdate (obj, old) {
    const causes = selectorImmutable(obj, old)
    // A nil managedBy prints as "null", as Go's field errors dereference pointers.
    const now = (obj.spec as Json | undefined)?.managedBy ?? 'null'
    if (now !== ((old.spec as Json | undefined)?.managedBy ?? 'null')) causes.push(immutable('spec.managedBy', now))
    return causes
  },
}

export const cronJobStrategy: Strategy = {
  generation: true,
  status: true,
  defaults (obj) {
    const spec = (obj.spec ??= {}) as Json
    def(spec, 'concurrencyPolicy', 'Allow')
    def(spec, 'suspend', false)
    def(spec, 'successfulJobsHistoryLimit', 3)
    def(spec, 'failedJobsHistoryLimit', 1)
    // SetDefaults_CronJob leaves the Job template's own fields alone (a Job made from it gets
    // them at its creation); only the pod template is defaulted.
    const job = (spec.jobTemplate ??= {}).spec ??= {}
    defaultTemplate(job.template)
  },
  validate (obj) {
    const spec = (obj.spec ?? {}) as Json
    const causes: StatusCause[] = []
    if (typeof spec.schedule !== 'string' || spec.schedule.trim() === '') causes.push(required('spec.schedule'))
    causes.push(...validatePodSpec(spec.jobTemplate?.spec?.template?.spec, 'spec.jobTemplate.spec.template.spec', { template: true }))
    return causes
  },
}

/**
 * core/v1 PodTemplates (pkg/registry/core/podtemplate): generation 1 at create, moved when the
 * template changes; the template defaulted and validated as a pod template.
 */
export const podTemplateStrategy: Strategy = {
  generation: true,
  status: false,
  defaults (obj) {
    const o = obj as Json
    if (o.template === undefined || o.template === null) o.template = {}
    defaultTemplate(o.template)
  },
  validate: obj => validatePodSpec((obj as Json).template?.spec, 'template.spec', { template: true }),
}
