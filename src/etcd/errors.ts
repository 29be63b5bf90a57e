// etcd's gRPC errors (api/v3rpc/rpctypes/error.go): the exact status code and message an etcd
// client expects, so clientv3 and etcdctl recognise them ("Error: etcdserver: ..."). Store errors
// map onto them by code. Plain gRPC status numbers keep grpc-js out of this file.
import { isStoreError } from '../store/errors.ts'

export const Status = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, NOT_FOUND: 5, FAILED_PRECONDITION: 9,
  RESOURCE_EXHAUSTED: 8, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14,
} as const
export type StatusCode = typeof Status[keyof typeof Status]

/** An error with the gRPC status code and message the etcd server would send. */
export class EtcdError extends Error {
  readonly code: StatusCode
  constructor (code: StatusCode, message: string) {
    super(message)
    this.name = 'EtcdError'
    this.code = code
  }
}

const e = (code: StatusCode, message: string) => (): EtcdError => new EtcdError(code, message)

export const errEmptyKey = e(Status.INVALID_ARGUMENT, 'etcdserver: key is not provided')
export const errKeyNotFound = e(Status.INVALID_ARGUMENT, 'etcdserver: key not found')
export const errValueProvided = e(Status.INVALID_ARGUMENT, 'etcdserver: value is provided')
export const errLeaseProvided = e(Status.INVALID_ARGUMENT, 'etcdserver: lease is provided')
export const errTooManyOps = e(Status.INVALID_ARGUMENT, 'etcdserver: too many operations in txn request')
export const errDuplicateKey = e(Status.INVALID_ARGUMENT, 'etcdserver: duplicate key given in txn request')
export const errCompacted = e(Status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision has been compacted')
export const errFutureRev = e(Status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision is a future revision')
export const errLeaseNotFound = e(Status.NOT_FOUND, 'etcdserver: requested lease not found')
export const errLeaseExist = e(Status.FAILED_PRECONDITION, 'etcdserver: lease already exists')
export const errLeaseTTLTooLarge = e(Status.OUT_OF_RANGE, 'etcdserver: too large lease TTL')
export const errStopped = e(Status.UNAVAILABLE, 'etcdserver: server stopped')

export const invalidRequest = (message: string): EtcdError => new EtcdError(Status.INVALID_ARGUMENT, message)

/** What k3sim does not do says so by name (kine words it `<field> is not implemented by kine`). */
export const unimplemented = (what: string): EtcdError =>
  new EtcdError(Status.UNIMPLEMENTED, `etcdserver: ${what} is not implemented by k3sim`)

/** Any thrown value as the error an etcd client should see. */
export function toEtcdError (err: unknown): EtcdError {
  if (err instanceof EtcdError) return err
  if (isStoreError(err)) {
    switch (err.code) {
      case 'invalid-argument': return invalidRequest(`etcdserver: ${err.message}`)
      case 'compacted': return errCompacted()
      case 'future-revision': return errFutureRev()
      case 'lease-not-found': return errLeaseNotFound()
      case 'lease-exists': return errLeaseExist()
      case 'lease-ttl-too-large': return errLeaseTTLTooLarge()
      case 'key-not-found': return errKeyNotFound()
      case 'watcher-slow': return new EtcdError(Status.RESOURCE_EXHAUSTED, `etcdserver: ${err.message}`)
      case 'closed': return errStopped()
    }
  }
  const message = err instanceof Error ? err.message : String(err)
  return new EtcdError(Status.UNKNOWN, message)
}

/** True for errors that are not etcd's or the store's own: worth a log line on the server. */
export function isUnexpected (err: unknown): boolean {
  return !(err instanceof EtcdError) && !isStoreError(err)
}
