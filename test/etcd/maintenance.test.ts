// Maintenance.Status, Cluster.MemberList, health, and the RPCs refused by name.
import assert from 'node:assert/strict'
import { grpc, rejectsWith, startFacade, type Facade } from './harness.ts'

describe('etcd Maintenance, Cluster and health', () => {
  let f: Facade
  beforeEach(async () => { f = await startFacade({ kind: 'sqlite', name: 'test-member' }) })
  afterEach(() => f.close())

  it('Status shows one member that leads itself, version 3.5.13, and the store size', async () => {
    await f.client.put('k').value('v')
    const s = await f.client.maintenance.status()
    assert.equal(s.version, '3.5.13')
    assert.equal(s.leader, s.header.member_id)
    assert.deepEqual([s.header.revision, s.raftIndex, s.raftTerm], ['2', '2', '2'])
    assert.ok(Number(s.dbSize) > 0 && Number(s.dbSizeInUse) > 0 && Number(s.dbSizeInUse) <= Number(s.dbSize))
  })

  it('MemberList shows this member with the listen URL', async () => {
    const m = await f.client.cluster.memberList({})
    assert.equal(m.members.length, 1)
    const [me] = m.members
    assert.deepEqual([me.name, me.clientURLs, me.peerURLs, me.ID], ['test-member', [f.server.url], [f.server.url], m.header.member_id])
  })

  it('health reports SERVING', async () => {
    const r = await f.raw('grpc.health.v1.Health').unary('Check', { service: '' })
    assert.equal(r.status, 'SERVING')
  })

  it('the alarm list is empty', async () => {
    assert.deepEqual((await f.raw('Maintenance').unary('Alarm', { action: 'GET' })).alarms, [])
  })

  const refused: Array<[string, string]> = [
    ['Maintenance', 'Defragment'], ['Maintenance', 'Hash'], ['Maintenance', 'HashKV'], ['Maintenance', 'MoveLeader'],
    ['Maintenance', 'Downgrade'], ['Cluster', 'MemberAdd'], ['Cluster', 'MemberRemove'], ['Cluster', 'MemberPromote'],
  ]
  for (const [service, method] of refused) {
    it(`${service}.${method} is Unimplemented, naming the RPC`, () =>
      rejectsWith(f.raw(service as 'Cluster').unary(method, {}), grpc.status.UNIMPLEMENTED, `etcdserver: ${service}.${method} is not implemented by k3sim`))
  }
})
