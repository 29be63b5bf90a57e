// traefik.io's CRDs as a fresh k3s serves them: what a k3s user writes (IngressRoutes,
// Middlewares, TLSOptions...) is validated on the schema's required fields, types and enums with
// apiextensions' messages, unknown fields are pruned, and the open parts are kept as written.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { Cluster } from '../../../src/cluster/cluster.ts'

const traefik = (kind: string, name: string, spec: unknown): KubeObject =>
  ({ apiVersion: 'traefik.io/v1alpha1', kind, metadata: { name, namespace: 'default' }, spec } as KubeObject)

describe('traefik.io CRDs on a fresh cluster', function () {
  let cluster: Cluster
  before(async () => { cluster = await Cluster.start({ clock: 'virtual', seed: 1, disable: ['coredns', 'metrics-server', 'local-storage'] }) })
  after(async () => { await cluster?.stop() })

  const rejects = async (obj: KubeObject, message: string): Promise<void> => {
    await assert.rejects(cluster.client.create(obj), (err: Error & { status?: { code: number, reason: string } }) => {
      assert.equal(err.status?.code, 422, err.message)
      assert.equal(err.status?.reason, 'Invalid')
      assert.equal(err.message, message)
      return true
    })
  }

  const cases: Array<{ name: string, obj: KubeObject, message: string }> = [
    {
      name: 'an IngressRoute needs spec',
      obj: { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'a', namespace: 'default' } },
      message: 'IngressRoute.traefik.io "a" is invalid: spec: Required value',
    },
    {
      name: 'an IngressRoute needs routes',
      obj: traefik('IngressRoute', 'b', { entryPoints: ['web'] }),
      message: 'IngressRoute.traefik.io "b" is invalid: spec.routes: Required value',
    },
    {
      name: 'a route needs match, and its service a name',
      obj: traefik('IngressRoute', 'c', { routes: [{ kind: 'Rule', services: [{ port: 80 }] }] }),
      message: 'IngressRoute.traefik.io "c" is invalid: [spec.routes[0].services[0].name: Required value, spec.routes[0].match: Required value]',
    },
    {
      name: 'a route\'s kind is Rule',
      obj: traefik('IngressRoute', 'd', { routes: [{ match: 'Host(`a`)', kind: 'Path' }] }),
      message: 'IngressRoute.traefik.io "d" is invalid: spec.routes[0].kind: Unsupported value: "Path": supported values: "Rule"',
    },
    {
      name: 'a service port is a number or a name, not a boolean',
      obj: traefik('IngressRoute', 'e', { routes: [{ match: 'Host(`a`)', services: [{ name: 's', port: true }] }] }),
      message: 'IngressRoute.traefik.io "e" is invalid: spec.routes[0].services[0].port: Invalid value: "boolean": spec.routes[0].services[0].port in body must be of type integer,string: "boolean"',
    },
    {
      name: 'a TCP service needs a port',
      obj: traefik('IngressRouteTCP', 'f', { routes: [{ match: 'HostSNI(`*`)', services: [{ name: 'db' }] }] }),
      message: 'IngressRouteTCP.traefik.io "f" is invalid: spec.routes[0].services[0].port: Required value',
    },
    {
      name: 'stripPrefix takes a list of prefixes',
      obj: traefik('Middleware', 'g', { stripPrefix: { prefixes: '/app' } }),
      message: 'Middleware.traefik.io "g" is invalid: spec.stripPrefix.prefixes: Invalid value: "string": spec.stripPrefix.prefixes in body must be of type array: "string"',
    },
    {
      name: 'a TLSOption\'s clientAuthType is one of Go\'s tls.ClientAuthType names',
      obj: traefik('TLSOption', 'h', { clientAuth: { clientAuthType: 'Always' } }),
      message: 'TLSOption.traefik.io "h" is invalid: spec.clientAuth.clientAuthType: Unsupported value: "Always": supported values: "NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"',
    },
  ]
  for (const c of cases) it(`refuses: ${c.name}`, async () => { await rejects(c.obj, c.message) })

  it('stores a valid IngressRoute with a named port; unknown fields are pruned', async () => {
    const created = await cluster.client.create(traefik('IngressRoute', 'web', {
      entryPoints: ['web', 'websecure'],
      routes: [{ match: 'Host(`example.com`)', kind: 'Rule', priority: 10, services: [{ name: 'nginx', port: 'http', weight: 1 }], extra: 1 }],
      tls: { secretName: 'example-tls' },
      bogus: true,
    }))
    assert.deepEqual(created.spec, {
      entryPoints: ['web', 'websecure'],
      routes: [{ match: 'Host(`example.com`)', kind: 'Rule', priority: 10, services: [{ name: 'nginx', port: 'http', weight: 1 }] }],
      tls: { secretName: 'example-tls' },
    })
  })

  it('keeps the middlewares it does not type as written, and prunes unknown ones', async () => {
    const headers = { customRequestHeaders: { 'X-Script-Name': 'test' }, sslRedirect: true, accessControlAllowMethods: ['GET'] }
    const created = await cluster.client.create(traefik('Middleware', 'hdr', { headers, notAMiddleware: {} }))
    assert.deepEqual(created.spec, { headers })
  })

  it('serves the cluster-scoped ETCDSnapshotFile kind, empty', async () => {
    assert.deepEqual((await cluster.client.list('k3s.cattle.io/v1', 'ETCDSnapshotFile')).items, [])
    const crd = await cluster.client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'etcdsnapshotfiles.k3s.cattle.io')
    assert.equal((crd.spec as { scope: string }).scope, 'Cluster')
    const created = await cluster.client.create({ apiVersion: 'k3s.cattle.io/v1', kind: 'ETCDSnapshotFile', metadata: { name: 'on-demand-server-0-1' }, spec: { snapshotName: 'on-demand-server-0-1', nodeName: 'server-0', location: 'file:///var/lib/rancher/k3s/server/db/snapshots/on-demand-server-0-1' } } as KubeObject)
    assert.equal(created.metadata.namespace, undefined)
  })
})
