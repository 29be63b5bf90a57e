// The grpc-js / proto-loader adapter: loads proto/ and turns our plain service objects (async
// request → response functions, and BidiStream handlers) into grpc-js handlers. The only file
// besides server.ts that imports grpc-js.
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import type { BidiStream } from './context.ts'
import { errStopped, isUnexpected, toEtcdError, unimplemented } from './errors.ts'
import { packagePath } from '../util/package-path.ts'

// int64 as decimal strings (JS numbers lose precision past 2^53), enums by name, every field
// present with its default, and the name of the set member of each oneof.
const loaderOptions: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true }

let loaded: grpc.GrpcObject | undefined

/** proto/ beside src/ (dev) or dist/ (package): both are two levels above this file. */
export function loadProtos (): grpc.GrpcObject {
  loaded ??= grpc.loadPackageDefinition(protoLoader.loadSync(
    ['etcdserverpb/rpc.proto', 'grpc/health/v1/health.proto'],
    { ...loaderOptions, includeDirs: [packagePath('proto')] },
  ))
  return loaded
}

export function serviceDefinition (path: string): grpc.ServiceDefinition {
  let node: unknown = loadProtos()
  for (const part of path.split('.')) node = (node as Record<string, unknown>)[part]
  return (node as { service: grpc.ServiceDefinition }).service
}

/** A service as the etcd/ files write it: async functions, and stream handlers. */
export type Handlers = Record<string, ((req: never) => Promise<unknown>) | ((stream: BidiStream<never, never>) => void)>

export interface CallTracker {
  /** False once the server is closing: new calls get `etcdserver: server stopped`. */
  accepting(): boolean
  unary(p: Promise<unknown>): void
  stream(s: BidiStream<unknown, unknown>): void
}

function toStatus (err: unknown, method: string): Partial<grpc.StatusObject> {
  if (isUnexpected(err)) console.error(`k3sim etcd: ${method} failed:`, err)
  const e = toEtcdError(err)
  return { code: e.code as number as grpc.status, details: e.message }
}

/** grpc-js handlers for every method of `definition`; a method without a handler is Unimplemented. */
export function implement (definition: grpc.ServiceDefinition, handlers: Handlers, tracker: CallTracker): grpc.UntypedServiceImplementation {
  const out: grpc.UntypedServiceImplementation = {}
  for (const [name, method] of Object.entries(definition)) {
    const label = `${method.path.split('/')[1].split('.').pop() ?? ''}.${name}`
    const fn = handlers[name] as ((arg: unknown) => unknown) | undefined
    if (method.requestStream && method.responseStream) {
      out[name] = (call: grpc.ServerDuplexStream<unknown, unknown>) => {
        const stream = adaptDuplex(call, label)
        if (!tracker.accepting()) return stream.fail(errStopped())
        if (fn === undefined) return stream.fail(unimplemented(label))
        tracker.stream(stream)
        fn(stream)
      }
    } else if (method.responseStream) {
      out[name] = (call: grpc.ServerWritableStream<unknown, unknown>) => {
        if (fn === undefined) return void call.emit('error', toStatus(unimplemented(label), label))
        fn(call)
      }
    } else {
      out[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        if (!tracker.accepting()) return callback(toStatus(errStopped(), label))
        if (fn === undefined) return callback(toStatus(unimplemented(label), label))
        const p = Promise.resolve().then(() => fn(call.request) as Promise<unknown>)
        tracker.unary(p)
        p.then(res => callback(null, res), err => callback(toStatus(err, label)))
      }
    }
  }
  return out
}

/** A grpc-js duplex call as a BidiStream, with flow control on send. */
function adaptDuplex (call: grpc.ServerDuplexStream<unknown, unknown>, label: string): BidiStream<unknown, unknown> {
  let closed = false
  const closeFns: Array<() => void> = []
  const waiters = new Set<() => void>()
  const finish = (): void => {
    if (closed) return
    closed = true
    for (const w of [...waiters]) w()
    for (const fn of closeFns) fn()
  }
  call.on('cancelled', finish)
  call.on('error', finish)
  call.on('close', finish)
  const stream: BidiStream<unknown, unknown> = {
    get closed () { return closed },
    onMessage: fn => { call.on('data', fn) },
    onClose: fn => { closeFns.push(fn) },
    send: (res) => {
      if (closed) return Promise.resolve()
      if (call.write(res)) return Promise.resolve()
      return new Promise(resolve => {
        const done = (): void => { call.off('drain', done); waiters.delete(done); resolve() }
        waiters.add(done)
        call.once('drain', done)
      })
    },
    end: () => {
      if (closed) return
      finish()
      call.end()
    },
    fail: (err) => {
      if (closed) return
      finish()
      call.emit('error', toStatus(err, label))
    },
  }
  return stream
}
