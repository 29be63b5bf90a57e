// Serving custom resources: CRDs in the store become rows of the resource table (discovery,
// routing, storage keys, OpenAPI follow), with their schemas and printer columns at hand.
// Deleting a CRD deletes its custom resources, as the CRD finalizer's controller does upstream.
import type { KubeObject } from '../../api/object.ts'
import type { ResourceInfo } from '../../api/resources.ts'
import type { ResourceIndex } from '../resource-index.ts'
import { collectionRange } from '../registry/keys.ts'
import type { ObjectStorage } from '../registry/storage.ts'
import type { Strategy } from '../strategies/strategy.ts'
import { crdVersions, type CrdVersion } from './resources.ts'
import { applySchema } from './schema.ts'

type Json = Record<string, any>

export class CrdRegistry {
  private readonly index: ResourceIndex
  private readonly storage: ObjectStorage
  private readonly versions = new Map<string, CrdVersion>()
  private readonly served = new Map<string, Array<{ group: string, resource: string }>>()

  constructor (options: { index: ResourceIndex, storage: ObjectStorage }) {
    this.index = options.index
    this.storage = options.storage
  }

  /** Serve every CRD already in the store. */
  async load (): Promise<void> {
    const info = this.crdInfo()
    const { items } = await this.storage.list(info, undefined)
    for (const crd of items) this.sync(crd)
  }

  /** (Re)serve a CRD's versions after it was created or changed. */
  sync (crd: KubeObject): void {
    this.unserve(crd.metadata.name!)
    const spec = crd.spec as Json
    this.index.remove(spec.group, spec.names.plural)
    const versions = crdVersions(crd)
    for (const v of versions) {
      this.versions.set(key(v.info), v)
      this.index.add(v.info)
    }
    this.served.set(crd.metadata.name!, [{ group: spec.group, resource: spec.names.plural }])
  }

  /** Stop serving a CRD and delete every custom resource it defined. */
  async remove (crd: KubeObject): Promise<void> {
    const versions = crdVersions(crd)
    const first = versions[0]?.info
    if (first !== undefined) {
      const { items } = await this.storage.list(first, undefined)
      for (const item of items) await this.storage.delete(first, item).catch(() => undefined)
    }
    this.unserve(crd.metadata.name!)
  }

  version (info: ResourceInfo): CrdVersion | undefined { return this.versions.get(key(info)) }

  strategy (info: ResourceInfo): Strategy {
    const v = this.version(info)
    const status = info.subresources.some(s => s.name === 'status')
    return {
      generation: true,
      status,
      defaults: obj => {
        const r = applySchema(obj, v?.schema, { prune: true })
        const out = r.value as KubeObject
        for (const k of Object.keys(obj)) delete obj[k]
        Object.assign(obj, out)
      },
      validate: obj => applySchema(obj, v?.schema, { prune: false }).causes,
      unknownFields: obj => applySchema(obj, v?.schema, { prune: true }).unknown,
    }
  }

  private unserve (name: string): void {
    for (const { group, resource } of this.served.get(name) ?? []) {
      for (const [k, v] of [...this.versions]) if (v.info.group === group && v.info.resource === resource) this.versions.delete(k)
      this.index.remove(group, resource)
    }
    this.served.delete(name)
  }

  private crdInfo (): ResourceInfo {
    return this.index.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!
  }

  static range (info: ResourceInfo): { key: string, rangeEnd: string } { return collectionRange(info) }
}

const key = (info: ResourceInfo): string => `${info.group}/${info.version}/${info.resource}`
