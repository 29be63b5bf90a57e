// The warnings kube-apiserver v1.32 returns for pods and pod templates (pkg/api/pod/warnings.go):
// deprecated node labels, annotations and volume plugins, fractional byte values, duplicate env
// names, pull secrets, host aliases and ports, and null label selectors. kubectl prints them as
// `Warning: spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead`.
import { milliValue, parseQuantity } from '../../api/quantity.ts'

type Json = Record<string, any>

const DEPRECATED_NODE_LABELS: Record<string, string> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region': 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone': 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type': 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
}

const DEPRECATED_ANNOTATIONS: Array<[string, string]> = [
  ['scheduler.alpha.kubernetes.io/critical-pod', 'non-functional in v1.16+; use the "priorityClassName" field instead'],
  ['security.alpha.kubernetes.io/sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
  ['security.alpha.kubernetes.io/unsafe-sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
]

const DEPRECATED_VOLUMES: Array<[string, string]> = [
  ['photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['gitRepo', 'deprecated in v1.11'],
  ['scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['flocker', 'deprecated in v1.22, non-functional in v1.25+'],
  ['storageos', 'deprecated in v1.22, non-functional in v1.25+'],
  ['quobyte', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
  ['cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['rbd', 'deprecated in v1.28, non-functional in v1.31+'],
]
/** The field path each deprecated plugin is named by (Go's field names, not always the JSON key). */
const VOLUME_PATH: Record<string, string> = { storageos: 'storageOS' }

const present = (v: unknown): boolean => v !== undefined && v !== null

function fractional (list: Json | undefined, name: string, path: string, out: string[]): void {
  const raw = list?.[name]
  if (raw === undefined) return
  try {
    const q = parseQuantity(String(raw))
    if (milliValue(q) % 1000 !== 0) out.push(`${path}[${name}]: fractional byte value "${String(raw)}" is invalid, must be an integer`)
  } catch { /* validation refuses it */ }
}

/** Go's %+v of an internal api.ContainerPort. */
const portRepr = (p: Json): string => `{Name:${p.name ?? ''} HostPort:${p.hostPort ?? 0} ContainerPort:${p.containerPort ?? 0} Protocol:${p.protocol ?? ''} HostIP:${p.hostIP ?? ''}}`

/** warningsForPodSpecAndMeta; `prefix` is '' for a pod, `spec.template.` for a Deployment's template. */
export function podWarnings (prefix: string, spec: Json | undefined, meta: Json | undefined): string[] {
  if (spec === undefined || spec === null) return []
  const out: string[] = []
  const p = (path: string): string => `${prefix}${path}`
  const annotations: Record<string, string> = meta?.annotations ?? {}
  for (const k of Object.keys(spec.nodeSelector ?? {}).sort()) {
    if (DEPRECATED_NODE_LABELS[k] !== undefined) out.push(`${p('spec.nodeSelector')}[${k}]: ${DEPRECATED_NODE_LABELS[k]}`)
  }
  const termWarnings = (term: Json | undefined, path: string): void => {
    ;((term?.matchExpressions ?? []) as Json[]).forEach((e, i) => {
      if (DEPRECATED_NODE_LABELS[e?.key] !== undefined) out.push(`${path}.matchExpressions[${i}].key: ${e.key} is ${DEPRECATED_NODE_LABELS[e.key]}`)
    })
  }
  const nodeAffinity = spec.affinity?.nodeAffinity
  if (present(nodeAffinity)) {
    ;((nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) as Json[]).forEach((t, i) =>
      termWarnings(t, p(`spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`)))
    ;((nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]).forEach((t, i) =>
      termWarnings(t?.preference, p(`spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference`)))
  }
  ;((spec.topologySpreadConstraints ?? []) as Json[]).forEach((t, i) => {
    const path = p(`spec.topologySpreadConstraints[${i}]`)
    if (DEPRECATED_NODE_LABELS[t?.topologyKey] !== undefined) out.push(`${path}.topologyKey: ${t.topologyKey} is ${DEPRECATED_NODE_LABELS[t.topologyKey]}`)
    if (!present(t?.labelSelector)) out.push(`${path}.labelSelector: a null labelSelector results in matching no pod`)
  })
  for (const [key, message] of DEPRECATED_ANNOTATIONS) if (key in annotations) out.push(`${p('metadata.annotations')}[${key}]: ${message}`)
  ;((spec.volumes ?? []) as Json[]).forEach((v, i) => {
    for (const [plugin, message] of DEPRECATED_VOLUMES) if (present(v?.[plugin])) out.push(`${p(`spec.volumes[${i}]`)}.${VOLUME_PATH[plugin] ?? plugin}: ${message}`)
  })
  const dupes = (list: Json[] | undefined, field: string, path: string, what: string): void => {
    if ((list ?? []).length < 2) return
    const seen = new Set<string>()
    list!.forEach((item, i) => {
      const v = String(item?.[field] ?? '')
      if (seen.has(v)) out.push(`${p(`${path}[${i}]`)}.${field}: duplicate ${what} "${v}"`)
      else seen.add(v)
    })
  }
  dupes(spec.hostAliases, 'ip', 'spec.hostAliases', 'ip')
  dupes(spec.imagePullSecrets, 'name', 'spec.imagePullSecrets', 'name')
  ;((spec.imagePullSecrets ?? []) as Json[]).forEach((s, i) => {
    if ((s?.name ?? '') === '') out.push(`${p(`spec.imagePullSecrets[${i}]`)}.name: invalid empty name ""`)
  })
  fractional(spec.overhead, 'memory', p('spec.overhead'), out)
  fractional(spec.overhead, 'ephemeral-storage', p('spec.overhead'), out)
  const podSeccomp = present(spec.securityContext?.seccompProfile)
  if (!podSeccomp && 'seccomp.security.alpha.kubernetes.io/pod' in annotations) {
    out.push(`${p('metadata.annotations')}[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead`)
  }
  const podAppArmor = present(spec.securityContext?.appArmorProfile)
  const containers: Array<[Json, string]> = [
    ...((spec.initContainers ?? []) as Json[]).map((c, i): [Json, string] => [c, p(`spec.initContainers[${i}]`)]),
    ...((spec.containers ?? []) as Json[]).map((c, i): [Json, string] => [c, p(`spec.containers[${i}]`)]),
    ...((spec.ephemeralContainers ?? []) as Json[]).map((c, i): [Json, string] => [c, p(`spec.ephemeralContainers[${i}]`)]),
  ]
  for (const [c, path] of containers) {
    const seccompKey = `container.seccomp.security.alpha.kubernetes.io/${c?.name}`
    if (!present(c?.securityContext?.seccompProfile) && seccompKey in annotations) out.push(`${p('metadata.annotations')}[${seccompKey}]: non-functional in v1.27+; use the "seccompProfile" field instead`)
    // Pods get this warning from the AppArmor version skew at create; templates here.
    const appArmorKey = `container.apparmor.security.beta.kubernetes.io/${c?.name}`
    if (prefix !== '' && !podAppArmor && !present(c?.securityContext?.appArmorProfile) && appArmorKey in annotations) {
      out.push(`${p('metadata.annotations')}[${appArmorKey}]: deprecated since v1.30; use the "appArmorProfile" field instead`)
    }
    fractional(c?.resources?.limits, 'memory', `${path}.resources.limits`, out)
    fractional(c?.resources?.requests, 'memory', `${path}.resources.requests`, out)
    fractional(c?.resources?.limits, 'ephemeral-storage', `${path}.resources.limits`, out)
    fractional(c?.resources?.requests, 'ephemeral-storage', `${path}.resources.requests`, out)
    const env = (c?.env ?? []) as Json[]
    const names = new Set<string>()
    env.forEach((e, i) => {
      if (!names.has(e?.name)) { names.add(e?.name); return }
      const ref = `$(${e.name})`
      const value = String(e.value ?? '')
      if (present(e.valueFrom) || value === ref || !value.includes(ref)) out.push(`${path}.env[${i}]: hides previous definition of "${e.name}", which may be dropped when using apply`)
    })
  }
  const ports = new Map<string, Array<{ path: string, port: Json }>>()
  for (const [c, path] of containers) {
    ;((c?.ports ?? []) as Json[]).forEach((port, i) => {
      const at = `${path}.ports[${i}]`
      if ((port.hostIP ?? '') !== '' && (port.hostPort ?? 0) === 0) out.push(`${at}: hostIP set without hostPort: ${portRepr(port)}`)
      const k = `${port.containerPort}/${port.protocol ?? ''}`
      const others = ports.get(k) ?? []
      for (const other of others) {
        const [ip, otherIp, hp, otherHp] = [port.hostIP ?? '', other.port.hostIP ?? '', port.hostPort ?? 0, other.port.hostPort ?? 0]
        if (ip === otherIp && hp === otherHp) out.push(`${at}: duplicate port definition with ${other.path}`)
        else if (hp === 0 || otherHp === 0) out.push(`${at}: overlapping port definition with ${other.path}`)
        else if (hp === otherHp && (ip === '') !== (otherIp === '')) out.push(`${at}: dangerously ambiguous port definition with ${other.path}`)
      }
      ports.set(k, [...others, { path: at, port }])
    })
  }
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    out.push(`${p('spec.terminationGracePeriodSeconds')}: must be >= 0; negative values are invalid and will be treated as 1`)
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = spec.affinity?.[kind]
    if (!present(a)) continue
    ;((a.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]).forEach((t, i) => {
      if (!present(t?.labelSelector)) out.push(`${p(`spec.affinity.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`)}.labelSelector: a null labelSelector results in matching no pod`)
    })
    ;((a.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]).forEach((t, i) => {
      if (!present(t?.podAffinityTerm?.labelSelector)) out.push(`${p(`spec.affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`)}.podAffinityTerm.labelSelector: a null labelSelector results in matching no pod`)
    })
  }
  return out
}
