// Golden inputs for apps, batch, autoscaling and policy resources.
import type { GoldenSet } from './cases-core.ts'
import { ago, meta } from './builders.ts'

const template = (containers: Array<[string, string]>, extra: Record<string, unknown> = {}): any =>
  ({ metadata: { labels: { app: 'web' } }, spec: { containers: containers.map(([name, image]) => ({ name, image })), ...extra } })

export const workloadCases: GoldenSet = {
  'apps/deployments': [
    { name: 'coredns', obj: { metadata: meta('coredns'), spec: { replicas: 1, selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, template: template([['coredns', 'rancher/mirrored-coredns-coredns:1.12.0']]) }, status: { replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 } } },
    { name: 'rolling out, two containers, expression selector', obj: { metadata: meta('web'), spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }, { key: 'canary', operator: 'DoesNotExist' }] }, template: template([['nginx', 'nginx:1.27'], ['sidecar', 'busybox']]) }, status: { replicas: 4, readyReplicas: 2, updatedReplicas: 1 } } },
    { name: 'no status yet', obj: { metadata: meta('new'), spec: { replicas: 2, selector: {}, template: template([['app', 'app:1']]) } } }
  ],
  'apps/replicasets': [
    { name: 'replicaset', obj: { metadata: meta('coredns-6799fbcd5'), spec: { replicas: 1, selector: { matchLabels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '6799fbcd5' } }, template: template([['coredns', 'rancher/mirrored-coredns-coredns:1.12.0']]) }, status: { replicas: 1, readyReplicas: 1 } } },
    { name: 'scaled down', obj: { metadata: meta('web-old'), spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: template([['nginx', 'nginx']]) }, status: { replicas: 0 } } }
  ],
  'apps/daemonsets': [
    { name: 'svclb', obj: { metadata: meta('svclb-traefik-1a2b3c4d'), spec: { selector: { matchLabels: { app: 'svclb-traefik-1a2b3c4d' } }, template: template([['lb-tcp-80', 'rancher/klipper-lb:v0.4.13'], ['lb-tcp-443', 'rancher/klipper-lb:v0.4.13']]) }, status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 } } },
    { name: 'node selector', obj: { metadata: meta('agent'), spec: { selector: { matchLabels: { app: 'agent' } }, template: template([['agent', 'agent:1']], { nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' } }) }, status: {} } }
  ],
  'apps/statefulsets': [
    { name: 'statefulset', obj: { metadata: meta('db'), spec: { replicas: 3, selector: { matchLabels: { app: 'db' } }, template: template([['postgres', 'postgres:16']]) }, status: { replicas: 3, readyReplicas: 2 } } }
  ],
  'apps/controllerrevisions': [
    { name: 'owned by a daemonset', obj: { metadata: meta('svclb-traefik-5f8b9c', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'svclb-traefik', uid: 'u', controller: true }] }), revision: 1 } },
    { name: 'orphan', obj: { metadata: meta('orphan'), revision: 4 } }
  ],
  'batch/jobs': [
    { name: 'complete', obj: { metadata: meta('pi'), spec: { completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, template: template([['pi', 'perl:5.34']]) }, status: { succeeded: 1, startTime: ago('3d4h'), completionTime: '2025-05-29T08:01:30Z', conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] } } },
    { name: 'running parallel without completions', obj: { metadata: meta('work'), spec: { parallelism: 3, template: template([['w', 'w:1']]) }, status: { succeeded: 1, active: 2, startTime: ago('3m12s') } } },
    { name: 'failed', obj: { metadata: meta('bad'), spec: { completions: 2, template: template([['b', 'b:1']]) }, status: { failed: 6, startTime: ago('2h'), conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] } } },
    { name: 'suspended, never started', obj: { metadata: meta('later'), spec: { suspend: true, template: template([['l', 'l:1']]) }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } } },
    { name: 'being deleted', obj: { metadata: meta('gone', { deletionTimestamp: ago('5s') }), spec: { completions: 1, template: template([['g', 'g:1']]) }, status: { startTime: ago('1m') } } }
  ],
  'batch/cronjobs': [
    { name: 'scheduled', obj: { metadata: meta('hello'), spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: template([['hello', 'busybox:1.36']]) } } }, status: { active: [{ name: 'hello-123' }], lastScheduleTime: ago('4m') } } },
    { name: 'with time zone, suspended, never run', obj: { metadata: meta('nightly'), spec: { schedule: '0 3 * * *', timeZone: 'Europe/Paris', suspend: true, jobTemplate: { spec: { template: template([['n', 'n:1']]) } } }, status: {} } }
  ],
  'autoscaling/horizontalpodautoscalers': [
    { name: 'v2 cpu utilization', obj: { metadata: meta('web'), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] }, status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 35, averageValue: '70m' } } }] } } },
    { name: 'v2 three metrics, no status', obj: { metadata: meta('many'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'many' }, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }, { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } }, { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } }] }, status: {} } },
    { name: 'v1 shape', obj: { metadata: meta('old'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'old' }, minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 50 }, status: { currentReplicas: 2 } } }
  ],
  'policy/poddisruptionbudgets': [
    { name: 'minAvailable', obj: { metadata: meta('web-pdb'), spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 1 } } },
    { name: 'maxUnavailable percent', obj: { metadata: meta('db-pdb'), spec: { maxUnavailable: '25%' }, status: {} } }
  ]
}
