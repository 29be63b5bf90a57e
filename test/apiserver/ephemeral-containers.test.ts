// pods/<name>/ephemeralcontainers (`kubectl debug`) as kube-apiserver v1.32: the only way to add
// an ephemeral container, which is then defaulted like any container, may not set what a pod would
// rely on, and may not be removed or changed.
import assert from 'node:assert/strict'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

const SUB = { subresource: 'ephemeralcontainers' }

describe('pods/ephemeralcontainers (v1.32 validation and strategy)', () => {
  let client: Awaited<ReturnType<typeof startCore>>['client']
  let n = 0
  const newPod = async (): Promise<Json> => client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${++n}`, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } as any) as Promise<Json>
  const addEphemeral = (pod: Json, ...containers: Json[]): Promise<Json> =>
    client.patch('v1', 'Pod', 'default', pod.metadata.name, { spec: { ephemeralContainers: containers } }, { ...SUB, type: 'strategic' }) as Promise<Json>
  const refused = async (p: Promise<unknown>): Promise<any> => p.then(() => assert.fail('accepted'), (e: any) => e)

  before(async () => { ({ client } = await startCore()) })

  it('adds one through the subresource, defaulted as a container, the rest of the pod as it was', async () => {
    const pod = await newPod()
    const out = await client.patch('v1', 'Pod', 'default', pod.metadata.name, {
      metadata: { labels: { sneaky: 'yes' } },
      spec: { activeDeadlineSeconds: 5, ephemeralContainers: [{ name: 'dbg', image: 'busybox', stdin: true, tty: true, targetContainerName: 'app' }] },
    }, { ...SUB, type: 'strategic', fieldManager: 'kubectl-debug' }) as Json
    assert.deepEqual(out.spec.ephemeralContainers, [{ name: 'dbg', image: 'busybox', stdin: true, tty: true, targetContainerName: 'app', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} }])
    assert.equal(out.spec.activeDeadlineSeconds, undefined, 'only the ephemeral containers are taken from the body')
    assert.equal(out.metadata.labels?.sneaky, undefined)
    assert.deepEqual(out.status, pod.status)
    const entry = out.metadata.managedFields.find((e: Json) => e.manager === 'kubectl-debug')
    assert.deepEqual([entry.operation, entry.subresource, Object.keys(entry.fieldsV1['f:spec']['f:ephemeralContainers'])], ['Update', 'ephemeralcontainers', ['k:{"name":"dbg"}']])
    const read = await client.get('v1', 'Pod', 'default', pod.metadata.name, SUB) as Json
    assert.equal(read.kind, 'Pod')
    assert.equal(read.spec.ephemeralContainers[0].name, 'dbg')
  })

  it('keeps the ones there and adds the next (a PUT of the whole pod through the subresource)', async () => {
    const pod = await addEphemeral(await newPod(), { name: 'one', image: 'busybox' })
    const next = { ...pod, spec: { ...pod.spec, ephemeralContainers: [...pod.spec.ephemeralContainers, { name: 'two', image: 'busybox:1.36' }] } }
    const out = await client.update(next as any, SUB) as Json
    assert.deepEqual(out.spec.ephemeralContainers.map((c: Json) => [c.name, c.imagePullPolicy]), [['one', 'Always'], ['two', 'IfNotPresent']])
  })

  const refusals: Array<{ name: string, add: Json, error: string }> = [
    { name: 'ports', add: { ports: [{ containerPort: 80 }] }, error: 'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container' },
    { name: 'an empty list of ports (present is set, as reflect.DeepEqual tells)', add: { ports: [] }, error: 'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container' },
    { name: 'resources', add: { resources: { requests: { cpu: '1' } } }, error: 'spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container' },
    { name: 'probes and lifecycle, in the struct\'s order', add: { lifecycle: { preStop: { exec: { command: ['true'] } } }, readinessProbe: { exec: { command: ['true'] } } },
      error: '[spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container, spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container]' },
    { name: 'a target that is no container of the pod', add: { targetContainerName: 'nope' }, error: 'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"' },
    { name: 'the name of a container', add: { name: 'app' }, error: 'spec.ephemeralContainers[0].name: Duplicate value: "app"' },
    { name: 'a subPath mount', add: { volumeMounts: [{ name: 'v', mountPath: '/v', subPath: 'x' }] }, error: 'spec.ephemeralContainers[0].volumeMounts[0].name: Not found: "v", spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container' },
  ]
  for (const c of refusals) {
    it(`refuses ${c.name}`, async () => {
      const pod = await newPod()
      const err = await refused(addEphemeral(pod, { name: 'dbg', image: 'busybox', ...c.add }))
      assert.equal(err.code, 422)
      const message = c.error.startsWith('[') || !c.error.includes(', spec.') ? c.error : `[${c.error}]`
      assert.equal(err.message, `Pod "${pod.metadata.name}" is invalid: ${message}`)
    })
  }

  it('refuses removing or changing one already there (the order may change)', async () => {
    const pod = await addEphemeral(await newPod(), { name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' })
    const removed = await refused(client.update({ ...pod, spec: { ...pod.spec, ephemeralContainers: [pod.spec.ephemeralContainers[1]] } } as any, SUB))
    assert.equal(removed.message, `Pod "${pod.metadata.name}" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "a" may not be removed\n`)
    const changed = await refused(client.update({ ...pod, spec: { ...pod.spec, ephemeralContainers: [pod.spec.ephemeralContainers[1], { ...pod.spec.ephemeralContainers[0], image: 'alpine' }] } } as any, SUB))
    assert.equal(changed.message, `Pod "${pod.metadata.name}" is invalid: spec.ephemeralContainers[a]: Forbidden: existing ephemeral containers "a" may not be changed\n- image: "busybox"\n+ image: "alpine"\n`)
    const swapped = await client.update({ ...pod, spec: { ...pod.spec, ephemeralContainers: [...pod.spec.ephemeralContainers].reverse() } } as any, SUB) as Json
    assert.deepEqual(swapped.spec.ephemeralContainers.map((c: Json) => c.name), ['b', 'a'])
  })

  it('refuses them at create, in a pod template, and through a plain pod update', async () => {
    const dbg = { name: 'dbg', image: 'busybox' }
    const create = await refused(client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'born-with', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }], ephemeralContainers: [dbg] } } as any))
    assert.equal(create.message, 'Pod "born-with" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create')
    const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image: 'nginx' }], ephemeralContainers: [dbg] } }
    const rs = await refused(client.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'x' } }, template } } as any))
    assert.equal(rs.message, 'ReplicaSet.apps "rs" is invalid: spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template')
    const pod = await newPod()
    const update = await refused(client.update({ ...pod, spec: { ...pod.spec, ephemeralContainers: [dbg] } } as any))
    assert.match(update.message, /spec: Forbidden: pod updates may not change fields other than/)
  })
})
