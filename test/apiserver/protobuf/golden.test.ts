// Golden tests: request bodies captured from the real kubectl v1.32 (see
// test/apiserver/protobuf/tools/capture-kubectl.ts) decode to the JSON kubectl would have sent.
//
// Expectations are kubectl's own `--dry-run=client -o json` output for the same command, compared
// as is. No normalisation is needed or done: `"creationTimestamp": null`, `"status": {}` and
// `"resources": {}` are what Go's encoding/json writes for the typed object, and the decoder
// reproduces them. Commands kubectl cannot print (auth can-i, auth whoami, create token) have
// hand-written expectations, derived from the Go json tags (listed in HAND_WRITTEN).
import { deepStrictEqual, ok } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeKubernetesProtobuf } from '../../../src/apiserver/protobuf/decode.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/protobuf');

type Request = { command: string; method: string; path: string; contentType: string };
const REQUESTS = JSON.parse(readFileSync(join(FIXTURES, 'requests.json'), 'utf8')) as Record<string, Request>;

const HAND_WRITTEN = new Set(['auth-can-i', 'auth-can-i-subresource', 'auth-can-i-nonresource', 'auth-can-i-list', 'auth-whoami', 'token']);

const protobufCases = Object.entries(REQUESTS).filter(([, r]) => r.contentType === 'application/vnd.kubernetes.protobuf');

function fixture(name: string, ext: 'pb' | 'json'): Buffer {
  return readFileSync(join(FIXTURES, `${name}.${ext}`));
}

describe('protobuf request bodies captured from kubectl v1.32', () => {
  for (const [name, request] of protobufCases) {
    const expectation = HAND_WRITTEN.has(name) ? 'the hand-written JSON' : 'its --dry-run=client -o json output';
    it(`\`${request.command}\` decodes to ${expectation}`, () => {
      const decoded = decodeKubernetesProtobuf(fixture(name, 'pb'));
      const expected = JSON.parse(fixture(name, 'json').toString('utf8')) as Record<string, unknown>;
      deepStrictEqual(decoded.object, expected);
      deepStrictEqual([decoded.apiVersion, decoded.kind], [expected.apiVersion, expected.kind]);
    });
  }

  it('covers every generator the API facts name, plus auth, token and autoscale', () => {
    const commands = protobufCases.map(([, r]) => `${r.command} `);
    for (const sub of [
      'create namespace', 'create deployment', 'create configmap', 'create secret generic', 'create secret tls',
      'create secret docker-registry', 'create service clusterip', 'create service nodeport',
      'create service loadbalancer', 'create service externalname', 'create job', 'create cronjob', 'create role',
      'create clusterrole', 'create rolebinding', 'create clusterrolebinding', 'create serviceaccount',
      'create quota', 'create priorityclass', 'create poddisruptionbudget', 'create ingress', 'create token',
      'auth can-i', 'auth whoami', 'autoscale',
    ]) {
      ok(commands.some((c) => c.startsWith(`kubectl ${sub} `)), `no captured protobuf body for kubectl ${sub}`);
    }
  });

  it('every captured protobuf body has an expectation, and hand-written ones are only for unprintable commands', () => {
    for (const [name] of protobufCases) ok(existsSync(join(FIXTURES, `${name}.json`)), `${name}.json is missing`);
    for (const name of HAND_WRITTEN) ok(REQUESTS[name], `${name} is not a captured request`);
  });

  it('run, expose and drain (Eviction) send JSON, so they need no decoding', () => {
    for (const name of ['run', 'expose', 'drain']) deepStrictEqual(REQUESTS[name]?.contentType, 'application/json');
  });
});
