// The v1 defaults of probes, env, volumes and claims (pkg/apis/core/v1/defaults.go, v1.32), on
// create through the in-process Client: what `kubectl get -o yaml` shows of a real cluster's
// object that the manifest left out.
import assert from 'node:assert/strict'
import type { ApiServerCore } from '../../src/apiserver/core.ts'
import type { InProcessClient } from '../../src/client/in-process.ts'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

describe('core/v1 defaults of probes, env, volumes and claims', () => {
  let client: InProcessClient
  let core: ApiServerCore
  before(async () => { ({ client, core } = await startCore()) })

  const pod = (name: string, spec: Json): any => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec })

  it('an httpGet gets path / and scheme HTTP (probes and lifecycle hooks); a grpc probe an empty service', async () => {
    const created = await client.create<any>(pod('probes', {
      containers: [{
        name: 'c', image: 'nginx',
        livenessProbe: { httpGet: { port: 80 } },
        readinessProbe: { httpGet: { port: 'http', path: '/ready', scheme: 'HTTPS' } },
        startupProbe: { grpc: { port: 9000 } },
        lifecycle: { preStop: { httpGet: { port: 80 } }, postStart: { exec: { command: ['true'] } } },
      }],
    }))
    const c = created.spec.containers[0]
    assert.deepEqual(c.livenessProbe.httpGet, { port: 80, path: '/', scheme: 'HTTP' })
    assert.deepEqual(c.readinessProbe.httpGet, { port: 'http', path: '/ready', scheme: 'HTTPS' }, 'given values stay')
    assert.deepEqual(c.startupProbe.grpc, { port: 9000, service: '' })
    assert.deepEqual(c.lifecycle.preStop.httpGet, { port: 80, path: '/', scheme: 'HTTP' })
    assert.deepEqual(c.lifecycle.postStart, { exec: { command: ['true'] } })
  })

  it('a fieldRef gets apiVersion v1, in env and in downward API items', async () => {
    const created = await client.create<any>(pod('fieldrefs', {
      containers: [{ name: 'c', image: 'nginx', env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { name: 'PLAIN', value: 'x' }] }],
      volumes: [
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        { name: 'mix', projected: { sources: [{ downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }, { serviceAccountToken: { path: 'token' } }] } },
      ],
    }))
    assert.deepEqual(created.spec.containers[0].env[0].valueFrom.fieldRef, { fieldPath: 'spec.nodeName', apiVersion: 'v1' })
    assert.deepEqual(created.spec.containers[0].env[1], { name: 'PLAIN', value: 'x' })
    const [info, mix] = created.spec.volumes
    assert.deepEqual(info.downwardAPI, { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels', apiVersion: 'v1' } }], defaultMode: 420 })
    assert.equal(mix.projected.defaultMode, 420)
    assert.deepEqual(mix.projected.sources[0].downwardAPI.items[0].fieldRef, { fieldPath: 'metadata.namespace', apiVersion: 'v1' })
    assert.deepEqual(mix.projected.sources[1].serviceAccountToken, { path: 'token', expirationSeconds: 3600 }, 'a token lasts an hour unless told')
  })

  it('a hostPath gets type "", an ephemeral claim template volumeMode Filesystem', async () => {
    const created = await client.create<any>(pod('volumes', {
      containers: [{ name: 'c', image: 'nginx' }],
      volumes: [
        { name: 'host', hostPath: { path: '/var/log' } },
        { name: 'sock', hostPath: { path: '/run/x.sock', type: 'Socket' } },
        { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
      ],
    }))
    const [host, sock, scratch] = created.spec.volumes
    assert.deepEqual(host.hostPath, { path: '/var/log', type: '' })
    assert.deepEqual(sock.hostPath, { path: '/run/x.sock', type: 'Socket' })
    assert.equal(scratch.ephemeral.volumeClaimTemplate.spec.volumeMode, 'Filesystem')
  })

  it('a PersistentVolumeClaim gets volumeMode Filesystem and phase Pending; a PersistentVolume Retain as well', async () => {
    const pvc = await client.create<any>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } })
    assert.equal(pvc.spec.volumeMode, 'Filesystem')
    assert.deepEqual(pvc.status, { phase: 'Pending' })
    const block = await client.create<any>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'raw', namespace: 'default' }, spec: { volumeMode: 'Block', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound' } })
    assert.equal(block.spec.volumeMode, 'Block')
    assert.deepEqual(block.status, { phase: 'Pending' }, 'a create cannot set the status')
    const pv = await client.create<any>({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } })
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain')
    assert.equal(pv.spec.volumeMode, 'Filesystem')
    assert.deepEqual(pv.spec.hostPath, { path: '/data', type: '' })
    assert.deepEqual(pv.status, { phase: 'Pending', lastPhaseTransitionTime: pv.metadata.creationTimestamp }, 'the phase dates from the creation')
  })

  it('refuses a volumeMode that is neither Block nor Filesystem, storing nothing', async () => {
    const bad = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'odd', namespace: 'default' }, spec: { volumeMode: 'Raw', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }
    await assert.rejects(client.create(bad as any), (err: any) => err.code === 422 && err.message === 'PersistentVolumeClaim "odd" is invalid: spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"')
    await assert.rejects(client.get('v1', 'PersistentVolumeClaim', 'default', 'odd'), (err: any) => err.code === 404)
  })

  it('a StatefulSet\'s claim templates come back as PersistentVolumeClaims with their defaults', async () => {
    const sts = await client.create<any>({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'db' } }, serviceName: 'db',
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'postgres' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    })
    const t = sts.spec.volumeClaimTemplates[0]
    assert.deepEqual(Object.keys(t), ['apiVersion', 'kind', 'metadata', 'spec', 'status'], "in Go's field order")
    assert.deepEqual(t, {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', creationTimestamp: null },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    })
  })

  it('updates an object stored before a default existed (an older k3sim) as if it had the default', async () => {
    await client.create<any>(pod('old', { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }], livenessProbe: { httpGet: { port: 80 } } }] }))
    // Stored as an older k3sim did: without the fieldRef's apiVersion and the probe's path and scheme.
    const info = core.index.lookup('', 'v1', 'pods')!
    const stored = structuredClone(await core.ctx.storage.get(info, 'default', 'old')) as Json
    delete stored.spec.containers[0].env[0].valueFrom.fieldRef.apiVersion
    delete stored.spec.containers[0].livenessProbe.httpGet.path
    delete stored.spec.containers[0].livenessProbe.httpGet.scheme
    await core.ctx.storage.update(info, stored as any, Number(stored.metadata.resourceVersion))
    const patched = await client.patch<any>('v1', 'Pod', 'default', 'old', { metadata: { labels: { tier: 'web' } } }, { type: 'merge' })
    assert.deepEqual(patched.metadata.labels, { tier: 'web' })
    assert.deepEqual(patched.spec.containers[0].env[0].valueFrom.fieldRef, { fieldPath: 'spec.nodeName', apiVersion: 'v1' })
  })
})
