// Requests etcd refuses get etcd's status code and message, and change nothing.
import assert from 'node:assert/strict'
import { bytes, grpc, rejectsWith, startFacade, type Facade, type RawClient } from './harness.ts'

const INVALID = grpc.status.INVALID_ARGUMENT
const emptyKey = 'etcdserver: key is not provided'

describe('etcd facade: bad input', () => {
  let f: Facade
  let kv: RawClient
  beforeEach(async () => {
    f = await startFacade({ kind: 'memory' })
    kv = f.raw('KV')
    await f.client.put('k').value('v')
  })
  afterEach(async () => {
    assert.equal(f.backend.revision, 2, 'a refused request must not write')
    await f.close()
  })

  const cases: Array<[string, string, object, grpc.status, string]> = [
    ['Range with an empty key', 'Range', { key: Buffer.alloc(0) }, INVALID, emptyKey],
    ['Put with an empty key', 'Put', { key: Buffer.alloc(0), value: bytes('v') }, INVALID, emptyKey],
    ['DeleteRange with an empty key', 'DeleteRange', { key: Buffer.alloc(0) }, INVALID, emptyKey],
    ['Txn compare on an empty key', 'Txn', { compare: [{ key: Buffer.alloc(0) }] }, INVALID, emptyKey],
    ['Put with ignore_value and a value', 'Put', { key: bytes('k'), value: bytes('v'), ignore_value: true }, INVALID, 'etcdserver: value is provided'],
    ['Put with ignore_lease and a lease', 'Put', { key: bytes('k'), lease: 5, ignore_lease: true }, INVALID, 'etcdserver: lease is provided'],
    ['Put with ignore_value on an absent key', 'Put', { key: bytes('absent'), ignore_value: true }, INVALID, 'etcdserver: key not found'],
    ['Put with an unknown lease', 'Put', { key: bytes('k'), value: bytes('v'), lease: 12345 }, grpc.status.NOT_FOUND, 'etcdserver: requested lease not found'],
    ['Put with a lease ID above 2^53', 'Put', { key: bytes('k'), value: bytes('v'), lease: '9007199254740993' }, INVALID,
      'etcdserver: lease ID 9007199254740993 (0020000000000001) is out of range: k3sim supports lease IDs from 1 to 2^53-1'],
    ['Range at a future revision', 'Range', { key: bytes('k'), revision: 50 }, grpc.status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision is a future revision'],
    ['Compact beyond the head', 'Compact', { revision: 50 }, grpc.status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision is a future revision'],
    ['Txn putting one key twice', 'Txn', { success: [{ request_put: { key: bytes('a') } }, { request_put: { key: bytes('a') } }] }, INVALID, 'etcdserver: duplicate key given in txn request'],
    ['Txn putting a key it deletes', 'Txn', { success: [{ request_delete_range: { key: bytes('a'), range_end: bytes('b') } }, { request_put: { key: bytes('a1') } }] }, INVALID, 'etcdserver: duplicate key given in txn request'],
    ['Txn with an empty operation', 'Txn', { success: [{}] }, INVALID, 'etcdserver: key not found'],
    ['Txn with a nested txn', 'Txn', { success: [{ request_txn: { success: [] } }] }, INVALID, 'etcdserver: nested txn (RequestOp.request_txn) is not supported by k3sim'],
    ['Txn compare over a key range', 'Txn', { compare: [{ key: bytes('a'), range_end: bytes('b') }] }, grpc.status.UNIMPLEMENTED,
      'etcdserver: Compare.range_end (a compare over a key range) is not implemented by k3sim'],
    ['Txn with more than 128 operations', 'Txn', { success: Array.from({ length: 129 }, (_, i) => ({ request_put: { key: bytes(`k${i}`) } })) }, INVALID, 'etcdserver: too many operations in txn request'],
  ]
  for (const [name, method, request, code, details] of cases) {
    it(`${name} → ${grpc.status[code]} "${details}"`, () => rejectsWith(kv.unary(method, request), code, details))
  }
})
