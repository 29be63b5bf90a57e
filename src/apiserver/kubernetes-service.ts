// kube-apiserver's kubernetesservice controller (pkg/controlplane/controller/kubernetesservice):
// the `kubernetes` Service in `default` is created at start and, every EndpointInterval (10 s) on
// the cluster clock, created again if it is missing (an existing one is left as it is: the
// controller runs with reconcile=false). Its Endpoints and EndpointSlice follow the Service: the
// endpoints and endpointslice controllers play the endpoint reconciler's part here.
import type { KubeObject } from '../api/object.ts'
import type { Clock, TimerHandle } from '../util/clock.ts'

/** --endpoint-reconciler interval (EndpointInterval), 10 s by default. */
export const ENDPOINT_INTERVAL_MS = 10_000

/** The Service as CreateOrUpdateMasterServiceIfNeeded writes it (k3s: 10.43.0.1, 443 → 6443). */
export function kubernetesService (): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.43.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
  } as KubeObject
}

export interface KubernetesServiceOptions {
  clock: Clock
  /** Create the Service unless it exists. */
  ensure: () => Promise<void>
  log: (msg: string) => void
}

/** The periodic part: a timer on the clock, one reconcile at a time, `busy()` while one runs. */
export class KubernetesServiceController {
  private readonly options: KubernetesServiceOptions
  private timer: TimerHandle | undefined
  private running: Promise<void> | undefined

  constructor (options: KubernetesServiceOptions) { this.options = options }

  start (): void {
    this.timer ??= this.options.clock.setInterval(() => { void this.reconcile() }, ENDPOINT_INTERVAL_MS)
  }

  stop (): void {
    this.timer?.cancel()
    this.timer = undefined
  }

  /** True while a reconcile is writing (settle() waits for it). */
  busy (): boolean { return this.running !== undefined }

  /** One pass; a pass already running is not doubled. Failures are logged and retried next interval. */
  reconcile (): Promise<void> {
    this.running ??= this.options.ensure()
      .catch(err => { this.options.log(`unable to sync kubernetes service: ${err instanceof Error ? err.message : String(err)}`) })
      .finally(() => { this.running = undefined })
    return this.running
  }
}
