// The CustomResourceDefinitions k3s's embedded helm-controller installs at start
// (helmcharts.helm.cattle.io, helmchartconfigs.helm.cattle.io), with their printer columns.
import type { KubeObject } from '../../api/object.ts'
import { arr, bool, column, crd, int, obj, oneOf, open, str } from './crd.ts'

export function helmControllerCrds (): KubeObject[] {
  const failurePolicy = oneOf('abort', 'reinstall')
  return [
    crd('helmcharts', 'HelmChart', {
      authPassCredentials: bool,
      authSecret: obj({ name: str }),
      backOffLimit: int,
      bootstrap: bool,
      chart: str,
      chartContent: str,
      createNamespace: bool,
      dockerRegistrySecret: obj({ name: str }),
      failurePolicy,
      helmVersion: str,
      insecureSkipTLSVerify: bool,
      jobImage: str,
      plainHTTP: bool,
      podSecurityContext: open,
      repo: str,
      repoCA: str,
      repoCAConfigMap: obj({ name: str }),
      securityContext: open,
      set: { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true } },
      targetNamespace: str,
      timeout: str,
      valuesContent: str,
      version: str,
    }, {
      status: {
        jobName: str,
        conditions: arr(obj({ type: str, status: str, reason: str, message: str })),
      },
      columns: [
        column('Job', '.status.jobName'),
        column('Chart', '.spec.chart'),
        column('TargetNamespace', '.spec.targetNamespace'),
        column('Version', '.spec.version'),
        column('Repo', '.spec.repo'),
        column('HelmVersion', '.spec.helmVersion'),
        column('Bootstrap', '.spec.bootstrap'),
      ],
    }),
    crd('helmchartconfigs', 'HelmChartConfig', { failurePolicy, valuesContent: str }),
  ]
}
