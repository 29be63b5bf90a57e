// The admission plugins that read other objects, in k3s's order: LimitRanger (mutating for new
// pods, validating for pods and claims), DefaultStorageClass and StorageObjectInUseProtection
// (mutating, claims and volumes), PodSecurity (namespace labels) and ResourceQuota (validating, last). LimitRanges, ResourceQuotas and namespaces' labels are mirrored from the
// store (upstream: the plugins' informers; namespaces' labels come from the API server's namespace
// cache), so a namespace without any costs a map lookup per write.
import type { KubeObject } from '../../api/object.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import type { QuotaOperation } from '../../api/quota/evaluators.ts'
import type { Backend } from '../../store/backend.ts'
import { admissionForbidden } from '../errors.ts'
import { NamespacedMirror } from '../registry/namespaced-mirror.ts'
import { wellFormedLimitRange, wellFormedQuota } from '../../api/quota/shape.ts'
import { defaultPodResources, limitRangeViolation } from './limit-ranger.ts'
import { QuotaAdmission } from './resource-quota.ts'
import { PodSecurity } from './pod-security/index.ts'
import { MirroredMap } from '../registry/store-mirror.ts'
import { isDefaultStorageClass, PV_PROTECTION, PVC_PROTECTION } from '../../api/storage.ts'

/** StorageObjectInUseProtection: a new claim or volume carries its protection finalizer. */
function protect (obj: KubeObject, finalizer: string): void {
  const finalizers = obj.metadata.finalizers ?? []
  if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer]
}

const byName = (a: KubeObject, b: KubeObject): number => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0)

export interface AdmissionOptions {
  /** Write a quota's status as kube-apiserver's loopback client does (optimistic). */
  writeQuotaStatus: (quota: KubeObject) => Promise<void>
  /** A namespace's labels from the API server's namespace cache: null for none, undefined when it cannot tell. */
  cachedNamespaceLabels: (name: string) => Record<string, string> | null | undefined
  /** A namespace read from the store (when the cache cannot tell). */
  getNamespace: (name: string) => Promise<KubeObject | undefined>
  /** A namespace's pods (PodSecurity's check of a raised enforce level). */
  listPods: (namespace: string) => Promise<readonly KubeObject[]>
  /** The StorageClasses read from the store (when the mirror cannot tell). */
  listStorageClasses: () => Promise<readonly KubeObject[]>
  now: () => number
}

export interface WriteAttributes {
  operation: QuotaOperation
  info: ResourceInfo
  subresource?: string
  obj: KubeObject
  old?: KubeObject
  dryRun: boolean
}

export class Admission {
  private readonly limitRanges = new NamespacedMirror<KubeObject>('limitranges', obj => (wellFormedLimitRange(obj) ? obj as KubeObject : undefined))
  private readonly quotas = new NamespacedMirror<KubeObject>('resourcequotas', obj => (wellFormedQuota(obj) ? obj as KubeObject : undefined))
  /** StorageClasses that say they are the default (DefaultStorageClass), with their creation time. */
  private readonly defaultClasses = new MirroredMap<{ created: number } | null>({
    prefix: '/registry/storageclasses/',
    read: sc => (isDefaultStorageClass(sc as KubeObject) ? { created: Date.parse((sc as KubeObject).metadata.creationTimestamp ?? '') || 0 } : null),
  })

  private readonly getStorageClasses: () => Promise<readonly KubeObject[]>
  private readonly quota: QuotaAdmission
  private readonly podSecurity: PodSecurity
  private backend: Backend | undefined

  constructor (options: AdmissionOptions) {
    this.getStorageClasses = options.listStorageClasses
    this.quota = new QuotaAdmission({ quotas: ns => this.inNamespace(this.quotas, ns), writeStatus: options.writeQuotaStatus, now: options.now })
    this.podSecurity = new PodSecurity({
      namespaceLabels: async name => {
        const cached = options.cachedNamespaceLabels(name)
        if (cached !== undefined) return cached ?? undefined
        return (await options.getNamespace(name))?.metadata.labels
      },
      listPods: options.listPods,
    })
  }

