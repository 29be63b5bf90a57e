/**
 * Strategic-merge-patch metadata for built-in kinds: the `patchStrategy` / `patchMergeKey`
 * struct tags of k8s.io/api (v1.32), written as a small type schema so the patcher can ask
 * `(kind, path)`: e.g. Pod `spec.containers` → merge by `name`, Deployment
 * `spec.template.spec.containers` → merge by `name`, CronJob
 * `spec.jobTemplate.spec.template.spec.containers` → merge by `name`.
 *
 * Only fields with a strategy (or leading to one) are listed: any other map merges key by key
 * and any other list is replaced, as upstream does for fields without tags. `retainKeys` needs
 * no entry: the `$retainKeys` directive is honoured wherever it appears.
 */

export interface PatchMeta {
  /** `merge`: merge lists (by mergeKey for lists of maps, as a set for primitives); `replace`: no merging. */
  readonly strategy?: 'merge' | 'replace'
  readonly mergeKey?: string
}

interface FieldSchema extends PatchMeta {
  /** Schema of the value (or of each list element). */
  readonly type?: string
  /**
   * Server-side apply's keys (structured-merge-diff's list-map keys) where they are more than the
   * merge key: ports are keyed by number and protocol. A missing protocol is TCP.
   */
  readonly listMapKeys?: readonly string[]
}

const merge = (mergeKey?: string, type?: string): FieldSchema => ({ strategy: 'merge', mergeKey, type })
const conditions = { conditions: merge('type') }

const TYPES: Record<string, Record<string, FieldSchema>> = {
  ObjectMeta: { finalizers: merge(), ownerReferences: merge('uid') },
  PodTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' } },
  PodSpec: {
    volumes: merge('name'),
    initContainers: merge('name', 'Container'),
    containers: merge('name', 'Container'),
    ephemeralContainers: merge('name', 'Container'),
    imagePullSecrets: merge('name'),
    hostAliases: merge('ip'),
    topologySpreadConstraints: merge('topologyKey'),
    resourceClaims: merge('name'),
    schedulingGates: merge('name'),
  },
  Container: {
    ports: { ...merge('containerPort'), listMapKeys: ['containerPort', 'protocol'] },
    env: merge('name'),
    volumeMounts: merge('mountPath'),
    volumeDevices: merge('devicePath'),
  },
  PodStatus: { ...conditions, podIPs: merge('ip'), hostIPs: merge('ip'), resourceClaimStatuses: merge('name') },
  WithConditions: conditions,
  WithTemplate: { template: { type: 'PodTemplateSpec' } },
  JobTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'WithTemplate' } },
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  NodeSpec: { podCIDRs: merge() },
  NodeStatus: { ...conditions, addresses: merge('type') },
  ServiceSpec: { ports: { ...merge('port'), listMapKeys: ['port', 'protocol'] } },
  CSINodeSpec: { drivers: merge('name') },
}

/** Top-level schema of each built-in kind; every kind also has `metadata`. */
const KINDS: Record<string, Record<string, FieldSchema>> = {
  Pod: { spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } },
  PodTemplate: { template: { type: 'PodTemplateSpec' } },
  ReplicationController: { spec: { type: 'WithTemplate' }, status: { type: 'WithConditions' } },
  Deployment: { spec: { type: 'WithTemplate' }, status: { type: 'WithConditions' } },
  ReplicaSet: { spec: { type: 'WithTemplate' }, status: { type: 'WithConditions' } },
  StatefulSet: { spec: { type: 'WithTemplate' }, status: { type: 'WithConditions' } },
  DaemonSet: { spec: { type: 'WithTemplate' }, status: { type: 'WithConditions' } },
  Job: { spec: { type: 'WithTemplate' }, status: { type: 'WithConditions' } },
  CronJob: { spec: { type: 'CronJobSpec' } },
  Node: { spec: { type: 'NodeSpec' }, status: { type: 'NodeStatus' } },
  Service: { spec: { type: 'ServiceSpec' }, status: { type: 'WithConditions' } },
  ServiceAccount: { secrets: merge('name') },
  Namespace: { status: { type: 'WithConditions' } },
  PersistentVolumeClaim: { status: { type: 'WithConditions' } },
  ComponentStatus: conditions,
  HorizontalPodAutoscaler: { status: { type: 'WithConditions' } },
  PodDisruptionBudget: { status: { type: 'WithConditions' } },
  APIService: { status: { type: 'WithConditions' } },
  CSINode: { spec: { type: 'CSINodeSpec' } },
  ValidatingWebhookConfiguration: { webhooks: merge('name') },
  MutatingWebhookConfiguration: { webhooks: merge('name') },
  // Built-in kinds with no tagged fields beyond ObjectMeta.
  ConfigMap: {}, Secret: {}, Endpoints: {}, Event: {}, LimitRange: {}, ResourceQuota: {}, PersistentVolume: {},
  Binding: {}, Scale: {}, ControllerRevision: {}, Lease: {}, Ingress: {}, IngressClass: {}, NetworkPolicy: {},
  EndpointSlice: {}, StorageClass: {}, VolumeAttachment: {}, CSIDriver: {}, CSIStorageCapacity: {},
  PriorityClass: {}, RuntimeClass: {}, Role: {}, ClusterRole: {}, RoleBinding: {}, ClusterRoleBinding: {},
  CertificateSigningRequest: {}, CustomResourceDefinition: {}, ValidatingAdmissionPolicy: {},
  ValidatingAdmissionPolicyBinding: {},
  // flowcontrol/v1 conditions are a map list (listMapKey type) without a patch strategy.
  FlowSchema: {}, PriorityLevelConfiguration: {},
}

