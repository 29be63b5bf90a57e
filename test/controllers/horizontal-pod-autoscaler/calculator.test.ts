// The HPA's replica calculator, case by case as upstream's replica_calculator_test.go reads.
import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { rfc3339 } from '../../../src/api/object.ts'
import { DEFAULT_SETTINGS, rawResourceReplicas, resourceReplicas, type PodMetrics } from '../../../src/controllers/horizontal-pod-autoscaler/calculator.ts'

const NOW = Date.parse('2025-01-01T01:00:00Z')
const LONG_AGO = NOW - 10 * 60_000

interface PodOpts { phase?: string, ready?: boolean, started?: number, readySince?: number, deleted?: boolean, requests?: Record<string, string> | null, sidecar?: string }

function pod (name: string, o: PodOpts = {}): KubeObject {
  const requests = o.requests === null ? undefined : o.requests ?? { cpu: '1', memory: '1Gi' }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(o.deleted === true ? { deletionTimestamp: rfc3339(NOW) } : {}) },
    spec: {
      containers: [{ name: 'app', resources: requests === undefined ? {} : { requests } }],
      initContainers: o.sidecar === undefined ? [] : [{ name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: o.sidecar } } }],
    },
    status: {
      phase: o.phase ?? 'Running',
      startTime: rfc3339(o.started ?? LONG_AGO),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: rfc3339(o.readySince ?? LONG_AGO) }],
    },
  } as KubeObject
}

const metrics = (values: Record<string, number>, timestamp = NOW - 5000): PodMetrics =>
  new Map(Object.entries(values).map(([n, v]) => [n, { timestamp, windowMs: 15_000, value: v }]))

const cpu = (current: number, target: number, m: PodMetrics, pods: KubeObject[]): ReturnType<typeof resourceReplicas> =>
  resourceReplicas(current, target, 'cpu', '', m, pods, NOW, DEFAULT_SETTINGS)

describe('HPA replica calculator', () => {
  it('scales up to ceil(ratio × ready pods): 3 pods at 100 % of their request with a 50 % target ask for 6', () => {
    const r = cpu(3, 50, metrics({ a: 1000, b: 1000, c: 1000 }), [pod('a'), pod('b'), pod('c')])
    assert.deepEqual(r, { replicas: 6, utilization: 100, rawAverage: 1000 })
  })

  it('keeps the current count within the 10 % tolerance', () => {
    assert.equal(cpu(3, 50, metrics({ a: 540, b: 540, c: 540 }), [pod('a'), pod('b'), pod('c')]).replicas, 3)
  })

  it('works from the truncated whole percentage, as GetResourceUtilizationRatio does', () => {
    const names = Array.from({ length: 100 }, (_, i) => `p${i}`)
    const r = cpu(100, 50, metrics(Object.fromEntries(names.map(n => [n, 449]))), names.map(n => pod(n)))
    assert.equal(r.utilization, 44)
    assert.equal(r.replicas, 88, 'ceil(44/50 × 100), where 44.9 % would give 90')
  })

  it('scales down with the sum of requests: 4 pods at 10 % with a 50 % target ask for 1', () => {
    assert.equal(cpu(4, 50, metrics({ a: 100, b: 100, c: 100, d: 100 }), ['a', 'b', 'c', 'd'].map(n => pod(n))).replicas, 1)
  })

  it('counts sidecar requests, but not other init containers', () => {
    const r = cpu(1, 50, metrics({ a: 1000 }), [pod('a', { sidecar: '1' })])
    assert.equal(r.utilization, 50)
  })

  it('ignores deleted and failed pods, and treats pending ones as unready', () => {
    const pods = [pod('a'), pod('gone', { deleted: true }), pod('failed', { phase: 'Failed' }), pod('pending', { phase: 'Pending' })]
    const r = cpu(2, 50, metrics({ a: 500, gone: 5000, failed: 5000 }), pods)
    assert.equal(r.replicas, 2, '50 % on the one ready pod: no change')
  })

  it('on a scale down, counts a pod without metrics as using its whole request (missing pods)', () => {
    // a at 10 %, b missing → b counts 100 %: (100 + 1000) / 2000 = 55 % of a 50 % target: within tolerance.
    assert.equal(cpu(2, 50, metrics({ a: 100 }), [pod('a'), pod('b')]).replicas, 2)
  })

  it('on a scale down with a target above 100 %, counts missing pods at the target', () => {
    // a at 10 %, b missing → b counts 150 %: 80 % of 150 % → ceil(0.533 × 2) = 2
    assert.equal(cpu(3, 150, metrics({ a: 100 }), [pod('a'), pod('b')]).replicas, 2)
  })

  it('on a scale up, counts missing pods as idle and does not reverse direction', () => {
    // a at 200 %, b missing → 0: 100 % of 50 % → ceil(2 × 2) = 4
    assert.equal(cpu(2, 50, metrics({ a: 2000 }), [pod('a'), pod('b')]).replicas, 4)
    // a at 60 %, b missing → 0: 30 % of 50 % would be a scale down: keep 2
    assert.equal(cpu(2, 50, metrics({ a: 600 }), [pod('a'), pod('b')]).replicas, 2)
  })

  it('does not count a cpu sample from a pod still initializing and not ready, and counts it as idle on a scale up', () => {
    const starting = pod('b', { started: NOW - 60_000, ready: false, readySince: NOW - 60_000 })
    // a at 200 %; b unready → 0: (2000 + 0) / 2000 = 100 % of 50 % → ceil(2 × 2) = 4
    assert.equal(cpu(2, 50, metrics({ a: 2000, b: 5000 }), [pod('a'), starting]).replicas, 4)
  })

  it('does not count a cpu sample taken within one window of the pod becoming ready (cpu initialization period)', () => {
    const justReady = pod('a', { started: NOW - 60_000, readySince: NOW - 10_000 })
    assert.throws(() => cpu(1, 50, metrics({ a: 2000 }), [justReady]), /^Error: did not receive metrics for targeted pods \(pods might be unready\)$/)
  })

  it('says why it cannot calculate: no pods, a container without a request', () => {
    assert.throws(() => cpu(1, 50, metrics({ a: 1 }), []), /^Error: no pods returned by selector while calculating replica count$/)
    assert.throws(() => cpu(1, 50, metrics({ a: 1 }), [pod('a', { requests: null })]), /^Error: missing request for cpu in container app of Pod a$/)
  })

  it('reads memory without readiness rules, and an average-value target as usage per pod', () => {
    const starting = pod('a', { started: NOW - 60_000, ready: false, readySince: NOW - 60_000 })
    const gi = 1024 ** 3 * 1000
    assert.equal(resourceReplicas(1, 50, 'memory', '', metrics({ a: gi }), [starting], NOW, DEFAULT_SETTINGS).replicas, 2)
    const raw = rawResourceReplicas(2, 500_000, 'memory', metrics({ a: 1_000_000, b: 1_000_000 }), [pod('a'), pod('b')], NOW, DEFAULT_SETTINGS)
    assert.deepEqual(raw, { replicas: 4, rawAverage: 1_000_000 })
  })
})
