// What the CRI fakes (k8s.io/cri-api/pkg/apis/testing FakeRuntimeService) offer tests: the calls
// recorded in order (the newest 256 to 512, when recording), and errors injected for the next
// call of a method.
import type { Runtime } from '../runtime.ts'

/** The Runtime methods that can be recorded and made to fail. */
export type RuntimeMethod = {
  [K in keyof Runtime]: Runtime[K] extends (...args: any[]) => unknown ? K : never
}[keyof Runtime]

export interface RecordedCall {
  method: RuntimeMethod
  args: unknown[]
  /** Cluster clock time of the call. */
  at: number
}

/**
 * Calls kept: the newest ones (a node runs for days; a test looks at the few it made). Every
 * metrics scrape and probe is a call, and a call holds its arguments (a container's whole
 * config): 2,000 to 4,000 of them were ~0.5 MB per node of a long-running cluster.
 */
export const MAX_RECORDED_CALLS = 256

export class CallLog {
  calls: RecordedCall[] = []
  private readonly failures = new Map<RuntimeMethod, Error[]>()
  private readonly recording: boolean

  /** `record: false`: no calls are kept (injected errors still work). */
  constructor (options: { record?: boolean } = {}) {
    this.recording = options.record !== false
  }

  record (method: RuntimeMethod, args: unknown[], at: number): void {
    if (!this.recording) return
    this.calls.push({ method, args: args.map(withoutCallbacks), at })
    if (this.calls.length > 2 * MAX_RECORDED_CALLS) this.calls = this.calls.slice(-MAX_RECORDED_CALLS)
  }

  /** Make the next call of `method` fail with `error` (queued: several calls fail in turn). */
  failNext (method: RuntimeMethod, error: Error): void {
    const queue = this.failures.get(method) ?? []
    queue.push(error)
    this.failures.set(method, queue)
  }

  /** The injected error for this call of `method`, if any (consumed). */
  take (method: RuntimeMethod): Error | undefined {
    const queue = this.failures.get(method)
    const error = queue?.shift()
    if (queue !== undefined && queue.length === 0) this.failures.delete(method)
    return error
  }

  /** Names of the calls so far, e.g. ['runPodSandbox', 'pullImage', 'createContainer']. */
  methods (): RuntimeMethod[] {
    return this.calls.map(c => c.method)
  }

  clear (): void {
    this.calls.length = 0
    this.failures.clear()
  }
}

/**
 * An argument as kept in the log: an options object without its callbacks (a pull's `onPull`),
 * which hold their caller's whole scope — the kubelet's pod as it was at the start, one old
 * revision of every pod on the node kept alive (~40 MB at 10,000 pods).
 */
function withoutCallbacks (arg: unknown): unknown {
  if (typeof arg !== 'object' || arg === null || Object.getPrototypeOf(arg) !== Object.prototype) return arg
  const entries = Object.entries(arg)
  if (!entries.some(([, v]) => typeof v === 'function')) return arg
  return Object.fromEntries(entries.filter(([, v]) => typeof v !== 'function'))
}
