// Server-side apply keys ports as structured-merge-diff does, by number and protocol: 53/UDP and
// 53/TCP (kube-dns, coredns) stay two ports when a manifest is applied over itself (the strategic
// merge's key, the number alone, had folded them into one: every k3sim restart re-applies coredns).
import assert from 'node:assert/strict'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

const dnsPorts = [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }]

describe('server-side apply: ports by number and protocol', () => {
  it('keeps a Service\'s 53/UDP and 53/TCP apart, re-applied, and keys their fields by both', async () => {
    const { client: c } = await startCore({ serviceAccounts: false })
    const svc = (ports: Json[]): any => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'default' }, spec: { selector: { k8s: 'dns' }, ports } })
    const apply = (ports: Json[]): Promise<Json> => c.patch('v1', 'Service', 'default', 'kube-dns', svc(ports), { type: 'apply', fieldManager: 'deploy' } as never) as Promise<Json>
    await apply(dnsPorts)
    const again = await apply(dnsPorts)
    assert.deepEqual(again.spec.ports.map((p: Json) => `${p.name} ${p.port}/${p.protocol}`), ['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP'])
    const owned = (again.metadata.managedFields as Json[]).find(e => e.manager === 'deploy')!.fieldsV1['f:spec']['f:ports']
    assert.deepEqual(Object.keys(owned), ['k:{"port":53,"protocol":"UDP"}', 'k:{"port":53,"protocol":"TCP"}', 'k:{"port":9153,"protocol":"TCP"}'])
    const renamed = await apply([{ ...dnsPorts[0], name: 'dns-udp' }, dnsPorts[1], dnsPorts[2]])
    assert.deepEqual(renamed.spec.ports.map((p: Json) => p.name), ['dns-udp', 'dns-tcp', 'metrics'], 'the port keyed by 53/UDP took the new name')
  })

  it('keeps a container\'s 53/UDP and 53/TCP apart in a Deployment\'s template, re-applied', async () => {
    const { client: c } = await startCore({ serviceAccounts: false })
    const ports = dnsPorts.map(p => ({ name: p.name, containerPort: p.port, protocol: p.protocol }))
    const deploy: any = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: 'default' },
      spec: { selector: { matchLabels: { k8s: 'dns' } }, template: { metadata: { labels: { k8s: 'dns' } }, spec: { containers: [{ name: 'coredns', image: 'coredns', ports }] } } },
    }
    const apply = (): Promise<Json> => c.patch('apps/v1', 'Deployment', 'default', 'coredns', deploy, { type: 'apply', fieldManager: 'deploy' } as never) as Promise<Json>
    await apply()
    const again = await apply()
    assert.deepEqual(again.spec.template.spec.containers[0].ports, ports)
  })

  it('refuses an applied value of the wrong type with Go\'s words, before merging, and keeps what is stored', async () => {
    const { client: c } = await startCore({ serviceAccounts: false })
    const svc = (ports: unknown): any => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns', namespace: 'default' }, spec: { ports } })
    const apply = (ports: unknown): Promise<unknown> => c.patch('v1', 'Service', 'default', 'dns', svc(ports), { type: 'apply', fieldManager: 'deploy' } as never)
    await apply(dnsPorts)
    for (const [ports, message] of [
      ['x', 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort'],
      [[5], 'json: cannot unmarshal number into Go struct field ServiceSpec.spec.ports of type v1.ServicePort'],
      [[{ port: 53, protocol: 7 }], 'json: cannot unmarshal number into Go struct field ServicePort.spec.ports.protocol of type v1.Protocol'],
    ] as const) {
      await assert.rejects(apply(ports), (err: any) => err.code === 400 && err.message === `Service in version "v1" cannot be handled as a Service: ${message}`)
    }
    const stored = await c.get('v1', 'Service', 'default', 'dns') as Json
    assert.deepEqual(stored.spec.ports.map((p: Json) => `${p.name} ${p.port}/${p.protocol}`), ['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP'])
  })
})
