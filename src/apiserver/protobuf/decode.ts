// Decodes `application/vnd.kubernetes.protobuf` request bodies, which kubectl's typed clients send
// (`kubectl create <generator>`, `create token`, `auth can-i`, `autoscale`), into the JSON object the
// same client would have sent as `application/json`. Replies stay JSON, which kubectl accepts.
//
// Wire layout (k8s.io/apimachinery/pkg/runtime/serializer/protobuf): the magic `k8s\0`, then a
// runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}
// whose `raw` is the object's own message (e.g. k8s.io.api.core.v1.Namespace) without TypeMeta.
import { malformedBody, unsupportedBody } from './errors.ts';
import { protobufMessageOf } from './kinds.ts';
import { ProtoSchema, type Decoded } from './schema.ts';
import type { JsonValue } from './special-types.ts';
import { JsonMapper } from './to-json.ts';

export { ProtobufDecodeError } from './errors.ts';

export const KUBERNETES_PROTOBUF = 'application/vnd.kubernetes.protobuf';

const MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00); // "k8s\0"
const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown';

export type DecodedObject = { apiVersion: string; kind: string; object: Record<string, unknown> };

/** True for `application/vnd.kubernetes.protobuf`, with or without parameters. */
export function isKubernetesProtobuf(contentType: string | undefined): boolean {
  return contentType?.split(';')[0].trim().toLowerCase() === KUBERNETES_PROTOBUF;
}

let codec: { schema: ProtoSchema; mapper: JsonMapper } | undefined;

/** Loads the .proto files on first use (a few ms), then reuses them. */
function sharedCodec(): { schema: ProtoSchema; mapper: JsonMapper } {
  if (!codec) {
    const schema = new ProtoSchema();
    const mapper = new JsonMapper({ schema, decodeRaw: (raw) => decodeNested(raw) });
    codec = { schema, mapper };
  }
  return codec;
}

/**
 * Decodes a Kubernetes protobuf request body into `{apiVersion, kind, object}`, where `object` is
 * the JSON kubectl would have sent (with `kind` and `apiVersion`, as Go writes TypeMeta).
 * Throws ProtobufDecodeError: 400 for a malformed body, 415 for a kind or encoding we cannot decode.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): DecodedObject {
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw malformedBody('it does not start with the "k8s\\x00" prefix of application/vnd.kubernetes.protobuf');
  }
  const { schema, mapper } = sharedCodec();
  const envelope = schema.decode(UNKNOWN, body.subarray(MAGIC.length));
  const typeMeta = envelope.values.get('typeMeta') as Decoded | undefined;
  const apiVersion = stringOf(typeMeta, 'apiVersion');
  const kind = stringOf(typeMeta, 'kind');
  if (!apiVersion || !kind) throw malformedBody('the runtime.Unknown envelope names no apiVersion and kind');
  const contentEncoding = stringOf(envelope, 'contentEncoding');
  if (contentEncoding) throw unsupportedBody(`content encoding "${contentEncoding}"`);
  const raw = (envelope.values.get('raw') as Uint8Array | undefined) ?? new Uint8Array();

  const contentType = stringOf(envelope, 'contentType');
  if (contentType === 'application/json') return withTypeMeta(apiVersion, kind, parseJsonObject(raw));
  if (contentType && !isKubernetesProtobuf(contentType)) throw unsupportedBody(`embedded content type "${contentType}"`);

  const messageName = protobufMessageOf(apiVersion, kind);
  if (!messageName) throw unsupportedBody(`kind "${kind}" of apiVersion "${apiVersion}"`);
  const json = mapper.message(messageName, schema.decode(messageName, raw)) as Record<string, unknown>;
  return withTypeMeta(apiVersion, kind, json);
}

function withTypeMeta(apiVersion: string, kind: string, fields: Record<string, unknown>): DecodedObject {
  const { kind: _k, apiVersion: _a, ...rest } = fields;
  return { apiVersion, kind, object: { kind, apiVersion, ...rest } };
}

/** A RawExtension holding a protobuf object (rare: JSON is the norm) decodes like a body. */
function decodeNested(raw: Uint8Array): JsonValue {
  if (raw.length < MAGIC.length || MAGIC.some((b, i) => raw[i] !== b)) {
    throw unsupportedBody('an embedded object (runtime.RawExtension) that is neither JSON nor Kubernetes protobuf');
  }
  return decodeKubernetesProtobuf(raw).object as JsonValue;
}

function stringOf(message: Decoded | undefined, field: string): string {
  const v = message?.values.get(field);
  return typeof v === 'string' ? v : '';
}

function parseJsonObject(raw: Uint8Array): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(raw));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw malformedBody('the embedded application/json object is not a JSON object');
}
