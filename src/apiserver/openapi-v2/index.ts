// `GET /openapi/v2`: the swagger 2.0 document (./document.ts), as JSON or as gnostic protobuf
// (./proto.ts), built when first asked and again only when the served kinds or a CRD's schema
// change (the v3 index's hashes say so). Its ETag is kube-openapi's: SHA-512 of the JSON, in hex.
import { createHash } from 'node:crypto'
import type { ResourceInfo } from '../../api/resources.ts'
import { openapiIndex } from '../openapi.ts'
import type { ResourceIndex } from '../resource-index.ts'
import { openapiV2Document } from './document.ts'
import { encodeOpenapiV2, OPENAPI_V2_PROTOBUF } from './proto.ts'

export { OPENAPI_V2_PROTOBUF }

interface Built { key: string, doc: Record<string, unknown>, etag: string, proto?: Uint8Array }

export class OpenapiV2 {
  private built: Built | undefined
  private readonly index: ResourceIndex
  private readonly schemas: (r: ResourceInfo) => object | undefined
  private readonly version: string

  constructor (index: ResourceIndex, schemas: (r: ResourceInfo) => object | undefined, version: string) {
    this.index = index
    this.schemas = schemas
    this.version = version
  }

  document (): Record<string, unknown> { return this.current().doc }

  /** The quoted ETag of the current document. */
  etag (): string { return this.current().etag }

  protobuf (): Uint8Array {
    const built = this.current()
    built.proto ??= encodeOpenapiV2(built.doc)
    return built.proto
  }

  private current (): Built {
    const key = JSON.stringify(openapiIndex(this.index, this.schemas))
    if (this.built?.key !== key) {
      const doc = openapiV2Document(this.index, this.schemas, this.version)
      const etag = `"${createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase()}"`
      this.built = { key, doc, etag }
    }
    return this.built
  }
}
