// The strategy for each resource; anything not listed is generic (no generation, no status).
import { limitRangeStrategy, resourceQuotaStrategy } from './quota.ts'
import type { ResourceIndex } from '../resource-index.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import { configMapStrategy, secretStrategy } from './config.ts'
import { crdStrategy } from './crds.ts'
import { ingressStrategy } from './ingresses.ts'
import { namespaceStrategy } from './namespaces.ts'
import { podStrategy } from './pods.ts'
import { serviceStrategy } from './services.ts'
import { generic, withStatus, type Strategy } from './strategy.ts'
import { cronJobStrategy, daemonSetStrategy, deploymentStrategy, jobStrategy, replicaSetStrategy, replicationControllerStrategy, statefulSetStrategy } from './workloads.ts'
import { rbacStrategies } from './rbac.ts'

export function strategies (index: ResourceIndex, custom: (info: ResourceInfo) => Strategy): (info: ResourceInfo) => Strategy {
  const table: Record<string, Strategy> = {
    '/pods': podStrategy,
    '/configmaps': configMapStrategy,
    '/secrets': secretStrategy,
    '/namespaces': namespaceStrategy,
    '/services': serviceStrategy(() => index.lookup('', 'v1', 'services')!),
    '/replicationcontrollers': replicationControllerStrategy,
    'apps/deployments': deploymentStrategy,
    'apps/replicasets': replicaSetStrategy,
    'apps/statefulsets': statefulSetStrategy,
    'apps/daemonsets': daemonSetStrategy,
    'batch/jobs': jobStrategy,
    'batch/cronjobs': cronJobStrategy,
    'policy/poddisruptionbudgets': withStatus,
    'networking.k8s.io/ingresses': ingressStrategy,
    'networking.k8s.io/networkpolicies': { generation: true, status: false },
    'autoscaling/horizontalpodautoscalers': { generation: false, status: true },
    'apiextensions.k8s.io/customresourcedefinitions': crdStrategy,
    '/nodes': { generation: false, status: true },
    '/persistentvolumes': { generation: false, status: true },
    '/persistentvolumeclaims': { generation: false, status: true },
    '/resourcequotas': resourceQuotaStrategy,
    '/limitranges': limitRangeStrategy,
    // RBAC names are path segments (ValidateRBACName): `system:coredns` is a valid name.
    ...rbacStrategies,
  }
  return info => {
    if (info.custom) return custom(info)
    return table[`${info.group}/${info.resource}`] ?? generic
  }
}
