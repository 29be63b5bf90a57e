// Which printer serves which resource, keyed by `group/resource` (core group is ''). Resources
// absent here get upstream's default table convertor (Name, Created At): roles, clusterroles,
// limitranges, customresourcedefinitions and everything without a printer.
import { type Printer, CREATED_DOC, column, nameColumn } from './types.ts'
import { formatRFC3339 } from './time.ts'
import { podPrinter } from './pod.ts'
import { nodePrinter } from './node.ts'
import { endpointsPrinter, servicePrinter } from './service.ts'
import * as core from './core.ts'
import { eventPrinter, eventsV1Printer } from './event.ts'
import * as apps from './apps.ts'
import { cronJobPrinter, jobPrinter } from './batch.ts'
import * as networking from './networking.ts'
import * as storage from './storage.ts'
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.ts'
import { horizontalPodAutoscalerPrinter, podDisruptionBudgetPrinter } from './autoscaling-policy.ts'
import * as cluster from './cluster.ts'
import * as admission from './admission.ts'
import { nodeMetricsPrinter, podMetricsPrinter } from './metrics.ts'

/** rest.DefaultTableConvertor: the name and the RFC3339 creation time. */
export const defaultPrinter: Printer = {
  columns: [nameColumn, column('Created At', CREATED_DOC, { type: 'date' })],
  row: obj => [obj.metadata?.name ?? '', formatRFC3339(obj.metadata?.creationTimestamp)]
}

const printers: Record<string, Printer> = {
  '/pods': podPrinter,
  '/nodes': nodePrinter,
  '/services': servicePrinter,
  '/endpoints': endpointsPrinter,
  '/namespaces': core.namespacePrinter,
  '/configmaps': core.configMapPrinter,
  '/secrets': core.secretPrinter,
  '/serviceaccounts': core.serviceAccountPrinter,
  '/resourcequotas': core.resourceQuotaPrinter,
  '/replicationcontrollers': core.replicationControllerPrinter,
  '/podtemplates': core.podTemplatePrinter,
  '/componentstatuses': core.componentStatusPrinter,
  '/events': eventPrinter,
  '/persistentvolumes': storage.persistentVolumePrinter,
  '/persistentvolumeclaims': storage.persistentVolumeClaimPrinter,
  'events.k8s.io/events': eventsV1Printer,
  'apps/deployments': apps.deploymentPrinter,
  'apps/replicasets': apps.replicaSetPrinter,
  'apps/daemonsets': apps.daemonSetPrinter,
  'apps/statefulsets': apps.statefulSetPrinter,
  'apps/controllerrevisions': apps.controllerRevisionPrinter,
  'batch/jobs': jobPrinter,
  'batch/cronjobs': cronJobPrinter,
  'autoscaling/horizontalpodautoscalers': horizontalPodAutoscalerPrinter,
  'policy/poddisruptionbudgets': podDisruptionBudgetPrinter,
  'networking.k8s.io/ingresses': networking.ingressPrinter,
  'networking.k8s.io/ingressclasses': networking.ingressClassPrinter,
  'networking.k8s.io/networkpolicies': networking.networkPolicyPrinter,
  'discovery.k8s.io/endpointslices': networking.endpointSlicePrinter,
  'rbac.authorization.k8s.io/rolebindings': roleBindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingPrinter,
  'storage.k8s.io/storageclasses': storage.storageClassPrinter,
  'storage.k8s.io/csidrivers': storage.csiDriverPrinter,
  'storage.k8s.io/csinodes': storage.csiNodePrinter,
  'storage.k8s.io/csistoragecapacities': storage.csiStorageCapacityPrinter,
  'storage.k8s.io/volumeattachments': storage.volumeAttachmentPrinter,
  'coordination.k8s.io/leases': cluster.leasePrinter,
  'scheduling.k8s.io/priorityclasses': cluster.priorityClassPrinter,
  'node.k8s.io/runtimeclasses': cluster.runtimeClassPrinter,
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': admission.webhookConfigurationPrinter,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': admission.webhookConfigurationPrinter,
  'admissionregistration.k8s.io/validatingadmissionpolicies': admission.validatingAdmissionPolicyPrinter,
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': admission.validatingAdmissionPolicyBindingPrinter,
  'flowcontrol.apiserver.k8s.io/flowschemas': cluster.flowSchemaPrinter,
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': cluster.priorityLevelPrinter,
  'certificates.k8s.io/certificatesigningrequests': cluster.certificateSigningRequestPrinter,
  'apiregistration.k8s.io/apiservices': cluster.apiServicePrinter,
  'metrics.k8s.io/nodes': nodeMetricsPrinter,
  'metrics.k8s.io/pods': podMetricsPrinter
}

/** The printer for a resource (plural, group), or the default (Name, Created At) for kinds without one. */
export function printerFor (group: string, resource: string): Printer {
  const g = group === 'core' ? '' : group
  return printers[`${g}/${resource}`] ?? defaultPrinter
}

/** The `group/resource` keys that have a dedicated printer (for tests and docs). */
export const printedResources: readonly string[] = Object.keys(printers)
