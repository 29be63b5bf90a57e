import assert from 'node:assert/strict'
import { DEFAULT_MEMORY_REQUEST, hostPorts, isScalarResourceName, podQOSClass, podRequests, resourcesFromList } from '../../src/api/pod-resources.ts'
import type { Resources } from '../../src/api/pod-resources.ts'
import { makePod } from '../scheduler/builders.ts'

const res = (milliCPU: number, memory: number, extra: Partial<Resources> = {}): Resources => ({ milliCPU, memory, ephemeralStorage: 0, scalar: {}, ...extra })

describe('podRequests (resourcehelper.PodRequests)', () => {
  const cases: Array<[string, ReturnType<typeof makePod>, Resources]> = [
    ['a pod without containers requests nothing', makePod(), res(0, 0)],
    ['app containers are summed', makePod().req({ cpu: '500m', memory: '1Gi' }).req({ cpu: '1', memory: '1Gi' }), res(1500, 2 * 2 ** 30)],
    ["init container fits because it's the max, not sum, of containers and init containers",
      makePod().initReq({ cpu: '2', memory: '1G' }).initReq({ cpu: '2', memory: '3G' }).req({ cpu: '2', memory: '1G' }).req({ cpu: '1', memory: '1G' }),
      res(3000, 3e9)],
    ['the largest init container wins when it exceeds the app containers', makePod().initReq({ cpu: '4' }).req({ cpu: '1' }), res(4000, 0)],
    ['a sidecar (restartable init container) adds to the app containers', makePod().sidecarReq({ cpu: '1' }).req({ cpu: '2' }), res(3000, 0)],
    ['an init container after a sidecar runs alongside it', makePod().sidecarReq({ cpu: '1' }).initReq({ cpu: '3' }).req({ cpu: '1' }), res(4000, 0)],
    ['an init container before a sidecar does not count it', makePod().initReq({ cpu: '3' }).sidecarReq({ cpu: '1' }).req({ cpu: '1' }), res(3000, 0)],
    ['overhead is added on top', makePod().req({ cpu: '1', memory: '1' }).overhead({ cpu: '3m', memory: '13' }), res(1003, 14)],
    ['quantities are summed before rounding up to bytes', makePod().req({ memory: '0.5' }).req({ memory: '0.5' }), res(0, 1)],
    ['cpu is counted in millicores, rounded up', makePod().req({ cpu: '0.0001' }), res(1, 0)],
    ['ephemeral-storage is counted', makePod().req({ 'ephemeral-storage': '1Ki' }), res(0, 0, { ephemeralStorage: 1024 })],
    ['extended and hugepages resources are scalar resources', makePod().req({ 'example.com/gpu': '2', 'hugepages-2Mi': '4Mi' }), res(0, 0, { scalar: { 'example.com/gpu': 2, 'hugepages-2Mi': 4 * 2 ** 20 } })],
    ['an explicit zero extended resource is kept', makePod().req({ 'example.com/gpu': '0' }), res(0, 0, { scalar: { 'example.com/gpu': 0 } })],
    ['unknown native names (no slash) and pods are ignored', makePod().req({ foo: '1', pods: '1' }), res(0, 0)],
  ]
  for (const [spec, pod, want] of cases) it(spec, () => assert.deepEqual(podRequests(pod.obj()), want))
})

