// The table of resources k3sim serves. Discovery, routing, storage keys and OpenAPI are all
// derived from it. CRDs add rows at run time (see apiserver/crd/).

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch'

export interface SubresourceInfo {
  name: string
  /** Kind returned (e.g. Scale); group/version when the storage names its own (upstream's GroupVersionKindProvider). */
  kind: string
  group?: string
  version?: string
  verbs: string[]
}

export interface ResourceInfo {
  group: string
  version: string
  kind: string
  listKind: string
  /** Plural, lower case: `pods`. */
  resource: string
  singular: string
  shortNames: string[]
  categories: string[]
  namespaced: boolean
  verbs: Verb[]
  subresources: SubresourceInfo[]
  /** Path under /registry/ (k3s-facts.md §1.5): `pods`, `minions`, `services/specs`, `apps.k8s.io/…`. */
  storagePrefix: string
  /** Not stored: the request is answered and forgotten (SelfSubjectAccessReview, TokenReview). */
  virtual?: boolean
  /** A custom resource served from a CRD. */
  custom?: boolean
  /** Served by an aggregated API's backend (metrics.k8s.io), not stored. */
  aggregated?: boolean
}

const ALL: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
const STATUS = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] })
const SCALE: SubresourceInfo = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }

interface Extra {
  short?: string[]
  categories?: string[]
  cluster?: boolean
  verbs?: Verb[]
  sub?: Array<'status' | 'scale' | SubresourceInfo>
  storage?: string
  virtual?: boolean
  singular?: string
}

function r (group: string, version: string, kind: string, resource: string, extra: Extra = {}): ResourceInfo {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    resource,
    singular: extra.singular ?? kind.toLowerCase(),
    shortNames: extra.short ?? [],
    categories: extra.categories ?? [],
    namespaced: extra.cluster !== true,
    verbs: extra.verbs ?? ALL,
    subresources: (extra.sub ?? []).map(s => (s === 'status' ? STATUS(kind) : s === 'scale' ? SCALE : s)),
    storagePrefix: extra.storage ?? resource,
    virtual: extra.virtual,
  }
}

