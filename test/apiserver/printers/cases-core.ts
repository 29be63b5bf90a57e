// Golden inputs for core/v1 resources: a few representative objects each.
import { ago, makePod, meta, running, terminated, waiting } from './builders.ts'

export interface GoldenCase { name: string, obj: any }
export type GoldenSet = Record<string, GoldenCase[]>

export const coreCases: GoldenSet = {
  '/pods': [
    { name: 'running on a node', obj: makePod('nginx').phase('Running').ip('10.42.0.9').node('k3d-k3s-default-server-0').condition('Ready', 'True').container('nginx', running()).obj() },
    { name: 'crash looping with restarts', obj: makePod('crashy').phase('Running').ip('10.42.0.10').node('k3d-k3s-default-server-0').container('app', waiting('CrashLoopBackOff', { restarts: 3, lastFinished: ago('5m') })).obj() },
    { name: 'completed job pod', obj: makePod('pi-x7k2p').phase('Succeeded').node('k3d-k3s-default-agent-0').container('pi', terminated(0, 'Completed')).obj() },
    { name: 'pending and unscheduled', obj: makePod('big').container('app').obj() }
  ],
  '/nodes': [
    {
      name: 'k3s server',
      obj: {
        metadata: meta('k3d-k3s-default-server-0', { labels: { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true', 'kubernetes.io/hostname': 'k3d-k3s-default-server-0' } }),
        spec: { podCIDR: '10.42.0.0/24' },
        status: {
          conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
          addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'k3d-k3s-default-server-0' }],
          nodeInfo: { kubeletVersion: 'v1.32.3+k3s1', osImage: 'K3s v1.32.3+k3s1', kernelVersion: '6.8.0-1021-gcp', containerRuntimeVersion: 'containerd://2.0.4-k3s2' }
        }
      }
    },
    {
      name: 'cordoned agent that stopped reporting',
      obj: {
        metadata: meta('agent-1', { labels: { 'kubernetes.io/role': 'worker' } }),
        spec: { unschedulable: true },
        status: { conditions: [{ type: 'Ready', status: 'Unknown' }], addresses: [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'ExternalIP', address: '34.1.2.3' }], nodeInfo: { kubeletVersion: 'v1.32.3+k3s1' } }
      }
    },
    { name: 'never reported', obj: { metadata: meta('fresh'), spec: {}, status: {} } }
  ],
  '/services': [
    { name: 'kubernetes', obj: { metadata: meta('kubernetes'), spec: { type: 'ClusterIP', clusterIP: '10.43.0.1', clusterIPs: ['10.43.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } } },
    { name: 'load balancer with ingress', obj: { metadata: meta('traefik'), spec: { type: 'LoadBalancer', clusterIP: '10.43.12.7', selector: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-kube-system' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 443, nodePort: 30443, protocol: 'TCP' }] }, status: { loadBalancer: { ingress: [{ ip: '172.18.0.3' }, { ip: '172.18.0.2' }] } } } },
    { name: 'load balancer still pending', obj: { metadata: meta('pending-lb'), spec: { type: 'LoadBalancer', clusterIP: '10.43.99.1', ports: [{ port: 53, nodePort: 31053, protocol: 'UDP' }] }, status: { loadBalancer: {} } } },
    { name: 'headless without ports', obj: { metadata: meta('headless'), spec: { type: 'ClusterIP', clusterIP: 'None', selector: { app: 'db' } } } },
    { name: 'external name', obj: { metadata: meta('ext'), spec: { type: 'ExternalName', externalName: 'example.com' } } }
  ],
  '/endpoints': [
    { name: 'kubernetes', obj: { metadata: meta('kubernetes'), subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }] } },
    { name: 'more than three', obj: { metadata: meta('web'), subsets: [{ addresses: [{ ip: '10.42.0.1' }, { ip: '10.42.0.2' }, { ip: 'fd00::3' }, { ip: '10.42.0.4' }], ports: [{ port: 80 }] }] } },
    { name: 'no subsets', obj: { metadata: meta('empty') } }
  ],
  '/namespaces': [
    { name: 'active', obj: { metadata: meta('default'), status: { phase: 'Active' } } },
    { name: 'terminating', obj: { metadata: meta('old', { deletionTimestamp: ago('1m') }), status: { phase: 'Terminating' } } }
  ],
  '/configmaps': [
    { name: 'data and binaryData', obj: { metadata: meta('kube-root-ca.crt'), data: { 'ca.crt': '...' }, binaryData: { blob: 'AAE=' } } },
    { name: 'empty', obj: { metadata: meta('empty') } }
  ],
  '/secrets': [
    { name: 'opaque', obj: { metadata: meta('creds'), type: 'Opaque', data: { user: 'YQ==', pass: 'Yg==' } } },
    { name: 'tls', obj: { metadata: meta('k3s-serving'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } } }
  ],
  '/serviceaccounts': [
    { name: 'default', obj: { metadata: meta('default') } },
    { name: 'with a secret', obj: { metadata: meta('legacy'), secrets: [{ name: 'legacy-token' }] } }
  ],
  '/resourcequotas': [
    { name: 'requests and limits', obj: { metadata: meta('quota'), spec: { hard: { pods: '10' } }, status: { hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '2Gi', 'limits.cpu': '4' }, used: { pods: '3', 'requests.cpu': '500m', 'limits.cpu': '1' } } } }
  ],
  '/limitranges': [
    { name: 'default table', obj: { metadata: meta('limits', { creationTimestamp: '2025-05-29T07:59:59Z' }), spec: { limits: [] } } }
  ],
  '/replicationcontrollers': [
    { name: 'rc', obj: { metadata: meta('frontend'), spec: { replicas: 3, selector: { app: 'frontend' }, template: { spec: { containers: [{ name: 'php', image: 'php:8' }] } } }, status: { replicas: 3, readyReplicas: 2 } } }
  ],
  '/podtemplates': [
    { name: 'template', obj: { metadata: meta('tmpl'), template: { metadata: { labels: { app: 'x', tier: 'web' } }, spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }] } } } }
  ],
  '/componentstatuses': [
    { name: 'healthy', obj: { metadata: meta('etcd-0'), conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] } }
  ],
  '/events': [
    { name: 'kubelet pull', obj: { metadata: meta('nginx.18a1b2c3d4e5f607'), involvedObject: { kind: 'Pod', name: 'nginx', namespace: 'default', fieldPath: 'spec.containers{nginx}' }, reason: 'Pulling', message: 'Pulling image "nginx"\n', source: { component: 'kubelet', host: 'k3d-k3s-default-server-0' }, firstTimestamp: ago('3m'), lastTimestamp: ago('45s'), count: 2, type: 'Normal' } },
    { name: 'new-style event without timestamps or count', obj: { metadata: meta('web.18a1'), involvedObject: { kind: 'Deployment', name: 'web' }, reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-7d4 to 3', source: {}, firstTimestamp: null, lastTimestamp: null, eventTime: ago('2m'), reportingComponent: 'deployment-controller', reportingInstance: '', type: 'Normal' } },
    { name: 'series', obj: { metadata: meta('node.1'), involvedObject: { kind: 'Node' }, reason: 'NodeNotReady', message: 'Node is not ready', source: { component: 'node-controller' }, eventTime: ago('10m'), series: { count: 7, lastObservedTime: ago('20s') }, type: 'Warning' } }
  ],
  'events.k8s.io/events': [
    { name: 'events.k8s.io shape', obj: { metadata: meta('nginx.18a1b2c3d4e5f608'), regarding: { kind: 'Pod', name: 'nginx', fieldPath: 'spec.containers{nginx}' }, reason: 'Started', note: 'Started container nginx', deprecatedSource: { component: 'kubelet', host: 'node-a' }, deprecatedFirstTimestamp: ago('5m'), deprecatedLastTimestamp: ago('5m'), deprecatedCount: 1, type: 'Normal', reportingController: 'kubelet', reportingInstance: 'node-a' } }
  ],
  '/persistentvolumes': [
    { name: 'bound local-path volume', obj: { metadata: meta('pvc-1234', { annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' } }), spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'local-path', volumeMode: 'Filesystem', claimRef: { namespace: 'default', name: 'data' } }, status: { phase: 'Bound' } } },
    { name: 'released, being deleted, beta class annotation', obj: { metadata: meta('old', { deletionTimestamp: ago('1m'), annotations: { 'volume.beta.kubernetes.io/storage-class': 'slow' } }), spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteOnce'], storageClassName: 'fast' }, status: { phase: 'Released', reason: 'Reclaim' } } }
  ],
  '/persistentvolumeclaims': [
    { name: 'bound', obj: { metadata: meta('data'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path', volumeName: 'pvc-1234', volumeMode: 'Filesystem' }, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } } },
    { name: 'pending (WaitForFirstConsumer)', obj: { metadata: meta('pending'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, storageClassName: 'local-path' }, status: { phase: 'Pending' } } }
  ]
}