/** A position in the schema: the type whose fields are being merged (undefined: untyped). */
export interface SchemaCursor {
  readonly fields: Readonly<Record<string, FieldSchema>> | undefined
}

const UNTYPED: SchemaCursor = { fields: undefined }

/** True for built-in kinds, which strategic merge patch knows; custom resources are not. */
export function hasStrategicSchema(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(KINDS, kind)
}

/** The root cursor for a kind, or undefined for kinds without a schema (custom resources). */
export function rootSchema(kind: string): SchemaCursor | undefined {
  if (!hasStrategicSchema(kind)) return undefined
  return { fields: { metadata: { type: 'ObjectMeta' }, ...KINDS[kind] } }
}

/** The patch metadata of `key` under `cursor`, and the cursor for its value (or list elements). */
export function lookupField(cursor: SchemaCursor, key: string): { meta: PatchMeta, child: SchemaCursor } {
  const f = cursor.fields && Object.prototype.hasOwnProperty.call(cursor.fields, key) ? cursor.fields[key] : undefined
  if (!f) return { meta: {}, child: UNTYPED }
  return {
    meta: { ...(f.strategy ? { strategy: f.strategy } : {}), ...(f.mergeKey ? { mergeKey: f.mergeKey } : {}) },
    child: { fields: f.type ? TYPES[f.type] : undefined },
  }
}

/** Patch metadata for a dotted JSON path (list indices omitted), e.g. `spec.template.spec.containers`. */
export function lookupPatchMeta(kind: string, path: string): PatchMeta {
  let cursor = rootSchema(kind)
  if (!cursor) return {}
  let meta: PatchMeta = {}
  for (const key of path.split('.')) {
    ({ meta, child: cursor } = lookupField(cursor, key))
  }
  return meta
}

/** Every field of `kind`'s schema with its dotted path (list indices omitted), depth first. */
function eachField(kind: string, visit: (path: string, field: FieldSchema) => void): void {
  const walk = (fields: Readonly<Record<string, FieldSchema>> | undefined, prefix: string): void => {
    for (const key of Object.keys(fields ?? {})) {
      const field = fields![key]
      visit(prefix + key, field)
      walk(field.type ? TYPES[field.type] : undefined, `${prefix}${key}.`)
    }
  }
  walk(rootSchema(kind)?.fields, '')
}

/** Every path with a strategy for `kind`, flattened: `{ 'spec.containers': { strategy: 'merge', mergeKey: 'name' }, ... }`. */
export function mergeKeyTable(kind: string): Record<string, PatchMeta> {
  const out: Record<string, PatchMeta> = {}
  eachField(kind, (path, f) => {
    if (f.strategy) out[path] = { strategy: f.strategy, ...(f.mergeKey ? { mergeKey: f.mergeKey } : {}) }
  })
  return out
}

/** The paths of `kind`'s lists whose server-side apply keys are more than their merge key. */
export function listMapKeyTable(kind: string): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {}
  eachField(kind, (path, f) => { if (f.listMapKeys) out[path] = f.listMapKeys })
  return out
}
