// manifests/traefik.yaml (k3s v1.32): HelmCharts `traefik-crd` and `traefik`, plus what
// helm-controller would create for each (no helm-controller runs in k3sim): ServiceAccount
// `helm-<chart>`, ClusterRoleBinding `helm-kube-system-<chart>` (cluster-admin), Secret
// `chart-values-<chart>` and the Job `helm-install-<chart>` running rancher/klipper-helm with
// restartPolicy OnFailure (completes at once with the fake runtime's default profile). The
// release itself (what `helm install` leaves) is in traefik-release.ts.
import type { KubeObject } from '../../api/object.ts'
import { clusterRoleBinding, KUBE_SYSTEM, serviceAccount } from './common.ts'

export const TRAEFIK_CHART_VERSION = '34.2.1+up34.2.0'
export const TRAEFIK_IMAGE = { repository: 'rancher/mirrored-library-traefik', tag: '3.3.6' }
export const KLIPPER_HELM_IMAGE = 'rancher/klipper-helm:v0.9.4-build20250113'
/** Label helm-controller puts on a chart's Job and its pods. */
export const CHART_LABEL = 'helmcharts.helm.cattle.io/chart'

export const TRAEFIK_VALUES = `deployment:
  podAnnotations:
    prometheus.io/port: "8082"
    prometheus.io/scrape: "true"
providers:
  kubernetesIngress:
    publishedService:
      enabled: true
priorityClassName: "system-cluster-critical"
image:
  repository: "${TRAEFIK_IMAGE.repository}"
  tag: "${TRAEFIK_IMAGE.tag}"
tolerations:
- key: "CriticalAddonsOnly"
  operator: "Exists"
- key: "node-role.kubernetes.io/control-plane"
  operator: "Exists"
  effect: "NoSchedule"
- key: "node-role.kubernetes.io/master"
  operator: "Exists"
  effect: "NoSchedule"
service:
  ipFamilyPolicy: "PreferDualStack"`

/** As in k3s's manifests: the helm-install Job's entry script replaces %{KUBERNETES_API}% with
 * the `kubernetes` Service address; the HelmChart and the Job's CHART keep the placeholder. */
const chartURL = (name: string): string => `https://%{KUBERNETES_API}%/static/charts/${name}-${TRAEFIK_CHART_VERSION}.tgz`

export function traefikHelmCharts (): KubeObject[] {
  return [
    { apiVersion: 'helm.cattle.io/v1', kind: 'HelmChart', metadata: { name: 'traefik-crd', namespace: KUBE_SYSTEM }, spec: { chart: chartURL('traefik-crd') } },
    {
      apiVersion: 'helm.cattle.io/v1',
      kind: 'HelmChart',
      metadata: { name: 'traefik', namespace: KUBE_SYSTEM },
      spec: { chart: chartURL('traefik'), set: { 'global.systemDefaultRegistry': '' }, valuesContent: TRAEFIK_VALUES },
    },
  ]
}

/** helm-controller's objects for one HelmChart (ownerReferences are added at install, when the
 * HelmChart's uid is known: see installK3sAddons). */
export function helmInstallObjects (chart: string, opts: { set?: Record<string, string>, values?: string }): KubeObject[] {
  const sa = `helm-${chart}`
  const labels = { [CHART_LABEL]: chart }
  const args = ['install', ...Object.entries(opts.set ?? {}).flatMap(([k, v]) => ['--set-string', `${k}=${v}`])]
  const env = (name: string, value: string): { name: string, value: string } => ({ name, value })
  const secretData: Record<string, string> = {}
  if (opts.values !== undefined) secretData['values-01_HelmChart.yaml'] = Buffer.from(opts.values).toString('base64')
  return [
    serviceAccount(sa, { labels }),
    clusterRoleBinding(`helm-kube-system-${chart}`, 'cluster-admin', sa, { labels }),
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: `chart-values-${chart}`, namespace: KUBE_SYSTEM, labels }, type: 'Opaque', data: secretData },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `helm-install-${chart}`, namespace: KUBE_SYSTEM, labels },
      spec: {
        backoffLimit: 1000,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: sa,
            restartPolicy: 'OnFailure',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'helm',
              image: KLIPPER_HELM_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args,
              env: [
                env('NAME', chart), env('VERSION', ''), env('REPO', ''), env('HELM_DRIVER', 'secret'),
                env('CHART_NAMESPACE', KUBE_SYSTEM), env('CHART', chartURL(chart)), env('HELM_VERSION', ''),
                env('TARGET_NAMESPACE', KUBE_SYSTEM), env('AUTH_PASS_CREDENTIALS', 'false'),
                env('INSECURE_SKIP_TLS_VERIFY', 'false'), env('PLAIN_HTTP', 'false'),
                env('NO_PROXY', '.svc,.cluster.local,10.42.0.0/16,10.43.0.0/16'), env('FAILURE_POLICY', 'reinstall'),
              ],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
              volumeMounts: [
                { name: 'klipper-helm', mountPath: '/home/klipper-helm/.helm' },
                { name: 'klipper-cache', mountPath: '/home/klipper-helm/.cache' },
                { name: 'klipper-config', mountPath: '/home/klipper-helm/.config' },
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'values', mountPath: '/config' },
              ],
            }],
            volumes: [
              { name: 'klipper-helm', emptyDir: { medium: 'Memory' } },
              { name: 'klipper-cache', emptyDir: { medium: 'Memory' } },
              { name: 'klipper-config', emptyDir: { medium: 'Memory' } },
              { name: 'tmp', emptyDir: { medium: 'Memory' } },
              { name: 'values', secret: { secretName: `chart-values-${chart}` } },
            ],
          },
        },
      },
    },
  ]
}

export function traefikHelmInstall (): KubeObject[] {
  return [
    ...helmInstallObjects('traefik-crd', {}),
    ...helmInstallObjects('traefik', { set: { 'global.systemDefaultRegistry': '' }, values: TRAEFIK_VALUES }),
  ]
}
