// Facts client-node's models lose: the `patchStrategy`/`patchMergeKey` struct tags of k8s.io/api
// (kubectl apply builds strategic merge patches from the OpenAPI v3 document's
// x-kubernetes-patch-strategy and x-kubernetes-patch-merge-key, so a missing entry turns a merged
// list into a replaced one), which string fields are resource.Quantity, and what the untyped
// fields are.

export interface PatchMeta { strategy: string, key?: string }

const merge = (key?: string): PatchMeta => (key === undefined ? { strategy: 'merge' } : { strategy: 'merge', key })
const conditions = { conditions: merge('type') }
const containerLists = { env: merge('name'), ports: merge('containerPort'), volumeDevices: merge('devicePath'), volumeMounts: merge('mountPath') }

/** Model → JSON field → patch metadata, from the tags in k8s.io/api (v1.32). */
export const PATCH_META: Record<string, Record<string, PatchMeta>> = {
  V1ObjectMeta: { finalizers: merge(), ownerReferences: merge('uid') },
  V1PodSpec: {
    containers: merge('name'),
    ephemeralContainers: merge('name'),
    hostAliases: merge('ip'),
    imagePullSecrets: merge('name'),
    initContainers: merge('name'),
    resourceClaims: { strategy: 'merge,retainKeys', key: 'name' },
    schedulingGates: merge('name'),
    topologySpreadConstraints: merge('topologyKey'),
    volumes: { strategy: 'merge,retainKeys', key: 'name' },
  },
  V1Container: containerLists,
  V1EphemeralContainer: containerLists,
  V1PodStatus: { ...conditions, hostIPs: merge('ip'), podIPs: merge('ip'), resourceClaimStatuses: { strategy: 'merge,retainKeys', key: 'name' } },
  V1NodeSpec: { podCIDRs: merge() },
  V1NodeStatus: { ...conditions, addresses: merge('type') },
  V1NamespaceStatus: conditions,
  V1PersistentVolumeClaimStatus: conditions,
  V1ReplicationControllerStatus: conditions,
  V1ServiceSpec: { ports: merge('port') },
  V1ServiceStatus: conditions,
  V1ServiceAccount: { secrets: merge('name') },
  V1DeploymentSpec: { strategy: { strategy: 'retainKeys' } },
  V1DeploymentStatus: conditions,
  V1ReplicaSetStatus: conditions,
  V1DaemonSetStatus: conditions,
  V1StatefulSetStatus: conditions,
  V1JobStatus: conditions,
  V2HorizontalPodAutoscalerStatus: conditions,
  V1PodDisruptionBudgetStatus: conditions,
  V1ValidatingWebhookConfiguration: { webhooks: merge('name') },
  V1MutatingWebhookConfiguration: { webhooks: merge('name') },
  V1CSINodeSpec: { drivers: merge('name') },
}

/** Model → JSON fields whose strings (or map values) are resource.Quantity. */
export const QUANTITY_FIELDS: Record<string, string[]> = {
  V1ContainerStatus: ['allocatedResources'],
  V1CSIStorageCapacity: ['capacity', 'maximumVolumeSize'],
  V1EmptyDirVolumeSource: ['sizeLimit'],
  V1LimitRangeItem: ['default', 'defaultRequest', 'max', 'maxLimitRequestRatio', 'min'],
  V1NodeStatus: ['allocatable', 'capacity'],
  V1PersistentVolumeClaimStatus: ['allocatedResources', 'capacity'],
  V1PersistentVolumeSpec: ['capacity'],
  V1PodSpec: ['overhead'],
  V1ResourceFieldSelector: ['divisor'],
  V1ResourceQuotaSpec: ['hard'],
  V1ResourceQuotaStatus: ['hard', 'used'],
  V1ResourceRequirements: ['limits', 'requests'],
  V1VolumeResourceRequirements: ['limits', 'requests'],
  V2MetricTarget: ['averageValue', 'value'],
  V2MetricValueStatus: ['averageValue', 'value'],
}

const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1'

/**
 * Untyped (`any`) fields of client-node models and the upstream component each refers to, so
 * kubectl explain names the type (`default <JSON>`) as it does against a real server.
 */
export const ANY_FIELDS: Record<string, Record<string, string>> = {
  V1ManagedFieldsEntry: { fieldsV1: 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1' },
  V1ControllerRevision: { data: 'io.k8s.apimachinery.pkg.runtime.RawExtension' },
  V1CustomResourceSubresources: { status: `${APIEXTENSIONS}.CustomResourceSubresourceStatus` },
  V1JSONSchemaProps: {
    additionalItems: `${APIEXTENSIONS}.JSONSchemaPropsOrBool`,
    additionalProperties: `${APIEXTENSIONS}.JSONSchemaPropsOrBool`,
    default: `${APIEXTENSIONS}.JSON`,
    dependencies: `${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`,
    enum: `${APIEXTENSIONS}.JSON`,
    example: `${APIEXTENSIONS}.JSON`,
    items: `${APIEXTENSIONS}.JSONSchemaPropsOrArray`,
  },
}

/** The components ANY_FIELDS refer to, as upstream publishes them. */
export const ANY_COMPONENTS: Record<string, Record<string, unknown>> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff", type: 'object' },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { description: 'RawExtension is used to hold extensions in external versions.', type: 'object' },
  [`${APIEXTENSIONS}.CustomResourceSubresourceStatus`]: { description: 'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources. Status is represented by the `.status` JSON path inside of a CustomResource. When set, * exposes a /status subresource for the custom resource * PUT requests to the /status subresource take a custom resource object, and ignore changes to anything except the status stanza * PATCH requests to the /status subresource take a custom resource object, and ignore changes to anything except the status stanza', type: 'object' },
  [`${APIEXTENSIONS}.JSON`]: { description: 'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.' },
  [`${APIEXTENSIONS}.JSONSchemaPropsOrBool`]: { description: 'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.' },
  [`${APIEXTENSIONS}.JSONSchemaPropsOrArray`]: { description: 'JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps. Mainly here for serialization purposes.' },
  [`${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`]: { description: 'JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array.' },
}

export function anyComponent (model: string, field: string): string | undefined {
  return ANY_FIELDS[model]?.[field]
}

export function patchMeta (model: string, field: string): PatchMeta | undefined {
  return PATCH_META[model]?.[field]
}

export function isQuantity (model: string, field: string): boolean {
  return QUANTITY_FIELDS[model]?.includes(field) === true
}