describe('podRequests with nonZero (scoring defaults)', () => {
  const cases: Array<[string, ReturnType<typeof makePod>, [number, number]]> = [
    ['a container without requests counts 100m cpu and 200Mi memory', makePod().container(), [100, DEFAULT_MEMORY_REQUEST]],
    ['each container gets the defaults', makePod().container().container(), [200, 2 * DEFAULT_MEMORY_REQUEST]],
    ['an explicit zero stays zero', makePod().req({ cpu: '0', memory: '0' }), [0, 0]],
    ['only the missing resource is defaulted', makePod().req({ cpu: '1' }), [1000, DEFAULT_MEMORY_REQUEST]],
    ['init containers are defaulted too, then the max is taken', makePod().initReq({ memory: '1Gi' }).req({ memory: '1' }), [100, 2 ** 30]],
    ['a pod without containers still counts nothing', makePod(), [0, 0]],
  ]
  for (const [spec, pod, [cpu, mem]] of cases) {
    it(spec, () => {
      const r = podRequests(pod.obj(), { nonZero: true })
      assert.deepEqual([r.milliCPU, r.memory], [cpu, mem])
    })
  }
  it('real requests are unaffected by the defaults', () => assert.deepEqual(podRequests(makePod().container().obj()), res(0, 0)))
  it('the default memory request is 200Mi (209715200)', () => assert.equal(DEFAULT_MEMORY_REQUEST, 209715200))
})

describe('hostPorts', () => {
  it('keeps ports with a host port, defaulting IP to 0.0.0.0 and protocol to TCP', () => {
    const pod = makePod().containerPorts([{ containerPort: 80 }, { containerPort: 8080, hostPort: 8080 }, { hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' }]).obj()
    assert.deepEqual(hostPorts(pod), [{ ip: '0.0.0.0', protocol: 'TCP', port: 8080 }, { ip: '10.0.0.1', protocol: 'UDP', port: 53 }])
  })
  it('ignores init containers, as upstream', () => {
    const pod = makePod().obj() as any
    pod.spec.initContainers = [{ name: 'i', ports: [{ hostPort: 1 }] }]
    assert.deepEqual(hostPorts(pod), [])
  })
})

describe('resourcesFromList (node allocatable)', () => {
  it('reads cpu in millicores, memory and storage in bytes, pods and scalar resources', () => {
    assert.deepEqual(resourcesFromList({ cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi', pods: '110', 'nvidia.com/gpu': '1', bogus: '3' }),
      { milliCPU: 2000, memory: 4 * 2 ** 30, ephemeralStorage: 10 * 2 ** 30, scalar: { 'nvidia.com/gpu': 1 }, pods: 110 })
  })
  it('classifies scalar resource names as upstream', () => {
    assert.deepEqual(['example.com/a', 'kubernetes.io/x', 'hugepages-1Gi', 'attachable-volumes-aws-ebs', 'cpu', 'requests.example.com/a'].map(isScalarResourceName),
      [true, true, true, true, false, false])
  })
})

describe('podQOSClass (ComputePodQOS)', () => {
  const c = (requests?: Record<string, string>, limits?: Record<string, string>) => ({ name: 'c', resources: { requests, limits } })
  const cases: Array<[string, Record<string, any>, string]> = [
    ['nothing set is BestEffort', { containers: [c()] }, 'BestEffort'],
    ['zero requests and limits count as not set', { containers: [c({ cpu: '0' }, { memory: '0' })] }, 'BestEffort'],
    ['only other resources set is BestEffort', { containers: [c({ 'ephemeral-storage': '1Gi' })] }, 'BestEffort'],
    ['cpu and memory limits equal to requests in every container is Guaranteed', { containers: [c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }), c({ cpu: '500m', memory: '1Gi' }, { cpu: '0.5', memory: '1Gi' })] }, 'Guaranteed'],
    ['a container without a memory limit is Burstable', { containers: [c({ cpu: '1' }, { cpu: '1' })] }, 'Burstable'],
    ['requests below limits is Burstable', { containers: [c({ cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })] }, 'Burstable'],
    ['sums are compared, not containers: unequal containers with equal sums are Guaranteed', { containers: [c({ cpu: '1', memory: '1Gi' }, { cpu: '2', memory: '1Gi' }), c({ cpu: '2', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })] }, 'Guaranteed'],
  ]
  for (const [name, spec, want] of cases) it(name, () => assert.equal(podQOSClass(spec), want))
})
