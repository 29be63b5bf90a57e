// flowcontrol.apiserver.k8s.io/v1 through the API server: the bootstrap configuration a fresh
// k3s v1.32 has, the v1 defaults, upstream's validation messages, and the config consumer's
// Dangling condition following the priority levels.
import assert from 'node:assert/strict'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'

type Json = Record<string, any>
const GV = 'flowcontrol.apiserver.k8s.io/v1'

describe('flowcontrol.apiserver.k8s.io/v1', () => {
  let core: ApiServerCore
  let client: InProcessClient
  /** Until the API server's own loops are done (what the cluster's settle() waits for). */
  const idle = async (): Promise<void> => { while (core.busy()) await new Promise(resolve => setImmediate(resolve)) }
  before(async () => {
    const clock = new VirtualClock()
    core = new ApiServerCore({ backend: new MemoryBackend({ clock }), clock, ids: new Ids({ seed: 1 }) })
    await core.bootstrap()
    client = new InProcessClient({ core })
    await idle()
  })
  after(() => core.stop())

  const get = async (kind: string, name: string): Promise<Json> => client.get(GV, kind, undefined, name) as Promise<Json>
  const dangling = async (name: string): Promise<Json | undefined> => (await get('FlowSchema', name)).status?.conditions?.find((c: Json) => c.type === 'Dangling')

  it('has the mandatory and suggested objects of bootstrap/default.go, annotated for auto-update', async () => {
    const levels = (await client.list(GV, 'PriorityLevelConfiguration') as Json).items as Json[]
    assert.deepEqual(levels.map(l => l.metadata.name), ['catch-all', 'exempt', 'global-default', 'leader-election', 'node-high', 'system', 'workload-high', 'workload-low'])
    const schemas = (await client.list(GV, 'FlowSchema') as Json).items as Json[]
    assert.equal(schemas.length, 13)
    assert.ok([...levels, ...schemas].every(o => o.metadata.annotations['apf.kubernetes.io/autoupdate-spec'] === 'true'))
    assert.deepEqual((await get('PriorityLevelConfiguration', 'exempt')).spec, { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } })
    assert.deepEqual((await get('PriorityLevelConfiguration', 'catch-all')).spec, { type: 'Limited', limited: { nominalConcurrencyShares: 5, limitResponse: { type: 'Reject' }, lendablePercent: 0 } })
    assert.deepEqual((await get('PriorityLevelConfiguration', 'workload-low')).spec.limited, { nominalConcurrencyShares: 100, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } }, lendablePercent: 90 })
    assert.deepEqual((await get('FlowSchema', 'probes')).spec, {
      priorityLevelConfiguration: { name: 'exempt' },
      matchingPrecedence: 2,
      rules: [{ subjects: [{ kind: 'Group', group: { name: 'system:unauthenticated' } }, { kind: 'Group', group: { name: 'system:authenticated' } }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }] }],
    })
    assert.deepEqual((await get('FlowSchema', 'endpoint-controller')).spec.rules[0], {
      subjects: [{ kind: 'User', user: { name: 'system:kube-controller-manager' } }, { kind: 'ServiceAccount', serviceAccount: { name: 'endpoint-controller', namespace: 'kube-system' } }, { kind: 'ServiceAccount', serviceAccount: { name: 'endpointslicemirroring-controller', namespace: 'kube-system' } }],
      resourceRules: [{ verbs: ['get', 'create', 'update'], apiGroups: [''], resources: ['endpoints'], namespaces: ['*'] }],
    })
  })

  it('marks every bootstrap FlowSchema as not dangling, as the config consumer does', async () => {
    const c = await dangling('global-default')
    assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'Found', 'This FlowSchema references the PriorityLevelConfiguration object named "global-default" and it exists'])
  })

  it('does not create the bootstrap objects again when they exist (a restart)', async () => {
    const before = (await get('FlowSchema', 'exempt')).metadata.resourceVersion
    await core.bootstrap()
    await idle()
    assert.equal((await get('FlowSchema', 'exempt')).metadata.resourceVersion, before)
  })

  it('defaults matchingPrecedence, nominalConcurrencyShares, lendablePercent and the queuing numbers', async () => {
    await client.create({ apiVersion: GV, kind: 'PriorityLevelConfiguration', metadata: { name: 'batch' }, spec: { type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: { queues: 16 } } } } } as any)
    assert.deepEqual((await get('PriorityLevelConfiguration', 'batch')).spec.limited,
      { limitResponse: { type: 'Queue', queuing: { queues: 16, handSize: 8, queueLengthLimit: 50 } }, nominalConcurrencyShares: 30, lendablePercent: 0 })
    const fs = await client.create({ apiVersion: GV, kind: 'FlowSchema', metadata: { name: 'batch' }, spec: { priorityLevelConfiguration: { name: 'batch' } } } as any) as Json
    assert.equal(fs.spec.matchingPrecedence, 1000)
  })

  it('follows a FlowSchema\'s priority level: dangling while it is missing', async () => {
    await client.create({ apiVersion: GV, kind: 'FlowSchema', metadata: { name: 'orphan' }, spec: { priorityLevelConfiguration: { name: 'later' } } } as any)
    await idle()
    assert.deepEqual([(await dangling('orphan'))?.status, (await dangling('orphan'))?.reason], ['True', 'NotFound'])
    await client.create({ apiVersion: GV, kind: 'PriorityLevelConfiguration', metadata: { name: 'later' }, spec: { type: 'Limited', limited: { limitResponse: { type: 'Reject' } } } } as any)
    await idle()
    assert.deepEqual([(await dangling('orphan'))?.status, (await dangling('orphan'))?.reason], ['False', 'Found'])
    await client.delete(GV, 'PriorityLevelConfiguration', undefined, 'later')
    await idle()
    assert.equal((await dangling('orphan'))?.status, 'True')
  })

  const invalid = async (obj: Json): Promise<string> => {
    const err = await client.create(obj as any).then(() => undefined, (e: Error & { code?: number }) => e)
    assert.equal(err?.code, 422)
    return err.message
  }

  it('refuses what upstream refuses, with its messages', async () => {
    assert.equal(await invalid({ apiVersion: GV, kind: 'FlowSchema', metadata: { name: 'x' }, spec: { matchingPrecedence: 1, distinguisherMethod: { type: 'ByGroup' }, rules: [{ subjects: [] }] } }),
      'FlowSchema.flowcontrol.apiserver.k8s.io "x" is invalid: [spec.matchingPrecedence: Invalid value: 1: only the schema named \'exempt\' may have matchingPrecedence 1, ' +
      'spec.distinguisherMethod.type: Unsupported value: flowcontrol.FlowDistinguisherMethod{Type:"ByGroup"}: supported values: "ByNamespace", "ByUser", ' +
      'spec.priorityLevelConfiguration.name: Required value: must reference a priority level, spec.rules[0].subjects: Required value: subjects must contain at least one value, ' +
      'spec.rules[0]: Required value: at least one of resourceRules and nonResourceRules has to be non-empty]')
    assert.equal(await invalid({ apiVersion: GV, kind: 'PriorityLevelConfiguration', metadata: { name: 'x' }, spec: { type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: { queues: 4, handSize: 6 } }, lendablePercent: 101 } } }),
      'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io "x" is invalid: [spec.limited.limitResponse.queuing.handSize: Invalid value: 6: should not be greater than queues (4), ' +
      'spec.limited.lendablePercent: Invalid value: 101: must be between 0 and 100, inclusive]')
    assert.equal(await invalid({ apiVersion: GV, kind: 'PriorityLevelConfiguration', metadata: { name: 'x' }, spec: { type: 'Exempt' } }),
      'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io "x" is invalid: spec.type: Invalid value: "Exempt": type must be \'Exempt\' if and only if name is \'exempt\'')
  })
})
