// manifests/local-storage.yaml (k3s v1.32): the local-path-provisioner and the default
// StorageClass `local-path`. `--disable local-storage` drops it all.
import type { KubeObject } from '../../api/object.ts'
import { addonTolerations, clusterRole, clusterRoleBinding, KUBE_SYSTEM, serviceAccount } from './common.ts'

export const LOCAL_PATH_IMAGE = 'rancher/local-path-provisioner:v0.0.30'
export const DEFAULT_LOCAL_STORAGE_PATH = '/var/lib/rancher/k3s/storage'
const SA = 'local-path-provisioner-service-account'

export function localStorageObjects (opts: { storagePath?: string } = {}): KubeObject[] {
  const app = { app: 'local-path-provisioner' }
  const path = opts.storagePath ?? DEFAULT_LOCAL_STORAGE_PATH
  return [
    serviceAccount(SA),
    clusterRole('local-path-provisioner-role', [
      { apiGroups: [''], resources: ['nodes', 'persistentvolumeclaims', 'configmaps', 'pods/log'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['endpoints', 'persistentvolumes', 'pods'], verbs: ['*'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
    ]),
    clusterRoleBinding('local-path-provisioner-bind', 'local-path-provisioner-role', SA),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'local-path-provisioner', namespace: KUBE_SYSTEM },
      spec: {
        revisionHistoryLimit: 0,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        selector: { matchLabels: app },
        template: {
          metadata: { labels: app },
          spec: {
            priorityClassName: 'system-node-critical',
            serviceAccountName: SA,
            tolerations: addonTolerations(),
            containers: [{
              name: 'local-path-provisioner',
              image: LOCAL_PATH_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              command: ['local-path-provisioner', 'start', '--config', '/etc/config/config.json'],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/config/' }],
              env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
            }],
            volumes: [{ name: 'config-volume', configMap: { name: 'local-path-config' } }],
          },
        },
      },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: 'local-path',
        annotations: { defaultVolumeType: 'local', 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: 'rancher.io/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'local-path-config', namespace: KUBE_SYSTEM },
      data: {
        'config.json': `{\n  "nodePathMap":[\n  {\n    "node":"DEFAULT_PATH_FOR_NON_LISTED_NODES",\n    "paths":["${path}"]\n  }\n  ]\n}`,
        setup: '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "${VOL_DIR}"\nchmod 700 "${VOL_DIR}/.."',
        teardown: '#!/bin/sh\nset -eu\nrm -rf "${VOL_DIR}"',
        'helperPod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: helper-pod\nspec:\n  containers:\n  - name: helper-pod\n    image: "rancher/mirrored-library-busybox:1.36.1"\n    imagePullPolicy: IfNotPresent',
      },
    },
  ]
}
