// The PodSecurity admission plugin as kube-apiserver v1.32 builds it in (k3s passes no admission
// configuration: every level defaults to privileged:latest, nothing is exempt). A namespace's
// `pod-security.kubernetes.io/{enforce,audit,warn}[-version]` labels choose the policy:
// - pods (create, and updates that change an image) breaking the enforce level are refused,
//   `pods "x" is forbidden: violates PodSecurity "restricted:latest": …`, and those breaking the
//   warn level are admitted with a `would violate PodSecurity …` warning;
// - workloads' pod templates are checked for warnings only;
// - namespace labels are validated, and raising the enforce level warns about the pods already
//   there that it would refuse.
// Audit annotations are not kept (k3sim writes no audit log).
import type { KubeObject } from '../../../api/object.ts'
import type { ResourceInfo } from '../../../api/resources.ts'
import { admissionForbidden, invalid } from '../../errors.ts'
import { statusCauses } from '../../validate-meta.ts'
import type { Json } from './check.ts'
import { levelVersionString, policyFor, rank, violations, type LevelVersion, type Policy } from './policy.ts'
import { aggregateMessage } from '../../../api/field-errors.ts'

/** The pod template of each workload kind (DefaultPodSpecExtractor). */
const TEMPLATES: Record<string, (o: Json) => Json | undefined> = {
  '/podtemplates': o => o.template,
  '/replicationcontrollers': o => o.spec?.template,
  'apps/replicasets': o => o.spec?.template,
  'apps/deployments': o => o.spec?.template,
  'apps/daemonsets': o => o.spec?.template,
  'apps/statefulsets': o => o.spec?.template,
  'batch/jobs': o => o.spec?.template,
  'batch/cronjobs': o => o.spec?.jobTemplate?.spec?.template,
}

/** Pod subresources never evaluated (status, binding, eviction, …). */
const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status'])

/** A PodSecurity check of the pods in a namespace stops after this many (defaultNamespaceMaxPodsToCheck). */
const MAX_PODS_TO_CHECK = 3000

export interface PodSecurityOptions {
  /** The namespace's labels (undefined: no such namespace). */
  namespaceLabels: (name: string) => Promise<Record<string, string> | undefined>
  /** The pods of a namespace, for the warnings of a raised enforce level. */
  listPods: (namespace: string) => Promise<readonly KubeObject[]>
}

export interface PodSecurityRequest {
  operation: 'create' | 'update'
  info: ResourceInfo
  subresource: string
  obj: KubeObject
  old?: KubeObject
}

const fullyPrivileged = (p: Policy): boolean => p.enforce.level === 'privileged' && p.audit.level === 'privileged' && p.warn.level === 'privileged'
const sameLevelVersion = (a: LevelVersion, b: LevelVersion): boolean => a.level === b.level && a.version === b.version

export class PodSecurity {
  private readonly options: PodSecurityOptions

  constructor (options: PodSecurityOptions) { this.options = options }

  /** Validating admission: throws a Forbidden or Invalid Status, or answers the warnings to send. */
  async validate (req: PodSecurityRequest): Promise<string[]> {
    const { group, resource } = req.info
    if (group === '' && resource === 'namespaces') return await this.validateNamespace(req)
    if (group === '' && resource === 'pods') return await this.validatePod(req)
    const template = TEMPLATES[`${group}/${resource}`]
    if (template === undefined || req.subresource !== '') return []
    const policy = await this.policyOf(req.obj.metadata.namespace)
    if (policy === undefined || (policy.warn.level === 'privileged' && policy.audit.level === 'privileged')) return []
    const t = template(req.obj as Json)
    if (t === undefined || t === null) return []
    return this.warn(policy, t.metadata ?? {}, t.spec ?? {})
  }

  private async policyOf (namespace: string | undefined): Promise<Policy | undefined> {
    if (namespace === undefined || namespace === '') return undefined
    const labels = await this.options.namespaceLabels(namespace)
    return policyFor(labels).policy
  }

  private async validatePod (req: PodSecurityRequest): Promise<string[]> {
    if (IGNORED_POD_SUBRESOURCES.has(req.subresource)) return []
    const policy = await this.policyOf(req.obj.metadata.namespace)
    if (policy === undefined || fullyPrivileged(policy)) return []
    const pod = req.obj as Json
    if (req.operation === 'update' && req.old !== undefined && !significantUpdate(pod, req.old as Json)) return []
    const meta = pod.metadata ?? {}
    const spec = pod.spec ?? {}
    const refused = violations(policy.enforce, meta, spec)
    if (refused !== undefined) {
      throw admissionForbidden(req.info, req.obj.metadata.name ?? '', `violates PodSecurity "${levelVersionString(policy.enforce)}": ${refused}`)
    }
    return this.warn(policy, meta, spec)
  }

