// The shape of kube-apiserver v1.32's bootstrap RBAC policy as transcribed here (from upstream's
// bootstrappolicy testdata fixtures), and the helpers the transcriptions use. Every object also
// gets the annotation rbac.authorization.kubernetes.io/autoupdate: "true" and the label
// kubernetes.io/bootstrapping: rbac-defaults unless `annotations`/`labels` say otherwise.
import type { PolicyRule } from '../rules.ts'

export interface BootstrapRole {
  name: string
  /** Namespaced Roles only. */
  namespace?: string
  /** Labels besides kubernetes.io/bootstrapping: rbac-defaults (e.g. rbac.authorization.k8s.io/aggregate-to-admin). */
  labels?: Record<string, string>
  /** Only when the fixture's annotations differ from the autoupdate one (give the full set then). */
  annotations?: Record<string, string>
  aggregationRule?: { clusterRoleSelectors: Array<{ matchLabels: Record<string, string> }> }
  /** Aggregated roles (rules: null in the fixture): []. */
  rules: PolicyRule[]
}

export interface BootstrapSubject { kind: 'User' | 'Group' | 'ServiceAccount', name: string, namespace?: string }

export interface BootstrapBinding {
  name: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  roleRef: { kind: 'ClusterRole' | 'Role', name: string }
  subjects: BootstrapSubject[]
}

/** A resource rule; argument order apiGroups, resources, verbs[, resourceNames], lists in the fixture's order. */
export const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): PolicyRule =>
  resourceNames === undefined ? { verbs, apiGroups, resources } : { verbs, apiGroups, resources, resourceNames }

/** A non-resource rule. */
export const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({ verbs, nonResourceURLs })
