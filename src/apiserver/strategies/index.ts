// The strategy for each resource; anything not listed is generic (no generation, no status).
import { limitRangeStrategy, resourceQuotaStrategy } from './quota.ts'
import { horizontalPodAutoscalerStrategy } from './autoscaling.ts'
import { apiServiceStrategy } from './apiservices.ts'
import { certificateSigningRequestStrategy } from './certificates.ts'
import type { ResourceIndex } from '../resource-index.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import { configMapStrategy, secretStrategy } from './config.ts'
import { crdStrategy } from './crds.ts'
import { ingressStrategy } from './ingresses.ts'
import { namespaceStrategy } from './namespaces.ts'
import { podStrategy } from './pods.ts'
import { serviceStrategy } from './services.ts'
import { generic, withStatus, type Strategy } from './strategy.ts'
import { cronJobStrategy, daemonSetStrategy, deploymentStrategy, jobStrategy, podTemplateStrategy, replicaSetStrategy, replicationControllerStrategy, statefulSetStrategy } from './workloads.ts'
import { mutatingWebhookConfigurationStrategy, validatingWebhookConfigurationStrategy } from './admission-webhooks.ts'
import { validatingAdmissionPolicyBindingStrategy, validatingAdmissionPolicyStrategy } from './admission-policies.ts'
import { flowSchemaStrategy, priorityLevelConfigurationStrategy } from './flowcontrol.ts'
import { csiDriverStrategy, volumeAttachmentStrategy } from './csi.ts'
import { rbacStrategies } from './rbac.ts'
import { priorityClassStrategy } from './scheduling.ts'
import { podWarnings } from './pod-warnings.ts'
import { persistentVolumeClaimStrategy, persistentVolumeStrategy } from './storage.ts'
import type { KubeObject } from '../../api/object.ts'

type Json = Record<string, any>

/**
 * A workload's strategy with GetWarningsForPodTemplate: on create, and on an update that changes
 * the generation (the spec), for the template at `path`.
 */
function withTemplateWarnings (strategy: Strategy, path: string, template: (o: Json) => Json | undefined): Strategy {
  const warn = (o: KubeObject): string[] => {
    const t = template(o as Json)
    return t === undefined || t === null ? [] : podWarnings(`${path}.`, t.spec, t.metadata)
  }
  return {
    ...strategy,
    warningsOnCreate: warn,
    warningsOnUpdate: (o, old) => (o.metadata.generation !== old.metadata.generation ? warn(o) : []),
  }
}

export function strategies (index: ResourceIndex, custom: (info: ResourceInfo) => Strategy): (info: ResourceInfo) => Strategy {
  const table: Record<string, Strategy> = {
    '/pods': podStrategy,
    '/configmaps': configMapStrategy,
    '/secrets': secretStrategy,
    '/namespaces': namespaceStrategy,
    '/services': serviceStrategy(() => index.lookup('', 'v1', 'services')!),
    '/replicationcontrollers': withTemplateWarnings(replicationControllerStrategy, 'spec.template', o => o.spec?.template),
    '/podtemplates': withTemplateWarnings(podTemplateStrategy, 'template', o => o.template),
    'apps/deployments': withTemplateWarnings(deploymentStrategy, 'spec.template', o => o.spec?.template),
    'apps/replicasets': withTemplateWarnings(replicaSetStrategy, 'spec.template', o => o.spec?.template),
    'apps/statefulsets': withTemplateWarnings(statefulSetStrategy, 'spec.template', o => o.spec?.template),
    'apps/daemonsets': withTemplateWarnings(daemonSetStrategy, 'spec.template', o => o.spec?.template),
    'batch/jobs': withTemplateWarnings(jobStrategy, 'spec.template', o => o.spec?.template),
    'batch/cronjobs': withTemplateWarnings(cronJobStrategy, 'spec.jobTemplate.spec.template', o => o.spec?.jobTemplate?.spec?.template),
    'policy/poddisruptionbudgets': withStatus,
    'networking.k8s.io/ingresses': ingressStrategy,
    'networking.k8s.io/networkpolicies': { generation: true, status: false },
    'autoscaling/horizontalpodautoscalers': horizontalPodAutoscalerStrategy,
    'apiregistration.k8s.io/apiservices': apiServiceStrategy,
    'certificates.k8s.io/certificatesigningrequests': certificateSigningRequestStrategy,
    'apiextensions.k8s.io/customresourcedefinitions': crdStrategy,
    '/nodes': { generation: false, status: true },
    '/persistentvolumes': persistentVolumeStrategy,
    '/persistentvolumeclaims': persistentVolumeClaimStrategy,
    '/resourcequotas': resourceQuotaStrategy,
    '/limitranges': limitRangeStrategy,
    'scheduling.k8s.io/priorityclasses': priorityClassStrategy,
    'admissionregistration.k8s.io/validatingwebhookconfigurations': validatingWebhookConfigurationStrategy,
    'admissionregistration.k8s.io/mutatingwebhookconfigurations': mutatingWebhookConfigurationStrategy,
    'admissionregistration.k8s.io/validatingadmissionpolicies': validatingAdmissionPolicyStrategy,
    'admissionregistration.k8s.io/validatingadmissionpolicybindings': validatingAdmissionPolicyBindingStrategy,
    'flowcontrol.apiserver.k8s.io/flowschemas': flowSchemaStrategy,
    'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': priorityLevelConfigurationStrategy,
    'storage.k8s.io/csidrivers': csiDriverStrategy,
    'storage.k8s.io/volumeattachments': volumeAttachmentStrategy,
    // RBAC names are path segments (ValidateRBACName): `system:coredns` is a valid name.
    ...rbacStrategies,
  }
  return info => {
    if (info.custom) return custom(info)
    return table[`${info.group}/${info.resource}`] ?? generic
  }
}
