// The field manager of a write without ?fieldManager: the User-Agent up to its first '/'
// (upstream's managerOrUserAgent), so k3s's own components show as `k3s`, as on a real k3s.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import { prefixFromUserAgent } from '../../src/apiserver/handlers/field-manager.ts'
import { Cluster } from '../../src/index.ts'
import { json } from '../support/bad-requests.ts'
import { startTestServer, type TestServer } from '../support/kubectl.ts'
import { RawClient } from '../support/raw-https.ts'

const managers = (o: KubeObject): string[] => (o.metadata.managedFields ?? []).map(e => `${e.manager}/${e.operation}${e.subresource === undefined ? '' : `/${e.subresource}`}`)

describe('apiserver field manager from the User-Agent', () => {
  describe('prefixFromUserAgent', () => {
    const cases: Array<[string, string, string]> = [
      ['kubectl\'s agent gives kubectl', 'kubectl/v1.32.4 (linux/amd64) kubernetes/abcdef0', 'kubectl'],
      ['k3s\'s components give k3s', 'k3s/v1.32.3+k3s1 (linux/amd64) kubernetes/079ffa8/deployment-controller', 'k3s'],
      ['no slash: the whole agent', 'curl 8.5', 'curl 8.5'],
      ['unprintable characters are dropped', 'my\ttool\u0000/1.0', 'mytool'],
      ['empty stays empty', '', ''],
    ]
    for (const [name, agent, want] of cases) it(name, () => assert.equal(prefixFromUserAgent(agent), want))

    it('is cut at 128 bytes, never inside a character', () => {
      assert.equal(prefixFromUserAgent('a'.repeat(200)), 'a'.repeat(128))
      assert.equal(prefixFromUserAgent('é'.repeat(100)), 'é'.repeat(64))
      assert.equal(prefixFromUserAgent(`a${'é'.repeat(100)}`), `a${'é'.repeat(63)}`)
    })
  })

  describe('over HTTPS', () => {
    let s: TestServer
    let c: RawClient
    before(async () => { s = await startTestServer(); c = new RawClient(s.cp.kubeconfig()) })
    after(async () => { await s.stop() })

    it('records the agent\'s prefix, and ?fieldManager when given', async () => {
      const cms = '/api/v1/namespaces/default/configmaps'
      const byAgent = await c.send({ ...json('POST', cms, { metadata: { name: 'by-agent' }, data: { a: '1' } }), headers: { 'Content-Type': 'application/json', 'User-Agent': 'my-tool/1.2 (linux/amd64)' } })
      assert.equal(byAgent.status, 201, byAgent.text)
      assert.deepEqual(managers(byAgent.json), ['my-tool/Update'])
      const named = await c.send({ ...json('POST', `${cms}?fieldManager=explicit`, { metadata: { name: 'named' }, data: { a: '1' } }), headers: { 'Content-Type': 'application/json', 'User-Agent': 'my-tool/1.2' } })
      assert.deepEqual(managers(named.json), ['explicit/Update'])
      const patched = await c.send({ method: 'PATCH', path: `${cms}/by-agent`, body: JSON.stringify({ data: { k: 'v' } }), headers: { 'Content-Type': 'application/merge-patch+json', 'User-Agent': 'other/0.1' } })
      assert.equal(patched.status, 200, patched.text)
      assert.deepEqual(managers(patched.json), ['my-tool/Update', 'other/Update'])
      const utf8 = Buffer.from('tëst…/1.0', 'utf8').toString('latin1') // the UTF-8 bytes on the wire
      const nonAscii = await c.send({ ...json('POST', cms, { metadata: { name: 'non-ascii' }, data: { a: '1' } }), headers: { 'Content-Type': 'application/json', 'User-Agent': utf8 } })
      assert.deepEqual(managers(nonAscii.json), ['tëst…/Update'])
      const anonymous = await c.send({ ...json('POST', cms, { metadata: { name: 'anonymous' }, data: { a: '1' } }), headers: { 'Content-Type': 'application/json', 'User-Agent': '' } })
      assert.equal(anonymous.status, 201, anonymous.text)
      assert.deepEqual(anonymous.json.metadata.managedFields.map((e: Record<string, unknown>) => Object.keys(e)), [['operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']])
      const again = await c.send({ method: 'PATCH', path: `${cms}/anonymous`, body: JSON.stringify({ data: { b: '2' } }), headers: { 'Content-Type': 'application/merge-patch+json', 'User-Agent': '' } })
      assert.deepEqual(again.json.metadata.managedFields.map((e: Record<string, unknown>) => [e.manager, e.fieldsV1]), [[undefined, { 'f:data': { 'f:a': {}, 'f:b': {} } }]])
    })
  })

  describe('in a cluster', () => {
    let cluster: Cluster
    before(async () => { cluster = await Cluster.start({ agents: 0, clock: 'virtual', disable: [...ADDON_NAMES] }) })
    after(async () => { await cluster.stop() })

    it('the user\'s client writes as k3sim, the controllers and the kubelet as k3s', async () => {
      await cluster.client.create({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
      } as KubeObject)
      await cluster.settle()
      const deploy = await cluster.client.get('apps/v1', 'Deployment', 'default', 'web')
      // The revision annotation comes with the status write, as upstream's UpdateStatus carries it.
      assert.deepEqual(managers(deploy), ['k3sim/Update', 'k3s/Update/status'])
      assert.equal(deploy.metadata.annotations?.['deployment.kubernetes.io/revision'], '1')
      // …and the status entry owns it, next to the status, as on a real cluster.
      const owned = deploy.metadata.managedFields![1].fieldsV1 as Record<string, Record<string, unknown>>
      assert.deepEqual(Object.keys(owned), ['f:metadata', 'f:status'])
      assert.ok('f:deployment.kubernetes.io/revision' in ((owned['f:metadata'] as Record<string, Record<string, unknown>>)['f:annotations'] ?? {}), JSON.stringify(owned))
      const [pod] = (await cluster.client.list('v1', 'Pod', { namespace: 'default' })).items
      assert.deepEqual(managers(pod), ['k3s/Update', 'k3s/Update/status'])
      const [slice] = (await cluster.client.list('discovery.k8s.io/v1', 'EndpointSlice', { namespace: 'default' })).items
      assert.deepEqual(managers(slice), ['k3s/Update'])
    })

    it('the namespace controller writes a terminating namespace\'s status as k3s', async () => {
      await cluster.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'going' } })
      await cluster.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: 'going', finalizers: ['example.com/hold'] } })
      await cluster.client.delete('v1', 'Namespace', undefined, 'going')
      await cluster.settle()
      const ns = await cluster.client.get('v1', 'Namespace', undefined, 'going')
      assert.deepEqual(managers(ns).filter(m => m.endsWith('/status')), ['k3s/Update/status'])
      await cluster.client.patch('v1', 'ConfigMap', 'going', 'held', { metadata: { finalizers: null } })
      await cluster.settle()
    })
  })
})
