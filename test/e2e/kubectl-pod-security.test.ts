// Pod Security Standards with the real kubectl, as the CKS exercises go: label a namespace,
// read the warnings about what already runs there, see a pod refused and a Deployment warned.
import assert from 'node:assert/strict'
import type { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import { startKubectlCluster, type KubectlCluster } from '../support/kubectl.ts'

const REASONS = 'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")'

describe('kubectl against k3sim: Pod Security admission', function () {
  let k: KubectlCluster
  let cluster: Cluster
  before(async () => {
    k = await startKubectlCluster({ disable: [...ADDON_NAMES], seed: 13 })
    cluster = k.cluster
  })
  after(async () => { await k.stop() })

  const run = (args: string[]) => k.run(args)

  it('warns about running pods when a namespace is labelled restricted, then refuses new ones', async () => {
    assert.equal((await run(['create', 'namespace', 'team'])).code, 0)
    assert.equal((await run(['run', 'nginx', '--image=nginx', '-n', 'team'])).code, 0)
    await cluster.settle()
    const label = await run(['label', 'namespace', 'team', 'pod-security.kubernetes.io/enforce=restricted'])
    assert.equal(label.code, 0)
    assert.equal(label.stdout, 'namespace/team labeled\n')
    assert.equal(label.stderr,
      'Warning: existing pods in namespace "team" violate the new PodSecurity enforce level "restricted:latest"\n' +
      'Warning: nginx: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\n')
    const refused = await run(['run', 'nginx2', '--image=nginx', '-n', 'team'])
    assert.equal(refused.code, 1)
    assert.equal(refused.stderr.trim(), `Error from server (Forbidden): pods "nginx2" is forbidden: violates PodSecurity "restricted:latest": ${REASONS.replaceAll('"nginx"', '"nginx2"')}`)
  })

  it('admits a Deployment with a warning, and its ReplicaSet reports the refused pods', async () => {
    const created = await run(['create', 'deployment', 'nginx', '--image=nginx', '-n', 'team'])
    assert.equal(created.code, 0)
    assert.equal(created.stderr, `Warning: would violate PodSecurity "restricted:latest": ${REASONS}\n`)
    await cluster.settle()
    const events = await run(['get', 'events', '-n', 'team', '--field-selector', 'reason=FailedCreate', '-o', 'jsonpath={.items[0].message}'])
    assert.match(events.stdout, /^Error creating: pods "nginx-[a-z0-9]+-[a-z0-9]{5}" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/)
  })

  it('refuses a label that is not a level', async () => {
    const r = await run(['label', 'namespace', 'team', '--overwrite', 'pod-security.kubernetes.io/enforce=strict'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr.trim(), 'The Namespace "team" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted')
  })

  it('prints the API server\'s warnings about a template using deprecated node labels', async () => {
    const manifest = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'legacy' } }, template: { metadata: { labels: { app: 'legacy' } }, spec: { nodeSelector: { 'beta.kubernetes.io/os': 'linux' }, containers: [{ name: 'app', image: 'nginx' }] } } } })
    const r = await k.run(['apply', '-f', '-'], manifest)
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr, 'Warning: spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead\n')
  })
})
