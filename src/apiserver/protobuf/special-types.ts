// Messages whose Go types have their own JSON marshalling, so their JSON is not their fields.
// Each mapper gets the decoded message, or undefined for a Go value field absent from the wire
// (Go then marshals the type's zero value).
import { malformedBody } from './errors.ts';
import type { Decoded } from './schema.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Decodes a nested RawExtension payload that is not JSON (a `k8s\0` protobuf object). */
export type RawDecoder = (raw: Uint8Array) => JsonValue;

type SpecialMapper = (message: Decoded | undefined, decodeRaw: RawDecoder) => JsonValue;

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

export const SPECIAL_TYPES: Readonly<Record<string, SpecialMapper>> = {
  // metav1.Time marshals `t.UTC().Format(time.RFC3339)`, seconds only (its protobuf Unmarshal even
  // drops nanos). A zero time is written as an empty message and is JSON `null`; note the Unix epoch
  // is {seconds: 0, nanos: 0} *present*, not zero.
  [`${META}.Time`]: (m) => (m && m.values.size ? rfc3339(num(m, 'seconds'), 0, 0) : null),
  // metav1.MicroTime: RFC 3339 with exactly six fractional digits (RFC3339Micro).
  [`${META}.MicroTime`]: (m) => (m && m.values.size ? rfc3339(num(m, 'seconds'), num(m, 'nanos'), 6) : null),
  // metav1.FieldsV1 is raw JSON (managedFields[].fieldsV1).
  [`${META}.FieldsV1`]: (m) => parseJson(bytes(m, 'Raw')),
  // intstr.IntOrString: {type 0 = Int, 1 = String}; JSON is the number or the string.
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (m) => (num(m, 'type') === 1 ? str(m, 'strVal') : num(m, 'intVal')),
  // resource.Quantity is its string form. Left as sent: clients send canonical strings (kubectl
  // does), and canonicalising ("1.5" -> "1500m") is the API server's business, as upstream.
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (m) => str(m, 'string') || '0',
  // runtime.RawExtension is its raw bytes: JSON, or (from protobuf clients) a nested k8s\0 object.
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (m, decodeRaw) => {
    const raw = bytes(m, 'raw');
    if (!raw) return null;
    return isJson(raw) ? parseJson(raw) : decodeRaw(raw);
  },
  // authentication/v1, authorization/v1 and certificates/v1 `ExtraValue []string`: a bare string array.
  'k8s.io.api.authentication.v1.ExtraValue': (m) => strings(m, 'items'),
  'k8s.io.api.authorization.v1.ExtraValue': (m) => strings(m, 'items'),
  'k8s.io.api.certificates.v1.ExtraValue': (m) => strings(m, 'items'),
};

function num(m: Decoded | undefined, field: string): number {
  const v = m?.values.get(field);
  return typeof v === 'number' ? v : 0;
}

function str(m: Decoded | undefined, field: string): string {
  const v = m?.values.get(field);
  return typeof v === 'string' ? v : '';
}

function bytes(m: Decoded | undefined, field: string): Uint8Array | undefined {
  const v = m?.values.get(field);
  return v instanceof Uint8Array ? v : undefined;
}

function strings(m: Decoded | undefined, field: string): JsonValue {
  const v = m?.values.get(field);
  return Array.isArray(v) ? (v as string[]) : null; // Go nil slice
}

/** `2025-01-01T00:00:00Z`, or with `digits` fractional digits: `2025-01-01T00:00:00.123456Z`. */
export function rfc3339(seconds: number, nanos: number, digits: 0 | 6): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (!digits) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

function isJson(raw: Uint8Array): boolean {
  const first = raw.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  return first === 0x7b /* { */ || first === 0x5b /* [ */ || first === 0x22 /* " */ || first === 0x6e /* null */;
}

function parseJson(raw: Uint8Array | undefined): JsonValue {
  if (!raw || raw.length === 0) return null;
  try {
    return JSON.parse(new TextDecoder().decode(raw)) as JsonValue;
  } catch (err) {
    throw malformedBody(`embedded JSON: ${(err as Error).message}`);
  }
}
