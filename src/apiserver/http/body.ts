// Request bodies: read with a 3 MiB cap (413 beyond, as upstream), decoded by Content-Type:
// JSON (also when none is given), YAML, Kubernetes protobuf (kubectl create's generators) and
// the four patch types. Anything else is 415 with upstream's message.
import type { Request } from 'express'
import { parse as parseYaml } from 'yaml'
import { badRequest, StatusError, tooLarge, unsupportedMediaType } from '../errors.ts'
import { ProtobufDecodeError } from '../protobuf/errors.ts'
import type { PatchType } from '../request.ts'
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from '../protobuf/decode.ts'

export const MAX_BODY = 3 * 1024 * 1024

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
}

export async function readRaw (req: Request): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY) throw tooLarge(MAX_BODY)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw tooLarge(MAX_BODY)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function mediaType (req: Request): string {
  return String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
}

function parseJson (raw: Buffer, kind?: string): unknown {
  const text = raw.toString('utf8')
  try {
    return JSON.parse(text)
  } catch (err) {
    // Go's wording for the common case, then the body's start as upstream quotes it.
    const why = /Unexpected end of JSON input|Unterminated|Expected .* after/.test((err as Error).message) ? 'unexpected end of JSON input' : (err as Error).message
    const framed = `couldn't get version/kind; json parse error: ${why} (${text.length > 50 ? text.slice(0, 50) + '...' : text})`
    throw badRequest(kind === undefined ? framed : `the object provided is unrecognized (must be of type ${kind}): ${framed}`)
  }
}

function parseYamlBody (raw: Buffer): unknown {
  try {
    return parseYaml(raw.toString('utf8'))
  } catch (err) {
    throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`)
  }
}

/** The decoded body of a create/update (POST/PUT). */
export async function readObjectBody (req: Request, kind?: string): Promise<unknown> {
  const raw = await readRaw(req)
  const type = mediaType(req)
  if (raw.length === 0) return undefined
  if (type === '' || type === 'application/json') return parseJson(raw, kind)
  if (type === 'application/yaml') return parseYamlBody(raw)
  if (isKubernetesProtobuf(type)) {
    try {
      return decodeKubernetesProtobuf(raw).object
    } catch (err) {
      if (err instanceof ProtobufDecodeError) throw new StatusError(err.code, err.reason, err.message)
      throw err
    }
  }
  throw unsupportedMediaType(type, ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'])
}

/** The decoded body and patch type of a PATCH. */
export async function readPatchBody (req: Request): Promise<{ patchType: PatchType, body: unknown }> {
  const type = mediaType(req)
  const patchType = PATCH_TYPES[type]
  if (patchType === undefined) {
    throw unsupportedMediaType(type, Object.keys(PATCH_TYPES).filter(t => !t.endsWith('cbor')))
  }
  const raw = await readRaw(req)
  const body = patchType === 'apply' ? parseYamlBody(raw) : parseJson(raw)
  return { patchType, body }
}
