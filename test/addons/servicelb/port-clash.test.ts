// ServiceLB's port clash on a fresh cluster (k3s-facts §6): traefik's svclb pods hold hostPorts
// 80 and 443 on every node, so a second LoadBalancer Service on port 80 gets svclb pods that stay
// Pending with the NodePorts message, and no ingress (kubectl shows EXTERNAL-IP <pending>).
import assert from 'node:assert/strict'
import { Cluster } from '../../../src/index.ts'
import type { KubeObject } from '../../../src/api/object.ts'

describe('servicelb port clash with traefik', () => {
  let cluster: Cluster
  afterEach(async () => { await cluster?.stop() })

  it('a second LoadBalancer on port 80 stays pending; its svclb pods say why', async () => {
    cluster = await Cluster.start({ clock: 'virtual', seed: 9 })
    const svc = await cluster.client.create({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] },
    } as KubeObject)
    await cluster.clock.advance('10s')
    const prefix = `svclb-web-${svc.metadata.uid!.slice(0, 8)}-`
    const pods = (await cluster.client.list('v1', 'Pod', { namespace: 'kube-system' })).items.filter(p => p.metadata.name!.startsWith(prefix))
    assert.equal(pods.length, 1)
    assert.equal((pods[0].status as { phase: string }).phase, 'Pending')
    assert.equal((pods[0].spec as { priorityClassName: string }).priorityClassName, 'system-node-critical')
    const events = cluster.events({ name: pods[0].metadata.name, reason: 'FailedScheduling' })
    // coredns and traefik (lower priority) run on the node, but evicting them frees no host port.
    assert.equal(events.at(-1)?.message, '0/1 nodes are available: 1 node(s) didn\'t have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 node(s) didn\'t have free ports for the requested pod ports.')
    const current = await cluster.client.get('v1', 'Service', 'default', 'web')
    assert.deepEqual(current.status, { loadBalancer: {} })
    const traefik = await cluster.client.get('v1', 'Service', 'kube-system', 'traefik')
    assert.equal((traefik.status as { loadBalancer: { ingress: unknown[] } }).loadBalancer.ingress.length, 1)
  })
})
