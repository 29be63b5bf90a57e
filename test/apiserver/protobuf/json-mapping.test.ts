// How protobuf fields become Go-encoding/json JSON, on bodies built field by field (encode-body.ts
// writes only the fields given, so each case states exactly what was on the wire).
import { deepStrictEqual } from 'node:assert';
import { decodeKubernetesProtobuf } from '../../../src/apiserver/protobuf/decode.ts';
import { SPECIAL_TYPES } from '../../../src/apiserver/protobuf/special-types.ts';
import type { Decoded } from '../../../src/apiserver/protobuf/schema.ts';
import { body } from './encode-body.ts';

const CORE = 'k8s.io.api.core.v1';
const decode = (b: Uint8Array) => decodeKubernetesProtobuf(b).object;

describe('protobuf to JSON mapping', () => {
  it('writes absent value structs as Go zero values: metadata with creationTimestamp null, status {}', () => {
    deepStrictEqual(decode(body('v1', 'Namespace', `${CORE}.Namespace`, {})), {
      kind: 'Namespace', apiVersion: 'v1', metadata: { creationTimestamp: null }, spec: {}, status: {},
    });
  });

  it('inlines embedded structs: a volume source and a probe handler sit in their parent object', () => {
    const pod = decode(body('v1', 'Pod', `${CORE}.Pod`, {
      metadata: { name: 'p' },
      spec: {
        volumes: [{ name: 'data', volumeSource: { emptyDir: {} } }],
        containers: [{
          name: 'c', image: 'nginx',
          livenessProbe: { handler: { httpGet: { path: '/', port: { type: 0, intVal: 8080 } } }, periodSeconds: 5 },
          envFrom: [{ configMapRef: { localObjectReference: { name: 'cfg' }, optional: false } }],
        }],
      },
    }));
    deepStrictEqual(pod.spec, {
      volumes: [{ name: 'data', emptyDir: {} }],
      containers: [{
        name: 'c', image: 'nginx', envFrom: [{ configMapRef: { name: 'cfg', optional: false } }], resources: {},
        livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 },
      }],
    });
  });

  it('writes an IntOrString as a number or, for type 1, as a string', () => {
    const svc = decode(body('v1', 'Service', `${CORE}.Service`, {
      spec: { ports: [
        { port: 80, targetPort: { type: 0, intVal: 8080 } },
        { port: 443, targetPort: { type: 1, strVal: 'https' } },
      ] },
    }));
    deepStrictEqual((svc.spec as { ports: unknown }).ports, [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 'https' }]);
  });

  it('keeps a pointer field sent as zero or false, and leaves out one not sent', () => {
    const sa = decode(body('v1', 'ServiceAccount', `${CORE}.ServiceAccount`, { automountServiceAccountToken: false }));
    deepStrictEqual(sa.automountServiceAccountToken, false);
    const other = decode(body('v1', 'ServiceAccount', `${CORE}.ServiceAccount`, {}));
    deepStrictEqual('automountServiceAccountToken' in other, false);
  });

  it('drops a zero value field with omitempty but keeps one without it (PriorityClass value: 0)', () => {
    const pc = decode(body('scheduling.k8s.io/v1', 'PriorityClass', 'k8s.io.api.scheduling.v1.PriorityClass', {
      value: 0, globalDefault: false, description: '',
    }));
    deepStrictEqual(pc, { kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', metadata: { creationTimestamp: null }, value: 0 });
  });

  it('writes an empty slice without omitempty as null (ClusterRole rules), as Go writes a nil slice', () => {
    const cr = decode(body('rbac.authorization.k8s.io/v1', 'ClusterRole', 'k8s.io.api.rbac.v1.ClusterRole', {}));
    deepStrictEqual(cr.rules, null);
  });

  it('sorts map keys and writes bytes as standard base64', () => {
    const secret = decode(body('v1', 'Secret', `${CORE}.Secret`, {
      data: { b: Buffer.from([0xff, 0xfe]), a: Buffer.from('hi'), empty: Buffer.alloc(0) },
    }));
    deepStrictEqual(Object.entries(secret.data as object), [['a', 'aGk='], ['b', '//4='], ['empty', '']]);
  });

  it('writes Time as RFC 3339 seconds in UTC (nanoseconds dropped, as metav1.Time does)', () => {
    const ns = decode(body('v1', 'Namespace', `${CORE}.Namespace`, {
      metadata: { creationTimestamp: { seconds: 1735689600, nanos: 999 }, deletionTimestamp: { seconds: 1735693323 } },
    }));
    deepStrictEqual(ns.metadata, { creationTimestamp: '2025-01-01T00:00:00Z', deletionTimestamp: '2025-01-01T01:02:03Z' });
  });

  it('writes an empty Time as null but the Unix epoch, sent as zeros, as 1970-01-01T00:00:00Z', () => {
    const pdb = decode(body('policy/v1', 'PodDisruptionBudget', 'k8s.io.api.policy.v1.PodDisruptionBudget', {
      metadata: { deletionTimestamp: {} },
      status: { conditions: [{ type: 'DisruptionAllowed', status: 'True', lastTransitionTime: { seconds: 0, nanos: 0 } }] },
    }));
    deepStrictEqual((pdb.metadata as object as { deletionTimestamp: unknown }).deletionTimestamp, null);
    deepStrictEqual((pdb.status as { conditions: unknown }).conditions, [
      { type: 'DisruptionAllowed', status: 'True', lastTransitionTime: '1970-01-01T00:00:00Z', reason: '', message: '' },
    ]);
  });

  it('writes MicroTime with exactly six fractional digits', () => {
    const m = { schema: { name: 'MicroTime', fields: [] }, values: new Map([['seconds', 1735689600], ['nanos', 123456789]]) } as Decoded;
    deepStrictEqual(SPECIAL_TYPES['k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime'](m, () => null), '2025-01-01T00:00:00.123456Z');
  });

  it('writes managedFields fieldsV1 as the raw JSON it holds', () => {
    const cm = decode(body('v1', 'ConfigMap', `${CORE}.ConfigMap`, {
      metadata: { managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { Raw: Buffer.from('{"f:data":{}}') } }] },
    }));
    deepStrictEqual((cm.metadata as { managedFields: unknown }).managedFields, [
      { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } },
    ]);
  });

  it('writes Quantities as their string, and an empty one as "0"', () => {
    const q = decode(body('v1', 'ResourceQuota', `${CORE}.ResourceQuota`, { spec: { hard: { cpu: { string: '1500m' }, pods: {} } } }));
    deepStrictEqual((q.spec as { hard: unknown }).hard, { cpu: '1500m', pods: '0' });
  });

  it('writes SubjectAccessReview extra values as bare string arrays, and renames Go-named fields (uID -> uid)', () => {
    const sar = decode(body('authorization.k8s.io/v1', 'SubjectAccessReview', 'k8s.io.api.authorization.v1.SubjectAccessReview', {
      spec: { user: 'alice', extra: { scopes: { items: ['a', 'b'] } }, uid: 'u1' },
    }));
    deepStrictEqual(sar.spec, { user: 'alice', extra: { scopes: ['a', 'b'] }, uid: 'u1' });
    const tr = decode(body('authentication.k8s.io/v1', 'TokenRequest', 'k8s.io.api.authentication.v1.TokenRequest', {
      spec: { boundObjectRef: { kind: 'Secret', name: 's', uID: 'x-1' } },
    }));
    deepStrictEqual((tr.spec as { boundObjectRef: unknown }).boundObjectRef, { kind: 'Secret', name: 's', uid: 'x-1' });
  });

  it('writes int64 fields as JSON numbers', () => {
    const job = decode(body('batch/v1', 'Job', 'k8s.io.api.batch.v1.Job', { spec: { activeDeadlineSeconds: 86400 } }));
    deepStrictEqual((job.spec as { activeDeadlineSeconds: unknown }).activeDeadlineSeconds, 86400);
  });
});
