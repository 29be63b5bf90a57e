// PodSpec defaults and validation, shared by pods and every pod template (Deployment,
// ReplicaSet, DaemonSet, StatefulSet, Job, CronJob), as upstream's SetDefaults_PodSpec.
import { def, defString, duplicate, invalidValue, required, unsupported } from './strategy.ts'
import type { StatusCause } from '../errors.ts'
import { validateContainers } from './pod-containers.ts'
import { ephemeralContainerChecks } from './pod-ephemeral.ts'
import { defaultContainerRefs, defaultProbeHandler, defaultVolumeSource } from './volume-defaults.ts'

type Json = Record<string, any>

/** imagePullPolicy defaults to Always for `:latest` or no tag, else IfNotPresent (digests too). */
export function defaultPullPolicy (image: string | undefined): string {
  if (image === undefined) return 'IfNotPresent'
  if (image.includes('@')) return 'IfNotPresent'
  const lastSlash = image.lastIndexOf('/')
  const colon = image.indexOf(':', lastSlash + 1)
  if (colon < 0) return 'Always'
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent'
}

function defaultContainer (c: Json): void {
  defString(c, 'imagePullPolicy', defaultPullPolicy(c.image))
  defString(c, 'terminationMessagePath', '/dev/termination-log')
  defString(c, 'terminationMessagePolicy', 'File')
  def(c, 'resources', {})
  for (const p of c.ports ?? []) if (p !== null && typeof p === 'object') defString(p, 'protocol', 'TCP')
  // Limits without requests: the requests are the limits (SetDefaults_Container via pod defaults).
  const limits = c.resources.limits as Json | undefined
  if (limits !== undefined) {
    c.resources.requests ??= {}
    for (const [r, q] of Object.entries(limits)) def(c.resources.requests, r, q)
  }
  defaultContainerRefs(c)
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (probe === undefined || probe === null || typeof probe !== 'object') continue
    defaultProbeHandler(probe)
    def(probe, 'timeoutSeconds', 1)
    def(probe, 'periodSeconds', 10)
    def(probe, 'successThreshold', 1)
    def(probe, 'failureThreshold', 3)
  }
}

export function defaultPodSpec (spec: Json): void {
  defString(spec, 'restartPolicy', 'Always')
  defString(spec, 'dnsPolicy', 'ClusterFirst')
  defString(spec, 'schedulerName', 'default-scheduler')
  def(spec, 'terminationGracePeriodSeconds', 30)
  def(spec, 'securityContext', {})
  def(spec, 'enableServiceLinks', true)
  if (spec.serviceAccountName === undefined && spec.serviceAccount !== undefined) spec.serviceAccountName = spec.serviceAccount
  for (const c of spec.initContainers ?? []) defaultContainer(c)
  for (const c of spec.containers ?? []) defaultContainer(c)
  // SetDefaults_EphemeralContainer is SetDefaults_Container.
  for (const c of spec.ephemeralContainers ?? []) if (c !== null && typeof c === 'object') defaultContainer(c)
  for (const v of spec.volumes ?? []) {
    if (v === null || typeof v !== 'object') continue
    // SetDefaults_Volume: a volume naming no source is an emptyDir.
    if (volumeSources(v).length === 0) v.emptyDir = {}
    defaultVolumeSource(v)
  }
}

/** The VolumeSource fields a volume sets (every key but its name). */
function volumeSources (v: Json): string[] {
  return Object.keys(v).filter(k => k !== 'name' && v[k] !== undefined && v[k] !== null)
}

/** SetDefaults_Pod, for pods only (not templates): a hostNetwork pod's ports are host ports. */
export function defaultHostNetworkPorts (spec: Json): void {
  if (spec.hostNetwork !== true) return
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Json[]) {
    for (const p of c?.ports ?? []) if (p !== null && typeof p === 'object' && (p.hostPort ?? 0) === 0) p.hostPort = p.containerPort
  }
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never']
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']
const MAX_INT32 = 2147483647

/**
 * ValidatePodSpec's checks, in upstream's order: volumes, containers, init containers, ephemeral
 * containers, policies. A pod template (ValidatePodTemplateSpec) may not have ephemeral containers.
 */
export function validatePodSpec (spec: Json | undefined, path: string, options: { template?: boolean } = {}): StatusCause[] {
  if (spec === undefined || spec === null) return [required(path)]
  const causes: StatusCause[] = []
  const volumes = validateVolumes(spec.volumes, `${path}.volumes`, causes)
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) causes.push(required(`${path}.containers`))
  const names = new Set<string>()
  validateContainers(spec.containers, `${path}.containers`, volumes, names, causes)
  validateContainers(spec.initContainers, `${path}.initContainers`, volumes, names, causes)
  const others = new Set(names)
  validateContainers(spec.ephemeralContainers, `${path}.ephemeralContainers`, volumes, names, causes, (c, at) => ephemeralContainerChecks(c, at, others, causes))
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    causes.push(unsupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES))
  }
  if (spec.dnsPolicy !== undefined && !DNS_POLICIES.includes(spec.dnsPolicy)) {
    causes.push(spec.dnsPolicy === '' ? required(`${path}.dnsPolicy`) : unsupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES))
  }
  const deadline = spec.activeDeadlineSeconds
  if (deadline !== undefined && deadline !== null && !(deadline >= 1 && deadline <= MAX_INT32)) {
    causes.push(invalidValue(`${path}.activeDeadlineSeconds`, deadline, `must be between 1 and ${MAX_INT32}, inclusive`))
  }
  if (options.template === true && (spec.ephemeralContainers ?? []).length > 0) {
    causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: ephemeral containers not allowed in pod template', field: `${path}.ephemeralContainers` })
  }
  return causes
}

/** ValidateVolumes' name and source rules: each named once, with exactly one source. The names. */
function validateVolumes (volumes: Json[] | undefined, path: string, causes: StatusCause[]): Set<string> {
  const names = new Set<string>()
  ;(volumes ?? []).forEach((v, i) => {
    const at = `${path}[${i}]`
    const name: unknown = v?.name
    if (typeof name !== 'string' || name === '') causes.push(required(`${at}.name`))
    else if (names.has(name)) causes.push(duplicate(`${at}.name`, name))
    else names.add(name)
    const sources = v === null || typeof v !== 'object' ? [] : volumeSources(v)
    if (sources.length === 0) causes.push({ reason: 'FieldValueRequired', message: 'Required value: must specify a volume type', field: at })
    else if (sources.length > 1) causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: may not specify more than 1 volume type', field: `${at}.${sources[1]}` })
  })
  return names
}
