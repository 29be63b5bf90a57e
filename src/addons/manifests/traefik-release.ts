// What `helm install traefik` (chart traefik 34.2.1+up34.2.0 with k3s's values) leaves in
// kube-system, modeled because no helm-controller runs: ServiceAccount, ClusterRole/Binding
// `traefik-kube-system`, IngressClass `traefik` (default), Deployment `traefik` and the
// LoadBalancer Service `traefik` (web 80, websecure 443). The traefik-crd release's CRDs are
// traefik-crds.ts. Not modeled: the Helm release Secrets (sh.helm.release.v1.*).
import type { KubeObject } from '../../api/object.ts'
import { addonTolerations, clusterRole, clusterRoleBinding, KUBE_SYSTEM, serviceAccount } from './common.ts'
import { TRAEFIK_CHART_VERSION, TRAEFIK_IMAGE } from './traefik.ts'

export const TRAEFIK_SELECTOR = { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-kube-system' }

export function traefikRelease (): KubeObject[] {
  const labels = { ...TRAEFIK_SELECTOR, 'helm.sh/chart': `traefik-${TRAEFIK_CHART_VERSION.replace('+', '_')}`, 'app.kubernetes.io/managed-by': 'Helm' }
  const helm = { labels, annotations: { 'meta.helm.sh/release-name': 'traefik', 'meta.helm.sh/release-namespace': KUBE_SYSTEM } }
  const probe = (failureThreshold: number): Record<string, unknown> => ({
    httpGet: { path: '/ping', port: 8080, scheme: 'HTTP' }, failureThreshold, initialDelaySeconds: 2, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 2,
  })
  const fieldEnv = (name: string, fieldPath: string): Record<string, unknown> => ({ name, valueFrom: { fieldRef: { fieldPath } } })
  return [
    serviceAccount('traefik', helm),
    clusterRole('traefik-kube-system', [
      { apiGroups: [''], resources: ['configmaps', 'nodes', 'services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingressclasses', 'ingresses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
      {
        apiGroups: ['traefik.io'],
        resources: ['ingressroutes', 'ingressroutetcps', 'ingressrouteudps', 'middlewares', 'middlewaretcps', 'serverstransports', 'serverstransporttcps', 'tlsoptions', 'tlsstores', 'traefikservices'],
        verbs: ['get', 'list', 'watch'],
      },
    ], helm),
    clusterRoleBinding('traefik-kube-system', 'traefik-kube-system', 'traefik', helm),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'traefik', labels, annotations: { ...helm.annotations, 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'traefik.io/ingress-controller' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'traefik', namespace: KUBE_SYSTEM, ...helm },
      spec: {
        replicas: 1,
        selector: { matchLabels: TRAEFIK_SELECTOR },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        minReadySeconds: 0,
        template: {
          metadata: { labels, annotations: { 'prometheus.io/port': '8082', 'prometheus.io/scrape': 'true' } },
          spec: {
            serviceAccountName: 'traefik',
            automountServiceAccountToken: true,
            terminationGracePeriodSeconds: 60,
            hostNetwork: false,
            priorityClassName: 'system-cluster-critical',
            containers: [{
              image: `${TRAEFIK_IMAGE.repository}:${TRAEFIK_IMAGE.tag}`,
              imagePullPolicy: 'IfNotPresent',
              name: 'traefik',
              resources: {},
              readinessProbe: probe(1),
              livenessProbe: probe(3),
              ports: [
                { name: 'metrics', containerPort: 9100, protocol: 'TCP' },
                { name: 'traefik', containerPort: 8080, protocol: 'TCP' },
                { name: 'web', containerPort: 8000, protocol: 'TCP' },
                { name: 'websecure', containerPort: 8443, protocol: 'TCP' },
              ],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
              volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }],
              args: [
                '--global.checknewversion',
                '--global.sendanonymoususage',
                '--entryPoints.metrics.address=:9100/tcp',
                '--entryPoints.traefik.address=:8080/tcp',
                '--entryPoints.web.address=:8000/tcp',
                '--entryPoints.websecure.address=:8443/tcp',
                '--api.dashboard=true',
                '--ping=true',
                '--metrics.prometheus=true',
                '--metrics.prometheus.entrypoint=metrics',
                '--providers.kubernetescrd',
                '--providers.kubernetescrd.allowEmptyServices=true',
                '--providers.kubernetesingress',
                '--providers.kubernetesingress.allowEmptyServices=true',
                '--providers.kubernetesingress.ingressendpoint.publishedservice=kube-system/traefik',
                '--entryPoints.websecure.http.tls=true',
                '--log.level=INFO',
              ],
              env: [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace')],
            }],
            volumes: [{ name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: {} }],
            securityContext: { runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532 },
            tolerations: addonTolerations(),
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'traefik', namespace: KUBE_SYSTEM, ...helm },
      spec: {
        type: 'LoadBalancer',
        selector: TRAEFIK_SELECTOR,
        ports: [
          { port: 80, name: 'web', targetPort: 'web', protocol: 'TCP' },
          { port: 443, name: 'websecure', targetPort: 'websecure', protocol: 'TCP' },
        ],
        ipFamilyPolicy: 'PreferDualStack',
      },
    },
  ]
}
