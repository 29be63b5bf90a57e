// The kinds whose protobuf request bodies we decode, keyed by `apiVersion/kind` as in the
// runtime.Unknown envelope's TypeMeta. Values are protobuf message names from
// proto/k8s/**/generated.proto. The proto files are trimmed to what these messages reach, so adding
// a kind here means re-running test/apiserver/protobuf/tools/generate-protos.ts.
//
// Chosen by what kubectl v1.32 writes with its typed (protobuf) clients: `kubectl create <generator>`,
// `create token`, `auth can-i` / `auth whoami`, `drain` (Eviction), `autoscale`, plus the other
// workload kinds of the same groups, whose messages are mostly reachable anyway.
export const PROTOBUF_KINDS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'k8s.io.api.core.v1.Namespace',
  'v1/ConfigMap': 'k8s.io.api.core.v1.ConfigMap',
  'v1/Secret': 'k8s.io.api.core.v1.Secret',
  'v1/Service': 'k8s.io.api.core.v1.Service',
  'v1/ServiceAccount': 'k8s.io.api.core.v1.ServiceAccount',
  'v1/ResourceQuota': 'k8s.io.api.core.v1.ResourceQuota',
  'v1/LimitRange': 'k8s.io.api.core.v1.LimitRange',
  'v1/Pod': 'k8s.io.api.core.v1.Pod',
  'v1/PodTemplate': 'k8s.io.api.core.v1.PodTemplate',
  'v1/ReplicationController': 'k8s.io.api.core.v1.ReplicationController',
  'v1/PersistentVolumeClaim': 'k8s.io.api.core.v1.PersistentVolumeClaim',
  'v1/Binding': 'k8s.io.api.core.v1.Binding',
  'apps/v1/Deployment': 'k8s.io.api.apps.v1.Deployment',
  'apps/v1/StatefulSet': 'k8s.io.api.apps.v1.StatefulSet',
  'apps/v1/DaemonSet': 'k8s.io.api.apps.v1.DaemonSet',
  'apps/v1/ReplicaSet': 'k8s.io.api.apps.v1.ReplicaSet',
  'batch/v1/Job': 'k8s.io.api.batch.v1.Job',
  'batch/v1/CronJob': 'k8s.io.api.batch.v1.CronJob',
  'rbac.authorization.k8s.io/v1/Role': 'k8s.io.api.rbac.v1.Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'k8s.io.api.rbac.v1.ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'k8s.io.api.rbac.v1.RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'k8s.io.api.rbac.v1.ClusterRoleBinding',
  'policy/v1/PodDisruptionBudget': 'k8s.io.api.policy.v1.PodDisruptionBudget',
  'policy/v1/Eviction': 'k8s.io.api.policy.v1.Eviction',
  'networking.k8s.io/v1/Ingress': 'k8s.io.api.networking.v1.Ingress',
  'networking.k8s.io/v1/IngressClass': 'k8s.io.api.networking.v1.IngressClass',
  'networking.k8s.io/v1/NetworkPolicy': 'k8s.io.api.networking.v1.NetworkPolicy',
  'scheduling.k8s.io/v1/PriorityClass': 'k8s.io.api.scheduling.v1.PriorityClass',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'k8s.io.api.authorization.v1.SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'k8s.io.api.authorization.v1.SelfSubjectRulesReview',
  'authorization.k8s.io/v1/SubjectAccessReview': 'k8s.io.api.authorization.v1.SubjectAccessReview',
  'authorization.k8s.io/v1/LocalSubjectAccessReview': 'k8s.io.api.authorization.v1.LocalSubjectAccessReview',
  'authentication.k8s.io/v1/TokenRequest': 'k8s.io.api.authentication.v1.TokenRequest',
  'authentication.k8s.io/v1/TokenReview': 'k8s.io.api.authentication.v1.TokenReview',
  'authentication.k8s.io/v1/SelfSubjectReview': 'k8s.io.api.authentication.v1.SelfSubjectReview',
  'autoscaling/v1/HorizontalPodAutoscaler': 'k8s.io.api.autoscaling.v1.HorizontalPodAutoscaler',
  'autoscaling/v1/Scale': 'k8s.io.api.autoscaling.v1.Scale',
  'autoscaling/v2/HorizontalPodAutoscaler': 'k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler',
  'certificates.k8s.io/v1/CertificateSigningRequest': 'k8s.io.api.certificates.v1.CertificateSigningRequest',
};

// DeleteOptions is registered in every group-version (metav1.AddToGroupVersion), so a typed
// client's DELETE body names the resource's group-version: `kubectl drain --disable-eviction`
// sends `v1/DeleteOptions` for pods.
export const DELETE_OPTIONS = 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions';

/** The protobuf message of a body's `apiVersion` and `kind`, if we decode it. */
export function protobufMessageOf(apiVersion: string, kind: string): string | undefined {
  return PROTOBUF_KINDS[`${apiVersion}/${kind}`] ?? (kind === 'DeleteOptions' ? DELETE_OPTIONS : undefined);
}

/** The proto file (relative to proto/k8s/) that declares a message of PROTOBUF_KINDS. */
export function protoFileOf(messageName: string): string {
  const pkg = messageName.slice('k8s.io.'.length, messageName.lastIndexOf('.')); // api.core.v1
  return `k8s.io/${pkg.replaceAll('.', '/')}/generated.proto`;
}
