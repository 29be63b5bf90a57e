// The baseline checks of k8s.io/pod-security-admission/policy (v1.32), one function per check
// version, each answering upstream's forbidden reason and detail word for word.
import { goQuote } from '../../../api/field-errors.ts'
import { joinQuote, pluralize, visitContainers, type Check, type CheckResult, type Json } from './check.ts'

const ALLOWED: CheckResult = { allowed: true }

function hostNamespaces (_meta: Json, spec: Json): CheckResult {
  const set: string[] = []
  if (spec.hostNetwork === true) set.push('hostNetwork=true')
  if (spec.hostPID === true) set.push('hostPID=true')
  if (spec.hostIPC === true) set.push('hostIPC=true')
  return set.length > 0 ? { allowed: false, reason: 'host namespaces', detail: set.join(', ') } : ALLOWED
}

function privileged (_meta: Json, spec: Json): CheckResult {
  const bad: string[] = []
  visitContainers(spec, c => { if (c.securityContext?.privileged === true) bad.push(c.name) })
  return bad.length > 0 ? { allowed: false, reason: 'privileged', detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true` } : ALLOWED
}

const DEFAULT_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'])

function capabilitiesBaseline (_meta: Json, spec: Json): CheckResult {
  const bad: string[] = []
  const added = new Set<string>()
  visitContainers(spec, c => {
    let valid = true
    for (const cap of c.securityContext?.capabilities?.add ?? []) {
      if (!DEFAULT_CAPABILITIES.has(cap)) { valid = false; added.add(cap) }
    }
    if (!valid) bad.push(c.name)
  })
  if (bad.length === 0) return ALLOWED
  return { allowed: false, reason: 'non-default capabilities', detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not include ${joinQuote([...added].sort())} in securityContext.capabilities.add` }
}

function hostPathVolumes (_meta: Json, spec: Json): CheckResult {
  const host = ((spec.volumes ?? []) as Json[]).filter(v => v.hostPath !== undefined && v.hostPath !== null).map(v => v.name as string)
  return host.length > 0 ? { allowed: false, reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', host.length)} ${joinQuote(host)}` } : ALLOWED
}

function hostPorts (_meta: Json, spec: Json): CheckResult {
  const bad: string[] = []
  const ports = new Set<string>()
  visitContainers(spec, c => {
    let valid = true
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) !== 0) { valid = false; ports.add(String(p.hostPort)) }
    if (!valid) bad.push(c.name)
  })
  if (bad.length === 0) return ALLOWED
  return { allowed: false, reason: 'hostPort', detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', ports.size)} ${[...ports].sort().join(', ')}` }
}

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/'

function appArmorProfile (meta: Json, spec: Json): CheckResult {
  const allowedType = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost'
  const setters: string[] = []
  const values = new Set<string>()
  const podProfile = spec.securityContext?.appArmorProfile
  if (podProfile !== undefined && podProfile !== null && !allowedType(podProfile.type)) { setters.push('pod'); values.add(String(podProfile.type ?? '')) }
  const bad: string[] = []
  visitContainers(spec, c => {
    const p = c.securityContext?.appArmorProfile
    if (p !== undefined && p !== null && !allowedType(p.type)) { bad.push(c.name); values.add(String(p.type ?? '')) }
  })
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`)
  const annotations: string[] = []
  for (const [k, v] of Object.entries((meta.annotations ?? {}) as Record<string, string>)) {
    if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !(v === '' || v === 'runtime/default' || v.startsWith('localhost/'))) annotations.push(`${k}=${goQuote(v)}`)
  }
  const valueList = [...values].sort()
  if (annotations.length > 0) {
    valueList.push(...annotations.sort())
    setters.push(pluralize('annotation', 'annotations', annotations.length))
  }
  if (setters.length === 0) return ALLOWED
  return { allowed: false, reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', valueList.length), detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(valueList)}` }
}

