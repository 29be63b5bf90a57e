// PodSecurity admission through the API as k3s runs it (no configuration: privileged unless a
// namespace's labels say otherwise): refusals, warnings on pods and workload templates, namespace
// label validation, and the warnings for pods already running when the enforce level goes up.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { type ApiServerCore, SYSTEM_USER } from '../../src/apiserver/core.ts'
import { isStatusError } from '../../src/apiserver/errors.ts'
import { serve } from '../../src/apiserver/handlers/index.ts'
import type { ApiRequest } from '../../src/apiserver/request.ts'
import type { InProcessClient } from '../../src/client/in-process.ts'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

const PSA = 'pod-security.kubernetes.io/'

describe('PodSecurity admission', () => {
  let core: ApiServerCore
  let client: InProcessClient
  beforeEach(async () => { ({ core, client } = await startCore({ serviceAccounts: false })) })
  afterEach(() => core.stop())

  const namespace = async (name: string, labels: Record<string, string> = {}): Promise<void> => {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } as KubeObject)
    await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } } as KubeObject)
  }
  /** A request as the HTTP layer serves it, to see the warnings it answers with. */
  const write = async (verb: 'create' | 'update', resource: [string, string, string], ns: string | undefined, body: Json): Promise<{ warnings?: string[], body: Json }> => {
    const info = core.index.lookup(...resource)!
    const req: ApiRequest = { verb, info, namespace: ns, name: verb === 'update' ? body.metadata.name : undefined, body, options: {}, user: SYSTEM_USER }
    return await serve(core.ctx, req) as { warnings?: string[], body: Json }
  }
  const pod = (name: string, spec: Json = { containers: [{ name: 'nginx', image: 'nginx' }] }): Json => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec })
  const hardened = (image = 'nginx'): Json => ({
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'nginx', image, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  })

  it('admits anything where no label asks for more (k3s configures no default policy)', async () => {
    await namespace('open')
    const r = await write('create', ['', 'v1', 'pods'], 'open', pod('p', { hostNetwork: true, containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] }))
    assert.deepEqual(r.warnings ?? [], [])
  })

  it('refuses pods breaking the enforce level with upstream\'s Forbidden, the generated name included', async () => {
    await namespace('secure', { [`${PSA}enforce`]: 'baseline' })
    await assert.rejects(write('create', ['', 'v1', 'pods'], 'secure', { ...pod(''), metadata: { generateName: 'web-' }, spec: { hostPID: true, containers: [{ name: 'c', image: 'x' }] } }), (err: unknown) => {
      assert.ok(isStatusError(err, 403))
      assert.match(err.message, /^pods "web-[a-z0-9]{5}" is forbidden: violates PodSecurity "baseline:latest": host namespaces \(hostPID=true\)$/)
      return true
    })
    // Baseline allows what only restricted forbids, and warns at the enforce level (warn follows enforce).
    const r = await write('create', ['', 'v1', 'pods'], 'secure', pod('plain'))
    assert.deepEqual(r.warnings ?? [], [])
  })

  it('warns about pods and workload templates breaking the warn level, and admits them', async () => {
    await namespace('audited', { [`${PSA}warn`]: 'restricted', [`${PSA}warn-version`]: 'v1.30' })
    const p = await write('create', ['', 'v1', 'pods'], 'audited', pod('p'))
    assert.deepEqual(p.warnings, ['would violate PodSecurity "restricted:v1.30": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")'])
    const cron = await write('create', ['batch', 'v1', 'cronjobs'], 'audited', {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { ...hardened(), restartPolicy: 'Never', hostNetwork: true } } } } },
    })
    assert.deepEqual(cron.warnings, ['would violate PodSecurity "restricted:v1.30": host namespaces (hostNetwork=true)'])
    const ok = await write('create', ['apps', 'v1', 'deployments'], 'audited', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: hardened() } } })
    assert.deepEqual(ok.warnings ?? [], [])
  })

  it('never enforces on workloads: a Deployment is admitted, its pods are refused', async () => {
    await namespace('secure', { [`${PSA}enforce`]: 'restricted' })
    const d = await write('create', ['apps', 'v1', 'deployments'], 'secure', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } } })
    assert.match(d.warnings?.[0] ?? '', /^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/)
    await assert.rejects(write('create', ['', 'v1', 'pods'], 'secure', pod('p')), /violates PodSecurity "restricted:latest"/)
    await write('create', ['', 'v1', 'pods'], 'secure', pod('fine', hardened()))
  })

  it('judges pods after their defaults: a volume without a source is an emptyDir, a hostNetwork port a hostPort', async () => {
    await namespace('strict', { [`${PSA}enforce`]: 'restricted' })
    const withScratch = { ...hardened(), volumes: [{ name: 'scratch' }] }
    const created = await write('create', ['', 'v1', 'pods'], 'strict', pod('scratch', withScratch))
    assert.deepEqual(created.body.spec.volumes[0], { name: 'scratch', emptyDir: {} })
    const host = { ...hardened(), hostNetwork: true, containers: [{ ...hardened().containers[0], ports: [{ containerPort: 8080 }] }] }
    await assert.rejects(write('create', ['', 'v1', 'pods'], 'strict', pod('host', host)),
      /violates PodSecurity "restricted:latest": host namespaces \(hostNetwork=true\), hostPort \(container "nginx" uses hostPort 8080\)$/)
  })

  it('syncs AppArmor annotations and fields at create before judging them (version skew)', async () => {
    await namespace('base', { [`${PSA}enforce`]: 'baseline' })
    const annotated = { ...pod('a'), metadata: { name: 'a', annotations: { 'container.apparmor.security.beta.kubernetes.io/nginx': 'unconfined' } } }
    await assert.rejects(write('create', ['', 'v1', 'pods'], 'base', annotated),
      /violates PodSecurity "baseline:latest": forbidden AppArmor profiles \(container "nginx" and annotation must not set AppArmor profile type to "Unconfined", "container\.apparmor\.security\.beta\.kubernetes\.io\/nginx="unconfined""\)$/)
    const fielded = await write('create', ['', 'v1', 'pods'], 'base', pod('b', { securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-nginx' } }, containers: [{ name: 'nginx', image: 'nginx' }] }))
    assert.equal(fielded.body.metadata.annotations['container.apparmor.security.beta.kubernetes.io/nginx'], 'localhost/k8s-nginx')
  })

  it('does not evaluate scale writes (a subresource)', async () => {
    await namespace('audited', { [`${PSA}warn`]: 'restricted' })
    const d = await write('create', ['apps', 'v1', 'deployments'], 'audited', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } } })
    assert.equal(d.warnings?.length, 1)
    const info = core.index.lookup('apps', 'v1', 'deployments')!
    const scaled = await serve(core.ctx, { verb: 'update', info, namespace: 'audited', name: 'd', subresource: 'scale', body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'd', namespace: 'audited' }, spec: { replicas: 3 } }, options: {}, user: SYSTEM_USER }) as { warnings?: string[] }
    assert.deepEqual(scaled.warnings ?? [], [])
  })

  it('evaluates a pod update only when it changes an image', async () => {
    await namespace('later')
    const created = (await write('create', ['', 'v1', 'pods'], 'later', pod('p'))).body
    const ns = await client.get('v1', 'Namespace', undefined, 'later') as Json
    await client.update({ ...ns, metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, [`${PSA}enforce`]: 'restricted' } } } as unknown as KubeObject)
    const labelled = await write('update', ['', 'v1', 'pods'], 'later', { ...created, metadata: { ...created.metadata, labels: { x: 'y' } } })
    assert.equal(labelled.body.metadata.labels.x, 'y')
    const current = (await client.get('v1', 'Pod', 'later', 'p')) as Json
    await assert.rejects(write('update', ['', 'v1', 'pods'], 'later', { ...current, spec: { ...current.spec, containers: [{ ...current.spec.containers[0], image: 'nginx:2' }] } }), /pods "p" is forbidden: violates PodSecurity "restricted:latest"/)
  })

  it('validates namespace labels on create, and on update only when they change', async () => {
    await assert.rejects(client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bad', labels: { [`${PSA}enforce`]: 'strict', [`${PSA}warn-version`]: '1.25' } } } as KubeObject), (err: unknown) => {
      assert.ok(isStatusError(err, 422))
      assert.equal(err.message, 'Namespace "bad" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "1.25": must be "latest" or "v1.x"]')
      return true
    })
    await assert.rejects(client.get('v1', 'Namespace', undefined, 'bad'), /not found/)
    await namespace('fine')
    const ns = await client.get('v1', 'Namespace', undefined, 'fine') as Json
    await assert.rejects(client.update({ ...ns, metadata: { ...ns.metadata, labels: { [`${PSA}audit`]: 'everything' } } } as unknown as KubeObject),
      /^StatusError: Namespace "fine" is invalid: metadata\.labels\[pod-security\.kubernetes\.io\/audit\]: Invalid value: "everything": must be one of privileged, baseline, restricted$/)
  })

  it('warns, when the enforce level goes up, about the pods already there, grouped by reasons', async () => {
    await namespace('busy')
    const owner = (uid: string) => [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid, controller: true }]
    await write('create', ['', 'v1', 'pods'], 'busy', pod('web-b'))
    await write('create', ['', 'v1', 'pods'], 'busy', { ...pod('web-a'), metadata: { name: 'web-a', ownerReferences: owner('u1') } })
    await write('create', ['', 'v1', 'pods'], 'busy', { ...pod('web-c'), metadata: { name: 'web-c', ownerReferences: owner('u1') } })
    await write('create', ['', 'v1', 'pods'], 'busy', pod('host', { hostNetwork: true, ...hardened() }))
    await write('create', ['', 'v1', 'pods'], 'busy', pod('good', hardened()))
    const ns = await client.get('v1', 'Namespace', undefined, 'busy') as Json
    const r = await write('update', ['', 'v1', 'namespaces'], undefined, { ...ns, metadata: { ...ns.metadata, labels: { [`${PSA}enforce`]: 'restricted' } } })
    assert.deepEqual(r.warnings, [
      'existing pods in namespace "busy" violate the new PodSecurity enforce level "restricted:latest"',
      'host: host namespaces',
      'web-a (and 2 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
    ])
    // Relaxing, or the same level again, checks nothing.
    const now = await client.get('v1', 'Namespace', undefined, 'busy') as Json
    const relaxed = await write('update', ['', 'v1', 'namespaces'], undefined, { ...now, metadata: { ...now.metadata, labels: { [`${PSA}enforce`]: 'baseline' } } })
    assert.deepEqual(relaxed.warnings ?? [], [])
  })
})
