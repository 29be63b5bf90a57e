import assert from 'node:assert/strict'
import type { ResourceInfo } from '../../../src/api/resources.ts'
import { openapiDocument, openapiIndex } from '../../../src/apiserver/openapi.ts'
import { ResourceIndex } from '../../../src/apiserver/resource-index.ts'

type Doc = { paths: Record<string, Record<string, any>>, components: { schemas: Record<string, any> } }
const doc = (index: ResourceIndex, group: string, version: string, schemas: (r: ResourceInfo) => object | undefined = () => undefined): Doc =>
  openapiDocument(index, group, version, schemas, 'v1.32.3+k3s1') as Doc

/** Every `$ref` anywhere in a value. */
function refs (value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out)
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v)
      else refs(v, out)
    }
  }
  return out
}

describe('openapi v3 documents', () => {
  const index = new ResourceIndex()

  for (const [group, versions] of index.groups()) {
    for (const version of versions) {
      it(`${group || 'core'}/${version}: every $ref resolves inside the document`, () => {
        const d = doc(index, group, version)
        for (const ref of refs(d)) {
          const name = ref.replace('#/components/schemas/', '')
          assert.ok(d.components.schemas[name] !== undefined, `${ref} is missing`)
        }
      })
    }
  }

  it('lists every group-version in the index', () => {
    const paths = (openapiIndex(index) as { paths: Record<string, { serverRelativeURL: string }> }).paths
    assert.match(paths['api/v1']!.serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{16}$/)
    assert.ok(paths['apis/apps/v1'] !== undefined && paths['apis/autoscaling/v2'] !== undefined)
  })

  it('the core document has the Namespace PATCH operation with fieldValidation', () => {
    const patch = doc(index, '', 'v1').paths['/api/v1/namespaces/{name}']!.patch
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Namespace' })
    assert.ok(patch.parameters.some((p: { name: string }) => p.name === 'fieldValidation'))
    assert.ok('application/strategic-merge-patch+json' in patch.requestBody.content)
  })

  it('kinds carry x-kubernetes-group-version-kind and required fields', () => {
    const d = doc(index, 'apps', 'v1')
    const deployment = d.components.schemas['io.k8s.api.apps.v1.Deployment']
    assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }])
    assert.deepEqual(d.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].required, ['selector', 'template'])
    assert.deepEqual(deployment.properties.spec.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }])
    assert.equal(d.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.replicas.type, 'integer')
  })

  it('lists merged by key carry the patch strategy kubectl apply builds patches from', () => {
    const s = doc(index, 'apps', 'v1').components.schemas
    const containers = s['io.k8s.api.core.v1.PodSpec'].properties.containers
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name')
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge')
    assert.deepEqual(containers.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' })
    assert.equal(s['io.k8s.api.core.v1.Container'].properties.ports['x-kubernetes-patch-merge-key'], 'containerPort')
    assert.equal(s['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy'], 'retainKeys')
  })

  it('IntOrString, Quantity and Time are shared components, as upstream names them', () => {
    const s = doc(index, 'apps', 'v1').components.schemas
    assert.deepEqual(s['io.k8s.api.apps.v1.RollingUpdateDeployment'].properties.maxSurge.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }])
    assert.equal(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString']['x-kubernetes-int-or-string'], true)
    assert.deepEqual(s['io.k8s.api.core.v1.ResourceRequirements'].properties.limits.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' })
    assert.deepEqual(s['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.creationTimestamp.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time' }])
    assert.equal(s['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time')
  })

  it('descriptions come from the client-node JSDoc', () => {
    const s = doc(index, 'apps', 'v1').components.schemas
    assert.match(s['io.k8s.api.apps.v1.DeploymentSpec'].properties.replicas.description, /^Number of desired pods/)
    assert.match(s['io.k8s.api.apps.v1.Deployment'].description, /^Deployment enables declarative updates/)
  })

  it('a group-version document holds only what its kinds reach', () => {
    const s = doc(index, 'coordination.k8s.io', 'v1').components.schemas
    assert.ok(s['io.k8s.api.coordination.v1.Lease'] !== undefined)
    assert.equal(s['io.k8s.api.core.v1.PodSpec'], undefined)
  })

  it('custom resources get their CRD schema with apiVersion, kind, metadata and GVK', () => {
    const crds = new ResourceIndex([])
    const widget: ResourceInfo = { group: 'example.com', version: 'v1', kind: 'Widget', listKind: 'WidgetList', resource: 'widgets', singular: 'widget', shortNames: [], categories: [], namespaced: true, verbs: ['get', 'patch'], subresources: [], storagePrefix: 'example.com/widgets', custom: true }
    crds.add(widget)
    const d = doc(crds, 'example.com', 'v1', () => ({ type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } }))
    const s = d.components.schemas['com.example.v1.Widget']
    assert.deepEqual(s['x-kubernetes-group-version-kind'], [{ group: 'example.com', kind: 'Widget', version: 'v1' }])
    assert.equal(s.properties.spec.properties.size.type, 'integer')
    assert.ok(s.properties.metadata !== undefined && d.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'] !== undefined)
    assert.ok(d.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}']!.patch !== undefined)
    for (const ref of refs(d)) assert.ok(d.components.schemas[ref.replace('#/components/schemas/', '')] !== undefined, ref)
  })

  it('nothing served → no document', () => {
    assert.equal(openapiDocument(index, 'example.com', 'v1', () => undefined, 'v'), undefined)
  })
})
