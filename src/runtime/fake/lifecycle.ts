// Pure rules of a fake container's life, read from its lifecycle settings: when and how a run
// ends, what probes answer, what a stop does. FakeRuntime turns these into clock timers.
import type { ContainerConfig, ContainerUsage, ProbeKind } from '../runtime.ts'
import type { LifecycleSpec } from '../profiles/types.ts'

export interface Exit {
  /** Milliseconds after the run started. */
  after: number
  exitCode: number
  /** containerd's terminated reason: Completed (0), Error (non-zero), OOMKilled. */
  reason: string
}

/** containerd reports Completed for exit code 0 and Error otherwise (OOMKilled is set apart). */
export function terminationReason (exitCode: number): string {
  return exitCode === 0 ? 'Completed' : 'Error'
}

/** SIGKILL: what the runtime reports for a container killed at the end of its grace period. */
export const KILLED: Readonly<Omit<Exit, 'after'>> = { exitCode: 137, reason: 'Error' }

/**
 * How this run ends, or undefined if it runs until stopped.
 * - exitAfter ends the first run only (attempt 0): a program that fails once and then recovers.
 * - crashLoop ends every run (and later runs, when exitAfter handled the first one).
 * - oomAfter ends every run with 137 OOMKilled; the earliest of these wins.
 * - With none of them for this run, KWOK's rule: a container that will not be restarted
 *   (restartPolicy OnFailure/Never) or an init container runs to completion at once, exit 0,
 *   so Jobs finish and init containers let the pod go on; under Always it runs forever.
 */
export function exitPlan (spec: LifecycleSpec, config: Pick<ContainerConfig, 'attempt' | 'init' | 'restartPolicy'>): Exit | undefined {
  const candidates: Exit[] = []
  if (spec.exitAfter !== undefined && config.attempt === 0) {
    const exitCode = spec.exitCode ?? 0
    candidates.push({ after: spec.exitAfter, exitCode, reason: terminationReason(exitCode) })
  } else if (spec.crashLoop !== undefined) {
    const { exitAfter, exitCode } = spec.crashLoop
    candidates.push({ after: exitAfter, exitCode, reason: terminationReason(exitCode) })
  }
  if (spec.oomAfter !== undefined) candidates.push({ after: spec.oomAfter, exitCode: 137, reason: 'OOMKilled' })
  if (candidates.length === 0) {
    // Sidecars (init containers with restartPolicy Always) cannot be told apart through
    // ContainerConfig yet, so every init container completes.
    if (config.init || config.restartPolicy !== 'Always') return { after: 0, exitCode: 0, reason: 'Completed' }
    return undefined
  }
  return candidates.reduce((a, b) => b.after < a.after ? b : a)
}

/**
 * How a stop with this grace period ends (CRI StopContainer: SIGTERM, wait up to the grace
 * period, then SIGKILL). A well-behaved program exits on SIGTERM after stopDelay (default 0)
 * with stopExitCode (default 0, Completed); one slower than its grace is killed: 137, Error.
 * Grace 0 sends SIGKILL straight away, as containerd does for a zero timeout.
 */
export function stopPlan (spec: LifecycleSpec, gracePeriodSeconds: number): Exit {
  const grace = Math.max(0, gracePeriodSeconds) * 1000
  const delay = spec.stopDelay ?? 0
  if (grace === 0) return { after: 0, ...KILLED }
  if (delay >= grace) return { after: grace, ...KILLED }
  const exitCode = spec.stopExitCode ?? 0
  return { after: delay, exitCode, reason: terminationReason(exitCode) }
}

/** Probe answers as an HTTP probe would word them (the kubelet puts this in the Unhealthy event). */
export function probeAnswer (spec: LifecycleSpec, kind: ProbeKind, runningFor: number): { success: boolean, message?: string } {
  switch (kind) {
    case 'readiness':
      if (spec.failReadiness === true || runningFor < (spec.readyDelay ?? 0)) {
        return { success: false, message: 'HTTP probe failed with statuscode: 503' }
      }
      return { success: true }
    case 'liveness':
      if (spec.failLivenessAfter !== undefined && runningFor >= spec.failLivenessAfter) {
        return { success: false, message: 'HTTP probe failed with statuscode: 500' }
      }
      return { success: true }
    case 'startup':
      return { success: true }
  }
}

/** `{n}`, `{pod}`, `{namespace}`, `{container}`, `{node}` in log lines; other braces stay. */
export function expandLine (line: string, vars: Record<string, string | number>): string {
  return line.replace(/\{(\w+)\}/g, (all, key: string) => key in vars ? String(vars[key]) : all)
}

/**
 * While running: what the pod asks for (`simulated`), else small steady numbers per container,
 * 1–5 millicores and 4–44 MiB. Nothing once it stopped.
 */
export function statsOf (hex: string, running: boolean, simulated: Partial<ContainerUsage> = {}): ContainerUsage {
  if (!running) return { cpuNanoCores: 0, memoryBytes: 0 }
  const a = parseInt(hex.slice(0, 8), 16)
  const b = parseInt(hex.slice(8, 16), 16)
  return {
    cpuNanoCores: simulated.cpuNanoCores ?? 1_000_000 + (a % 4_000_000),
    // Whole pages, as a working set is (metrics-server prints it in Ki).
    memoryBytes: simulated.memoryBytes ?? 4 * 1024 * 1024 + (b % (40 * 1024 * 1024)) - (b % 4096),
  }
}
