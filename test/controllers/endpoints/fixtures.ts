// A whole cluster (virtual clock, fake kubelets) running the endpoints and endpointslice
// controllers, with small builders for services and pods.
import { Cluster } from '../../../src/index.ts'
import { endpointsController } from '../../../src/controllers/endpoints/index.ts'
import { endpointSliceController } from '../../../src/controllers/endpointslice/index.ts'

export type Json = Record<string, any>

export const NODE = 'k3sim-k3s-default-agent-0'

export function startCluster (): Promise<Cluster> {
  return Cluster.start({ agents: 1, clock: 'virtual', seed: 7, controllers: () => [endpointsController(), endpointSliceController()] })
}

export function service (name: string, spec: Json = {}, meta: Json = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', ...meta },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec },
  }
}

/** A pod labelled app=<app> on the agent; `ready: false` makes its readiness probe never pass. */
export function pod (name: string, app: string, opts: { ready?: boolean, ports?: Json[] } = {}): any {
  const container: Json = { name: 'app', image: 'nginx:1.27', ports: opts.ports ?? [{ name: 'web', containerPort: 8080, protocol: 'TCP' }] }
  const annotations: Json = {}
  if (opts.ready === false) {
    container.readinessProbe = { httpGet: { path: '/', port: 8080 }, periodSeconds: 10 }
    annotations['k3sim.io/profile-inline'] = '{failReadiness: true}'
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app }, annotations }, spec: { nodeName: NODE, containers: [container] } }
}
