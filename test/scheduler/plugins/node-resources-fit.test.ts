// Cases from kube-scheduler's noderesources/fit_test.go (TestEnoughRequests, TestNotEnoughRequests,
// TestStorageRequests). Node: allocatable cpu 10m, memory 20, pods 32, example.com/aaa 5,
// ephemeral-storage 20, hugepages-2Mi 5, with one existing pod.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { newNodeInfo, newSnapshot } from '../../../src/scheduler/node-info.ts'
import { fitsRequest, type InsufficientResource, newNodeResourcesFit } from '../../../src/scheduler/plugins/index.ts'
import { podRequests } from '../../../src/api/pod-resources.ts'
import { CycleState, type Status } from '../../../src/scheduler/types.ts'
import { makeNode, makePod } from '../builders.ts'
import { filterStatus } from './helpers.ts'

const EXT_A = 'example.com/aaa'
const EXT_B = 'example.com/bbb'
const K8S_A = 'kubernetes.io/something'
const K8S_B = 'subdomain.kubernetes.io/something'
const HUGE = 'hugepages-2Mi'

interface Usage { cpu?: number, mem?: number, storage?: number, scalar?: Record<string, number> }

/** newResourcePod: one container per usage, requesting every resource explicitly (0 included). */
const containers = (usages: Usage[]): Array<Record<string, string>> => usages.map((u) => ({
  cpu: `${u.cpu ?? 0}m`, memory: `${u.mem ?? 0}`, pods: '0', 'ephemeral-storage': `${u.storage ?? 0}`,
  ...Object.fromEntries(Object.entries(u.scalar ?? {}).map(([k, v]) => [k, `${v}`])),
}))
function resourcePod (apps: Usage[], inits: Usage[] = [], overhead?: Record<string, string>): KubeObject {
  const b = makePod()
  for (const r of containers(apps)) b.req(r)
  for (const r of containers(inits)) b.initReq(r)
  if (overhead) b.overhead(overhead)
  return b.obj()
}

const node = (pods = '32', extra: Record<string, string> = {}): KubeObject =>
  makeNode().name('n').capacity({ cpu: '10m', memory: '20', pods, [EXT_A]: '5', 'ephemeral-storage': '20', [HUGE]: '5', ...extra }).obj()

const insufficient = (resourceName: string, requested: number, used: number, capacity: number): InsufficientResource =>
  ({ resourceName, reason: `Insufficient ${resourceName}`, requested, used, capacity })

interface Case { name: string, pod: KubeObject, existing: KubeObject, args?: Record<string, any>, want: InsufficientResource[] }

