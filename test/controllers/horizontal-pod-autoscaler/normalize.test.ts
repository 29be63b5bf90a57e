// From the metrics' proposal to the scale the HPA sets: stabilization and the scaling rules.
import assert from 'node:assert/strict'
import { newMemory, normalizeLegacy, normalizeWithBehavior, storeScaleEvent } from '../../../src/controllers/horizontal-pod-autoscaler/normalize.ts'
import { defaultHpa } from '../../../src/api/autoscaling/hpa.ts'

const WINDOW = 300_000
const reasons = (n: { conditions: Array<{ type: string, status: string, reason: string }> }): string[] => n.conditions.map(c => `${c.type}=${c.status}/${c.reason}`)

function behavior (b: Record<string, unknown>): Record<string, any> {
  const hpa = { spec: { maxReplicas: 10, behavior: b } }
  defaultHpa(hpa)
  return hpa.spec.behavior
}

describe('HPA normalization without behavior (legacy rules)', () => {
  it('scales up at most to max(2 × current, 4) per sync', () => {
    const n = normalizeLegacy(newMemory(1, 0), 1, 9, 1, 10, 15_000, WINDOW)
    assert.equal(n.replicas, 4)
    assert.deepEqual(reasons(n), ['AbleToScale=True/ReadyForNewScale', 'ScalingLimited=True/ScaleUpLimit'])
    assert.equal(normalizeLegacy(newMemory(3, 0), 3, 9, 1, 10, 15_000, WINDOW).replicas, 6)
  })

  it('caps at maxReplicas with TooManyReplicas, and raises to minReplicas with TooFewReplicas', () => {
    const many = normalizeLegacy(newMemory(6, 0), 6, 15, 1, 8, 15_000, WINDOW)
    assert.deepEqual([many.replicas, ...reasons(many)], [8, 'AbleToScale=True/ReadyForNewScale', 'ScalingLimited=True/TooManyReplicas'])
    const mem = newMemory(2, -WINDOW - 1)
    const few = normalizeLegacy(mem, 2, 1, 2, 8, 15_000, WINDOW)
    assert.deepEqual([few.replicas, ...reasons(few)], [2, 'AbleToScale=True/ReadyForNewScale', 'ScalingLimited=True/TooFewReplicas'])
  })

  it('scales down only to the highest recommendation of the last 5 minutes', () => {
    const mem = newMemory(5, 0)
    const first = normalizeLegacy(mem, 5, 2, 1, 10, 60_000, WINDOW)
    assert.deepEqual([first.replicas, ...reasons(first)], [5, 'AbleToScale=True/ScaleDownStabilized', 'ScalingLimited=False/DesiredWithinRange'])
    assert.equal(normalizeLegacy(mem, 5, 2, 1, 10, 299_000, WINDOW).replicas, 5)
    assert.equal(normalizeLegacy(mem, 5, 2, 1, 10, 301_000, WINDOW).replicas, 2, 'the 5 at t=0 left the window')
  })
})

describe('HPA normalization with spec.behavior', () => {
  it('defaults the rules: scale up by max(4 pods, 100 %) per 15 s, down by 100 % after a 300 s window', () => {
    const b = behavior({})
    assert.deepEqual(b.scaleUp, { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] })
    assert.deepEqual(b.scaleDown, { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] })
    const up = normalizeWithBehavior(newMemory(2, 0), b, 2, 20, 1, 30, 15_000, WINDOW)
    assert.deepEqual([up.replicas, ...reasons(up)], [6, 'AbleToScale=True/ReadyForNewScale', 'ScalingLimited=True/ScaleUpLimit'])
    const big = normalizeWithBehavior(newMemory(10, 0), b, 10, 50, 1, 30, 15_000, WINDOW)
    assert.equal(big.replicas, 20, '100 % of 10 beats 4 pods')
  })

  it('counts the scale events of the period: a second step within 15 s starts from the period\'s start', () => {
    const b = behavior({ scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } })
    const mem = newMemory(1, 0)
    const first = normalizeWithBehavior(mem, b, 1, 10, 1, 10, 15_000, WINDOW)
    assert.equal(first.replicas, 3)
    storeScaleEvent(mem, b, 1, 3, 15_000)
    const second = normalizeWithBehavior(mem, b, 3, 10, 1, 10, 30_000, WINDOW)
    assert.deepEqual([second.replicas, ...reasons(second)], [3, 'AbleToScale=True/ReadyForNewScale', 'ScalingLimited=True/ScaleUpLimit'])
    assert.equal(normalizeWithBehavior(mem, b, 3, 10, 1, 10, 76_000, WINDOW).replicas, 5, 'the period is over')
  })

  it('follows the scale-down window and policy (Pods 1 per minute), and Min picks the smaller change', () => {
    const b = behavior({ scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }], selectPolicy: 'Min' } })
    const mem = newMemory(8, 0)
    const held = normalizeWithBehavior(mem, b, 8, 2, 1, 10, 30_000, WINDOW)
    assert.deepEqual([held.replicas, ...reasons(held)], [8, 'AbleToScale=True/ScaleDownStabilized', 'ScalingLimited=False/DesiredWithinRange'])
    const down = normalizeWithBehavior(mem, b, 8, 2, 1, 10, 61_000, WINDOW)
    assert.deepEqual([down.replicas, ...reasons(down)], [7, 'AbleToScale=True/ReadyForNewScale', 'ScalingLimited=True/ScaleDownLimit'])
  })

  it('does not scale in a direction whose selectPolicy is Disabled', () => {
    const b = behavior({ scaleDown: { selectPolicy: 'Disabled' } })
    assert.equal(normalizeWithBehavior(newMemory(5, -WINDOW - 1), b, 5, 1, 1, 10, 15_000, WINDOW).replicas, 5)
  })
})
