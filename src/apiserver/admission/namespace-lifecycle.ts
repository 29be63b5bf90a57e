// NamespaceLifecycle's delete rule (k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle):
// kube-apiserver registers default, kube-system and kube-public as immortal, and refuses their
// deletion with 403 before anything else happens to them. (Its create rule, no new content in a
// Terminating namespace, lives in the write handler.)
import type { ResourceInfo } from '../../api/resources.ts'
import { admissionForbidden } from '../errors.ts'

export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public'])

/** Throws `namespaces "default" is forbidden: this namespace may not be deleted` for an immortal namespace. */
export function admitNamespaceDelete (info: ResourceInfo, name: string): void {
  if (info.group !== '' || info.resource !== 'namespaces' || !IMMORTAL_NAMESPACES.has(name)) return
  throw admissionForbidden(info, name, 'this namespace may not be deleted')
}
