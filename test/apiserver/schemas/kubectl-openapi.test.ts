// The real kubectl (1.32) reading our OpenAPI v3 documents: explain renders them, and apply
// builds its strategic merge patch from their x-kubernetes-patch-* extensions.
import assert from 'node:assert/strict'
import express from 'express'
import { startOpenapiServer, type OpenapiServer } from './openapi-server.ts'

const LIVE_PATH = '/apis/apps/v1/namespaces/default/deployments/web'
const manifest = (env: string): object => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx', env: [{ name: 'MODE', value: env }] }] } },
  },
})

describe('kubectl against our OpenAPI v3', function () {
  this.timeout(120_000)
  let server: OpenapiServer
  const patches: Array<{ type: string | undefined, query: Record<string, unknown>, body: unknown }> = []

  before(async () => {
    const live = { ...manifest('old'), metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '1', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(manifest('old')) } } }
    server = await startOpenapiServer(app => {
      app.get(LIVE_PATH, (_req, res) => { res.json(live) })
      app.patch(LIVE_PATH, express.json({ type: () => true }), (req, res) => {
        patches.push({ type: req.headers['content-type'], query: req.query, body: req.body })
        res.json(live)
      })
    })
  })
  after(async () => { await server?.stop() })

  it('explain deployment.spec.replicas prints the field as upstream does', async () => {
    const r = await server.kubectl(['explain', 'deployment.spec.replicas'])
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.split('\n')
    assert.deepEqual(lines.slice(0, 3), ['GROUP:      apps', 'KIND:       Deployment', 'VERSION:    v1'])
    assert.ok(lines.includes('FIELD: replicas <integer>'), r.stdout)
    assert.ok(lines.includes('DESCRIPTION:'), r.stdout)
    assert.match(r.stdout, /\n {4}Number of desired pods\. This is a pointer to distinguish between explicit\n/)
  })

  it('explain pods --recursive walks the whole Pod schema', async () => {
    const r = await server.kubectl(['explain', 'pods', '--recursive'])
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.split('\n')
    assert.deepEqual(lines.slice(0, 2), ['KIND:       Pod', 'VERSION:    v1'])
    for (const want of ['  metadata\t<ObjectMeta>', '    creationTimestamp\t<string>', '      uid\t<string> -required-', '  spec\t<PodSpec>',
      '    containers\t<[]Container> -required-', '      imagePullPolicy\t<string>', '        limits\t<map[string]Quantity>', '            port\t<IntOrString> -required-', '  status\t<PodStatus>']) {
      assert.ok(lines.includes(want), `missing ${JSON.stringify(want)}`)
    }
  })

  it('explain follows $refs through other groups (apps Deployment → core PodSpec) and lists field descriptions', async () => {
    const r = await server.kubectl(['explain', 'deploy.spec.template.spec.containers'])
    assert.equal(r.code, 0, r.stderr)
    assert.ok(r.stdout.includes('FIELD: containers <[]Container>'), r.stdout)
    assert.match(r.stdout, /\n {2}env\t<\[\]EnvVar>\n {4}List of environment variables to set in the container\./)
  })

  it('apply sends a strategic merge patch that merges containers by name', async () => {
    const r = await server.kubectl(['apply', '-f', '-'], JSON.stringify(manifest('new')))
    assert.equal(r.code, 0, r.stderr)
    assert.ok(!r.stderr.includes('error calculating patch from openapi'), r.stderr)
    assert.equal(patches.length, 1)
    assert.equal(patches[0]!.type, 'application/strategic-merge-patch+json')
    assert.equal(patches[0]!.query.fieldValidation, 'Strict')
    const spec = (patches[0]!.body as any).spec.template.spec
    assert.deepEqual(spec['$setElementOrder/containers'], [{ name: 'app' }])
    assert.deepEqual(spec.containers, [{ name: 'app', '$setElementOrder/env': [{ name: 'MODE' }], env: [{ name: 'MODE', value: 'new' }] }])
  })
})
