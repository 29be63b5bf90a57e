// Test helper: builds Kubernetes protobuf request bodies from plain objects (protobuf field names),
// the way a client would, with the same proto/k8s files the decoder loads. Unlike gogo, protobufjs
// writes only the fields given, so a test states exactly what is on the wire.
import { join } from 'node:path';
import protobuf from 'protobufjs';

const PROTO_DIR = join(import.meta.dirname, '../../../proto/k8s');
let root: protobuf.Root | undefined;

function loadRoot(): protobuf.Root {
  if (!root) {
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
    root.loadSync(
      ['core', 'apps', 'batch', 'rbac', 'policy', 'networking', 'scheduling', 'authorization', 'authentication']
        .map((g) => `k8s.io/api/${g}/v1/generated.proto`)
        .concat('k8s.io/apimachinery/pkg/runtime/generated.proto'),
      { keepCase: true },
    );
    root.resolveAll();
  }
  return root;
}

export function encodeMessage(messageName: string, object: Record<string, unknown>): Uint8Array {
  const type = loadRoot().lookupType(messageName);
  return type.encode(type.fromObject(object)).finish();
}

/** `k8s\0` + runtime.Unknown{typeMeta, raw, contentEncoding, contentType}. */
export function encodeBody(envelope: {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding?: string;
  contentType?: string;
}): Uint8Array {
  const unknown = encodeMessage('k8s.io.apimachinery.pkg.runtime.Unknown', {
    typeMeta: { apiVersion: envelope.apiVersion, kind: envelope.kind },
    raw: envelope.raw,
    contentEncoding: envelope.contentEncoding ?? '',
    contentType: envelope.contentType ?? '',
  });
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

/** A body holding `object` as the message of a kind (`apiVersion`, `kind`, message name). */
export function body(apiVersion: string, kind: string, messageName: string, object: Record<string, unknown>): Uint8Array {
  return encodeBody({ apiVersion, kind, raw: encodeMessage(messageName, object) });
}
