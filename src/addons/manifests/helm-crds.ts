// The CustomResourceDefinitions k3s's embedded helm-controller installs at start
// (helmcharts.helm.cattle.io, helmchartconfigs.helm.cattle.io), with their printer columns.
import type { KubeObject } from '../../api/object.ts'

const str = { type: 'string' }
const bool = { type: 'boolean' }

export function crd (plural: string, kind: string, spec: Record<string, unknown>, extra: { status?: Record<string, unknown>, columns?: unknown[], group?: string } = {}): KubeObject {
  const group = extra.group ?? 'helm.cattle.io'
  const properties: Record<string, unknown> = { spec: { type: 'object', properties: spec } }
  if (extra.status !== undefined) properties.status = { type: 'object', properties: extra.status }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        ...(extra.status !== undefined ? { subresources: { status: {} } } : {}),
        ...(extra.columns !== undefined ? { additionalPrinterColumns: extra.columns } : {}),
        schema: { openAPIV3Schema: { type: 'object', properties } },
      }],
    },
  }
}

export function helmControllerCrds (): KubeObject[] {
  const failurePolicy = { type: 'string', enum: ['abort', 'reinstall'] }
  return [
    crd('helmcharts', 'HelmChart', {
      authPassCredentials: bool,
      authSecret: { type: 'object', properties: { name: str } },
      backOffLimit: { type: 'integer' },
      bootstrap: bool,
      chart: str,
      chartContent: str,
      createNamespace: bool,
      dockerRegistrySecret: { type: 'object', properties: { name: str } },
      failurePolicy,
      helmVersion: str,
      insecureSkipTLSVerify: bool,
      jobImage: str,
      plainHTTP: bool,
      podSecurityContext: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      repo: str,
      repoCA: str,
      repoCAConfigMap: { type: 'object', properties: { name: str } },
      securityContext: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      set: { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true } },
      targetNamespace: str,
      timeout: str,
      valuesContent: str,
      version: str,
    }, {
      status: {
        jobName: str,
        conditions: { type: 'array', items: { type: 'object', properties: { type: str, status: str, reason: str, message: str } } },
      },
      columns: [
        { name: 'Job', type: 'string', jsonPath: '.status.jobName' },
        { name: 'Chart', type: 'string', jsonPath: '.spec.chart' },
        { name: 'TargetNamespace', type: 'string', jsonPath: '.spec.targetNamespace' },
        { name: 'Version', type: 'string', jsonPath: '.spec.version' },
        { name: 'Repo', type: 'string', jsonPath: '.spec.repo' },
        { name: 'HelmVersion', type: 'string', jsonPath: '.spec.helmVersion' },
        { name: 'Bootstrap', type: 'string', jsonPath: '.spec.bootstrap' },
      ],
    }),
    crd('helmchartconfigs', 'HelmChartConfig', { failurePolicy, valuesContent: str }),
  ]
}
