// Go type names as reflect.Type.String() prints them in encoding/json's UnmarshalTypeError
// (`json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container`).
// Derived from the client-node models: V1Container → v1.Container, CoreV1EventSeries →
// v1.EventSeries, V2MetricTarget → v2.MetricTarget; int32/int64/double → int32/int64/float64;
// byte strings → []uint8. What the models lose is the named string (and map) types of k8s.io/api
// (`Protocol Protocol`, `Limits ResourceList`): NAMED lists those of the common kinds (v1.32).
import { isQuantity } from './field-extensions.ts'
import type { TypeRef } from './models.ts'

const MODEL = /^([A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z]\w*)$/

const structNames = new Map<string, string>()

/** `V1Container` → `Container`: the struct name Go puts before the field path (kept per model). */
export function goStructName (model: string): string {
  let name = structNames.get(model)
  if (name === undefined) structNames.set(model, name = MODEL.exec(model)?.[3] ?? model)
  return name
}

/** `V1Container` → `v1.Container`, `V1beta1Foo` → `v1beta1.Foo` (every k8s.io/api version package is named after its version). */
export function goModelType (model: string): string {
  const m = MODEL.exec(model)
  if (m === null) return model
  return `${m[2]!.charAt(0).toLowerCase()}${m[2]!.slice(1)}.${m[3]!}`
}

const cond = (type: string, status = 'v1.ConditionStatus'): Record<string, string> => ({ type, status })
const RESOURCE_LIST = 'v1.ResourceList'
const containerFields = {
  imagePullPolicy: 'v1.PullPolicy',
  terminationMessagePolicy: 'v1.TerminationMessagePolicy',
  restartPolicy: 'v1.ContainerRestartPolicy',
}

