// The real kubectl (v1.32 through the machine's dispatcher) against an in-process k3sim API
// server over HTTPS with the admin client certificate: apply, get in every output format,
// selectors, watch, describe and the write commands, each asserting what kubectl prints.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { startTestServer, type TestServer } from '../support/kubectl.ts'
import { RawClient } from '../support/raw-https.ts'

const manifests = join(import.meta.dirname, '..', '..', 'fixtures', 'manifests')

describe('kubectl against k3sim: basics', function () {
  let s: TestServer
  before(async () => { s = await startTestServer() })
  after(async () => { await s.stop() })

  const ok = (args: string[], input?: string): Promise<string> => s.ok(args, input)

  it('reports the server version k3s v1.32 reports', async () => {
    const out = await ok(['version'])
    assert.match(out, /Server Version: v1\.32\.3\+k3s1/)
  })

  it('lists the API resources from discovery', async () => {
    const out = await ok(['api-resources'])
    assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m)
    assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m)
    assert.match(out, /^nodes\s+no\s+v1\s+false\s+Node$/m)
  })

  it('applies a multi-document file, then reports unchanged and configured', async () => {
    const file = join(manifests, 'web.yaml')
    assert.equal(await ok(['apply', '-f', file]), 'namespace/shop created\ndeployment.apps/web created\nservice/web created\nconfigmap/web-config created\n')
    assert.equal(await ok(['apply', '-f', file]), 'namespace/shop unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\nconfigmap/web-config unchanged\n')
    const changed = (await import('node:fs')).readFileSync(file, 'utf8').replace('greeting: hello', 'greeting: bonjour')
    assert.match(await ok(['apply', '-f', '-'], changed), /configmap\/web-config configured/)
    assert.equal(await ok(['get', 'cm', 'web-config', '-n', 'shop', '-o', 'jsonpath={.data.greeting}']), 'bonjour')
  })

  it('prints tables with the default and wide columns', async () => {
    const out = await ok(['get', 'deploy', '-n', 'shop'])
    assert.match(out, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2\s+0\s+0\s+\d+s\n$/)
    const wide = await ok(['get', 'deploy', '-n', 'shop', '-o', 'wide'])
    assert.match(wide, /CONTAINERS\s+IMAGES\s+SELECTOR/)
    assert.match(wide, /nginx\s+nginx:1\.27\s+app=web/)
    const svc = await ok(['get', 'svc', '-n', 'shop'])
    assert.match(svc, /^web\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/m)
  })

  it('prints objects as yaml, json, jsonpath and custom columns', async () => {
    const yaml = await ok(['get', 'cm', 'web-config', '-n', 'shop', '-o', 'yaml'])
    assert.match(yaml, /^apiVersion: v1\ndata:\n {2}greeting: bonjour\nkind: ConfigMap\n/)
    const json = JSON.parse(await ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'json']))
    assert.equal(json.spec.strategy.rollingUpdate.maxSurge, '25%')
    assert.equal(json.metadata.generation, 1)
    const cols = await ok(['get', 'cm', '-n', 'shop', '-o', 'custom-columns=NAME:.metadata.name,VALUE:.data.greeting'])
    assert.match(cols, /^NAME\s+VALUE\n(kube-root-ca\.crt\s+<none>\n)?web-config\s+bonjour\n$/)
  })

  it('filters with label and field selectors, and across namespaces', async () => {
    assert.equal(await ok(['get', 'cm', '-n', 'shop', '-l', 'app=web', '-o', 'name']), 'configmap/web-config\n')
    assert.equal(await ok(['get', 'cm', '-n', 'shop', '-l', 'app!=web', '-o', 'name']), '')
    assert.equal(await ok(['get', 'svc', '-A', '--field-selector', 'metadata.name=web', '-o', 'name']), 'service/web\n')
    const all = await ok(['get', 'svc', '-A'])
    assert.match(all, /^NAMESPACE\s+NAME\s+TYPE/)
    assert.match(all, /^default\s+kubernetes\s+ClusterIP\s+10\.43\.0\.1\s+<none>\s+443\/TCP/m)
    const bad = await s.kubectl(['get', 'cm', '--field-selector', 'spec.nope=1'])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /field label not supported: spec\.nope/)
  })

  it('watches with -w and sees a change as it happens', async () => {
    const child = spawn('kubectl', ['get', 'cm', '-n', 'shop', '-w', '-o', 'name'], { env: { PATH: process.env.PATH, HOME: s.home, KUBECONFIG: s.kubeconfig } })
    let out = ''
    const seen = new Promise<void>(resolve => child.stdout.on('data', (c: Buffer) => { out += c.toString(); if (out.includes('configmap/watched')) resolve() }))
    await new Promise<void>(resolve => child.stdout.once('data', () => resolve()))
    await ok(['create', 'configmap', 'watched', '-n', 'shop', '--from-literal=a=b'])
    await seen
    child.kill()
    assert.match(out, /configmap\/web-config\n/)
    assert.match(out, /configmap\/watched\n/)
  })

  it('explains fields from the served OpenAPI schemas', async () => {
    const out = await ok(['explain', 'deployment.spec.replicas'])
    assert.match(out, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/)
    assert.match(out, /^FIELD: replicas <integer>$/m)
    const pods = await ok(['explain', 'pods.spec.containers.image'])
    assert.match(pods, /^FIELD: image <string>$/m)
  })

  it('lists `get all` and shows events', async () => {
    const all = await ok(['get', 'all', '-n', 'shop'])
    assert.match(all, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nservice\/web\s+ClusterIP/m)
    assert.match(all, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndeployment\.apps\/web\s+0\/2/m)
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'shop' }, involvedObject: { kind: 'Deployment', name: 'web', namespace: 'shop' }, reason: 'Tested', message: 'an event for the test', type: 'Normal', source: { component: 'test' }, count: 1, firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }))
    const events = await ok(['events', '-n', 'shop'])
    assert.match(events, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n\d+s\s+Normal\s+Tested\s+Deployment\/web\s+an event for the test$/m)
  })

  it('describes a service', async () => {
    const out = await ok(['describe', 'svc', 'web', '-n', 'shop'])
    assert.match(out, /^Name:\s+web$/m)
    assert.match(out, /^Namespace:\s+shop$/m)
    assert.match(out, /^Selector:\s+app=web$/m)
    assert.match(out, /^Port:\s+<unset>\s+80\/TCP$/m)
  })
  it('has the system PriorityClasses from the start, and refuses to delete them', async () => {
    const out = await ok(['get', 'pc'])
    assert.match(out, /^system-cluster-critical\s+2000000000\s+false\s+\d+[sm]\s+PreemptLowerPriority\nsystem-node-critical\s+2000001000\s+false\s+\d+[sm]\s+PreemptLowerPriority\n$/m)
    const r = await s.kubectl(['delete', 'pc', 'system-node-critical'])
    assert.equal(r.stderr, 'Error from server (Forbidden): priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted\n')
  })

  it('has no logs for a pod not yet scheduled: 204 No Content, and kubectl logs prints nothing', async () => {
    await ok(['run', 'p3', '--image=busybox'])
    const r = await s.kubectl(['logs', 'p3'])
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', ''])
    const c = new RawClient(s.cp.kubeconfig())
    for (const query of ['', '?follow=true']) {
      const raw = await c.get(`/api/v1/namespaces/default/pods/p3/log${query}`)
      assert.deepEqual([raw.status, raw.text], [204, ''])
    }
    // The container is checked first, as upstream's LogLocation does.
    const bad = await c.get('/api/v1/namespaces/default/pods/p3/log?container=nope')
    assert.deepEqual([bad.status, bad.json.message], [400, 'container nope is not valid for pod p3'])
  })

  it('creates service account tokens that authenticate as the account', async () => {
    const token = (await ok(['create', 'token', 'default'])).trim()
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'))
    assert.equal(claims.sub, 'system:serviceaccount:default:default')
    const whoami = await ok(['--token', token, 'auth', 'whoami'])
    assert.match(whoami, /^Username\s+system:serviceaccount:default:default$/m)
    assert.match(whoami, /^Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]$/m)
    const tampered = await s.kubectl(['--token', `${token.slice(0, -6)}AAAAAA`, 'get', 'ns'])
    assert.notEqual(tampered.code, 0)
    assert.match(tampered.stderr, /You must be logged in to the server \(Unauthorized\)/)
    const short = await s.kubectl(['create', 'token', 'default', '--duration', '5m'])
    assert.equal(short.stderr.trim(), 'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes')
    const missing = await s.kubectl(['create', 'token', 'ghost'])
    assert.equal(missing.stderr.trim(), 'error: failed to create token: serviceaccounts "ghost" not found')
    // A deleted account's tokens stop working once kube-apiserver's 10 s cache forgets them:
    // test/apiserver/token-request.test.ts checks that on a virtual clock.
  })
})
