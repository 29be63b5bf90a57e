// The Pod Security Standards' checks (k8s.io/pod-security-admission/policy, v1.32) one by one:
// what each refuses, and the reason and detail upstream prints, in upstream's order.
import assert from 'node:assert/strict'
import { levelVersionString, policyFor, violations, type LevelVersion } from '../../src/apiserver/admission/pod-security/policy.ts'

type Json = Record<string, any>

const baseline: LevelVersion = { level: 'baseline', version: undefined }
const restricted: LevelVersion = { level: 'restricted', version: undefined }
/** A pod that passes restricted. */
const good = (): Json => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
})
const withContainer = (sc: Json, extra: Json = {}): Json => ({ ...good(), containers: [{ name: 'app', image: 'nginx', ...extra, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...sc } }] })

describe('Pod Security checks', () => {
  it('passes a pod written to the restricted standard, at every level', () => {
    for (const lv of [baseline, restricted, { level: 'restricted' as const, version: 22 }]) assert.equal(violations(lv, {}, good()), undefined)
  })

  const baselineCases: Array<[string, Json, Json, string]> = [
    ['host namespaces, in upstream\'s order', {}, { ...good(), hostNetwork: true, hostPID: true, hostIPC: true }, 'host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)'],
    ['privileged containers', {}, withContainer({ privileged: true }), 'privileged (container "app" must not set securityContext.privileged=true)'],
    ['capabilities beyond the default set, sorted', {}, withContainer({ capabilities: { drop: ['ALL'], add: ['SYS_ADMIN', 'CHOWN', 'NET_ADMIN'] } }), 'non-default capabilities (container "app" must not include "NET_ADMIN", "SYS_ADMIN" in securityContext.capabilities.add)'],
    ['hostPath volumes', {}, { ...good(), volumes: [{ name: 'root', hostPath: { path: '/' } }, { name: 'data', emptyDir: {} }] }, 'hostPath volumes (volume "root")'],
    ['host ports, counted and sorted as strings', {}, withContainer({}, { ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 443, hostPort: 8443 }] }), 'hostPort (container "app" uses hostPorts 80, 8443)'],
    ['AppArmor unconfined, by field or annotation', { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } }, { ...good(), securityContext: { ...good().securityContext, appArmorProfile: { type: 'Unconfined' } } },
      // joinQuote wraps without escaping: the annotation's own quotes stay as they are.
      'forbidden AppArmor profiles (pod and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/app="unconfined"")'],
    ['an unmasked /proc', {}, withContainer({ procMount: 'Unmasked' }), 'procMount (container "app" must not set securityContext.procMount to "Unmasked")'],
    ['SELinux types, users and roles', {}, withContainer({ seLinuxOptions: { type: 'spc_t', user: 'root' } }), 'seLinuxOptions (container "app" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set)'],
    ['an unconfined seccomp profile', {}, withContainer({ seccompProfile: { type: 'Unconfined' } }), 'seccompProfile (container "app" must not set securityContext.seccompProfile.type to "Unconfined")'],
    ['unsafe sysctls, in the pod\'s order', {}, { ...good(), securityContext: { ...good().securityContext, sysctls: [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.ipv4.tcp_rmem', value: '1' }, { name: 'net.core.somaxconn', value: '1' }] } }, 'forbidden sysctls (kernel.msgmax, net.core.somaxconn)'],
    ['Windows host processes', {}, { ...good(), securityContext: { ...good().securityContext, windowsOptions: { hostProcess: true } } }, 'hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)'],
  ]
  for (const [name, meta, spec, want] of baselineCases) {
    it(`baseline refuses ${name}`, () => {
      assert.equal(violations(baseline, meta, spec), want)
      assert.equal(violations({ level: 'privileged', version: undefined }, meta, spec), undefined)
    })
  }

  it('restricted refuses an unhardened pod with the four reasons every CKS student has seen', () => {
    assert.equal(violations(restricted, {}, { containers: [{ name: 'nginx', image: 'nginx' }] }),
      'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), ' +
      'unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), ' +
      'runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), ' +
      'seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")')
  })

  it('restricted puts the baseline checks first and replaces baseline capabilities, hostPath and seccomp with its own', () => {
    const spec = { ...withContainer({ privileged: true, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN', 'NET_BIND_SERVICE'] }, runAsUser: 0 }), volumes: [{ name: 'root', hostPath: { path: '/' } }, { name: 'nfs', nfs: { server: 'x', path: '/' } }] }
    assert.equal(violations(restricted, {}, spec),
      'privileged (container "app" must not set securityContext.privileged=true), ' +
      'unrestricted capabilities (container "app" must not include "SYS_ADMIN" in securityContext.capabilities.add), ' +
      'restricted volume types (volumes "root", "nfs" use restricted volume types "hostPath", "nfs"), ' +
      'runAsUser=0 (container "app" must not set runAsUser=0)')
  })

  it('names init containers before containers, several with plurals, and pod-level settings with "and"', () => {
    const spec = {
      securityContext: { runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{ name: 'init', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: false } }],
      containers: [{ name: 'a', image: 'x', securityContext: { capabilities: { drop: ['ALL'] } } }, { name: 'b', image: 'x', securityContext: { capabilities: { drop: ['ALL'] } } }],
    }
    assert.equal(violations(restricted, {}, spec),
      'allowPrivilegeEscalation != false (containers "a", "b" must set securityContext.allowPrivilegeEscalation=false), ' +
      'runAsNonRoot != true (pod and container "init" must not set securityContext.runAsNonRoot=false)')
  })

  it('evaluates the checks of the version a namespace pins', () => {
    const spec = { containers: [{ name: 'app', image: 'x', securityContext: { allowPrivilegeEscalation: false } }], securityContext: { runAsNonRoot: true } }
    // Before 1.19 no seccomp check, before 1.22 no capabilities check in restricted.
    assert.equal(violations({ level: 'restricted', version: 18 }, {}, spec), undefined)
    assert.equal(violations({ level: 'restricted', version: 21 }, {}, spec), 'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")')
    const sysctl = { ...good(), securityContext: { ...good().securityContext, sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '1' }] } }
    assert.equal(violations({ level: 'baseline', version: 31 }, {}, sysctl), 'forbidden sysctls (net.ipv4.tcp_rmem)')
    assert.equal(violations({ level: 'baseline', version: 32 }, {}, sysctl), undefined)
  })

  it('reads a namespace\'s policy from its labels: warn follows enforce unless set, bad values fail closed for enforce only', () => {
    const p = (labels: Record<string, string>) => policyFor(labels)
    assert.deepEqual(p({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.25' }).policy,
      { enforce: { level: 'baseline', version: 25, minor: '25' }, audit: { level: 'privileged', version: undefined }, warn: { level: 'baseline', version: 25, minor: '25' } })
    // strconv.Atoi's range: a minor past int64 is not a version; one past 2^53 is echoed as written.
    assert.equal(p({ 'pod-security.kubernetes.io/enforce-version': 'v1.9223372036854775808' }).errors.length, 1)
    assert.equal(levelVersionString(p({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.9007199254740993' }).policy.enforce), 'baseline:v1.9007199254740993')
    assert.deepEqual(p({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' }).policy.warn, { level: 'restricted', version: undefined })
    const bad = p({ 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/warn': 'loud', 'pod-security.kubernetes.io/audit-version': '1.25' })
    assert.deepEqual([bad.policy.enforce.level, bad.policy.warn.level], ['restricted', 'privileged'])
    assert.deepEqual(bad.errors.map(e => `${e.field}: ${e.detail}`), [
      'metadata.labels[pod-security.kubernetes.io/enforce]: must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/audit-version]: must be "latest" or "v1.x"',
      'metadata.labels[pod-security.kubernetes.io/warn]: must be one of privileged, baseline, restricted',
    ])
  })
})
