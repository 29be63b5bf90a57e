// The restricted checks of k8s.io/pod-security-admission/policy (v1.32), with upstream's
// forbidden reasons and details; the restricted level runs them after the baseline checks they
// do not replace.
import { isWindows, joinQuote, pluralize, visitContainers, type Check, type CheckResult, type Json } from './check.ts'
import { validSeccomp } from './baseline.ts'

const ALLOWED: CheckResult = { allowed: true }

function allowPrivilegeEscalation_1_8 (_meta: Json, spec: Json): CheckResult {
  const bad: string[] = []
  visitContainers(spec, c => { if (c.securityContext?.allowPrivilegeEscalation !== false) bad.push(c.name) })
  if (bad.length === 0) return ALLOWED
  return { allowed: false, reason: 'allowPrivilegeEscalation != false', detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false` }
}

function capabilitiesRestricted_1_22 (_meta: Json, spec: Json): CheckResult {
  const missingDropAll: string[] = []
  const adding: string[] = []
  const forbidden = new Set<string>()
  visitContainers(spec, c => {
    const caps = c.securityContext?.capabilities
    if (caps === undefined || caps === null) { missingDropAll.push(c.name); return }
    if (!((caps.drop ?? []) as string[]).includes('ALL')) missingDropAll.push(c.name)
    let addedForbidden = false
    for (const cap of (caps.add ?? []) as string[]) if (cap !== 'NET_BIND_SERVICE') { addedForbidden = true; forbidden.add(cap) }
    if (addedForbidden) adding.push(c.name)
  })
  const details: string[] = []
  if (missingDropAll.length > 0) details.push(`${pluralize('container', 'containers', missingDropAll.length)} ${joinQuote(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`)
  if (adding.length > 0) details.push(`${pluralize('container', 'containers', adding.length)} ${joinQuote(adding)} must not include ${joinQuote([...forbidden].sort())} in securityContext.capabilities.add`)
  return details.length > 0 ? { allowed: false, reason: 'unrestricted capabilities', detail: details.join('; ') } : ALLOWED
}

const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']
const KNOWN_VOLUMES: Array<[string, string]> = [
  ['hostPath', 'hostPath'], ['gcePersistentDisk', 'gcePersistentDisk'], ['awsElasticBlockStore', 'awsElasticBlockStore'], ['gitRepo', 'gitRepo'],
  ['nfs', 'nfs'], ['iscsi', 'iscsi'], ['glusterfs', 'glusterfs'], ['rbd', 'rbd'], ['flexVolume', 'flexVolume'], ['cinder', 'cinder'],
  ['cephfs', 'cephfs'], ['flocker', 'flocker'], ['fc', 'fc'], ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'],
  ['quobyte', 'quobyte'], ['azureDisk', 'azureDisk'], ['photonPersistentDisk', 'photonPersistentDisk'], ['portworxVolume', 'portworxVolume'],
  ['scaleIO', 'scaleIO'], ['storageos', 'storageos'],
]

function restrictedVolumes (_meta: Json, spec: Json): CheckResult {
  const bad: string[] = []
  const types = new Set<string>()
  const has = (v: Json, k: string): boolean => v[k] !== undefined && v[k] !== null
  for (const v of (spec.volumes ?? []) as Json[]) {
    if (ALLOWED_VOLUMES.some(k => has(v, k))) continue
    bad.push(v.name)
    types.add(KNOWN_VOLUMES.find(([k]) => has(v, k))?.[1] ?? 'unknown')
  }
  if (bad.length === 0) return ALLOWED
  return { allowed: false, reason: 'restricted volume types', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', types.size)} ${joinQuote([...types].sort())}` }
}

function runAsNonRoot (_meta: Json, spec: Json): CheckResult {
  const setters: string[] = []
  let podNonRoot = false
  const pod = spec.securityContext?.runAsNonRoot
  if (pod === false) setters.push('pod')
  else if (pod === true) podNonRoot = true
  const explicit: string[] = []
  const implicit: string[] = []
  visitContainers(spec, c => {
    const v = c.securityContext?.runAsNonRoot
    if (v === true || v === false) { if (!v) explicit.push(c.name) } else if (!podNonRoot) implicit.push(c.name)
  })
  if (explicit.length > 0) setters.push(`${pluralize('container', 'containers', explicit.length)} ${joinQuote(explicit)}`)
  if (setters.length > 0) return { allowed: false, reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` }
  if (implicit.length > 0) return { allowed: false, reason: 'runAsNonRoot != true', detail: `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.runAsNonRoot=true` }
  return ALLOWED
}

function runAsUser (_meta: Json, spec: Json): CheckResult {
  const setters: string[] = []
  if (spec.securityContext?.runAsUser === 0) setters.push('pod')
  const bad: string[] = []
  visitContainers(spec, c => { if (c.securityContext?.runAsUser === 0) bad.push(c.name) })
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`)
  return setters.length > 0 ? { allowed: false, reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` } : ALLOWED
}

function seccompRestricted_1_19 (_meta: Json, spec: Json): CheckResult {
  const setters: string[] = []
  const values = new Set<string>()
  let podSet = false
  const pod = spec.securityContext?.seccompProfile
  if (pod !== undefined && pod !== null) {
    if (!validSeccomp(pod.type)) { setters.push('pod'); values.add(String(pod.type ?? '')) } else podSet = true
  }
  const explicit: string[] = []
  const implicit: string[] = []
  visitContainers(spec, c => {
    const p = c.securityContext?.seccompProfile
    if (p !== undefined && p !== null) {
      if (!validSeccomp(p.type)) { explicit.push(c.name); values.add(String(p.type ?? '')) }
    } else if (!podSet) implicit.push(c.name)
  })
  if (explicit.length > 0) setters.push(`${pluralize('container', 'containers', explicit.length)} ${joinQuote(explicit)}`)
  if (setters.length > 0) return { allowed: false, reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote([...values].sort())}` }
  if (implicit.length > 0) return { allowed: false, reason: 'seccompProfile', detail: `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` }
  return ALLOWED
}

/** From 1.25, Windows pods are exempt from the Linux-only checks. */
const notOnWindows = (fn: (meta: Json, spec: Json) => CheckResult) => (meta: Json, spec: Json): CheckResult => (isWindows(spec) ? ALLOWED : fn(meta, spec))

export const RESTRICTED_CHECKS: Check[] = [
  { id: 'allowPrivilegeEscalation', level: 'restricted', versions: [{ min: 8, fn: allowPrivilegeEscalation_1_8 }, { min: 25, fn: notOnWindows(allowPrivilegeEscalation_1_8) }] },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [{ min: 22, fn: capabilitiesRestricted_1_22, overrides: ['capabilities_baseline'] }, { min: 25, fn: notOnWindows(capabilitiesRestricted_1_22), overrides: ['capabilities_baseline'] }],
  },
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ min: 0, fn: restrictedVolumes, overrides: ['hostPathVolumes'] }] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [{ min: 0, fn: runAsNonRoot }] },
  { id: 'runAsUser', level: 'restricted', versions: [{ min: 23, fn: runAsUser }] },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [{ min: 19, fn: seccompRestricted_1_19, overrides: ['seccompProfile_baseline'] }, { min: 25, fn: notOnWindows(seccompRestricted_1_19), overrides: ['seccompProfile_baseline'] }],
  },
]
