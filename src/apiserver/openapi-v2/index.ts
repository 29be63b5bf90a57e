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

/** One build of the document: its JSON text (what is served as JSON and hashed), and its protobuf once asked for. */
export interface Built { key: string, doc: Record<string, unknown>, json: string, etag: string, proto?: Uint8Array }

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

  /** The document as it is now (rebuilt only when the index says something changed). */
  current (): Built {
    const key = JSON.stringify(openapiIndex(this.index, this.schemas))
    if (this.built?.key !== key) {
      const doc = openapiV2Document(this.index, this.schemas, this.version)
      const json = JSON.stringify(doc)
      this.built = { key, doc, json, etag: `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"` }
    }
    return this.built
  }

  /** A build's protobuf form, encoded the first time it is asked for. */
  static protobuf (built: Built): Uint8Array {
    built.proto ??= encodeOpenapiV2(built.doc)
    return built.proto
  }
}
