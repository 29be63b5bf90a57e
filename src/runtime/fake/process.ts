// The "process" inside a fake container: what happens between start and exit, on clock timers.
// Start-up log lines, periodic lines, its own exit (profile), and how it answers a stop (SIGTERM,
// grace period, SIGKILL — CRI StopContainer as containerd implements it).
import type { Clock, TimerHandle } from '../../util/clock.ts'
import { parkHere } from '../../util/parking.ts'
import { RuntimeError, type RuntimeEvent } from '../runtime.ts'
import { type Exit, exitPlan, expandLine, stopPlan } from './lifecycle.ts'
import type { ContainerRecord, Waits } from './records.ts'

export interface ProcessContext {
  clock: Clock
  waits: Waits
  nodeName: string
  emit: (type: RuntimeEvent['type'], rec: ContainerRecord) => void
}

/** containerd's status for a container whose start failed: exited, 128, StartError. */
const START_ERROR = { exitCode: 128, reason: 'StartError' }

export class Processes {
  private readonly ctx: ProcessContext

  constructor (ctx: ProcessContext) { this.ctx = ctx }

  /** The process starts: start-up lines, periodic lines, and its own exit. */
  run (rec: ContainerRecord): void {
    const now = this.ctx.clock.now()
    rec.state = 'running'
    rec.startedAt = now
    for (const line of rec.spec.logs ?? []) rec.logs.append(now, expandLine(line, this.vars(rec)))
    if (rec.spec.logEvery !== undefined) {
      rec.timers.push(this.ctx.clock.setInterval(() => this.catchUpLogs(rec), rec.spec.logEvery.interval))
    }
    const exit = exitPlan(rec.spec, rec.config)
    if (exit !== undefined) rec.timers.push(this.ctx.clock.setTimeout(() => this.finish(rec, exit, true), exit.after))
  }

  /**
   * The process ends; `own` = it exited by itself (the kubelet did not ask), so an event says so.
   * A container still waiting for its startDelay ends as containerd leaves a failed start:
   * exited, 128, StartError, and its startContainer call fails.
   */
  finish (rec: ContainerRecord, exit: Omit<Exit, 'after'>, own: boolean): void {
    const now = this.ctx.clock.now()
    if (rec.starting !== undefined) {
      const error = new RuntimeError('RunContainerError', `failed to start container "${rec.hex}": the container was stopped before it started`)
      rec.starting.cancel(error)
      rec.starting = undefined
      Object.assign(rec, { state: 'exited', finishedAt: now, ...START_ERROR, message: error.message })
    } else if (rec.state === 'running') {
      this.catchUpLogs(rec)
      cancelAll(rec.timers)
      rec.stopWait?.cancel(new Error('killed'))
      Object.assign(rec, { state: 'exited', finishedAt: now, exitCode: exit.exitCode, reason: exit.reason })
      if (own) this.ctx.emit('container-exited', rec)
    }
    if (rec.state !== 'created') rec.logs.end()
  }

  /** SIGTERM, then exit after stopDelay or SIGKILL at the end of the grace period. */
  async stop (rec: ContainerRecord, gracePeriodSeconds: number): Promise<void> {
    if (rec.starting !== undefined) return this.finish(rec, START_ERROR, false)
    if (rec.state !== 'running') return
    const plan = stopPlan(rec.spec, gracePeriodSeconds)
    // A second stop waits for the first, unless it kills at once (a force deletion's grace 0).
    if (rec.stopping !== undefined && plan.after > 0) {
      // Waiting on the first stop's clock wait parks this caller too (it may be another sync,
      // of a restarted kubelet).
      const unpark = parkHere()
      return rec.stopping.finally(unpark)
    }
    // From SIGTERM on the program's own plans (its exit timer) no longer apply: it is shutting down.
    this.catchUpLogs(rec)
    cancelAll(rec.timers)
    if (plan.after === 0) return this.finish(rec, plan, false)
    rec.stopWait = this.ctx.waits.wait(plan.after)
    rec.stopping = rec.stopWait.promise
      .then(() => this.finish(rec, plan, false), () => { /* killed another way first (grace 0, remove, close) */ })
      .finally(() => { rec.stopping = undefined; rec.stopWait = undefined })
    return rec.stopping
  }

  /**
   * logEvery writes its k-th line at startedAt + k·interval while running, including the instant
   * the container exits or is stopped (a 10s batch logging every 2s writes 5 lines, whichever
   * of the two timers due at 10s fires first).
   */
  private catchUpLogs (rec: ContainerRecord): void {
    const every = rec.spec.logEvery
    if (every === undefined || rec.state !== 'running' || rec.stopping !== undefined) return
    const due = Math.floor((this.ctx.clock.now() - rec.startedAt!) / every.interval)
    while (rec.logCounter < due) {
      rec.logCounter++
      rec.logs.append(rec.startedAt! + rec.logCounter * every.interval, expandLine(every.line, { ...this.vars(rec), n: rec.logCounter }))
    }
  }

  private vars (rec: ContainerRecord): Record<string, string> {
    return { pod: rec.pod.name, namespace: rec.pod.namespace, container: rec.config.name, node: this.ctx.nodeName }
  }
}

function cancelAll (timers: TimerHandle[]): void {
  for (const t of timers.splice(0)) t.cancel()
}