const all = ['all']
const apiExtensions = ['api-extensions']
const podSubresources: SubresourceInfo[] = [
  STATUS('Pod'),
  { name: 'binding', kind: 'Binding', verbs: ['create'] },
  { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
  { name: 'log', kind: 'Pod', verbs: ['get'] },
  { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
  { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
]

export const BUILTIN_RESOURCES: ResourceInfo[] = [
  // core/v1
  r('', 'v1', 'Pod', 'pods', { short: ['po'], categories: all, sub: podSubresources }),
  // The legacy form of a pod's binding subresource: POST a Binding naming the pod (create only).
  r('', 'v1', 'Binding', 'bindings', { verbs: ['create'], virtual: true }),
  r('', 'v1', 'Node', 'nodes', { short: ['no'], cluster: true, sub: ['status', { name: 'proxy', kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }], storage: 'minions' }),
  r('', 'v1', 'Namespace', 'namespaces', { short: ['ns'], cluster: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], sub: ['status', { name: 'finalize', kind: 'Namespace', verbs: ['update'] }] }),
  r('', 'v1', 'Service', 'services', { short: ['svc'], categories: all, sub: ['status', { name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }], storage: 'services/specs', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] }),
  r('', 'v1', 'Endpoints', 'endpoints', { short: ['ep'], storage: 'services/endpoints', singular: 'endpoints' }),
  r('', 'v1', 'ConfigMap', 'configmaps', { short: ['cm'] }),
  r('', 'v1', 'Secret', 'secrets'),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', { short: ['sa'], sub: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }] }),
  r('', 'v1', 'Event', 'events', { short: ['ev'] }),
  r('', 'v1', 'PersistentVolume', 'persistentvolumes', { short: ['pv'], cluster: true, sub: ['status'] }),
  r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', { short: ['pvc'], sub: ['status'] }),
  r('', 'v1', 'ResourceQuota', 'resourcequotas', { short: ['quota'], sub: ['status'] }),
  r('', 'v1', 'LimitRange', 'limitranges', { short: ['limits'] }),
  r('', 'v1', 'ReplicationController', 'replicationcontrollers', { short: ['rc'], categories: all, sub: ['status', 'scale'], storage: 'controllers' }),
  r('', 'v1', 'PodTemplate', 'podtemplates'),
  // apps/v1
  r('apps', 'v1', 'Deployment', 'deployments', { short: ['deploy'], categories: all, sub: ['status', 'scale'] }),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', { short: ['rs'], categories: all, sub: ['status', 'scale'] }),
  r('apps', 'v1', 'DaemonSet', 'daemonsets', { short: ['ds'], categories: all, sub: ['status'] }),
  r('apps', 'v1', 'StatefulSet', 'statefulsets', { short: ['sts'], categories: all, sub: ['status', 'scale'] }),
  r('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
  // batch/v1
  r('batch', 'v1', 'Job', 'jobs', { categories: all, sub: ['status'] }),
  r('batch', 'v1', 'CronJob', 'cronjobs', { short: ['cj'], categories: all, sub: ['status'] }),
  // autoscaling
  r('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', { short: ['hpa'], categories: all, sub: ['status'] }),
  r('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', { short: ['hpa'], categories: all, sub: ['status'] }),
  // others
  r('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices'),
  r('events.k8s.io', 'v1', 'Event', 'events', { short: ['ev'] }),
  r('networking.k8s.io', 'v1', 'Ingress', 'ingresses', { short: ['ing'], sub: ['status'], storage: 'ingress' }),
  r('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', { cluster: true }),
  r('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', { short: ['netpol'] }),
  r('node.k8s.io', 'v1', 'RuntimeClass', 'runtimeclasses', { cluster: true }),
  r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', { short: ['pdb'], sub: ['status'] }),
  r('rbac.authorization.k8s.io', 'v1', 'Role', 'roles'),
  r('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', { cluster: true }),
  r('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings'),
  r('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', { cluster: true }),
  r('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', { short: ['pc'], cluster: true }),
  r('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', { short: ['sc'], cluster: true }),
  r('storage.k8s.io', 'v1', 'CSIDriver', 'csidrivers', { cluster: true }),
  r('storage.k8s.io', 'v1', 'CSINode', 'csinodes', { cluster: true }),
  r('storage.k8s.io', 'v1', 'CSIStorageCapacity', 'csistoragecapacities'),
  r('storage.k8s.io', 'v1', 'VolumeAttachment', 'volumeattachments', { cluster: true, sub: ['status'] }),
  // Upstream's storages for these (and for CRDs and APIServices) name the category api-extensions.
  r('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', { cluster: true, categories: apiExtensions }),
  r('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', { cluster: true, categories: apiExtensions }),
  r('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', { cluster: true, categories: apiExtensions, sub: ['status'] }),
  r('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', { cluster: true, categories: apiExtensions }),
  r('flowcontrol.apiserver.k8s.io', 'v1', 'FlowSchema', 'flowschemas', { cluster: true, sub: ['status'] }),
  r('flowcontrol.apiserver.k8s.io', 'v1', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', { cluster: true, sub: ['status'] }),
  r('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', { short: ['crd', 'crds'], cluster: true, categories: apiExtensions, sub: ['status'], storage: 'apiextensions.k8s.io/customresourcedefinitions' }),
  r('apiregistration.k8s.io', 'v1', 'APIService', 'apiservices', { cluster: true, categories: apiExtensions, sub: ['status'], storage: 'apiregistration.k8s.io/apiservices' }),
  r('certificates.k8s.io', 'v1', 'CertificateSigningRequest', 'certificatesigningrequests', { short: ['csr'], cluster: true, sub: ['status', { name: 'approval', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] }], storage: 'certificates.k8s.io/certificatesigningrequests' }),
  // answered, not stored
  r('', 'v1', 'ComponentStatus', 'componentstatuses', { short: ['cs'], cluster: true, verbs: ['get', 'list'], virtual: true }),
  r('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', { cluster: true, verbs: ['create'], virtual: true }),
  r('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', { cluster: true, verbs: ['create'], virtual: true }),
  r('authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', { cluster: true, verbs: ['create'], virtual: true }),
  r('authorization.k8s.io', 'v1', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', { verbs: ['create'], virtual: true }),
  r('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', { cluster: true, verbs: ['create'], virtual: true }),
  r('authentication.k8s.io', 'v1', 'TokenReview', 'tokenreviews', { cluster: true, verbs: ['create'], virtual: true }),
]

/** "apps/v1" or "v1". */
export const groupVersion = (info: { group: string, version: string }): string => (info.group === '' ? info.version : `${info.group}/${info.version}`)

/** Splits "apps/v1" → {group: 'apps', version: 'v1'}; "v1" → core. */
export function parseApiVersion (apiVersion: string): { group: string, version: string } {
  const i = apiVersion.indexOf('/')
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) }
}
