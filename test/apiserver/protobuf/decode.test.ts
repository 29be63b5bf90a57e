// The envelope, the content type check and the errors (400 malformed, 415 undecodable).
import { deepStrictEqual, throws } from 'node:assert';
import { decodeKubernetesProtobuf, isKubernetesProtobuf, ProtobufDecodeError } from '../../../src/apiserver/protobuf/decode.ts';
import { encodeBody, encodeMessage } from './encode-body.ts';

const NAMESPACE = encodeMessage('k8s.io.api.core.v1.Namespace', { metadata: { name: 'foo' } });

function rejects(body: Uint8Array, expected: { code: number; reason: string; message: RegExp }): void {
  throws(() => decodeKubernetesProtobuf(body), (err: unknown) => {
    if (!(err instanceof ProtobufDecodeError)) return false;
    deepStrictEqual({ code: err.code, reason: err.reason }, { code: expected.code, reason: expected.reason });
    return expected.message.test(err.message);
  });
}

describe('decodeKubernetesProtobuf', () => {
  it('returns apiVersion, kind and the object with kind and apiVersion first, as Go writes TypeMeta', () => {
    const decoded = decodeKubernetesProtobuf(encodeBody({ apiVersion: 'v1', kind: 'Namespace', raw: NAMESPACE }));
    deepStrictEqual(decoded, {
      apiVersion: 'v1', kind: 'Namespace',
      object: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'foo', creationTimestamp: null }, spec: {}, status: {} },
    });
    deepStrictEqual(Object.keys(decoded.object).slice(0, 2), ['kind', 'apiVersion']);
  });

  it('passes an envelope whose raw is application/json through as that JSON', () => {
    const raw = Buffer.from('{"metadata":{"name":"j"}}');
    deepStrictEqual(decodeKubernetesProtobuf(encodeBody({ apiVersion: 'v1', kind: 'ConfigMap', raw, contentType: 'application/json' })).object, {
      kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'j' },
    });
  });

  it('decodes DeleteOptions under any group-version, as typed clients send it with DELETE (drain --disable-eviction)', () => {
    const raw = encodeMessage('k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', { gracePeriodSeconds: 30, preconditions: { uid: 'u1' }, propagationPolicy: 'Background' });
    for (const apiVersion of ['v1', 'apps/v1']) {
      deepStrictEqual(decodeKubernetesProtobuf(encodeBody({ apiVersion, kind: 'DeleteOptions', raw })).object, {
        kind: 'DeleteOptions', apiVersion, gracePeriodSeconds: 30, preconditions: { uid: 'u1' }, propagationPolicy: 'Background',
      });
    }
  });

  it('rejects a body without the k8s\\0 prefix with 400 BadRequest', () => {
    rejects(Buffer.from('{"kind":"Namespace"}'), { code: 400, reason: 'BadRequest', message: /does not start with the "k8s\\x00" prefix/ });
    rejects(new Uint8Array(), { code: 400, reason: 'BadRequest', message: /prefix/ });
  });

  it('rejects a truncated message with 400 BadRequest', () => {
    const body = encodeBody({ apiVersion: 'v1', kind: 'Namespace', raw: NAMESPACE });
    rejects(body.subarray(0, body.length - 3), { code: 400, reason: 'BadRequest', message: /could not be decoded/ });
    const envelope = encodeBody({ apiVersion: 'v1', kind: 'Namespace', raw: NAMESPACE.subarray(0, 4) });
    rejects(envelope, { code: 400, reason: 'BadRequest', message: /Namespace: / });
  });

  it('rejects an envelope without apiVersion and kind with 400 BadRequest', () => {
    rejects(encodeBody({ apiVersion: '', kind: '', raw: NAMESPACE }), { code: 400, reason: 'BadRequest', message: /names no apiVersion and kind/ });
  });

  it('rejects a kind it has no message for with 415 UnsupportedMediaType naming the kind', () => {
    rejects(encodeBody({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', raw: new Uint8Array() }), {
      code: 415, reason: 'UnsupportedMediaType',
      message: /^kind "StorageClass" of apiVersion "storage.k8s.io\/v1" is not supported .* accepted media types include: application\/json, application\/yaml$/,
    });
  });

  it('rejects a compressed or foreign embedded content with 415 UnsupportedMediaType', () => {
    rejects(encodeBody({ apiVersion: 'v1', kind: 'Namespace', raw: NAMESPACE, contentEncoding: 'gzip' }), {
      code: 415, reason: 'UnsupportedMediaType', message: /content encoding "gzip"/,
    });
    rejects(encodeBody({ apiVersion: 'v1', kind: 'Namespace', raw: NAMESPACE, contentType: 'application/cbor' }), {
      code: 415, reason: 'UnsupportedMediaType', message: /embedded content type "application\/cbor"/,
    });
  });
});

describe('isKubernetesProtobuf', () => {
  const cases: [string | undefined, boolean][] = [
    ['application/vnd.kubernetes.protobuf', true],
    ['Application/VND.Kubernetes.Protobuf', true],
    ['application/vnd.kubernetes.protobuf; charset=utf-8', true],
    ['application/json', false],
    ['application/vnd.kubernetes.protobuf+json', false],
    ['', false],
    [undefined, false],
  ];
  for (const [contentType, expected] of cases) {
    it(`${JSON.stringify(contentType)} is ${expected ? '' : 'not '}Kubernetes protobuf`, () => {
      deepStrictEqual(isKubernetesProtobuf(contentType), expected);
    });
  }
});