/** Model → JSON field → Go type of the field (pointers dereferenced, as errors print them). */
export const NAMED: Record<string, Record<string, string>> = {
  // meta/v1
  V1ObjectMeta: { uid: 'types.UID' },
  V1OwnerReference: { uid: 'types.UID' },
  V1ManagedFieldsEntry: { operation: 'v1.ManagedFieldsOperationType' },
  V1LabelSelectorRequirement: { operator: 'v1.LabelSelectorOperator' },
  V1Condition: { status: 'v1.ConditionStatus' },
  // core/v1
  V1ObjectReference: { uid: 'types.UID' },
  V1Container: containerFields,
  V1EphemeralContainer: containerFields,
  V1ContainerPort: { protocol: 'v1.Protocol' },
  V1ContainerResizePolicy: { resourceName: 'v1.ResourceName', restartPolicy: 'v1.ResourceResizeRestartPolicy' },
  V1ResourceRequirements: { limits: RESOURCE_LIST, requests: RESOURCE_LIST },
  V1VolumeResourceRequirements: { limits: RESOURCE_LIST, requests: RESOURCE_LIST },
  V1VolumeMount: { mountPropagation: 'v1.MountPropagationMode', recursiveReadOnly: 'v1.RecursiveReadOnlyMode' },
  V1HTTPGetAction: { scheme: 'v1.URIScheme' },
  V1Capabilities: { add: '[]v1.Capability', drop: '[]v1.Capability' },
  V1SecurityContext: { procMount: 'v1.ProcMountType' },
  V1SeccompProfile: { type: 'v1.SeccompProfileType' },
  V1AppArmorProfile: { type: 'v1.AppArmorProfileType' },
  V1PodSecurityContext: { fsGroupChangePolicy: 'v1.PodFSGroupChangePolicy', supplementalGroupsPolicy: 'v1.SupplementalGroupsPolicy' },
  V1PodSpec: { restartPolicy: 'v1.RestartPolicy', dnsPolicy: 'v1.DNSPolicy', preemptionPolicy: 'v1.PreemptionPolicy', overhead: RESOURCE_LIST },
  V1PodOS: { name: 'v1.OSName' },
  V1PodStatus: { phase: 'v1.PodPhase', qosClass: 'v1.PodQOSClass', resize: 'v1.PodResizeStatus' },
  V1PodCondition: cond('v1.PodConditionType'),
  V1ContainerStatus: { allocatedResources: RESOURCE_LIST },
  V1Toleration: { operator: 'v1.TolerationOperator', effect: 'v1.TaintEffect' },
  V1Taint: { effect: 'v1.TaintEffect' },
  V1NodeSelectorRequirement: { operator: 'v1.NodeSelectorOperator' },
  V1TopologySpreadConstraint: { whenUnsatisfiable: 'v1.UnsatisfiableConstraintAction', nodeAffinityPolicy: 'v1.NodeInclusionPolicy', nodeTaintsPolicy: 'v1.NodeInclusionPolicy' },
  V1EmptyDirVolumeSource: { medium: 'v1.StorageMedium' },
  V1HostPathVolumeSource: { type: 'v1.HostPathType' },
  V1ServiceSpec: {
    type: 'v1.ServiceType',
    sessionAffinity: 'v1.ServiceAffinity',
    externalTrafficPolicy: 'v1.ServiceExternalTrafficPolicy',
    internalTrafficPolicy: 'v1.ServiceInternalTrafficPolicy',
    ipFamilies: '[]v1.IPFamily',
    ipFamilyPolicy: 'v1.IPFamilyPolicy',
  },
  V1ServicePort: { protocol: 'v1.Protocol' },
  V1PortStatus: { protocol: 'v1.Protocol' },
  V1LoadBalancerIngress: { ipMode: 'v1.LoadBalancerIPMode' },
  CoreV1EndpointPort: { protocol: 'v1.Protocol' },
  V1Secret: { type: 'v1.SecretType' },
  V1NamespaceSpec: { finalizers: '[]v1.FinalizerName' },
  V1NamespaceStatus: { phase: 'v1.NamespacePhase' },
  V1NamespaceCondition: cond('v1.NamespaceConditionType'),
  V1NodeStatus: { phase: 'v1.NodePhase', capacity: RESOURCE_LIST, allocatable: RESOURCE_LIST },
  V1NodeAddress: { type: 'v1.NodeAddressType' },
  V1NodeCondition: cond('v1.NodeConditionType'),
  V1PersistentVolumeSpec: {
    accessModes: '[]v1.PersistentVolumeAccessMode',
    capacity: RESOURCE_LIST,
    persistentVolumeReclaimPolicy: 'v1.PersistentVolumeReclaimPolicy',
    volumeMode: 'v1.PersistentVolumeMode',
  },
  V1PersistentVolumeStatus: { phase: 'v1.PersistentVolumePhase' },
  V1PersistentVolumeClaimSpec: { accessModes: '[]v1.PersistentVolumeAccessMode', volumeMode: 'v1.PersistentVolumeMode' },
  V1PersistentVolumeClaimStatus: {
    phase: 'v1.PersistentVolumeClaimPhase',
    accessModes: '[]v1.PersistentVolumeAccessMode',
    capacity: RESOURCE_LIST,
    allocatedResources: RESOURCE_LIST,
    allocatedResourceStatuses: 'map[v1.ResourceName]v1.ClaimResourceStatus',
  },
  V1PersistentVolumeClaimCondition: cond('v1.PersistentVolumeClaimConditionType'),
  V1LimitRangeItem: { type: 'v1.LimitType' },
  V1ResourceQuotaSpec: { scopes: '[]v1.ResourceQuotaScope' },
  V1ScopedResourceSelectorRequirement: { scopeName: 'v1.ResourceQuotaScope', operator: 'v1.ScopeSelectorOperator' },
  V1ReplicationControllerCondition: cond('v1.ReplicationControllerConditionType'),
  // apps/v1
  V1DeploymentStrategy: { type: 'v1.DeploymentStrategyType' },
  V1DeploymentCondition: cond('v1.DeploymentConditionType'),
  V1ReplicaSetCondition: cond('v1.ReplicaSetConditionType'),
  V1StatefulSetSpec: { podManagementPolicy: 'v1.PodManagementPolicyType' },
  V1StatefulSetUpdateStrategy: { type: 'v1.StatefulSetUpdateStrategyType' },
  V1StatefulSetPersistentVolumeClaimRetentionPolicy: { whenDeleted: 'v1.PersistentVolumeClaimRetentionPolicyType', whenScaled: 'v1.PersistentVolumeClaimRetentionPolicyType' },
  V1StatefulSetCondition: cond('v1.StatefulSetConditionType'),
  V1DaemonSetUpdateStrategy: { type: 'v1.DaemonSetUpdateStrategyType' },
  V1DaemonSetCondition: cond('v1.DaemonSetConditionType'),
  // batch/v1
  V1JobSpec: { completionMode: 'v1.CompletionMode', podReplacementPolicy: 'v1.PodReplacementPolicy' },
  V1JobCondition: cond('v1.JobConditionType'),
  V1PodFailurePolicyRule: { action: 'v1.PodFailurePolicyAction' },
  V1PodFailurePolicyOnExitCodesRequirement: { operator: 'v1.PodFailurePolicyOnExitCodesOperator' },
  V1PodFailurePolicyOnPodConditionsPattern: cond('v1.PodConditionType'),
  V1UncountedTerminatedPods: { succeeded: '[]types.UID', failed: '[]types.UID' },
  V1CronJobSpec: { concurrencyPolicy: 'v1.ConcurrencyPolicy' },
  // autoscaling/v2
  V2MetricSpec: { type: 'v2.MetricSourceType' },
  V2MetricTarget: { type: 'v2.MetricTargetType' },
  V2ResourceMetricSource: { name: 'v1.ResourceName' },
  V2ContainerResourceMetricSource: { name: 'v1.ResourceName' },
  V2HPAScalingRules: { selectPolicy: 'v2.ScalingPolicySelect' },
  V2HPAScalingPolicy: { type: 'v2.HPAScalingPolicyType' },
  V2HorizontalPodAutoscalerCondition: cond('v2.HorizontalPodAutoscalerConditionType'),
  // networking, policy, storage, discovery, apiextensions, certificates, admissionregistration
  V1NetworkPolicySpec: { policyTypes: '[]v1.PolicyType' },
  V1NetworkPolicyPort: { protocol: 'v1.Protocol' },
  V1HTTPIngressPath: { pathType: 'v1.PathType' },
  V1PodDisruptionBudgetSpec: { unhealthyPodEvictionPolicy: 'v1.UnhealthyPodEvictionPolicyType' },
  V1StorageClass: { reclaimPolicy: 'v1.PersistentVolumeReclaimPolicy', volumeBindingMode: 'v1.VolumeBindingMode' },
  V1EndpointSlice: { addressType: 'v1.AddressType' },
  DiscoveryV1EndpointPort: { protocol: 'v1.Protocol' },
  V1CustomResourceDefinitionSpec: { scope: 'v1.ResourceScope' },
  V1CustomResourceConversion: { strategy: 'v1.ConversionStrategyType' },
  V1CustomResourceDefinitionCondition: cond('v1.CustomResourceDefinitionConditionType'),
  V1CertificateSigningRequestSpec: { usages: '[]v1.KeyUsage' },
  V1MutatingWebhook: { failurePolicy: 'v1.FailurePolicyType', sideEffects: 'v1.SideEffectClass', matchPolicy: 'v1.MatchPolicyType', reinvocationPolicy: 'v1.ReinvocationPolicyType' },
  V1ValidatingWebhook: { failurePolicy: 'v1.FailurePolicyType', sideEffects: 'v1.SideEffectClass', matchPolicy: 'v1.MatchPolicyType' },
  V1RuleWithOperations: { operations: '[]v1.OperationType', scope: 'v1.ScopeType' },
}

