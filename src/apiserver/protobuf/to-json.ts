// Turns a decoded protobuf message into the JSON that Go's encoding/json writes for the same
// k8s.io/api object, i.e. what kubectl would have sent had it used JSON. The rules, per field:
//
//   value struct (gogoproto.nullable=false)  always written, `{}` when empty: omitempty never omits
//                                            a struct (hence `"resources": {}`, `"status": {}`)
//   pointer struct / pointer scalar          written iff on the wire, zero values included
//                                            (`"replicas": 0`); absent and not omitempty: `null`
//   value scalar                             written unless zero and omitempty (`"value": 0` stays:
//                                            PriorityClass.value has no omitempty)
//   slice / map                              written iff non-empty; empty and not omitempty: `null`
//                                            (Go cannot tell nil from empty after protobuf)
//   inline struct (`json:",inline"`)         its fields are written into the parent
//   bytes                                    base64 (StdEncoding), as encoding/json does for []byte
//
// plus SPECIAL_TYPES for types with their own MarshalJSON. The omitempty/inline/name facts come
// from go-json.generated.ts; gogo always writes value fields, so wire presence mirrors Go's state.
import { INLINE, JSON_NAMES, NOT_OMITEMPTY } from './go-json.generated.ts';
import type { Decoded, DecodedValue, FieldSchema, ProtoSchema } from './schema.ts';
import { SPECIAL_TYPES, type JsonValue, type RawDecoder } from './special-types.ts';

type JsonObject = { [key: string]: JsonValue };

export class JsonMapper {
  readonly #schema: ProtoSchema;
  readonly #decodeRaw: RawDecoder;

  constructor(config: { schema: ProtoSchema; decodeRaw: RawDecoder }) {
    this.#schema = config.schema;
    this.#decodeRaw = config.decodeRaw;
  }

  /** JSON of a message; `undefined` stands for a Go value field absent from the wire (its zero value). */
  message(messageName: string, decoded: Decoded | undefined): JsonValue {
    const special = SPECIAL_TYPES[messageName];
    if (special) return special(decoded, this.#decodeRaw);
    const out: JsonObject = {};
    const inline = INLINE[messageName] ?? [];
    const names = JSON_NAMES[messageName] ?? {};
    const notOmitEmpty = NOT_OMITEMPTY[messageName] ?? [];
    for (const field of this.#schema.schema(messageName).fields) {
      const value = decoded?.values.get(field.name);
      if (inline.includes(field.name)) {
        Object.assign(out, this.message(field.type, value as Decoded | undefined));
        continue;
      }
      const json = this.#field(field, value, !notOmitEmpty.includes(field.name));
      if (json !== undefined) out[names[field.name] ?? field.name] = json;
    }
    return out;
  }

  /** A field's JSON, or undefined to leave it out. */
  #field(field: FieldSchema, value: DecodedValue | undefined, omitEmpty: boolean): JsonValue | undefined {
    if (field.map) {
      if (value === undefined) return omitEmpty ? undefined : null;
      const entries = [...(value as Map<string, DecodedValue>)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([k, v]) => [k, this.#single(field, v)]));
    }
    if (field.repeated) {
      if (value === undefined) return omitEmpty ? undefined : null;
      return (value as DecodedValue[]).map((v) => this.#single(field, v));
    }
    if (field.isMessage) {
      if (!field.pointer) return this.message(field.type, value as Decoded | undefined);
      if (value === undefined) return omitEmpty ? undefined : null;
      return this.message(field.type, value as Decoded);
    }
    if (field.type === 'bytes') {
      // []byte: nil when absent; omitempty also drops an empty one.
      if (value === undefined) return omitEmpty ? undefined : null;
      const b = value as Uint8Array;
      return b.length === 0 && omitEmpty ? undefined : base64(b);
    }
    if (field.pointer) {
      if (value === undefined) return omitEmpty ? undefined : null;
      return value as JsonValue;
    }
    const v = value ?? zeroOf(field.type);
    return omitEmpty && (v === '' || v === 0 || v === false) ? undefined : (v as JsonValue);
  }

  #single(field: FieldSchema, value: DecodedValue): JsonValue {
    if (field.isMessage) return this.message(field.type, value as Decoded);
    if (value instanceof Uint8Array) return base64(value);
    return value as JsonValue;
  }
}

function zeroOf(type: string): string | number | boolean {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  return 0;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