  private warn (policy: Policy, meta: Json, spec: Json): string[] {
    const found = violations(policy.warn, meta, spec)
    return found === undefined ? [] : [`would violate PodSecurity "${levelVersionString(policy.warn)}": ${found}`]
  }

  private async validateNamespace (req: PodSecurityRequest): Promise<string[]> {
    if (req.subresource !== '') return []
    const { policy, errors } = policyFor(req.obj.metadata.labels)
    const refuse = (): never => { throw invalid('', 'Namespace', req.obj.metadata.name ?? '', statusCauses(errors)) }
    if (req.operation === 'create') {
      if (errors.length > 0) refuse()
      return []
    }
    const before = policyFor(req.old?.metadata.labels)
    if (errors.length > 0 && (before.errors.length === 0 || aggregateMessage(errors) !== aggregateMessage(before.errors))) refuse()
    const next = policy.enforce
    const prev = before.policy.enforce
    if (sameLevelVersion(next, prev) || next.level === 'privileged') return []
    if (next.version === prev.version && rank(next.level) <= rank(prev.level)) return []
    return this.checkExistingPods(req.obj.metadata.name!, next)
  }

  /** EvaluatePodsInNamespace: one warning per distinct set of reasons, naming the first pod (by name) and how many more. */
  private async checkExistingPods (namespace: string, enforce: LevelVersion): Promise<string[]> {
    let pods: readonly KubeObject[]
    try {
      pods = await this.options.listPods(namespace)
    } catch {
      return ['failed to list pods while checking new PodSecurity enforce level']
    }
    const prioritized = prioritize(pods)
    const checked = prioritized.slice(0, MAX_PODS_TO_CHECK)
    const byReasons = new Map<string, { pod: string, count: number }>()
    for (const pod of checked) {
      const reasons = reasonsOf(enforce, pod as Json)
      if (reasons === undefined) continue
      const seen = byReasons.get(reasons)
      const name = pod.metadata.name!
      if (seen === undefined) byReasons.set(reasons, { pod: name, count: 1 })
      else { seen.count++; if (name < seen.pod) seen.pod = name }
    }
    const warnings: string[] = []
    if (checked.length < prioritized.length) warnings.push(`new PodSecurity enforce level only checked against the first ${checked.length} of ${prioritized.length} existing pods`)
    if (byReasons.size > 0) warnings.push(`existing pods in namespace "${namespace}" violate the new PodSecurity enforce level "${levelVersionString(enforce)}"`)
    const podWarnings = [...byReasons].map(([reasons, { pod, count }]) =>
      count === 1 ? `${pod}: ${reasons}` : count === 2 ? `${pod} (and 1 other pod): ${reasons}` : `${pod} (and ${count - 1} other pods): ${reasons}`)
    return [...warnings, ...podWarnings.sort()]
  }
}

/** ForbiddenReason(): the reasons alone, comma-separated. */
function reasonsOf (lv: LevelVersion, pod: Json): string | undefined {
  return violations(lv, pod.metadata ?? {}, pod.spec ?? {}, { reasonsOnly: true })
}

/** prioritizePods: one pod per controller first, then the other replicas. */
function prioritize (pods: readonly KubeObject[]): KubeObject[] {
  const first: KubeObject[] = []
  const rest: KubeObject[] = []
  const controllers = new Set<string>()
  for (const pod of pods) {
    const ref = pod.metadata.ownerReferences?.find(r => r.controller === true)
    if (ref === undefined) { first.push(pod); continue }
    if (controllers.has(ref.uid)) { rest.push(pod); continue }
    controllers.add(ref.uid)
    first.push(pod)
  }
  return [...first, ...rest]
}

/** isSignificantPodUpdate: only an image change (or a container added or removed) is evaluated. */
function significantUpdate (pod: Json, old: Json): boolean {
  const a = pod.spec ?? {}
  const b = old.spec ?? {}
  const images = (list: Json[] | undefined): string[] => (list ?? []).map(c => c.image)
  const differ = (x: string[], y: string[]): boolean => x.length !== y.length || x.some((img, i) => img !== y[i])
  if (differ(images(a.containers), images(b.containers)) || differ(images(a.initContainers), images(b.initContainers))) return true
  for (const c of (a.ephemeralContainers ?? []) as Json[]) {
    const before = ((b.ephemeralContainers ?? []) as Json[]).find(o => o.name === c.name)
    if (before === undefined || before.image !== c.image) return true
  }
  return false
}
