// Bad input is refused before anything is written, with a stable `invalid-argument` code and a
// message that names the field. Messages follow etcd's rpctypes where etcd has one.
import type { Compare, Op, RangeOptions, TxnRequest } from './backend.ts'
import { invalidArgument } from './errors.ts'

export function checkKey (key: unknown, field = 'key'): asserts key is string {
  if (typeof key !== 'string') throw invalidArgument(`${field} must be a string`)
  if (key.length === 0) throw invalidArgument('key is not provided')
}

export function checkRange (key: unknown, rangeEnd: unknown): void {
  checkKey(key)
  if (rangeEnd === undefined || rangeEnd === '' || rangeEnd === '\0') return
  if (typeof rangeEnd !== 'string') throw invalidArgument('rangeEnd must be a string')
  if (rangeEnd <= key) throw invalidArgument(`range end ${JSON.stringify(rangeEnd)} must be greater than key ${JSON.stringify(key)}`)
}

export function checkRevision (revision: unknown, field = 'revision'): void {
  if (revision === undefined) return
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    throw invalidArgument(`${field} must be a non-negative integer, got ${String(revision)}`)
  }
}

export function checkValue (value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidArgument(`value must be bytes (Uint8Array), got ${typeof value}`)
}

export function checkRangeOptions (o: RangeOptions): void {
  checkRange(o.key, o.rangeEnd)
  checkRevision(o.revision)
  checkRevision(o.limit, 'limit')
}

const targets = new Set(['version', 'create', 'mod', 'value', 'lease'])
const results = new Set(['=', '!=', '<', '>'])

function checkCompare (c: Compare): void {
  checkKey(c.key)
  if (!targets.has(c.target)) throw invalidArgument(`unknown compare target ${JSON.stringify(c.target)}`)
  if (!results.has(c.result)) throw invalidArgument(`unknown compare result ${JSON.stringify(c.result)}`)
  if (c.target === 'value') checkValue(c.value)
  else if (typeof c.value !== 'number' || !Number.isSafeInteger(c.value)) throw invalidArgument(`compare on ${c.target} needs an integer`)
}

function checkOp (op: Op): void {
  if ('put' in op) {
    checkKey(op.put.key)
    if (!op.put.ignoreValue) checkValue(op.put.value)
    checkRevision(op.put.lease, 'lease')
  } else if ('range' in op) {
    checkRangeOptions(op.range)
  } else if ('delete' in op) {
    checkRange(op.delete.key, op.delete.rangeEnd)
  } else {
    throw invalidArgument('an operation must be put, range or delete')
  }
}

/** etcd refuses a txn that writes one key twice ("duplicate key given in txn request"). */
export function checkTxn (t: TxnRequest): void {
  if (!Array.isArray(t.compare) || !Array.isArray(t.success) || !Array.isArray(t.failure)) {
    throw invalidArgument('txn needs compare, success and failure lists')
  }
  t.compare.forEach(checkCompare)
  for (const branch of [t.success, t.failure]) {
    branch.forEach(checkOp)
    const puts = new Set<string>()
    for (const op of branch) {
      if (!('put' in op)) continue
      if (puts.has(op.put.key)) throw invalidArgument('duplicate key given in txn request')
      puts.add(op.put.key)
    }
  }
}
