// The Warning headers kube-apiserver returns for pods and pod templates (pkg/api/pod/warnings.go),
// through the API as the HTTP layer serves them.
import assert from 'node:assert/strict'
import { type ApiServerCore, SYSTEM_USER } from '../../src/apiserver/core.ts'
import { serve } from '../../src/apiserver/handlers/index.ts'
import type { ApiRequest } from '../../src/apiserver/request.ts'
import type { InProcessClient } from '../../src/client/in-process.ts'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

describe('pod and pod template warnings', () => {
  let core: ApiServerCore
  let client: InProcessClient
  beforeEach(async () => { ({ core, client } = await startCore()) })
  afterEach(() => core.stop())

  const write = async (verb: 'create' | 'update', resource: [string, string, string], body: Json): Promise<string[]> => {
    const info = core.index.lookup(...resource)!
    const req: ApiRequest = { verb, info, namespace: 'default', name: verb === 'update' ? body.metadata.name : undefined, body, options: {}, user: SYSTEM_USER }
    return ((await serve(core.ctx, req)) as { warnings?: string[] }).warnings ?? []
  }
  const spec = (): Json => ({
    nodeSelector: { 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'failure-domain.beta.kubernetes.io/zone', operator: 'Exists' }] }] } } },
    containers: [{ name: 'app', image: 'nginx', resources: { requests: { memory: '1.5' } }, env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }], ports: [{ containerPort: 80 }, { containerPort: 80 }] }],
  })

  it('warns about a pod as upstream does, in upstream\'s order', async () => {
    const warnings = await write('create', ['', 'v1', 'pods'], { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { 'scheduler.alpha.kubernetes.io/critical-pod': '' } }, spec: spec() })
    assert.deepEqual(warnings, [
      'spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead',
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
      'metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead',
      // Quantity.String(): the canonical form.
      'spec.containers[0].resources.requests[memory]: fractional byte value "1500m" is invalid, must be an integer',
      'spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply',
      'spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]',
    ])
  })

  it('warns about a Deployment\'s template on create and on spec changes, not on metadata-only updates', async () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { nodeSelector: { 'beta.kubernetes.io/arch': 'amd64' }, containers: [{ name: 'app', image: 'nginx' }] } } } }
    assert.deepEqual(await write('create', ['apps', 'v1', 'deployments'], d), ['spec.template.spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead'])
    const stored = await client.get('apps/v1', 'Deployment', 'default', 'd') as Json
    assert.deepEqual(await write('update', ['apps', 'v1', 'deployments'], { ...stored, metadata: { ...stored.metadata, labels: { x: 'y' } } }), [])
    const again = await client.get('apps/v1', 'Deployment', 'default', 'd') as Json
    assert.equal((await write('update', ['apps', 'v1', 'deployments'], { ...again, spec: { ...again.spec, replicas: 3 } })).length, 1)
  })

  it('warns about an AppArmor annotation a pod sets without the field (the version skew copies it)', async () => {
    const warnings = await write('create', ['', 'v1', 'pods'], { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } })
    assert.deepEqual(warnings, ['metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]: deprecated since v1.30; use the "appArmorProfile" field instead'])
  })
})
