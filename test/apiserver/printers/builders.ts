// Small fluent builders for printer tests: makePod('web').container('app', running()).obj().
export const NOW = Date.parse('2025-06-01T12:00:00Z')

/** An RFC3339 timestamp `spec` before NOW, e.g. ago('5m'), ago('3d4h'), ago('90s'). */
export function ago (spec: string): string {
  const units: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, y: 365 * 86400e3 }
  let ms = 0
  for (const [, n, u] of spec.matchAll(/(\d+)([smhdy])/g)) ms += Number(n) * units[u]
  return new Date(NOW - ms).toISOString().replace(/\.000Z$/, 'Z')
}

export const running = (opts: { ready?: boolean, restarts?: number, lastFinished?: string } = {}): any => ({
  ready: opts.ready ?? true,
  started: true,
  restartCount: opts.restarts ?? 0,
  state: { running: { startedAt: ago('10m') } },
  lastState: opts.lastFinished !== undefined ? { terminated: { exitCode: 1, reason: 'Error', finishedAt: opts.lastFinished } } : {}
})

export const waiting = (reason: string, opts: { restarts?: number, lastFinished?: string } = {}): any => ({
  ready: false,
  started: false,
  restartCount: opts.restarts ?? 0,
  state: { waiting: { reason } },
  lastState: opts.lastFinished !== undefined ? { terminated: { exitCode: 1, reason: 'Error', finishedAt: opts.lastFinished } } : {}
})

export const terminated = (exitCode: number, reason?: string, signal?: number): any => ({
  ready: false,
  started: false,
  restartCount: 0,
  state: { terminated: { exitCode, ...(reason !== undefined ? { reason } : {}), ...(signal !== undefined ? { signal } : {}), finishedAt: ago('1m') } },
  lastState: {}
})

export class PodBuilder {
  private readonly pod: any

  constructor (name: string) {
    this.pod = {
      metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '100', creationTimestamp: ago('5m') },
      spec: { containers: [] },
      status: { phase: 'Pending' }
    }
  }

  /** An app container; with a status when given one. */
  container (name: string, status?: any): this {
    this.pod.spec.containers.push({ name, image: `${name}:1` })
    if (status !== undefined) (this.pod.status.containerStatuses ??= []).push({ name, image: `${name}:1`, ...status })
    return this
  }

  /** An init container; `sidecar` makes it restartable (restartPolicy: Always). */
  init (name: string, status?: any, opts: { sidecar?: boolean } = {}): this {
    (this.pod.spec.initContainers ??= []).push({ name, image: `${name}:1`, ...(opts.sidecar ? { restartPolicy: 'Always' } : {}) })
    if (status !== undefined) (this.pod.status.initContainerStatuses ??= []).push({ name, image: `${name}:1`, ...status })
    return this
  }

  phase (phase: string): this { this.pod.status.phase = phase; return this }
  reason (reason: string): this { this.pod.status.reason = reason; return this }
  deleted (): this { this.pod.metadata.deletionTimestamp = ago('10s'); return this }
  node (name: string): this { this.pod.spec.nodeName = name; return this }
  ip (ip: string): this { this.pod.status.podIP = ip; this.pod.status.podIPs = [{ ip }]; return this }
  nominated (node: string): this { this.pod.status.nominatedNodeName = node; return this }
  readinessGate (conditionType: string): this { (this.pod.spec.readinessGates ??= []).push({ conditionType }); return this }
  created (spec: string): this { this.pod.metadata.creationTimestamp = ago(spec); return this }

  condition (type: string, status: string, reason?: string): this {
    (this.pod.status.conditions ??= []).push({ type, status, ...(reason !== undefined ? { reason } : {}) })
    return this
  }

  obj (): any { return structuredClone(this.pod) }
}

export const makePod = (name = 'web'): PodBuilder => new PodBuilder(name)

/** Object metadata for golden cases. */
export function meta (name: string, extra: Record<string, unknown> = {}): any {
  return { name, uid: `uid-${name}`, resourceVersion: '100', creationTimestamp: ago('3d4h'), ...extra }
}
