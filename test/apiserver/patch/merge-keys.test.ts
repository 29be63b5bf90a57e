import assert from 'node:assert/strict'
import { hasStrategicSchema, lookupPatchMeta, mergeKeyTable } from '../../../src/apiserver/patch/index.ts'

describe('merge keys (patchStrategy / patchMergeKey of k8s.io/api)', () => {
  const merge = (mergeKey?: string): object => (mergeKey ? { strategy: 'merge', mergeKey } : { strategy: 'merge' })
  const cases: Array<[string, string, string, object]> = [
    ['pod containers merge by name', 'Pod', 'spec.containers', merge('name')],
    ['init containers merge by name', 'Pod', 'spec.initContainers', merge('name')],
    ['ephemeral containers merge by name', 'Pod', 'spec.ephemeralContainers', merge('name')],
    ['container env merges by name', 'Pod', 'spec.containers.env', merge('name')],
    ['container ports merge by containerPort', 'Pod', 'spec.containers.ports', merge('containerPort')],
    ['volume mounts merge by mountPath', 'Pod', 'spec.containers.volumeMounts', merge('mountPath')],
    ['volume devices merge by devicePath', 'Pod', 'spec.initContainers.volumeDevices', merge('devicePath')],
    ['volumes merge by name', 'Pod', 'spec.volumes', merge('name')],
    ['imagePullSecrets merge by name', 'Pod', 'spec.imagePullSecrets', merge('name')],
    ['resourceClaims merge by name', 'Pod', 'spec.resourceClaims', merge('name')],
    ['schedulingGates merge by name', 'Pod', 'spec.schedulingGates', merge('name')],
    ['hostAliases merge by ip', 'Pod', 'spec.hostAliases', merge('ip')],
    ['topologySpreadConstraints merge by topologyKey', 'Pod', 'spec.topologySpreadConstraints', merge('topologyKey')],
    ['pod conditions merge by type', 'Pod', 'status.conditions', merge('type')],
    ['podIPs merge by ip', 'Pod', 'status.podIPs', merge('ip')],
    ['hostIPs merge by ip', 'Pod', 'status.hostIPs', merge('ip')],
    ['ownerReferences merge by uid', 'ConfigMap', 'metadata.ownerReferences', merge('uid')],
    ['finalizers merge as a set', 'Secret', 'metadata.finalizers', merge()],
    ['node podCIDRs merge as a set', 'Node', 'spec.podCIDRs', merge()],
    ['node addresses merge by type', 'Node', 'status.addresses', merge('type')],
    ['node conditions merge by type', 'Node', 'status.conditions', merge('type')],
    ['Service ports merge by port', 'Service', 'spec.ports', merge('port')],
    ['ServiceAccount secrets merge by name', 'ServiceAccount', 'secrets', merge('name')],
    ['Deployment template containers merge by name', 'Deployment', 'spec.template.spec.containers', merge('name')],
    ['ReplicaSet template containers merge by name', 'ReplicaSet', 'spec.template.spec.containers', merge('name')],
    ['StatefulSet template containers merge by name', 'StatefulSet', 'spec.template.spec.containers', merge('name')],
    ['DaemonSet template containers merge by name', 'DaemonSet', 'spec.template.spec.containers', merge('name')],
    ['Job template containers merge by name', 'Job', 'spec.template.spec.containers', merge('name')],
    ['CronJob containers merge by name under jobTemplate', 'CronJob', 'spec.jobTemplate.spec.template.spec.containers', merge('name')],
    ['template metadata finalizers merge as a set', 'Deployment', 'spec.template.metadata.finalizers', merge()],
    ['Deployment conditions merge by type', 'Deployment', 'status.conditions', merge('type')],
    ['tolerations have no strategy (replaced)', 'Pod', 'spec.tolerations', {}],
    ['container args have no strategy (replaced)', 'Pod', 'spec.containers.args', {}],
    ['custom resources have no metadata', 'Widget', 'spec.items', {}],
  ]
  for (const [spec, kind, path, want] of cases) it(spec, () => assert.deepEqual(lookupPatchMeta(kind, path), want))

  it('built-in kinds have a schema, custom resources do not', () => {
    assert.equal(hasStrategicSchema('Pod'), true)
    assert.equal(hasStrategicSchema('ConfigMap'), true)
    assert.equal(hasStrategicSchema('Widget'), false)
  })

  it('the flattened table of a Deployment lists its template paths', () => {
    const table = mergeKeyTable('Deployment')
    assert.deepEqual(table['spec.template.spec.containers'], merge('name'))
    assert.deepEqual(table['spec.template.spec.containers.env'], merge('name'))
    assert.deepEqual(table['metadata.finalizers'], merge())
  })
})