const cases: Case[] = [
  { name: 'no resources requested always fits', pod: makePod().obj(), existing: resourcePod([{ cpu: 10, mem: 20 }]), want: [] },
  { name: 'too many resources fails', pod: resourcePod([{ cpu: 1, mem: 1 }]), existing: resourcePod([{ cpu: 10, mem: 20 }]), want: [insufficient('cpu', 1, 10, 10), insufficient('memory', 1, 20, 20)] },
  { name: 'too many resources fails due to init container cpu', pod: resourcePod([{ cpu: 1, mem: 1 }], [{ cpu: 3, mem: 1 }]), existing: resourcePod([{ cpu: 8, mem: 19 }]), want: [insufficient('cpu', 3, 8, 10)] },
  { name: 'too many resources fails due to highest init container cpu', pod: resourcePod([{ cpu: 1, mem: 1 }], [{ cpu: 3, mem: 1 }, { cpu: 2, mem: 1 }]), existing: resourcePod([{ cpu: 8, mem: 19 }]), want: [insufficient('cpu', 3, 8, 10)] },
  { name: 'too many resources fails due to init container memory', pod: resourcePod([{ cpu: 1, mem: 1 }], [{ cpu: 1, mem: 3 }]), existing: resourcePod([{ cpu: 9, mem: 19 }]), want: [insufficient('memory', 3, 19, 20)] },
  { name: 'too many resources fails due to highest init container memory', pod: resourcePod([{ cpu: 1, mem: 1 }], [{ cpu: 1, mem: 3 }, { cpu: 1, mem: 2 }]), existing: resourcePod([{ cpu: 9, mem: 19 }]), want: [insufficient('memory', 3, 19, 20)] },
  { name: "init container fits because it's the max, not sum, of containers and init containers", pod: resourcePod([{ cpu: 1, mem: 1 }], [{ cpu: 1, mem: 1 }]), existing: resourcePod([{ cpu: 9, mem: 19 }]), want: [] },
  { name: "multiple init containers fit because it's the max, not sum, of containers and init containers", pod: resourcePod([{ cpu: 1, mem: 1 }], [{ cpu: 1, mem: 1 }, { cpu: 1, mem: 1 }]), existing: resourcePod([{ cpu: 9, mem: 19 }]), want: [] },
  { name: 'both resources fit', pod: resourcePod([{ cpu: 1, mem: 1 }]), existing: resourcePod([{ cpu: 5, mem: 5 }]), want: [] },
  { name: 'one resource memory fits', pod: resourcePod([{ cpu: 2, mem: 1 }]), existing: resourcePod([{ cpu: 9, mem: 5 }]), want: [insufficient('cpu', 2, 9, 10)] },
  { name: 'one resource cpu fits', pod: resourcePod([{ cpu: 1, mem: 2 }]), existing: resourcePod([{ cpu: 5, mem: 19 }]), want: [insufficient('memory', 2, 19, 20)] },
  { name: 'equal edge case', pod: resourcePod([{ cpu: 5, mem: 1 }]), existing: resourcePod([{ cpu: 5, mem: 19 }]), want: [] },
  { name: 'equal edge case for init container', pod: resourcePod([{ cpu: 4, mem: 1 }], [{ cpu: 5, mem: 1 }]), existing: resourcePod([{ cpu: 5, mem: 19 }]), want: [] },
  { name: 'extended resource fits', pod: resourcePod([{ scalar: { [EXT_A]: 1 } }]), existing: resourcePod([{}]), want: [] },
  { name: 'extended resource fits for init container', pod: resourcePod([{}], [{ scalar: { [EXT_A]: 1 } }]), existing: resourcePod([{}]), want: [] },
  { name: 'extended resource capacity enforced', pod: resourcePod([{ cpu: 1, mem: 1, scalar: { [EXT_A]: 10 } }]), existing: resourcePod([{ scalar: { [EXT_A]: 0 } }]), want: [insufficient(EXT_A, 10, 0, 5)] },
  { name: 'extended resource capacity enforced for init container', pod: resourcePod([{}], [{ cpu: 1, mem: 1, scalar: { [EXT_A]: 10 } }]), existing: resourcePod([{ scalar: { [EXT_A]: 0 } }]), want: [insufficient(EXT_A, 10, 0, 5)] },
  { name: 'extended resource allocatable enforced', pod: resourcePod([{ cpu: 1, mem: 1, scalar: { [EXT_A]: 1 } }]), existing: resourcePod([{ scalar: { [EXT_A]: 5 } }]), want: [insufficient(EXT_A, 1, 5, 5)] },
  { name: 'extended resource allocatable enforced for init container', pod: resourcePod([{}], [{ cpu: 1, mem: 1, scalar: { [EXT_A]: 1 } }]), existing: resourcePod([{ scalar: { [EXT_A]: 5 } }]), want: [insufficient(EXT_A, 1, 5, 5)] },
  { name: 'extended resource allocatable enforced for multiple containers', pod: resourcePod([{ cpu: 1, mem: 1, scalar: { [EXT_A]: 3 } }, { cpu: 1, mem: 1, scalar: { [EXT_A]: 3 } }]), existing: resourcePod([{ scalar: { [EXT_A]: 2 } }]), want: [insufficient(EXT_A, 6, 2, 5)] },
  { name: 'extended resource allocatable admits multiple init containers', pod: resourcePod([{}], [{ cpu: 1, mem: 1, scalar: { [EXT_A]: 3 } }, { cpu: 1, mem: 1, scalar: { [EXT_A]: 3 } }]), existing: resourcePod([{ scalar: { [EXT_A]: 2 } }]), want: [] },
  { name: 'extended resource allocatable enforced for multiple init containers', pod: resourcePod([{}], [{ cpu: 1, mem: 1, scalar: { [EXT_A]: 6 } }, { cpu: 1, mem: 1, scalar: { [EXT_A]: 3 } }]), existing: resourcePod([{ scalar: { [EXT_A]: 2 } }]), want: [insufficient(EXT_A, 6, 2, 5)] },
  { name: 'extended resource allocatable enforced for unknown resource', pod: resourcePod([{ cpu: 1, mem: 1, scalar: { [EXT_B]: 1 } }]), existing: resourcePod([{}]), want: [insufficient(EXT_B, 1, 0, 0)] },
  { name: 'extended resource allocatable enforced for unknown resource for init container', pod: resourcePod([{}], [{ cpu: 1, mem: 1, scalar: { [EXT_B]: 1 } }]), existing: resourcePod([{}]), want: [insufficient(EXT_B, 1, 0, 0)] },
  { name: 'kubernetes.io resource capacity enforced', pod: resourcePod([{ cpu: 1, mem: 1, scalar: { [K8S_A]: 10 } }]), existing: resourcePod([{}]), want: [insufficient(K8S_A, 10, 0, 0)] },
  { name: 'kubernetes.io resource capacity enforced for init container', pod: resourcePod([{}], [{ cpu: 1, mem: 1, scalar: { [K8S_B]: 10 } }]), existing: resourcePod([{}]), want: [insufficient(K8S_B, 10, 0, 0)] },
  { name: 'hugepages resource capacity enforced', pod: resourcePod([{ cpu: 1, mem: 1, scalar: { [HUGE]: 10 } }]), existing: resourcePod([{ scalar: { [HUGE]: 0 } }]), want: [insufficient(HUGE, 10, 0, 5)] },
  { name: 'hugepages resource capacity enforced for init container', pod: resourcePod([{}], [{ cpu: 1, mem: 1, scalar: { [HUGE]: 10 } }]), existing: resourcePod([{ scalar: { [HUGE]: 0 } }]), want: [insufficient(HUGE, 10, 0, 5)] },
  { name: 'hugepages resource allocatable enforced for multiple containers', pod: resourcePod([{ cpu: 1, mem: 1, scalar: { [HUGE]: 3 } }, { cpu: 1, mem: 1, scalar: { [HUGE]: 3 } }]), existing: resourcePod([{ scalar: { [HUGE]: 2 } }]), want: [insufficient(HUGE, 6, 2, 5)] },
  { name: 'skip checking ignored extended resource', pod: resourcePod([{ cpu: 1, mem: 1, scalar: { [EXT_B]: 1 } }]), existing: resourcePod([{}]), args: { ignoredResources: [EXT_B] }, want: [] },
  { name: 'resources + pod overhead fits', pod: resourcePod([{ cpu: 1, mem: 1 }], [], { cpu: '3m', memory: '13' }), existing: resourcePod([{ cpu: 5, mem: 5 }]), want: [] },
  { name: 'requests + overhead does not fit for memory', pod: resourcePod([{ cpu: 1, mem: 1 }], [], { cpu: '1m', memory: '15' }), existing: resourcePod([{ cpu: 5, mem: 5 }]), want: [insufficient('memory', 16, 5, 20)] },
  { name: 'skip checking ignored extended resource via resource groups', pod: resourcePod([{ cpu: 1, mem: 1, scalar: { [EXT_B]: 1, [K8S_A]: 1 } }]), existing: resourcePod([{}]), args: { ignoredResourceGroups: ['example.com'] }, want: [insufficient(K8S_A, 1, 0, 0)] },
  { name: 'skip checking extended resource request with quantity zero via resource groups', pod: resourcePod([{ cpu: 1, mem: 1, scalar: { [EXT_A]: 0 } }]), existing: resourcePod([{ scalar: { [EXT_A]: 6 } }]), want: [] },
  { name: 'skip checking resource request with quantity zero', pod: resourcePod([{ scalar: { [EXT_A]: 1 } }]), existing: resourcePod([{ cpu: 20, mem: 30, scalar: { [EXT_A]: 1 } }]), want: [] },
]

