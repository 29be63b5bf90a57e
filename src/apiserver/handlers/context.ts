// Everything a handler needs, built once per API server.
import type { Clock } from '../../util/clock.ts'
import type { Ids } from '../../util/random.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import type { ResourceIndex } from '../resource-index.ts'
import type { ObjectStorage } from '../registry/storage.ts'
import type { NamespaceCache } from '../registry/namespace-cache.ts'
import type { PriorityClassCache } from '../registry/priority-classes.ts'
import type { PodsByNode } from '../registry/pods-by-node.ts'
import type { ScalePaths } from './subresources.ts'
import type { ServiceAccountTokens } from '../service-account-tokens.ts'
import type { MirroredMap } from '../registry/store-mirror.ts'
import type { Strategy } from '../strategies/strategy.ts'
import type { RbacAuthorizer } from '../rbac/authorizer.ts'
import type { Admission } from '../admission/index.ts'

import type { Components } from './component-statuses.ts'

export interface ApiContext {
  storage: ObjectStorage
  index: ResourceIndex
  strategyFor: (info: ResourceInfo) => Strategy
  clock: Clock
  ids: Ids
  /** Lease for objects that expire (Events: 1 h), reused within a minute as upstream does. */
  eventLease: () => Promise<number>
  namespaces: NamespaceCache
  priorityClasses: PriorityClassCache
  /** Pods by spec.nodeName, for the kubelets' lists. */
  podsByNode: PodsByNode
  /** Signs service account tokens (TokenRequest). */
  tokens: ServiceAccountTokens
  /** The service accounts' uids by "<namespace>/<name>", for authenticating their tokens. */
  serviceAccounts: MirroredMap<string>
  /** A custom resource's scale subresource paths (undefined: spec.replicas/status.replicas). */
  scalePaths: (info: ResourceInfo) => ScalePaths | undefined
  /** RBAC (system:masters bypasses it): requests, access reviews, escalation checks. */
  authorizer: RbacAuthorizer
  /** LimitRanger and ResourceQuota: the admission plugins that read other objects. */
  admission: Admission
  /** ComponentStatus: the components probed, each with whether it runs (control-plane.ts sets it). */
  components: Components
}
