// The StatefulSet the StatefulSet tests build on: "web", app=web, serviceName web, nginx.
import type { KubeObject } from '../../../src/api/object.ts'

type Json = Record<string, any>

export function makeStatefulSet (replicas: number, extra: Json = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      ...extra,
    },
  }
}
