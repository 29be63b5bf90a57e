// A lifecycle profile: how the fake runtime's containers behave, given as data (KWOK's Stage
// resources play this role for KWOK). Durations are milliseconds here; the YAML/JSON form takes
// '250ms', '10s', '5m' or plain numbers of milliseconds. See README.md beside this file.

export interface LifecycleSpec {
  /** How long a pull takes on the cluster clock. Default 0. */
  pullDelay?: number
  /** Pulls fail with ErrImagePull and this message ({image} = the normalised reference). */
  pullError?: string
  /** How long startContainer takes before the container runs. Default 0. */
  startDelay?: number
  /** Readiness probes succeed once the container has run this long. Default: at once. */
  readyDelay?: number
  /** Readiness probes never succeed. */
  failReadiness?: boolean
  /** Liveness probes fail once the container has run this long. */
  failLivenessAfter?: number
  /** The first run (attempt 0) exits after running this long, with exitCode (default 0). */
  exitAfter?: number
  exitCode?: number
  /** Every run exits after running exitAfter, with exitCode (default 1). */
  crashLoop?: { exitAfter: number, exitCode: number }
  /** Every run is killed by the OOM killer after running this long (137, OOMKilled). */
  oomAfter?: number
  /** After SIGTERM, the container takes this long to exit. Default 0. */
  stopDelay?: number
  /** Exit code of a container that exits on SIGTERM within its grace period. Default 0. */
  stopExitCode?: number
  /** Lines written when the container starts. */
  logs?: string[]
  /** A line every interval while running; {n} counts from 1. */
  logEvery?: { interval: number, line: string }
}

export interface LifecycleProfile {
  name: string
  description?: string
  /** Settings for every container of the pod. */
  spec: LifecycleSpec
  /** Per-container overrides, merged over spec by container name. */
  containers: Record<string, LifecycleSpec>
}

/** The settings that apply to one container: the profile's, overridden by the container's own. */
export function containerSpec (profile: LifecycleProfile, container: string | undefined): LifecycleSpec {
  const own = container === undefined ? undefined : profile.containers[container]
  return own === undefined ? profile.spec : { ...profile.spec, ...own }
}

/** The profile used when a pod names none: instant and healthy (KWOK's default stages). */
export const DEFAULT_PROFILE: LifecycleProfile = Object.freeze({
  name: 'default',
  description: 'Instant and healthy: pulls, starts and readiness at once.',
  spec: {},
  containers: {},
})

export const PROFILE_ANNOTATION = 'k3sim.io/profile'
export const PROFILE_INLINE_ANNOTATION = 'k3sim.io/profile-inline'
