// Adapter around protobufjs, the only file that imports it. Loads proto/k8s/**/generated.proto and
// decodes bytes into our own `Decoded` tree, which records which fields were on the wire: presence
// is what tells a nil Go pointer from a zero value.
import { isAbsolute, join } from 'node:path';
import protobuf from 'protobufjs';
import { malformedBody } from './errors.ts';
import { PROTOBUF_KINDS, protoFileOf } from './kinds.ts';
import { packagePath } from '../../util/package-path.ts'

const PROTO_DIR = packagePath('proto/k8s');
const ENVELOPE_FILE = 'k8s.io/apimachinery/pkg/runtime/generated.proto';

export type FieldSchema = {
  name: string;
  /** A scalar protobuf type (`string`, `int64`, `bytes`, ...) or a message's full name. */
  type: string;
  isMessage: boolean;
  repeated: boolean;
  /** For maps, `type`/`isMessage` describe the value; keys are strings in every k8s.io message. */
  map: boolean;
  /** A Go pointer (nil when absent). False for `[(gogoproto.nullable) = false]` value fields. */
  pointer: boolean;
};

export type MessageSchema = { name: string; fields: readonly FieldSchema[] };

export type DecodedValue = string | number | boolean | Uint8Array | Decoded | DecodedValue[] | Map<string, DecodedValue>;

/** A decoded message: only the fields present on the wire are in `values`. */
export type Decoded = { schema: MessageSchema; values: Map<string, DecodedValue> };

type Long = { toString(): string };

export class ProtoSchema {
  readonly #root: protobuf.Root;
  readonly #schemas = new Map<string, MessageSchema>();

  constructor(config: { protoDir?: string; files?: readonly string[] } = {}) {
    const dir = config.protoDir ?? PROTO_DIR;
    const files = config.files ?? [ENVELOPE_FILE, ...new Set(Object.values(PROTOBUF_KINDS).map(protoFileOf))];
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(dir, target));
    root.loadSync([...files], { keepCase: true });
    root.resolveAll();
    this.#root = root;
  }

  has(messageName: string): boolean {
    return this.#lookup(messageName) !== undefined;
  }

  schema(messageName: string): MessageSchema {
    let schema = this.#schemas.get(messageName);
    if (!schema) {
      const type = this.#lookup(messageName);
      if (!type) throw new Error(`protobuf message ${messageName} is not loaded`);
      schema = {
        name: messageName,
        fields: type.fieldsArray.map((f) => {
          const target = f.resolvedType; // for a map field: the value's message type
          return {
            name: f.name,
            type: target ? target.fullName.slice(1) : f.type,
            isMessage: target instanceof protobuf.Type,
            repeated: f.repeated,
            map: f instanceof protobuf.MapField,
            pointer: f.getOption('(gogoproto.nullable)') !== false,
          };
        }),
      };
      this.#schemas.set(messageName, schema);
    }
    return schema;
  }

  /** Decodes `bytes` as `messageName`; throws a 400 ProtobufDecodeError when they are not one. */
  decode(messageName: string, bytes: Uint8Array): Decoded {
    const type = this.#lookup(messageName);
    if (!type) throw new Error(`protobuf message ${messageName} is not loaded`);
    let message: protobuf.Message;
    try {
      message = type.decode(bytes);
    } catch (err) {
      throw malformedBody(`${messageName.slice(messageName.lastIndexOf('.') + 1)}: ${(err as Error).message}`);
    }
    return this.#convert(messageName, message as unknown as Record<string, unknown>);
  }

  #lookup(messageName: string): protobuf.Type | undefined {
    const found = this.#root.lookup(messageName);
    return found instanceof protobuf.Type ? found : undefined;
  }

  #convert(messageName: string, message: Record<string, unknown>): Decoded {
    const schema = this.schema(messageName);
    const values = new Map<string, DecodedValue>();
    for (const field of schema.fields) {
      if (!Object.hasOwn(message, field.name)) continue;
      const raw = message[field.name];
      const one = (v: unknown) => (field.isMessage ? this.#convert(field.type, v as Record<string, unknown>) : scalar(v));
      if (field.map) {
        const entries = Object.entries(raw as Record<string, unknown>);
        if (entries.length) values.set(field.name, new Map(entries.map(([k, v]) => [k, one(v)])));
      } else if (field.repeated) {
        const items = raw as unknown[];
        if (items.length) values.set(field.name, items.map(one));
      } else {
        values.set(field.name, one(raw));
      }
    }
    return { schema, values };
  }
}

/** protobufjs gives int64 as a Long (when the `long` package is present) and bytes as a Buffer. */
function scalar(v: unknown): DecodedValue {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Uint8Array) return v;
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) return Number((v as Long).toString());
  throw new Error(`unexpected protobuf scalar ${String(v)}`);
}
