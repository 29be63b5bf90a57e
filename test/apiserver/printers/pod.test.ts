import assert from 'node:assert/strict'
import { printerFor } from '../../../src/apiserver/printers/index.ts'
import { NOW, ago, makePod, running, terminated, waiting } from './builders.ts'

const pods = printerFor('', 'pods')

function print (pod: any): { cells: unknown[], conditions?: unknown[] } {
  const r = pods.row(pod, NOW)
  return Array.isArray(r) ? { cells: r } : r
}

describe('pods printer: STATUS', () => {
  const cases: Array<[string, any, string]> = [
    ['a new pod with no container statuses shows its phase', makePod().container('app').obj(), 'Pending'],
    ['a container being created shows its waiting reason', makePod().container('app', waiting('ContainerCreating')).obj(), 'ContainerCreating'],
    ['a running ready container shows Running', makePod().phase('Running').container('app', running()).obj(), 'Running'],
    ['a crash-looping container shows CrashLoopBackOff', makePod().phase('Running').container('app', waiting('CrashLoopBackOff')).obj(), 'CrashLoopBackOff'],
    ['a finished pod shows Completed', makePod().phase('Succeeded').container('app', terminated(0, 'Completed')).obj(), 'Completed'],
    ['a failed pod shows Error', makePod().phase('Failed').container('app', terminated(1, 'Error')).obj(), 'Error'],
    ['a terminated container without a reason shows ExitCode:N', makePod().phase('Failed').container('app', terminated(137)).obj(), 'ExitCode:137'],
    ['a terminated container killed by a signal shows Signal:N', makePod().phase('Failed').container('app', terminated(0, undefined, 9)).obj(), 'Signal:9'],
    ['status.reason wins over the phase (Evicted)', makePod().phase('Failed').reason('Evicted').obj(), 'Evicted'],
    ['containers are walked last to first, so the first one with a reason wins',
      makePod().container('a', waiting('ErrImagePull')).container('b', waiting('CrashLoopBackOff')).obj(), 'ErrImagePull'],
    ['Completed with another container still running and ready is Running when the pod is Ready',
      makePod().phase('Running').condition('Ready', 'True').container('a', terminated(0, 'Completed')).container('b', running()).obj(), 'Running'],
    ['Completed with another container running but the pod not Ready is NotReady',
      makePod().phase('Running').condition('Ready', 'False').container('a', terminated(0, 'Completed')).container('b', running()).obj(), 'NotReady'],
    ['an init container waiting on PodInitializing counts as Init:0/1',
      makePod().init('setup', waiting('PodInitializing')).container('app', waiting('PodInitializing')).obj(), 'Init:0/1'],
    ['a running second init container shows Init:1/2',
      makePod().init('a', terminated(0, 'Completed')).init('b', running({ ready: false })).container('app', waiting('PodInitializing')).obj(), 'Init:1/2'],
    ['a crash-looping init container shows Init:CrashLoopBackOff',
      makePod().init('setup', waiting('CrashLoopBackOff')).container('app', waiting('PodInitializing')).obj(), 'Init:CrashLoopBackOff'],
    ['a failed init container shows Init:<reason>', makePod().init('setup', terminated(1, 'Error')).container('app').obj(), 'Init:Error'],
    ['a failed init container without a reason shows Init:ExitCode:N', makePod().init('setup', terminated(2)).container('app').obj(), 'Init:ExitCode:2'],
    ['a killed init container without a reason shows Init:Signal:N', makePod().init('setup', terminated(1, undefined, 15)).container('app').obj(), 'Init:Signal:15'],
    ['after init, app containers waiting on PodInitializing show PodInitializing',
      makePod().init('setup', terminated(0, 'Completed')).container('app', waiting('PodInitializing')).obj(), 'PodInitializing'],
    ['a started sidecar does not hold the pod in Init',
      makePod().phase('Running').init('proxy', running(), { sidecar: true }).container('app', running()).obj(), 'Running'],
    ['a deleted running pod shows Terminating', makePod().phase('Running').deleted().container('app', running()).obj(), 'Terminating'],
    ['a deleted succeeded pod keeps Completed', makePod().phase('Succeeded').deleted().container('app', terminated(0, 'Completed')).obj(), 'Completed'],
    ['a deleted pod on a lost node (reason NodeLost) shows Unknown',
      makePod().phase('Running').reason('NodeLost').deleted().container('app', running()).obj(), 'Unknown'],
    ['a pod held by scheduling gates shows SchedulingGated',
      makePod().condition('PodScheduled', 'False', 'SchedulingGated').container('app').obj(), 'SchedulingGated']
  ]
  for (const [name, pod, status] of cases) {
    it(name, () => assert.equal(print(pod).cells[2], status))
  }
})

describe('pods printer: other cells', () => {
  it('READY counts ready running containers over all, sidecars included', () => {
    const pod = makePod().phase('Running').init('proxy', running(), { sidecar: true })
      .container('a', running()).container('b', running({ ready: false })).obj()
    assert.equal(print(pod).cells[1], '2/3')
  })

  it('RESTARTS is a plain count without a last termination, "N (age ago)" with one', () => {
    assert.equal(print(makePod().container('app', running({ restarts: 2 })).obj()).cells[3], '2')
    const pod = makePod().container('a', running({ restarts: 3, lastFinished: ago('5m') }))
      .container('b', running({ restarts: 1, lastFinished: ago('2h') })).obj()
    assert.equal(print(pod).cells[3], '4 (5m ago)')
    assert.equal(print(makePod().container('app', running()).obj()).cells[3], '0')
  })

  it('while initializing, RESTARTS counts init containers only', () => {
    const pod = makePod().init('setup', waiting('CrashLoopBackOff', { restarts: 4, lastFinished: ago('30s') }))
      .container('app', waiting('PodInitializing', { restarts: 9 })).obj()
    assert.deepEqual(print(pod).cells.slice(1, 4), ['0/1', 'Init:CrashLoopBackOff', '4 (30s ago)'])
  })

  it('wide cells show <none> until the pod has an IP, node, nomination and readiness gates', () => {
    assert.deepEqual(print(makePod().container('app').obj()).cells.slice(5), ['<none>', '<none>', '<none>', '<none>'])
    const pod = makePod().ip('10.42.0.9').node('k3d-server-0').nominated('k3d-agent-1')
      .readinessGate('example.com/ready').readinessGate('example.com/other')
      .condition('example.com/ready', 'True').condition('example.com/other', 'False').container('app').obj()
    assert.deepEqual(print(pod).cells.slice(5), ['10.42.0.9', 'k3d-server-0', 'k3d-agent-1', '1/2'])
  })

  it('finished pods carry a Completed row condition', () => {
    assert.deepEqual(print(makePod().phase('Succeeded').obj()).conditions,
      [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }])
    assert.deepEqual(print(makePod().phase('Failed').obj()).conditions,
      [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }])
    assert.equal(print(makePod().phase('Running').obj()).conditions, undefined)
  })

  it('every column is defined, the last four wide', () => {
    assert.deepEqual(pods.columns.map(c => `${c.name}:${c.type}:${c.priority}`), [
      'Name:string:0', 'Ready:string:0', 'Status:string:0', 'Restarts:string:0', 'Age:string:0',
      'IP:string:1', 'Node:string:1', 'Nominated Node:string:1', 'Readiness Gates:string:1'
    ])
  })
})
