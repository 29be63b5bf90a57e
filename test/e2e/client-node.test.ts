// @kubernetes/client-node 2.x (a client nobody here wrote) against an in-process k3sim API server
// over HTTPS: the typed APIs with each patch type, the scale subresource, KubernetesObjectApi,
// Watch, informers (including the relist after a 410), bearer-token auth and ApiException errors.
import assert from 'node:assert/strict'
import * as k8s from '@kubernetes/client-node'
import { startTestServer, type TestServer } from '../support/kubectl.ts'
import { credentialsOf } from '../support/raw-https.ts'
import { Recorder } from '../support/recorder.ts'

/** The Status body of an ApiException (client-node 2.x hands it over as the raw JSON text). */
function statusOf (err: unknown): { code: number, body: Record<string, any> } {
  assert.ok(err instanceof k8s.ApiException, `expected an ApiException, got ${String(err)}`)
  const body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body
  return { code: err.code, body }
}

async function rejection (p: Promise<unknown>): Promise<{ code: number, body: Record<string, any> }> {
  try {
    await p
  } catch (err) {
    return statusOf(err)
  }
  assert.fail('expected the call to fail')
}

const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch)
const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch)
const apply = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply)

describe('@kubernetes/client-node 2.x against k3sim', function () {
  let s: TestServer
  let kc: k8s.KubeConfig
  let core: k8s.CoreV1Api
  let apps: k8s.AppsV1Api

  before(async () => {
    s = await startTestServer()
    kc = new k8s.KubeConfig()
    kc.loadFromString(s.cp.kubeconfig())
    core = kc.makeApiClient(k8s.CoreV1Api)
    apps = kc.makeApiClient(k8s.AppsV1Api)
  })
  after(async () => { await s.stop() })

  /** A fresh namespace per test keeps lists and watches to what the test wrote. */
  let nsCount = 0
  async function freshNamespace (): Promise<string> {
    const name = `cn-${++nsCount}`
    await core.createNamespace({ body: { metadata: { name } } })
    return name
  }

  describe('CoreV1Api', () => {
    it('lists the namespaces a fresh k3s has', async () => {
      const list = await core.listNamespace()
      const names = list.items.map(n => n.metadata!.name).sort()
      for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) assert.ok(names.includes(ns), `missing ${ns} in ${names.join(',')}`)
      assert.match(list.metadata!.resourceVersion!, /^\d+$/)
    })

    it('creates a ConfigMap from a body without apiVersion/kind and stamps the server-set metadata', async () => {
      const namespace = await freshNamespace()
      const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm' }, data: { a: '1' } } })
      assert.equal(created.apiVersion, 'v1')
      assert.equal(created.kind, 'ConfigMap')
      assert.equal(created.metadata!.namespace, namespace)
      assert.match(created.metadata!.uid!, /^[0-9a-f-]{36}$/)
      assert.match(created.metadata!.resourceVersion!, /^\d+$/)
      assert.ok(created.metadata!.creationTimestamp instanceof Date, 'creationTimestamp is parsed as a date')
      assert.deepEqual(created.data, { a: '1' })
      const read = await core.readNamespacedConfigMap({ name: 'cm', namespace })
      assert.equal(read.metadata!.resourceVersion, created.metadata!.resourceVersion)
      const list = await core.listNamespacedConfigMap({ namespace })
      assert.deepEqual(list.items.map(i => i.metadata!.name), ['cm'])
      assert.equal(list.kind, 'ConfigMapList')
    })

    it('replaces with the read resourceVersion, then refuses the stale one with 409 Conflict', async () => {
      const namespace = await freshNamespace()
      const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm' }, data: { a: '1' } } })
      const replaced = await core.replaceNamespacedConfigMap({ name: 'cm', namespace, body: { ...created, data: { a: '2' } } })
      assert.deepEqual(replaced.data, { a: '2' })
      assert.ok(Number(replaced.metadata!.resourceVersion) > Number(created.metadata!.resourceVersion))
      const { code, body } = await rejection(core.replaceNamespacedConfigMap({ name: 'cm', namespace, body: { ...created, data: { a: '3' } } }))
      assert.equal(code, 409)
      assert.equal(body.reason, 'Conflict')
      assert.equal(body.message, 'Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again')
      assert.deepEqual((await core.readNamespacedConfigMap({ name: 'cm', namespace })).data, { a: '2' })
    })

    it('patches with a JSON patch by default, and with merge and strategic merge patches when told', async () => {
      const namespace = await freshNamespace()
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm', labels: { keep: 'yes' } }, data: { a: '1', b: '2' } } })
      const json = await core.patchNamespacedConfigMap({ name: 'cm', namespace, body: [{ op: 'replace', path: '/data/a', value: 'json' }, { op: 'remove', path: '/data/b' }] })
      assert.deepEqual(json.data, { a: 'json' })
      const merged = await core.patchNamespacedConfigMap({ name: 'cm', namespace, body: { data: { c: 'merge' }, metadata: { labels: { added: 'x' } } } }, merge)
      assert.deepEqual(merged.data, { a: 'json', c: 'merge' })
      assert.deepEqual(merged.metadata!.labels, { keep: 'yes', added: 'x' })
      const smp = await core.patchNamespacedConfigMap({ name: 'cm', namespace, body: { data: { a: null, d: 'smp' } } }, strategic)
      assert.deepEqual(smp.data, { c: 'merge', d: 'smp' })
    })

    it('patches a pod\'s containers by merge key with a strategic merge patch', async () => {
      const namespace = await freshNamespace()
      await core.createNamespacedPod({ namespace, body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:1.27' }, { name: 'b', image: 'busybox' }] } } })
      const patched = await core.patchNamespacedPod({ name: 'p', namespace, body: { spec: { containers: [{ name: 'b', image: 'busybox:1.36' }] } } }, strategic)
      assert.deepEqual(patched.spec!.containers.map(c => `${c.name}=${c.image}`), ['a=nginx:1.27', 'b=busybox:1.36'])
      assert.equal(patched.status!.phase, 'Pending')
    })

    it('server-side applies: creates when missing, then merges and records the field manager', async () => {
      const namespace = await freshNamespace()
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace }, data: { a: '1' } }
      const created = await core.patchNamespacedConfigMap({ name: 'ssa', namespace, body, fieldManager: 'tester', force: true }, apply)
      assert.deepEqual(created.data, { a: '1' })
      const applied = await core.patchNamespacedConfigMap({ name: 'ssa', namespace, body: { ...body, data: { a: '1', b: '2' } }, fieldManager: 'tester', force: true }, apply)
      assert.deepEqual(applied.data, { a: '1', b: '2' })
      const entry = applied.metadata!.managedFields!.find(m => m.manager === 'tester')
      assert.equal(entry?.operation, 'Apply')
      assert.deepEqual(entry?.fieldsV1, { 'f:data': { 'f:a': {}, 'f:b': {} } })
    })

    it('pages a list with limit and _continue', async () => {
      const namespace = await freshNamespace()
      for (const name of ['a', 'b', 'c']) await core.createNamespacedConfigMap({ namespace, body: { metadata: { name } } })
      const first = await core.listNamespacedConfigMap({ namespace, limit: 2 })
      assert.deepEqual(first.items.map(i => i.metadata!.name), ['a', 'b'])
      assert.equal(first.metadata!.remainingItemCount, 1)
      const second = await core.listNamespacedConfigMap({ namespace, limit: 2, _continue: first.metadata!._continue })
      assert.deepEqual(second.items.map(i => i.metadata!.name), ['c'])
      assert.ok(!second.metadata!._continue, 'the last page has no continue token')
      assert.equal(second.metadata!.resourceVersion, first.metadata!.resourceVersion, 'pages are served at the first page\'s resourceVersion')
    })

    it('round-trips a Secret\'s base64 data', async () => {
      const namespace = await freshNamespace()
      const data = { password: Buffer.from('s3cret').toString('base64') }
      await core.createNamespacedSecret({ namespace, body: { metadata: { name: 'sec' }, type: 'Opaque', data } })
      const read = await core.readNamespacedSecret({ name: 'sec', namespace })
      assert.deepEqual(read.data, data)
      assert.equal(read.type, 'Opaque')
    })

    // Was a bug, fixed: a Secret created with stringData is stored as sent: POST {"metadata":{"name":"sec"},
    // "stringData":{"a":"b"}} answers 201 with "stringData":{"a":"b"}, no "data" and no "type".
    // Upstream merges stringData into data while decoding (v1 → internal conversion; stringData
    // is write-only) and defaults the type: 201 with "data":{"a":"Yg=="},"type":"Opaque".
    it('turns a Secret\'s stringData into base64 data and defaults type Opaque', async () => {
      const namespace = await freshNamespace()
      const created = await core.createNamespacedSecret({ namespace, body: { metadata: { name: 'sec' }, stringData: { a: 'b' } } })
      assert.deepEqual(created.data, { a: 'Yg==' })
      assert.equal(created.stringData, undefined)
      assert.equal(created.type, 'Opaque')
    })

    it('deletes and then reads 404', async () => {
      const namespace = await freshNamespace()
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm' } } })
      await core.deleteNamespacedConfigMap({ name: 'cm', namespace })
      const { code, body } = await rejection(core.readNamespacedConfigMap({ name: 'cm', namespace }))
      assert.equal(code, 404)
      assert.equal(body.message, 'configmaps "cm" not found')
    })

    // Was a bug, fixed: DELETE of a ConfigMap answers 200 with the deleted ConfigMap. Upstream's generic
    // registry (finalizeDelete) returns the object only for stores with ReturnDeletedObject
    // (pods, serviceaccounts, storageclasses, ...); configmaps get
    // {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"cm","kind":"configmaps","uid":"<uid>"}}.
    it('deleting a ConfigMap answers a Success Status naming it, as upstream', async () => {
      const namespace = await freshNamespace()
      const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm' } } })
      const status = await core.deleteNamespacedConfigMap({ name: 'cm', namespace })
      assert.equal(status.kind, 'Status')
      assert.equal(status.status, 'Success')
      assert.deepEqual({ ...status.details }, { name: 'cm', kind: 'configmaps', uid: created.metadata!.uid })
    })

    it('deleting a pod answers the deleted pod (ReturnDeletedObject upstream)', async () => {
      const namespace = await freshNamespace()
      await core.createNamespacedPod({ namespace, body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } })
      const deleted = await core.deleteNamespacedPod({ name: 'p', namespace })
      assert.equal(deleted.kind, 'Pod')
      assert.equal(deleted.metadata!.name, 'p')
    })
  })

  describe('errors are ApiExceptions carrying the Status', () => {
    it('404 NotFound names the resource and object', async () => {
      const { code, body } = await rejection(core.readNamespacedConfigMap({ name: 'nope', namespace: 'default' }))
      assert.equal(code, 404)
      assert.deepEqual(body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'configmaps' }, code: 404 })
    })

    it('404 NotFound for a grouped resource carries details.group', async () => {
      const { code, body } = await rejection(apps.readNamespacedDeployment({ name: 'nope', namespace: 'default' }))
      assert.equal(code, 404)
      assert.equal(body.message, 'deployments.apps "nope" not found')
      assert.deepEqual(body.details, { name: 'nope', group: 'apps', kind: 'deployments' })
    })

    it('409 AlreadyExists when creating an existing name', async () => {
      const namespace = await freshNamespace()
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'twice' } } })
      const { code, body } = await rejection(core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'twice' } } }))
      assert.equal(code, 409)
      assert.equal(body.reason, 'AlreadyExists')
      assert.equal(body.message, 'configmaps "twice" already exists')
    })

    it('422 Invalid with a field cause for an upper-case name', async () => {
      const { code, body } = await rejection(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'Bad' } } }))
      assert.equal(code, 422)
      assert.equal(body.reason, 'Invalid')
      assert.equal(body.details.kind, 'ConfigMap')
      assert.equal(body.details.causes[0].field, 'metadata.name')
      assert.match(body.message, /^ConfigMap "Bad" is invalid: metadata\.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain/)
    })
  })

  describe('AppsV1Api and the scale subresource', () => {
    it('creates a deployment, reads its scale, and scales it with a merge patch and a JSON patch', async () => {
      const namespace = await freshNamespace()
      const deploy: k8s.V1Deployment = {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
        },
      }
      const created = await apps.createNamespacedDeployment({ namespace, body: deploy })
      assert.equal(created.metadata!.generation, 1)
      assert.equal(created.spec!.strategy!.type, 'RollingUpdate')
      const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace })
      assert.equal(scale.kind, 'Scale')
      assert.equal(scale.apiVersion, 'autoscaling/v1')
      assert.equal(scale.spec!.replicas, 2)
      assert.equal(scale.metadata!.resourceVersion, created.metadata!.resourceVersion)
      const merged = await apps.patchNamespacedDeploymentScale({ name: 'web', namespace, body: { spec: { replicas: 5 } } }, merge)
      assert.equal(merged.spec!.replicas, 5)
      const json = await apps.patchNamespacedDeploymentScale({ name: 'web', namespace, body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] })
      assert.equal(json.spec!.replicas, 3)
      const after = await apps.readNamespacedDeployment({ name: 'web', namespace })
      assert.equal(after.spec!.replicas, 3)
      assert.equal(after.metadata!.generation, 3, 'each replica change bumps the generation')
    })
  })

  describe('KubernetesObjectApi', () => {
    it('creates, patches (strategic by default) and reads a ConfigMap through discovery', async () => {
      const namespace = await freshNamespace()
      const api = k8s.KubernetesObjectApi.makeApiClient(kc)
      const created = await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace }, data: { a: '1' } } as k8s.KubernetesObject)
      assert.equal(created.metadata!.name, 'obj')
      const patched = await api.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace }, data: { b: '2' } } as k8s.KubernetesObject) as k8s.V1ConfigMap
      assert.deepEqual(patched.data, { a: '1', b: '2' })
      const read = await api.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace } }) as k8s.V1ConfigMap
      assert.deepEqual(read.data, { a: '1', b: '2' })
      assert.equal(read.metadata!.resourceVersion, patched.metadata!.resourceVersion)
      const merged = await api.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace }, data: { a: null } } as unknown as k8s.KubernetesObject, undefined, undefined, undefined, undefined, k8s.PatchStrategy.MergePatch) as k8s.V1ConfigMap
      assert.deepEqual(merged.data, { b: '2' })
    })

    it('creates a deployment of a non-core group (apps/v1 discovery) and lists it', async () => {
      const namespace = await freshNamespace()
      const api = k8s.KubernetesObjectApi.makeApiClient(kc)
      await api.create({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace },
        spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      } as k8s.KubernetesObject)
      const list = await api.list('apps/v1', 'Deployment', namespace)
      assert.deepEqual(list.items.map(i => i.metadata!.name), ['web'])
    })
  })

  describe('Watch', () => {
    it('sees ADDED, MODIFIED and DELETED for configmaps, each carrying the new resourceVersion', async () => {
      const namespace = await freshNamespace()
      const events = new Recorder<{ type: string, name: string, rv: string, data?: Record<string, string> }>()
      const ended = new Recorder<unknown>()
      const list = await core.listNamespacedConfigMap({ namespace })
      const controller = await new k8s.Watch(kc).watch(`/api/v1/namespaces/${namespace}/configmaps`, { resourceVersion: list.metadata!.resourceVersion },
        (type, obj) => events.push({ type, name: obj.metadata.name, rv: obj.metadata.resourceVersion, data: obj.data }),
        err => ended.push(err))
      const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'w' }, data: { a: '1' } } })
      const modified = await core.patchNamespacedConfigMap({ name: 'w', namespace, body: { data: { a: '2' } } }, merge)
      await core.deleteNamespacedConfigMap({ name: 'w', namespace })
      await events.until(e => e.length >= 3, 'three events')
      controller.abort()
      assert.deepEqual(events.items.map(e => e.type), ['ADDED', 'MODIFIED', 'DELETED'])
      assert.equal(events.items[0].rv, created.metadata!.resourceVersion)
      assert.equal(events.items[1].rv, modified.metadata!.resourceVersion)
      assert.deepEqual(events.items[1].data, { a: '2' })
      assert.ok(Number(events.items[2].rv) > Number(modified.metadata!.resourceVersion), 'DELETED carries a new resourceVersion')
      assert.deepEqual(events.items[2].data, { a: '2' }, 'DELETED carries the last state')
    })

    it('without a resourceVersion starts with a synthetic ADDED per existing object', async () => {
      const namespace = await freshNamespace()
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'one' } } })
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'two' } } })
      const events = new Recorder<string>()
      const controller = await new k8s.Watch(kc).watch(`/api/v1/namespaces/${namespace}/configmaps`, {}, (type, obj) => events.push(`${type} ${obj.metadata.name}`), () => {})
      await events.until(e => e.length >= 2)
      controller.abort()
      assert.deepEqual([...events.items].sort(), ['ADDED one', 'ADDED two'])
    })

    it('reports an HTTP 410 to done() when the resourceVersion was compacted away', async () => {
      const namespace = await freshNamespace()
      const old = (await core.listNamespacedConfigMap({ namespace })).metadata!.resourceVersion!
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'after' } } })
      await s.cp.backend.compact(s.cp.backend.revision)
      const done = new Recorder<any>()
      const events = new Recorder<{ type: string, object: any }>()
      await new k8s.Watch(kc).watch(`/api/v1/namespaces/${namespace}/configmaps`, { resourceVersion: old }, (type, object) => events.push({ type, object }), err => done.push(err))
      const [err] = await done.until(d => d.length > 0)
      // Upstream may also answer 200 with an ERROR event of code 410; both make client-go relist.
      if (err === null) assert.equal(events.items.find(e => e.type === 'ERROR')?.object.code, 410)
      else assert.equal(err.statusCode, 410)
    })
  })

  describe('informers', () => {
    interface Seen { verb: 'add' | 'update' | 'delete', name: string, rv: string, data?: Record<string, string> }

    function record (informer: k8s.Informer<k8s.V1ConfigMap>): Recorder<Seen> {
      const seen = new Recorder<Seen>()
      for (const verb of ['add', 'update', 'delete'] as const) {
        informer.on(verb, (obj: k8s.V1ConfigMap) => seen.push({ verb, name: obj.metadata!.name!, rv: obj.metadata!.resourceVersion!, data: obj.data }))
      }
      return seen
    }

    it('start() resolves, then add, update and delete handlers fire and the cache follows', async () => {
      const namespace = await freshNamespace()
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'pre' }, data: { v: '0' } } })
      const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace }))
      const seen = record(informer)
      const errors = new Recorder<unknown>()
      informer.on('error', errors.push)
      await informer.start()
      try {
        await seen.next(e => e.verb === 'add' && e.name === 'pre', 'the listed object')
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm' }, data: { v: '1' } } })
        await seen.next(e => e.verb === 'add' && e.name === 'cm', 'add cm')
        await core.patchNamespacedConfigMap({ name: 'cm', namespace, body: { data: { v: '2' } } }, merge)
        await seen.next(e => e.verb === 'update' && e.data?.v === '2', 'update cm')
        await core.deleteNamespacedConfigMap({ name: 'cm', namespace })
        await seen.next(e => e.verb === 'delete' && e.name === 'cm', 'delete cm')
        assert.deepEqual(seen.items.map(e => `${e.verb} ${e.name}`), ['add pre', 'add cm', 'update cm', 'delete cm'])
        assert.deepEqual(informer.list(namespace).map(o => o.metadata!.name), ['pre'])
        assert.equal(informer.get('pre', namespace)?.data?.v, '0')
        assert.deepEqual(errors.items, [])
      } finally {
        await informer.stop()
      }
    })

    it('filters by label selector', async () => {
      const namespace = await freshNamespace()
      const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace, labelSelector: 'team=a' }), 'team=a')
      const seen = record(informer)
      await informer.start()
      try {
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'b', labels: { team: 'b' } } } })
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'a', labels: { team: 'a' } } } })
        await seen.next(e => e.name === 'a')
        // Relabelling out of the selector is a DELETED for the watcher (upstream's transition).
        await core.patchNamespacedConfigMap({ name: 'a', namespace, body: { metadata: { labels: { team: 'b' } } } }, merge)
        await seen.next(e => e.verb === 'delete' && e.name === 'a')
        assert.deepEqual(seen.items.map(e => `${e.verb} ${e.name}`), ['add a', 'delete a'])
      } finally {
        await informer.stop()
      }
    })

    it('keeps working across a compaction, and after a re-watch from a compacted resourceVersion relists (410) and reports the difference', async () => {
      const namespace = await freshNamespace()
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'stays' }, data: { v: '1' } } })
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'goes' } } })
      let lists = 0
      const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => { lists++; return core.listNamespacedConfigMap({ namespace }) })
      const seen = record(informer)
      const errors = new Recorder<unknown>()
      informer.on('error', errors.push)
      await informer.start()
      try {
        await seen.until(e => e.filter(x => x.verb === 'add').length === 2)
        // A compaction does not disturb a live watch: the next write still arrives.
        await s.cp.backend.compact(s.cp.backend.revision)
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'live' } } })
        await seen.next(e => e.verb === 'add' && e.name === 'live', 'add live after compaction')
        assert.equal(lists, 1)

        // Stop, change things, compact past the informer's resourceVersion, start again: the
        // watch from the old resourceVersion gets 410, the informer relists and diffs.
        await informer.stop()
        seen.clear()
        await core.patchNamespacedConfigMap({ name: 'stays', namespace, body: { data: { v: '2' } } }, merge)
        await core.deleteNamespacedConfigMap({ name: 'goes', namespace })
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'new' } } })
        await s.cp.backend.compact(s.cp.backend.revision)
        await informer.start()
        await seen.until(e => e.length >= 3, 'the relist differences')
        assert.equal(lists, 2, 'the 410 made the informer relist')
        assert.deepEqual(seen.items.map(e => `${e.verb} ${e.name}`).sort(), ['add new', 'delete goes', 'update stays'])
        // stop() aborts the watch request, which client-node reports as an AbortError: its own doing.
        assert.deepEqual(errors.items.filter(e => (e as Error).name !== 'AbortError'), [])

        // ... and the watch after the relist delivers live events again.
        await core.deleteNamespacedConfigMap({ name: 'live', namespace })
        await seen.next(e => e.verb === 'delete' && e.name === 'live', 'delete live after the relist')
        assert.deepEqual(informer.list(namespace).map(o => o.metadata!.name).sort(), ['new', 'stays'])
      } finally {
        await informer.stop()
      }
    })
  })

  describe('authentication', () => {
    it('a hand-built KubeConfig with the CA and a bearer token works', async () => {
      const { server, ca } = credentialsOf(s.cp.kubeconfig())
      const byToken = new k8s.KubeConfig()
      byToken.loadFromOptions({
        clusters: [{ name: 'k3sim', server, caData: Buffer.from(ca).toString('base64'), skipTLSVerify: false }],
        users: [{ name: 'admin', token: s.cp.token }],
        contexts: [{ name: 'k3sim', cluster: 'k3sim', user: 'admin' }],
        currentContext: 'k3sim',
      })
      const api = byToken.makeApiClient(k8s.CoreV1Api)
      const created = await api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'by-token' } } })
      assert.equal(created.metadata!.name, 'by-token')
      assert.ok((await api.listNamespace()).items.length >= 4)
      const events = new Recorder<string>()
      const controller = await new k8s.Watch(byToken).watch('/api/v1/namespaces/default/configmaps', { fieldSelector: 'metadata.name=by-token' }, (type, obj) => events.push(`${type} ${obj.metadata.name}`), () => {})
      await events.until(e => e.length > 0)
      controller.abort()
      assert.deepEqual(events.items, ['ADDED by-token'])
    })

    it('a wrong token is 401 Unauthorized', async () => {
      const { server, ca } = credentialsOf(s.cp.kubeconfig())
      const wrong = new k8s.KubeConfig()
      wrong.loadFromOptions({
        clusters: [{ name: 'k3sim', server, caData: Buffer.from(ca).toString('base64') }],
        users: [{ name: 'admin', token: 'not-the-token' }],
        contexts: [{ name: 'k3sim', cluster: 'k3sim', user: 'admin' }],
        currentContext: 'k3sim',
      })
      try {
        await wrong.makeApiClient(k8s.CoreV1Api).listNamespace()
        assert.fail('expected 401')
      } catch (err) {
        assert.ok(err instanceof k8s.ApiException)
        assert.equal(err.code, 401)
      }
    })
  })
})