const asStatus = (want: InsufficientResource[]): Status =>
  want.length === 0 ? { code: 'Success', reasons: [] } : { code: 'Unschedulable', reasons: want.map((r) => r.reason) }

describe('NodeResourcesFit filter (fit_test.go TestEnoughRequests)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ni = newNodeInfo(node(), [c.existing])
      assert.deepEqual(filterStatus(newNodeResourcesFit({ args: c.args }), c.pod, ni), asStatus(c.want))
      assert.deepEqual(fitsRequest(podRequests(c.pod), ni, c.args), c.want)
    })
  }
})

describe('NodeResourcesFit filter when the node has no room for another pod (TestNotEnoughRequests)', () => {
  const full: Array<[string, KubeObject, KubeObject]> = [
    ["even without specified resources, predicate fails when there's no space for additional pod", makePod().obj(), resourcePod([{ cpu: 10, mem: 20 }])],
    ["even if both resources fit, predicate fails when there's no space for additional pod", resourcePod([{ cpu: 1, mem: 1 }]), resourcePod([{ cpu: 5, mem: 5 }])],
    ["even for equal edge case, predicate fails when there's no space for additional pod", resourcePod([{ cpu: 5, mem: 1 }]), resourcePod([{ cpu: 5, mem: 19 }])],
    ["even for equal edge case, predicate fails when there's no space for additional pod due to init container", resourcePod([{ cpu: 5, mem: 1 }], [{ cpu: 5, mem: 1 }]), resourcePod([{ cpu: 5, mem: 19 }])],
  ]
  for (const [name, pod, existing] of full) {
    it(name, () => assert.deepEqual(filterStatus(newNodeResourcesFit(), pod, newNodeInfo(node('1'), [existing])), { code: 'Unschedulable', reasons: ['Too many pods'] }))
  }
  it('all failures are reported, pods first, then cpu and memory', () => {
    const got = filterStatus(newNodeResourcesFit(), resourcePod([{ cpu: 1, mem: 1 }]), newNodeInfo(node('1'), [resourcePod([{ cpu: 10, mem: 20 }])]))
    assert.deepEqual(got, { code: 'Unschedulable', reasons: ['Too many pods', 'Insufficient cpu', 'Insufficient memory'] })
  })
})

