// CustomResourceDefinitions with the real kubectl: a CRD is served as soon as it is created
// (discovery, CRUD, printer columns, status subresource, schema defaulting and validation),
// and deleting it removes its custom resources.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { startTestServer, type TestServer } from '../support/kubectl.ts'

const crdFile = join(import.meta.dirname, '..', '..', 'fixtures', 'manifests', 'crontab-crd.yaml')
const cronTab = (name: string, spec: Record<string, unknown>): string =>
  JSON.stringify({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name, namespace: 'default' }, spec })

describe('kubectl against k3sim: custom resources', function () {
  let s: TestServer
  before(async () => { s = await startTestServer() })
  after(async () => { await s.stop() })

  const run = (args: string[], input?: string) => s.kubectl(args, { input })
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await run(args, input)
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }

  it('serves a CRD\'s resources as soon as it is applied', async () => {
    assert.equal(await ok(['apply', '-f', crdFile]), 'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n')
    const crd = JSON.parse(await ok(['get', 'crd', 'crontabs.stable.example.com', '-o', 'json']))
    assert.deepEqual(crd.status.conditions.map((c: { type: string, status: string }) => [c.type, c.status]), [['NamesAccepted', 'True'], ['Established', 'True']])
    assert.equal(await ok(['apply', '-f', '-'], cronTab('every-minute', { cronSpec: '* * * * */5', image: 'my-cron' })), 'crontab.stable.example.com/every-minute created\n')
    assert.match(await ok(['api-resources', '--api-group=stable.example.com']), /^crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab$/m)
  })

  it('prints the CRD\'s columns and applies schema defaults', async () => {
    const out = await ok(['get', 'ct'])
    assert.match(out, /^NAME\s+SPEC\s+REPLICAS\s+AGE\nevery-minute\s+\* \* \* \* \*\/5\s+1\s+\d+s\n$/)
  })

  it('validates against the schema with upstream\'s messages', async () => {
    const r = await run(['apply', '-f', '-'], cronTab('bad', { cronSpec: 'nope', replicas: 20 }))
    assert.equal(r.code, 1)
    assert.match(r.stderr, /The CronTab "bad" is invalid:/)
    assert.match(r.stderr, /spec\.cronSpec: Invalid value: "nope": spec\.cronSpec in body should match/)
    assert.match(r.stderr, /spec\.replicas: Invalid value: 20: spec\.replicas in body should be less than or equal to 10/)
    const missing = await run(['apply', '-f', '-'], cronTab('bad2', { image: 'x' }))
    assert.match(missing.stderr, /spec\.cronSpec: Required value/)
  })

  it('keeps status out of main writes and spec out of status writes', async () => {
    await ok(['patch', 'ct', 'every-minute', '--type', 'merge', '-p', '{"status":{"ready":true}}'])
    assert.equal(await ok(['get', 'ct', 'every-minute', '-o', 'jsonpath={.status}']), '')
    await ok(['patch', 'ct', 'every-minute', '--subresource=status', '--type', 'merge', '-p', '{"status":{"ready":true},"spec":{"image":"ignored"}}'])
    assert.equal(await ok(['get', 'ct', 'every-minute', '-o', 'jsonpath={.status.ready} {.spec.image}']), 'true my-cron')
  })

  it('refuses a strategic merge patch on a custom resource (415), as apiextensions does; merge and json patches apply', async () => {
    const r = await run(['patch', 'ct', 'every-minute', '-p', '{"spec":{"image":"other"}}'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'error: application/strategic-merge-patch+json is not supported by stable.example.com/v1, Kind=CronTab: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n')
    await ok(['patch', 'ct', 'every-minute', '--type', 'merge', '-p', '{"spec":{"image":"other"}}'])
    await ok(['patch', 'ct', 'every-minute', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/image","value":"my-cron"}]'])
    assert.equal(await ok(['get', 'ct', 'every-minute', '-o', 'jsonpath={.spec.image}']), 'my-cron')
  })

  it('scales a custom resource through its scale subresource', async () => {
    assert.equal(await ok(['scale', 'ct', 'every-minute', '--replicas=3']), 'crontab.stable.example.com/every-minute scaled\n')
    assert.equal(await ok(['get', 'ct', 'every-minute', '-o', 'jsonpath={.spec.replicas}']), '3')
  })

  it('removes the custom resources with their CRD', async () => {
    assert.match(await ok(['delete', 'crd', 'crontabs.stable.example.com']), /customresourcedefinition\.apiextensions\.k8s\.io "crontabs\.stable\.example\.com" deleted/)
    const r = await run(['get', 'crontabs.stable.example.com'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /the server doesn't have a resource type "crontabs"/)
    const rows = await s.cp.backend.range({ key: '/registry/stable.example.com/', rangeEnd: '/registry/stable.example.com0', countOnly: true })
    assert.equal(rows.count, 0)
  })
})
