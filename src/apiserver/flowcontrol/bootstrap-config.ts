// The API Priority and Fairness configuration kube-apiserver v1.32 creates at start
// (k8s.io/apiserver/pkg/apis/flowcontrol/bootstrap/default.go): the mandatory PriorityLevels
// exempt and catch-all and FlowSchemas exempt and catch-all, and the suggested ones, each
// annotated apf.kubernetes.io/autoupdate-spec "true". Written as a table; the objects below are
// what `kubectl get prioritylevelconfigurations,flowschemas -o yaml` shows on a fresh k3s
// (keys in the Go structs' field order, as upstream serializes them).
import type { KubeObject } from '../../api/object.ts'

export const AUTO_UPDATE_ANNOTATION = 'apf.kubernetes.io/autoupdate-spec'
const API_VERSION = 'flowcontrol.apiserver.k8s.io/v1'
const meta = (name: string): KubeObject['metadata'] => ({ name, annotations: { [AUTO_UPDATE_ANNOTATION]: 'true' } })

/** [name, nominalConcurrencyShares, lendablePercent, queuing as [queues, handSize, queueLengthLimit] or 'Reject']. */
type LimitedLevel = [string, number, number, [number, number, number] | 'Reject']

const LIMITED_LEVELS: LimitedLevel[] = [
  ['catch-all', 5, 0, 'Reject'],
  ['system', 30, 33, [64, 6, 50]],
  ['node-high', 40, 25, [64, 6, 50]],
  ['leader-election', 10, 0, [16, 4, 50]],
  ['workload-high', 40, 50, [128, 6, 50]],
  ['workload-low', 100, 90, [128, 6, 50]],
  ['global-default', 20, 50, [128, 6, 50]],
]

export function bootstrapPriorityLevels (): KubeObject[] {
  const exempt = { apiVersion: API_VERSION, kind: 'PriorityLevelConfiguration', metadata: meta('exempt'), spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } } }
  const limited = LIMITED_LEVELS.map(([name, shares, lendable, queuing]) => ({
    apiVersion: API_VERSION,
    kind: 'PriorityLevelConfiguration',
    metadata: meta(name),
    spec: {
      type: 'Limited',
      limited: {
        nominalConcurrencyShares: shares,
        limitResponse: queuing === 'Reject'
          ? { type: 'Reject' }
          : { type: 'Queue', queuing: { queues: queuing[0], handSize: queuing[1], queueLengthLimit: queuing[2] } },
        lendablePercent: lendable,
      },
    },
  }))
  return [exempt, ...limited] as KubeObject[]
}

const group = (name: string): object => ({ kind: 'Group', group: { name } })
const user = (name: string): object => ({ kind: 'User', user: { name } })
const kubeSystemSA = (name: string): object => ({ kind: 'ServiceAccount', serviceAccount: { name, namespace: 'kube-system' } })
const resourceRule = (verbs: string[], apiGroups: string[], resources: string[], namespaces: string[], clusterScope: boolean): object =>
  ({ verbs, apiGroups, resources, ...(clusterScope ? { clusterScope } : {}), namespaces })
/** Every verb on every resource, namespaced or not, and every non-resource URL. */
const everything = { resourceRules: [resourceRule(['*'], ['*'], ['*'], ['*'], true)], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }] }
const getCreateUpdate = ['get', 'create', 'update']
const KCM = 'system:kube-controller-manager'
const SCHEDULER = 'system:kube-scheduler'
const ALL_USERS = [group('system:unauthenticated'), group('system:authenticated')]

/** [name, priority level, matchingPrecedence, distinguisher ('' for none), subjects, rules besides subjects]. */
type Schema = [string, string, number, '' | 'ByUser' | 'ByNamespace', object[], object]

const SCHEMAS: Schema[] = [
  ['exempt', 'exempt', 1, '', [group('system:masters')], everything],
  ['probes', 'exempt', 2, '', ALL_USERS, { nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }] }],
  ['system-leader-election', 'leader-election', 100, 'ByUser', [user(KCM), user(SCHEDULER), kubeSystemSA('*')],
    { resourceRules: [resourceRule(getCreateUpdate, ['coordination.k8s.io'], ['leases'], ['*'], false)] }],
  ['endpoint-controller', 'workload-high', 150, 'ByUser', [user(KCM), kubeSystemSA('endpoint-controller'), kubeSystemSA('endpointslicemirroring-controller')],
    { resourceRules: [resourceRule(getCreateUpdate, [''], ['endpoints'], ['*'], false)] }],
  ['workload-leader-election', 'leader-election', 200, 'ByUser', [kubeSystemSA('*')],
    { resourceRules: [resourceRule(getCreateUpdate, [''], ['endpoints', 'configmaps'], ['*'], false), resourceRule(getCreateUpdate, ['coordination.k8s.io'], ['leases'], ['*'], false)] }],
  ['system-node-high', 'node-high', 400, 'ByUser', [group('system:nodes')],
    { resourceRules: [resourceRule(['*'], [''], ['nodes', 'nodes/status'], ['*'], true), resourceRule(['*'], ['coordination.k8s.io'], ['leases'], ['*'], false)] }],
  ['system-nodes', 'system', 500, 'ByUser', [group('system:nodes')], everything],
  ['kube-controller-manager', 'workload-high', 800, 'ByNamespace', [user(KCM)], everything],
  ['kube-scheduler', 'workload-high', 800, 'ByNamespace', [user(SCHEDULER)], everything],
  ['kube-system-service-accounts', 'workload-high', 900, 'ByNamespace', [kubeSystemSA('*')], everything],
  ['service-accounts', 'workload-low', 9000, 'ByUser', [group('system:serviceaccounts')], everything],
  ['global-default', 'global-default', 9900, 'ByUser', ALL_USERS, everything],
  ['catch-all', 'catch-all', 10000, 'ByUser', ALL_USERS, everything],
]

export function bootstrapFlowSchemas (): KubeObject[] {
  return SCHEMAS.map(([name, level, precedence, distinguisher, subjects, rules]) => ({
    apiVersion: API_VERSION,
    kind: 'FlowSchema',
    metadata: meta(name),
    spec: {
      priorityLevelConfiguration: { name: level },
      matchingPrecedence: precedence,
      ...(distinguisher === '' ? {} : { distinguisherMethod: { type: distinguisher } }),
      rules: [{ subjects, ...rules }],
    },
  })) as KubeObject[]
}
