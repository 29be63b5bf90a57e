// applyPreemption's writes, asserted on a recording fake client (sample-controller style):
// DisruptionTarget on each victim, a graceful delete, the Preempted event, nominations.
import assert from 'node:assert/strict'
import { notFound } from '../../../src/apiserver/errors.ts'
import type { Client } from '../../../src/client/client.ts'
import { applyPreemption, withCondition, type PreemptionEventSink } from '../../../src/scheduler/preemption/index.ts'
import { makePod, T0 } from './fixtures.ts'

interface Call { verb: string, name: string, body?: unknown, options?: unknown }

function fakes (opts: { missing?: string[] } = {}): { client: Client, events: PreemptionEventSink, calls: Call[], recorded: Array<{ name: string, o: unknown }> } {
  const calls: Call[] = []
  const recorded: Array<{ name: string, o: unknown }> = []
  const gone = (name: string): void => { if (opts.missing?.includes(name)) throw notFound({ group: '', resource: 'pods' }, name) }
  const unexpected = (): never => { throw new Error('not expected in this test') }
  const client = {
    async patch (_v: string, _k: string, _ns: string | undefined, name: string, body: unknown, options?: unknown) { calls.push({ verb: 'patch', name, body, options }); gone(name); return {} },
    async delete (_v: string, _k: string, _ns: string | undefined, name: string, options?: unknown) { calls.push({ verb: 'delete', name, options }); gone(name); return {} },
    get: unexpected, list: unexpected, create: unexpected, update: unexpected, watch: unexpected, post: unexpected,
  } as unknown as Client
  const events: PreemptionEventSink = { async record (obj, o) { recorded.push({ name: obj.metadata.name!, o }); return undefined } }
  return { client, events, calls, recorded }
}

const clock = { now: () => T0 }
const STATUS_MERGE = { subresource: 'status', type: 'merge' }
const TARGET = {
  type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:00Z',
  reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod',
}

describe('scheduler/preemption: applyPreemption', () => {
  const preemptor = makePod('critical').priority(1000).obj()

  it('marks, deletes and reports each victim, then nominates the preemptor', async () => {
    const f = fakes()
    const victim = makePod('batch').priority(0).on('n1').obj()
    ;(victim.status as Record<string, unknown>).conditions = [{ type: 'Ready', status: 'True' }]
    await applyPreemption({ client: f.client, events: f.events, clock, preemptor, nodeName: 'n1', victims: [victim] })
    assert.deepEqual(f.calls, [
      { verb: 'patch', name: 'batch', body: { status: { conditions: [{ type: 'Ready', status: 'True' }, TARGET] } }, options: STATUS_MERGE },
      { verb: 'delete', name: 'batch', options: undefined },
      { verb: 'patch', name: 'critical', body: { status: { nominatedNodeName: 'n1' } }, options: STATUS_MERGE },
    ])
    // Eventf(victim, preemptor, …): regarding the victim, related the preemptor.
    assert.deepEqual(f.recorded, [{ name: 'batch', o: { type: 'Normal', reason: 'Preempted', message: 'Preempted by pod uid-critical on node n1', action: 'Preempting', related: preemptor } }])
  })

  it('the condition names the preemptor\'s scheduler', async () => {
    const f = fakes()
    const other = makePod('critical').priority(1000).obj()
    ;(other.spec as Record<string, unknown>).schedulerName = 'my-scheduler'
    await applyPreemption({ client: f.client, events: f.events, clock, preemptor: other, nodeName: 'n1', victims: [makePod('batch').obj()], nominate: false })
    const body = f.calls[0]!.body as { status: { conditions: Array<{ message: string }> } }
    assert.equal(body.status.conditions[0]!.message, 'my-scheduler: preempting to accommodate a higher priority pod')
    assert.equal(f.calls.length, 2) // patch + delete, no nomination
  })

  it('a victim already gone is skipped without an event', async () => {
    const f = fakes({ missing: ['gone'] })
    await applyPreemption({ client: f.client, events: f.events, clock, preemptor, nodeName: 'n1', victims: [makePod('gone').obj(), makePod('here').obj()] })
    assert.deepEqual(f.recorded.map(r => r.name), ['here'])
  })

  it('lower-priority pods nominated to the node lose their nomination; higher ones keep it', async () => {
    const f = fakes()
    const lower = makePod('lower').priority(10).nominated('n1').obj()
    const higher = makePod('higher').priority(5000).nominated('n1').obj()
    await applyPreemption({ client: f.client, events: f.events, clock, preemptor, nodeName: 'n1', victims: [], nominatedPods: [lower, higher] })
    assert.deepEqual(f.calls, [
      { verb: 'patch', name: 'lower', body: { status: { nominatedNodeName: null } }, options: STATUS_MERGE },
      { verb: 'patch', name: 'critical', body: { status: { nominatedNodeName: 'n1' } }, options: STATUS_MERGE },
    ])
  })
})

describe('scheduler/preemption: withCondition (UpdatePodCondition)', () => {
  const cond = (o: Record<string, unknown>): Record<string, unknown> => ({ ...TARGET, ...o })

  it('adds a missing condition', () => {
    assert.deepEqual(withCondition([], TARGET), [TARGET])
  })
  it('an identical condition (same status keeps its transition time) is no change', () => {
    assert.equal(withCondition([cond({ lastTransitionTime: 'earlier' })], TARGET), undefined)
  })
  it('a changed message replaces it, keeping the transition time when the status is the same', () => {
    assert.deepEqual(withCondition([cond({ lastTransitionTime: 'earlier', message: 'old' })], TARGET), [cond({ lastTransitionTime: 'earlier' })])
  })
  it('a changed status takes the new transition time', () => {
    assert.deepEqual(withCondition([cond({ status: 'False', lastTransitionTime: 'earlier' })], TARGET), [TARGET])
  })
})