function procMount (_meta: Json, spec: Json): CheckResult {
  const bad: string[] = []
  const types = new Set<string>()
  visitContainers(spec, c => {
    const m = c.securityContext?.procMount
    if (m !== undefined && m !== null && m !== 'Default') { bad.push(c.name); types.add(m) }
  })
  if (bad.length === 0) return ALLOWED
  return { allowed: false, reason: 'procMount', detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote([...types].sort())}` }
}

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod'
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/'
export const validSeccomp = (t: unknown): boolean => t === 'Localhost' || t === 'RuntimeDefault'

function seccompBaseline_1_0 (meta: Json, spec: Json): CheckResult {
  const annotations: Record<string, string> = meta.annotations ?? {}
  const ok = (v: string): boolean => v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/')
  const forbidden = new Set<string>()
  if (SECCOMP_POD_ANNOTATION in annotations && !ok(annotations[SECCOMP_POD_ANNOTATION])) forbidden.add(`${SECCOMP_POD_ANNOTATION}=${goQuote(annotations[SECCOMP_POD_ANNOTATION])}`)
  visitContainers(spec, c => {
    const key = SECCOMP_CONTAINER_PREFIX + c.name
    if (key in annotations && !ok(annotations[key])) forbidden.add(`${key}=${goQuote(annotations[key])}`)
  })
  if (forbidden.size === 0) return ALLOWED
  return { allowed: false, reason: 'seccompProfile', detail: `forbidden ${pluralize('annotation', 'annotations', forbidden.size)} ${[...forbidden].sort().join(', ')}` }
}

function seccompBaseline_1_19 (_meta: Json, spec: Json): CheckResult {
  const setters: string[] = []
  const values = new Set<string>()
  const pod = spec.securityContext?.seccompProfile
  if (pod !== undefined && pod !== null && !validSeccomp(pod.type)) { setters.push('pod'); values.add(String(pod.type ?? '')) }
  const bad: string[] = []
  visitContainers(spec, c => {
    const p = c.securityContext?.seccompProfile
    if (p !== undefined && p !== null && !validSeccomp(p.type)) { bad.push(c.name); values.add(String(p.type ?? '')) }
  })
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`)
  if (setters.length === 0) return ALLOWED
  return { allowed: false, reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote([...values].sort())}` }
}

const SELINUX_TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t'])
const SELINUX_TYPES_1_31 = new Set([...SELINUX_TYPES_1_0, 'container_engine_t'])

const seLinuxOptions = (allowedTypes: Set<string>) => (_meta: Json, spec: Json): CheckResult => {
  const badTypes = new Set<string>()
  let setUser = false
  let setRole = false
  const valid = (o: Json): boolean => {
    let ok = true
    if (!allowedTypes.has(o.type ?? '')) { ok = false; badTypes.add(o.type) }
    if ((o.user ?? '') !== '') { ok = false; setUser = true }
    if ((o.role ?? '') !== '') { ok = false; setRole = true }
    return ok
  }
  const setters: string[] = []
  const podOpts = spec.securityContext?.seLinuxOptions
  if (podOpts !== undefined && podOpts !== null && !valid(podOpts)) setters.push('pod')
  const bad: string[] = []
  visitContainers(spec, c => {
    const o = c.securityContext?.seLinuxOptions
    if (o !== undefined && o !== null && !valid(o)) bad.push(c.name)
  })
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`)
  if (setters.length === 0) return ALLOWED
  const data: string[] = []
  if (badTypes.size > 0) data.push(`${pluralize('type', 'types', badTypes.size)} ${joinQuote([...badTypes].sort())}`)
  if (setUser) data.push('user may not be set')
  if (setRole) data.push('role may not be set')
  return { allowed: false, reason: 'seLinuxOptions', detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` }
}

const SYSCTLS_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports']
const SYSCTLS_1_29 = [...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']

const sysctls = (allowed: string[]) => (_meta: Json, spec: Json): CheckResult => {
  const forbidden = ((spec.securityContext?.sysctls ?? []) as Json[]).map(s => s.name as string).filter(n => !allowed.includes(n))
  return forbidden.length > 0 ? { allowed: false, reason: 'forbidden sysctls', detail: forbidden.join(', ') } : ALLOWED
}

function windowsHostProcess (_meta: Json, spec: Json): CheckResult {
  const bad: string[] = []
  visitContainers(spec, c => { if (c.securityContext?.windowsOptions?.hostProcess === true) bad.push(c.name) })
  const setters: string[] = []
  if (spec.securityContext?.windowsOptions?.hostProcess === true) setters.push('pod')
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`)
  if (setters.length === 0) return ALLOWED
  return { allowed: false, reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` }
}

export const BASELINE_CHECKS: Check[] = [
  { id: 'appArmorProfile', level: 'baseline', versions: [{ min: 0, fn: appArmorProfile }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ min: 0, fn: capabilitiesBaseline }] },
  { id: 'hostNamespaces', level: 'baseline', versions: [{ min: 0, fn: hostNamespaces }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ min: 0, fn: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ min: 0, fn: hostPorts }] },
  { id: 'privileged', level: 'baseline', versions: [{ min: 0, fn: privileged }] },
  { id: 'procMount', level: 'baseline', versions: [{ min: 0, fn: procMount }] },
  { id: 'seLinuxOptions', level: 'baseline', versions: [{ min: 0, fn: seLinuxOptions(SELINUX_TYPES_1_0) }, { min: 31, fn: seLinuxOptions(SELINUX_TYPES_1_31) }] },
  { id: 'seccompProfile_baseline', level: 'baseline', versions: [{ min: 0, fn: seccompBaseline_1_0 }, { min: 19, fn: seccompBaseline_1_19 }] },
  { id: 'sysctls', level: 'baseline', versions: [{ min: 0, fn: sysctls(SYSCTLS_1_0) }, { min: 27, fn: sysctls(SYSCTLS_1_27) }, { min: 29, fn: sysctls(SYSCTLS_1_29) }, { min: 32, fn: sysctls(SYSCTLS_1_32) }] },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ min: 0, fn: windowsHostProcess }] },
]
