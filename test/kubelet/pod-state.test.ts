// What a kubelet makes of a pod it ran before the node went down (pod-state.ts restoredPodRecord):
// containers that ran count one more restart, exited 255 Unknown; an ephemeral container keeps
// how it ended (never run again), a running one ended with the node.
import assert from 'node:assert/strict'
import { restoredPodRecord } from '../../src/kubelet/pod-state.ts'

const ID = (n: number): string => `containerd://${String(n).repeat(64)}`
const NOW = Date.parse('2026-11-23T12:00:00Z')

describe('kubelet: a pod restored after the node went down', () => {
  it('counts a restart of each container that ran; ephemeral containers stay as they ended', () => {
    const rec = restoredPodRecord({
      metadata: { uid: 'u1' },
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'app', containerID: ID(1), restartCount: 2, state: { running: { startedAt: '2026-11-23T11:00:00Z' } } }],
        ephemeralContainerStatuses: [
          { name: 'dbg', containerID: ID(2), state: { running: { startedAt: '2026-11-23T11:30:00Z' } } },
          { name: 'done', containerID: ID(3), state: { terminated: { startedAt: '2026-11-23T11:10:00Z', finishedAt: '2026-11-23T11:11:00Z', exitCode: 0, reason: 'Completed' } } },
          { name: 'never', state: { waiting: { reason: 'ContainerCreating' } } } as never,
        ],
      },
    }, 'default/p', NOW)!
    const app = rec.containers.get('app')!
    assert.deepEqual([app.restartCount, app.previous?.exitCode, app.previous?.reason, app.status], [3, 255, 'Unknown', undefined])
    const dbg = rec.containers.get('dbg')!
    assert.deepEqual([dbg.status?.state, dbg.status?.exitCode, dbg.status?.reason, dbg.status?.finishedAt, dbg.restartCount, dbg.previous], ['exited', 255, 'Unknown', NOW, 0, undefined])
    const done = rec.containers.get('done')!
    assert.deepEqual([done.status?.exitCode, done.status?.reason, done.status?.finishedAt], [0, 'Completed', Date.parse('2026-11-23T11:11:00Z')])
    assert.equal(rec.containers.get('never'), undefined, 'never ran: started when the pod syncs')
  })
})