/** A place a value decodes into: its parsed type, its Go type name, and whether its strings are Quantities. */
export interface Slot { ref: TypeRef, go: string, quantity: boolean }

function goTypeOf (ref: TypeRef, quantity: boolean): string {
  if (quantity) return ref.t === 'map' ? RESOURCE_LIST : 'resource.Quantity'
  switch (ref.t) {
    case 'string': return ref.format === 'byte' ? '[]uint8' : 'string'
    case 'number': return ref.format === 'int32' ? 'int32' : ref.format === 'int64' ? 'int64' : 'float64'
    case 'boolean': return 'bool'
    case 'time': return 'v1.Time'
    case 'microtime': return 'v1.MicroTime'
    case 'intorstring': return 'intstr.IntOrString'
    case 'any': return 'interface {}'
    case 'array': return `[]${goTypeOf(ref.items, false)}`
    case 'map': return `map[string]${goTypeOf(ref.values, false)}`
    case 'model': return goModelType(ref.name)
  }
}

/** The slot of a model's field. */
export function fieldSlot (model: string, json: string, ref: TypeRef): Slot {
  const quantity = isQuantity(model, json)
  return { ref, go: NAMED[model]?.[json] ?? goTypeOf(ref, quantity), quantity }
}

/** The slot of an array's items or a map's values (`[]v1.Capability` → `v1.Capability`). */
export function elementSlot (slot: Slot): Slot {
  const ref = slot.ref.t === 'array' ? slot.ref.items : slot.ref.t === 'map' ? slot.ref.values : slot.ref
  const { go } = slot
  const named = go.startsWith('[]') ? go.slice(2) : go.startsWith('map[') ? go.slice(go.indexOf(']') + 1) : undefined
  return { ref, go: slot.quantity ? 'resource.Quantity' : named ?? goTypeOf(ref, false), quantity: slot.quantity }
}

export function modelSlot (model: string): Slot {
  return { ref: { t: 'model', name: model }, go: goModelType(model), quantity: false }
}
