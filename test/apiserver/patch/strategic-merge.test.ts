import assert from 'node:assert/strict'
import { applyStrategicMergePatch, type Json } from '../../../src/apiserver/patch/index.ts'

const deploy = (containers: Json[], extra: Record<string, Json> = {}): Json => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, template: { spec: { containers } }, ...extra },
})
const tmpl = (spec: Json): Json => ({ spec: { template: { spec } } })
const c = (name: string, more: Record<string, Json> = {}): Json => ({ name, image: `${name}:1`, ...more })

interface Case { spec: string, kind: string, original: Json, patch: Json, want: Json }

const cases: Case[] = [
  // --- maps -----------------------------------------------------------------------------
  {
    spec: 'maps merge key by key and null deletes a key',
    kind: 'Pod',
    original: { metadata: { name: 'p', labels: { app: 'web', tier: 'fe' } } },
    patch: { metadata: { labels: { tier: null, env: 'prod' } } },
    want: { metadata: { name: 'p', labels: { app: 'web', env: 'prod' } } },
  },
  {
    spec: '$patch: replace in a map replaces it with the rest of the patch map',
    kind: 'Pod',
    original: { metadata: { name: 'p', labels: { app: 'web', tier: 'fe' } } },
    patch: { metadata: { labels: { $patch: 'replace', only: 'me' } } },
    want: { metadata: { name: 'p', labels: { only: 'me' } } },
  },
  {
    spec: '$patch: delete in a map leaves an empty map (as upstream does)',
    kind: 'Deployment',
    original: deploy([c('a')]),
    patch: { spec: { strategy: { rollingUpdate: { $patch: 'delete' } } } },
    want: deploy([c('a')], { strategy: { type: 'RollingUpdate', rollingUpdate: {} } }),
  },
  {
    spec: 'a directive map under a key the object lacks leaves nothing behind',
    kind: 'Pod',
    original: { metadata: { name: 'p' } },
    patch: { metadata: { labels: { $patch: 'delete' } } },
    want: { metadata: { name: 'p' } },
  },
  {
    spec: 'a value of another type replaces the original, minus nested nulls',
    kind: 'Pod',
    original: { spec: { nodeSelector: 'oops' } },
    patch: { spec: { nodeSelector: { disk: 'ssd', gone: null } } },
    want: { spec: { nodeSelector: { disk: 'ssd' } } },
  },
  // --- lists with a merge key ------------------------------------------------------------
  {
    spec: 'containers merge by name: only the named container changes',
    kind: 'Deployment',
    original: deploy([c('a'), c('b')]),
    patch: tmpl({ containers: [{ name: 'b', image: 'b:2' }] }),
    want: deploy([c('a'), { name: 'b', image: 'b:2' }]),
  },
  {
    spec: 'a new container goes before the server\'s items when no order is given',
    kind: 'Deployment',
    original: deploy([c('a'), c('b')]),
    patch: tmpl({ containers: [c('z')] }),
    want: deploy([c('z'), c('a'), c('b')]),
  },
  {
    spec: '$patch: delete in a list removes the item with that merge key',
    kind: 'Deployment',
    original: deploy([c('a'), c('b')]),
    patch: tmpl({ containers: [{ $patch: 'delete', name: 'a' }] }),
    want: deploy([c('b')]),
  },
  {
    spec: '$patch: replace in a list replaces the whole list with the other items',
    kind: 'Deployment',
    original: deploy([c('a'), c('b')]),
    patch: tmpl({ containers: [c('z'), { $patch: 'replace' }] }),
    want: deploy([c('z')]),
  },
  {
    spec: 'env vars merge by name inside a merged container',
    kind: 'Pod',
    original: { spec: { containers: [c('a', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] })] } },
    patch: { spec: { containers: [{ name: 'a', env: [{ name: 'B', value: '3' }] }] } },
    want: { spec: { containers: [c('a', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }] })] } },
  },
  {
    spec: 'container ports merge by containerPort',
    kind: 'Pod',
    original: { spec: { containers: [c('a', { ports: [{ containerPort: 80, name: 'http' }] })] } },
    patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
    want: { spec: { containers: [c('a', { ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }] })] } },
  },
  {
    spec: 'volume mounts merge by mountPath',
    kind: 'Pod',
    original: { spec: { containers: [c('a', { volumeMounts: [{ mountPath: '/data', name: 'd' }] })] } },
    patch: { spec: { containers: [{ name: 'a', volumeMounts: [{ mountPath: '/data', readOnly: true }] }] } },
    want: { spec: { containers: [c('a', { volumeMounts: [{ mountPath: '/data', name: 'd', readOnly: true }] })] } },
  },
  {
    spec: 'Service ports merge by port',
    kind: 'Service',
    original: { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } },
    patch: { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
    want: { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } },
  },
  {
    spec: 'pod conditions merge by type',
    kind: 'Pod',
    original: { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] } },
    patch: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    want: { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] } },
  },
  {
    spec: 'node addresses merge by type',
    kind: 'Node',
    original: { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n1' }] } },
    patch: { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } },
    want: { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'n1' }] } },
  },
  {
    spec: 'ownerReferences merge by uid',
    kind: 'ReplicaSet',
    original: { metadata: { ownerReferences: [{ uid: 'u1', name: 'd', controller: true }] } },
    patch: { metadata: { ownerReferences: [{ uid: 'u1', blockOwnerDeletion: true }] } },
    want: { metadata: { ownerReferences: [{ uid: 'u1', name: 'd', controller: true, blockOwnerDeletion: true }] } },
  },
  {
    spec: 'CronJob containers merge by name under spec.jobTemplate.spec.template.spec',
    kind: 'CronJob',
    original: { spec: { jobTemplate: { spec: { template: { spec: { containers: [c('a'), c('b')] } } } } } },
    patch: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'a:2' }] } } } } } },
    want: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'a:2' }, c('b')] } } } } } },
  },
  {
    spec: 'a volume switching source keeps only the $retainKeys fields',
    kind: 'Pod',
    original: { spec: { volumes: [{ name: 'v', hostPath: { path: '/x' } }] } },
    patch: { spec: { volumes: [{ name: 'v', $retainKeys: ['emptyDir', 'name'], emptyDir: {} }] } },
    want: { spec: { volumes: [{ name: 'v', emptyDir: {} }] } },
  },
  {
    spec: 'nulls and directives inside a new list item are dropped, as decoding into the type would',
    kind: 'Pod',
    original: { spec: { containers: [c('a')] } },
    patch: { spec: { containers: [{ name: 'b', image: 'b:1', command: null, $retainKeys: ['name', 'image'] }] } },
    want: { spec: { containers: [{ name: 'b', image: 'b:1' }, c('a')] } },
  },
  // --- lists without a strategy, primitive lists -------------------------------------------
  {
    spec: 'lists without a patch strategy are replaced',
    kind: 'Pod',
    original: { spec: { containers: [c('a', { args: ['x', 'y'] })], tolerations: [{ key: 'k' }] } },
    patch: { spec: { containers: [{ name: 'a', args: ['z'] }], tolerations: [{ key: 'j' }] } },
    want: { spec: { containers: [c('a', { args: ['z'] })], tolerations: [{ key: 'j' }] } },
  },
  {
    spec: 'finalizers merge as a union, patch items first',
    kind: 'Pod',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['c', 'a'] } },
    want: { metadata: { finalizers: ['c', 'a', 'b'] } },
  },
  {
    spec: 'podCIDRs merge as a union',
    kind: 'Node',
    original: { spec: { podCIDRs: ['10.42.0.0/24'] } },
    patch: { spec: { podCIDRs: ['10.42.0.0/24', 'fd00::/64'] } },
    want: { spec: { podCIDRs: ['10.42.0.0/24', 'fd00::/64'] } },
  },
  {
    spec: '$deleteFromPrimitiveList removes values from a primitive list',
    kind: 'Pod',
    original: { metadata: { finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    want: { metadata: { finalizers: ['a', 'c'] } },
  },
  // --- ordering directives -------------------------------------------------------------------
  {
    spec: '$setElementOrder alone reorders the server\'s list',
    kind: 'Pod',
    original: { spec: { containers: [c('a'), c('b'), c('c')] } },
    patch: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } },
    want: { spec: { containers: [c('c'), c('a'), c('b')] } },
  },
  {
    spec: '$setElementOrder places a new item where the order says',
    kind: 'Pod',
    original: { spec: { containers: [c('a'), c('b')] } },
    patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'z' }, { name: 'b' }], containers: [c('z')] } },
    want: { spec: { containers: [c('a'), c('z'), c('b')] } },
  },
  {
    spec: '$setElementOrder orders a primitive list too',
    kind: 'Pod',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['b', 'a', 'c'], finalizers: ['c'] } },
    want: { metadata: { finalizers: ['b', 'a', 'c'] } },
  },
  {
    spec: '$retainKeys clears fields the directive does not list (Deployment strategy)',
    kind: 'Deployment',
    original: deploy([c('a')]),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: deploy([c('a')], { strategy: { type: 'Recreate' } }),
  },
  // --- kubectl's own patches (api-facts §6.1, §6.4) -------------------------------------------
  {
    spec: 'kubectl apply dropping container b removes it and keeps a',
    kind: 'Deployment',
    original: deploy([c('a'), c('b')]),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ $patch: 'delete', name: 'b' }] } } } },
    want: deploy([c('a')]),
  },
  {
    spec: 'kubectl apply dropping an env var and a port deletes them inside the merged container',
    kind: 'Deployment',
    original: deploy([c('a', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }, { containerPort: 443 }] })]),
    patch: tmpl({
      '$setElementOrder/containers': [{ name: 'a' }],
      containers: [{
        name: 'a', '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'B' }],
        '$setElementOrder/ports': [{ containerPort: 443 }], ports: [{ $patch: 'delete', containerPort: 80 }],
      }],
    }),
    want: deploy([c('a', { env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 443 }] })]),
  },
  {
    spec: 'kubectl set image changes one image and keeps the order',
    kind: 'Deployment',
    original: deploy([c('web'), c('sidecar')]),
    patch: tmpl({ '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [{ image: 'nginx:1.28', name: 'web' }] }),
    want: deploy([{ name: 'web', image: 'nginx:1.28' }, c('sidecar')]),
  },
  {
    spec: 'kubectl rollout restart adds the restartedAt template annotation',
    kind: 'Deployment',
    original: deploy([c('a')]),
    patch: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } } } } },
    want: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: {
        replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
        template: { spec: { containers: [c('a')] }, metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } } },
      },
    },
  },
  {
    spec: 'kubectl rollout resume removes spec.paused with null',
    kind: 'Deployment',
    original: deploy([c('a')], { paused: true }),
    patch: { spec: { paused: null } },
    want: deploy([c('a')]),
  },
  {
    spec: 'kubectl cordon sets spec.unschedulable',
    kind: 'Node',
    original: { metadata: { name: 'n1' }, spec: { podCIDR: '10.42.0.0/24' } },
    patch: { spec: { unschedulable: true } },
    want: { metadata: { name: 'n1' }, spec: { podCIDR: '10.42.0.0/24', unschedulable: true } },
  },
  // --- kinds without a schema ---------------------------------------------------------------
  {
    spec: 'custom resources fall back to JSON merge patch: lists are replaced',
    kind: 'Widget',
    original: { spec: { items: [{ name: 'a' }], keep: 1 } },
    patch: { spec: { items: [{ name: 'b' }] } },
    want: { spec: { items: [{ name: 'b' }], keep: 1 } },
  },
]

describe('applyStrategicMergePatch', () => {
  for (const { spec, kind, original, patch, want } of cases) {
    it(spec, () => assert.deepEqual(applyStrategicMergePatch(original, patch, kind), want))
  }

  it('never mutates its inputs', () => {
    const original = deploy([c('a'), c('b')])
    const patch = tmpl({ '$setElementOrder/containers': [{ name: 'a' }], containers: [{ $patch: 'delete', name: 'b' }] })
    const before = [structuredClone(original), structuredClone(patch)]
    applyStrategicMergePatch(original, patch, 'Deployment')
    assert.deepEqual([original, patch], before)
  })

  it('an undefined kind is treated like a custom resource', () => {
    assert.deepEqual(applyStrategicMergePatch({ a: [1, 2] }, { a: [3] }, undefined), { a: [3] })
  })

  it('a null patch changes nothing', () => {
    assert.deepEqual(applyStrategicMergePatch({ spec: { a: 1 } }, null, 'Pod'), { spec: { a: 1 } })
  })
})
