// What objects cost against a ResourceQuota (the evaluators of pkg/quota/v1/evaluator/core and
// the generic object count), and the ResourceList arithmetic quota messages print.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { evaluatorFor, quotaMatches, scopeSelectors } from '../../src/api/quota/evaluators.ts'
import { add, exceeded, mask, prettyPrint, resourceList, subtractNonNegative, toJsonList } from '../../src/api/quota/resource-list.ts'

type Json = Record<string, any>

const pod = (spec: Json, extra: Json = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ...extra.metadata }, spec, status: extra.status ?? { phase: 'Pending' } } as KubeObject)
const container = (name: string, requests?: Json, limits?: Json): Json => ({ name, image: 'nginx', resources: { ...(requests === undefined ? {} : { requests }), ...(limits === undefined ? {} : { limits }) } })
const usage = (obj: KubeObject, now = 0): Record<string, string> => toJsonList(evaluatorFor('', obj.kind === 'Pod' ? 'pods' : obj.kind === 'Service' ? 'services' : 'persistentvolumeclaims').usage(obj, now))

describe('quota evaluators', () => {
  describe('pods', () => {
    const cases: Array<{ name: string, pod: KubeObject, want: Record<string, string> }> = [
      {
        name: 'app containers add up, requests and limits counted under both names',
        pod: pod({ containers: [container('a', { cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '128Mi' }), container('b', { cpu: '750m' }, { cpu: '1' })] }),
        want: { 'count/pods': '1', cpu: '1', 'limits.cpu': '1500m', 'limits.memory': '128Mi', memory: '64Mi', pods: '1', 'requests.cpu': '1', 'requests.memory': '64Mi' },
      },
      {
        name: 'an init container counts as the max, not the sum',
        pod: pod({ initContainers: [container('init', { cpu: '2' })], containers: [container('a', { cpu: '500m' }), container('b', { cpu: '500m' })] }),
        want: { 'count/pods': '1', cpu: '2', pods: '1', 'requests.cpu': '2' },
      },
      {
        name: 'a sidecar (restartPolicy Always) adds to the app containers',
        pod: pod({ initContainers: [{ ...container('side', { cpu: '100m' }), restartPolicy: 'Always' }], containers: [container('a', { cpu: '1' })] }),
        want: { 'count/pods': '1', cpu: '1100m', pods: '1', 'requests.cpu': '1100m' },
      },
      {
        name: 'overhead is added to every request, and only to the limits the pod sets',
        pod: pod({ overhead: { cpu: '100m', memory: '10Mi' }, containers: [container('a', { cpu: '1', memory: '1Gi' }, { cpu: '2' })] }),
        want: { 'count/pods': '1', cpu: '1100m', 'limits.cpu': '2100m', memory: '1034Mi', pods: '1', 'requests.cpu': '1100m', 'requests.memory': '1034Mi' },
      },
      {
        name: 'extended resources count as requests.<name>, hugepages under both names',
        pod: pod({ containers: [container('a', { 'nvidia.com/gpu': '1', 'hugepages-2Mi': '4Mi' }, { 'nvidia.com/gpu': '1', 'hugepages-2Mi': '4Mi' })] }),
        want: { 'count/pods': '1', 'hugepages-2Mi': '4Mi', pods: '1', 'requests.hugepages-2Mi': '4Mi', 'requests.nvidia.com/gpu': '1' },
      },
      {
        name: 'a finished pod counts only as an object',
        pod: pod({ containers: [container('a', { cpu: '1' })] }, { status: { phase: 'Succeeded' } }),
        want: { 'count/pods': '1' },
      },
      {
        name: 'a pod past its deletion grace period no longer counts its resources',
        pod: pod({ containers: [container('a', { cpu: '1' })] }, { metadata: { deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 } }),
        want: { 'count/pods': '1' },
      },
    ]
    for (const c of cases) it(c.name, () => assert.deepEqual(usage(c.pod, Date.parse('2024-01-01T00:01:00Z')), c.want))

    it('a pod still within its deletion grace period counts in full', () => {
      const p = pod({ containers: [container('a', { cpu: '1' })] }, { metadata: { deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 } })
      assert.equal(usage(p, Date.parse('2024-01-01T00:00:10Z'))['requests.cpu'], '1')
    })

    it('names every container missing a constrained resource, resources sorted, names joined', () => {
      const e = evaluatorFor('', 'pods')
      const p = pod({ initContainers: [container('init')], containers: [container('b', { cpu: '1' }), container('a')] })
      assert.equal(e.constraints(['requests.cpu', 'limits.memory', 'pods'], p), 'must specify limits.memory for: a,b,init; requests.cpu for: a,init')
      assert.equal(e.constraints(['pods', 'count/pods'], p), undefined)
    })

    it('matches scopes as upstream: BestEffort, Terminating, PriorityClass with operators, cross-namespace affinity', () => {
      const e = evaluatorFor('', 'pods')
      const best = pod({ containers: [container('a')] })
      const burst = pod({ containers: [container('a', { cpu: '1' })], activeDeadlineSeconds: 60, priorityClassName: 'high' })
      const scope = (scopeName: string, operator = 'Exists', values?: string[]) => ({ scopeName, operator, values })
      assert.deepEqual([e.matchesScope(scope('BestEffort'), best), e.matchesScope(scope('BestEffort'), burst), e.matchesScope(scope('NotBestEffort'), burst)], [true, false, true])
      assert.deepEqual([e.matchesScope(scope('Terminating'), burst), e.matchesScope(scope('NotTerminating'), best)], [true, true])
      assert.deepEqual([e.matchesScope(scope('PriorityClass'), burst), e.matchesScope(scope('PriorityClass'), best)], [true, false])
      assert.deepEqual([e.matchesScope(scope('PriorityClass', 'In', ['high']), burst), e.matchesScope(scope('PriorityClass', 'NotIn', ['high']), burst), e.matchesScope(scope('PriorityClass', 'NotIn', ['high']), best), e.matchesScope(scope('PriorityClass', 'DoesNotExist'), best)], [true, false, true, true])
      const cross = pod({ containers: [container('a')], affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'k', namespaceSelector: {} } }] } } })
      assert.deepEqual([e.matchesScope(scope('CrossNamespacePodAffinity'), cross), e.matchesScope(scope('CrossNamespacePodAffinity'), best)], [true, false])
    })

    it('handles creates only (a pod update cannot change its resources)', () => {
      const e = evaluatorFor('', 'pods')
      assert.deepEqual([e.handles('create'), e.handles('update')], [true, false])
    })
  })

  describe('services, claims and object counts', () => {
    const svc = (spec: Json): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec } as KubeObject)
    it('counts node ports of NodePort and LoadBalancer services, and load balancers', () => {
      const ports = [{ port: 80 }, { port: 443, nodePort: 30443 }]
      assert.deepEqual(usage(svc({ type: 'ClusterIP', ports })), { 'count/services': '1', services: '1', 'services.loadbalancers': '0', 'services.nodeports': '0' })
      assert.deepEqual(usage(svc({ type: 'NodePort', ports })), { 'count/services': '1', services: '1', 'services.loadbalancers': '0', 'services.nodeports': '2' })
      assert.deepEqual(usage(svc({ type: 'LoadBalancer', ports })), { 'count/services': '1', services: '1', 'services.loadbalancers': '1', 'services.nodeports': '2' })
      assert.deepEqual(usage(svc({ type: 'LoadBalancer', ports, allocateLoadBalancerNodePorts: false })), { 'count/services': '1', services: '1', 'services.loadbalancers': '1', 'services.nodeports': '1' })
    })

    it('counts a claim, its storage (whole bytes, the larger of requested and allocated), by storage class too', () => {
      const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { storageClassName: 'local-path', resources: { requests: { storage: '1500m' } } }, status: { allocatedResources: { storage: '2Gi' } } } as unknown as KubeObject
      assert.deepEqual(usage(pvc), {
        'count/persistentvolumeclaims': '1',
        'local-path.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
        'local-path.storageclass.storage.k8s.io/requests.storage': '2Gi',
        persistentvolumeclaims: '1',
        'requests.storage': '2Gi',
      })
      const small = { ...pvc, status: {} } as KubeObject
      assert.equal(usage(small)['requests.storage'], '2')
    })

    it('counts any other kind as count/<resource>.<group>, with the legacy names of core kinds', () => {
      assert.deepEqual(toJsonList(evaluatorFor('apps', 'deployments').usage({} as KubeObject, 0)), { 'count/deployments.apps': '1' })
      assert.deepEqual(toJsonList(evaluatorFor('', 'configmaps').usage({} as KubeObject, 0)), { configmaps: '1', 'count/configmaps': '1' })
      assert.deepEqual(evaluatorFor('', 'secrets').matchingResources(['secrets', 'pods', 'count/secrets']), ['secrets', 'count/secrets'])
    })
  })

  it('matches a quota by its status.hard (not spec) and every scope; kinds without scopes never match a scoped quota', () => {
    const quota = (hard: Json | undefined, spec: Json = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec, status: hard === undefined ? {} : { hard } } as KubeObject)
    const p = pod({ containers: [container('a')] })
    assert.equal(quotaMatches(evaluatorFor('', 'pods'), quota(undefined), p), false)
    assert.equal(quotaMatches(evaluatorFor('', 'pods'), quota({ pods: '1' }), p), true)
    assert.equal(quotaMatches(evaluatorFor('', 'pods'), quota({ pods: '1' }, { scopes: ['NotBestEffort'] }), p), false)
    assert.equal(quotaMatches(evaluatorFor('', 'services'), quota({ services: '1' }, { scopes: ['BestEffort'] }), { kind: 'Service', metadata: {} } as KubeObject), false)
    assert.deepEqual(scopeSelectors(quota({}, { scopes: ['BestEffort'], scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['x'] }] } })), [
      { scopeName: 'BestEffort', operator: 'Exists' }, { scopeName: 'PriorityClass', operator: 'In', values: ['x'] },
    ])
  })

  it('does ResourceList arithmetic exactly: add, subtract never below zero, mask, exceeded names, prettyPrint', () => {
    const a = resourceList({ 'requests.cpu': '500m', pods: '2' })
    const b = resourceList({ 'requests.cpu': '0.75', pods: '3' })
    assert.deepEqual(toJsonList(add(a, b)), { pods: '5', 'requests.cpu': '1250m' })
    assert.deepEqual(toJsonList(subtractNonNegative(a, b)), { pods: '0', 'requests.cpu': '0' })
    assert.deepEqual(toJsonList(mask(add(a, b), ['pods'])), { pods: '5' })
    assert.deepEqual(exceeded(add(a, b), resourceList({ pods: '4', 'requests.cpu': '2', memory: '1' })), ['pods'])
    assert.equal(prettyPrint(resourceList({ 'requests.memory': '1Gi', 'limits.cpu': '2' })), 'limits.cpu=2,requests.memory=1Gi')
  })
})