describe('NodeResourcesFit filter on ephemeral storage (TestStorageRequests)', () => {
  const storage: Array<[string, KubeObject, KubeObject, string[]]> = [
    ['empty storage requested, and pod fits', resourcePod([{ cpu: 1, mem: 1 }]), resourcePod([{ cpu: 2, mem: 10 }]), []],
    ['storage ephemeral local storage request exceeds allocatable', resourcePod([{ storage: 25 }]), resourcePod([{ cpu: 2, mem: 2 }]), ['Insufficient ephemeral-storage']],
    ['ephemeral local storage is sufficient', resourcePod([{ storage: 5 }]), resourcePod([{ cpu: 2, mem: 2, storage: 10 }]), []],
    ['pod fits', resourcePod([{ storage: 10 }]), resourcePod([{ cpu: 2, mem: 2 }]), []],
  ]
  for (const [name, pod, existing, reasons] of storage) {
    it(name, () => assert.deepEqual(filterStatus(newNodeResourcesFit(), pod, newNodeInfo(node(), [existing])),
      reasons.length ? { code: 'Unschedulable', reasons } : { code: 'Success', reasons: [] }))
  }
})

describe('NodeResourcesFit without PreFilter', () => {
  it('filter returns an Error status naming the missing cycle state', () => {
    const got = newNodeResourcesFit().filter(new CycleState(), makePod().obj(), newNodeInfo(node()), newSnapshot([]))
    assert.deepEqual(got, { code: 'Error', reasons: ['error reading "PreFilterNodeResourcesFit" from cycleState: not found'] })
  })
  it('a malformed quantity becomes an Error status, not a throw', () => {
    const got = newNodeResourcesFit().preFilter(new CycleState(), makePod().req({ cpu: 'lots' }).obj(), newSnapshot([]))
    assert.equal(got.status.code, 'Error')
  })
  it('an unknown scoring strategy is refused at construction', () => {
    assert.throws(() => newNodeResourcesFit({ args: { scoringStrategy: { type: 'RequestedToCapacityRatio' } } }), /scoring strategy RequestedToCapacityRatio is not supported/)
  })
})
