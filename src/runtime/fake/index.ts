// The fake container runtime: containers as in-memory records following lifecycle profiles on
// the cluster clock. Uses util/, runtime/images.ts and runtime/profiles/. See README.md.
export { FakeRuntime, type FakeLogOptions, type FakeRuntimeOptions } from './fake-runtime.ts'
export type { RecordedCall, RuntimeMethod } from './calls.ts'
export { formatLogTimestamp, renderLogs } from './logs.ts'
export { exitPlan, probeAnswer, stopPlan } from './lifecycle.ts'
