// Store errors carry a stable code. The etcd facade maps each code to etcd's own gRPC status and
// message (etcd/errors.ts); the apiserver maps them to Kubernetes Status errors.

export type StoreErrorCode =
  | 'invalid-argument'   // empty key, range end <= start, value not bytes, bad option
  | 'compacted'          // revision below the compact revision
  | 'future-revision'    // revision above the current one
  | 'lease-not-found'
  | 'lease-exists'
  | 'lease-ttl-too-large'
  | 'key-not-found'      // ignore_value / ignore_lease on an absent key
  | 'watcher-slow'       // a watcher's buffer overflowed; the watch was cut off
  | 'watcher-failed'     // a watcher's synchronous consumer (WatchOptions.deliver) threw
  | 'closed'             // the backend was closed

/** Messages as etcd's mvcc/lease packages word them (without the `etcdserver: ` prefix). */
const defaultMessages: Record<StoreErrorCode, string> = {
  'invalid-argument': 'invalid argument',
  'compacted': 'mvcc: required revision has been compacted',
  'future-revision': 'mvcc: required revision is a future revision',
  'lease-not-found': 'requested lease not found',
  'lease-exists': 'lease already exists',
  'lease-ttl-too-large': 'too large lease TTL',
  'key-not-found': 'key not found',
  'watcher-slow': 'watcher is too slow: its event buffer overflowed',
  'watcher-failed': 'watch consumer failed',
  'closed': 'store is closed',
}

export class StoreError extends Error {
  readonly code: StoreErrorCode
  /** For `compacted`: the compact revision; for `future-revision`: the current revision. */
  readonly revision?: number

  constructor (code: StoreErrorCode, message?: string, revision?: number) {
    super(message ?? defaultMessages[code])
    this.name = 'StoreError'
    this.code = code
    this.revision = revision
  }
}

export const invalidArgument = (message: string): StoreError => new StoreError('invalid-argument', message)
export const compacted = (compactRevision: number): StoreError => new StoreError('compacted', undefined, compactRevision)
export const futureRevision = (current: number): StoreError => new StoreError('future-revision', undefined, current)
export const leaseNotFound = (): StoreError => new StoreError('lease-not-found')
export const storeClosed = (): StoreError => new StoreError('closed')

export function isStoreError (err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code)
}