  async start (backend: Backend): Promise<void> {
    this.backend = backend
    await Promise.all([this.limitRanges.start(backend), this.quotas.start(backend), this.defaultClasses.start(backend)])
  }

  stop (): void {
    this.limitRanges.stop()
    this.quotas.stop()
    this.defaultClasses.stop()
  }

  /** The namespace's objects, sorted by name; a mirror whose watch is gone is loaded again first. */
  private async inNamespace (mirror: NamespacedMirror<KubeObject>, namespace: string): Promise<KubeObject[]> {
    if (this.backend !== undefined && !mirror.following()) await mirror.reload()
    return [...mirror.in(namespace)].sort(byName)
  }

  /** Mutating admission of a create (after defaulting, before the kind's own preparation). */
  async mutate (info: ResourceInfo, obj: KubeObject): Promise<void> {
    if (info.group !== '') return
    if (info.resource === 'persistentvolumes') { protect(obj, PV_PROTECTION); return }
    if (info.resource === 'persistentvolumeclaims') { await this.defaultStorageClass(obj); protect(obj, PVC_PROTECTION); return }
    if (info.resource !== 'pods') return
    const ranges = await this.inNamespace(this.limitRanges, obj.metadata.namespace ?? '')
    if (ranges.length > 0) defaultPodResources(obj, ranges)
  }

  /**
   * DefaultStorageClass: a claim naming no class (neither spec.storageClassName nor the beta
   * annotation) gets the default one; of several, the newest, then the first by name (GetDefaultClass).
   */
  private async defaultStorageClass (claim: KubeObject): Promise<void> {
    const spec = ((claim as { spec?: Record<string, unknown> }).spec ??= {})
    if (spec.storageClassName !== undefined && spec.storageClassName !== null) return
    if (claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return
    let candidates: Array<{ name: string, created: number }>
    const known = this.defaultClasses.named()
    if (known !== undefined) {
      candidates = []
      for (const [name, c] of known) if (c !== null) candidates.push({ name, created: c.created })
    } else {
      candidates = (await this.getStorageClasses()).filter(isDefaultStorageClass).map(sc => ({ name: sc.metadata.name!, created: Date.parse(sc.metadata.creationTimestamp ?? '') || 0 }))
    }
    candidates.sort((a, b) => (a.created !== b.created ? b.created - a.created : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    if (candidates.length > 0) spec.storageClassName = candidates[0].name
  }

  /** Validating admission of a create or update, once the object is final and valid: the warnings to send. */
  async validate (attrs: WriteAttributes): Promise<string[]> {
    const { info, obj } = attrs
    const sub = attrs.subresource ?? ''
    const namespace = obj.metadata.namespace
    const namespaced = namespace !== undefined && namespace !== ''
    const pods = info.group === '' && info.resource === 'pods' && attrs.operation === 'create'
    const claims = info.group === '' && info.resource === 'persistentvolumeclaims'
    if (namespaced && sub === '' && (pods || claims) && attrs.old?.metadata.deletionTimestamp === undefined) {
      const ranges = await this.inNamespace(this.limitRanges, namespace)
      const why = ranges.length === 0 ? undefined : limitRangeViolation(pods ? 'pods' : 'persistentvolumeclaims', obj, ranges)
      if (why !== undefined) throw admissionForbidden(info, obj.metadata.name ?? '', why)
    }
    const warnings = await this.podSecurity.validate({ operation: attrs.operation, info, subresource: sub, obj, old: attrs.old })
    // Quota ignores every subresource write (status, binding, scale…), as upstream's plugin does.
    if (namespaced && sub === '') await this.quota.admit({ operation: attrs.operation, resource: info, obj, old: attrs.old, dryRun: attrs.dryRun })
    return warnings
  }
}
