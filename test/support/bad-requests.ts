// Requests an API server must refuse, as a table: each with the Status upstream's apiserver
// answers. Used by test/e2e/bad-input.test.ts, which also checks nothing stored changes.
import assert from 'node:assert/strict'
import type { RawRequest, RawResponse } from './raw-https.ts'

export interface Expected {
  status: number
  reason: string
  /** The exact message, or a pattern it must match. */
  message: string | RegExp
  /** Fields named by details.causes, in order. */
  causeFields?: string[]
}

export interface Case extends Expected {
  name: string
  request: RawRequest | (() => Promise<RawRequest>)
}

export const json = (method: string, path: string, body: unknown, contentType = 'application/json'): RawRequest =>
  ({ method, path, body: JSON.stringify(body), headers: { 'Content-Type': contentType } })

export const raw = (method: string, path: string, body: string, contentType: string): RawRequest =>
  ({ method, path, body, headers: { 'Content-Type': contentType } })

export function assertStatus (r: RawResponse, e: Expected): void {
  assert.equal(r.status, e.status, `HTTP ${r.status}: ${r.text}`)
  assert.match(String(r.headers['content-type']), /^application\/json/)
  const s = r.json
  assert.equal(s?.kind, 'Status', `not a Status: ${r.text}`)
  assert.equal(s.apiVersion, 'v1')
  assert.equal(s.status, 'Failure')
  assert.equal(s.code, e.status)
  assert.equal(s.reason, e.reason)
  if (typeof e.message === 'string') assert.equal(s.message, e.message)
  else assert.match(s.message, e.message)
  if (e.causeFields !== undefined) assert.deepEqual((s.details?.causes ?? []).map((c: { field?: string }) => c.field), e.causeFields)
}

const rfc1123Subdomain = '"Foo": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')'

/** The refused requests on a namespace holding the ConfigMap `keep` (path `keep`, resourceVersion `keepRv()`). */
export function refusedRequests (o: { ns: string, cms: string, keep: string, keepRv: () => string }): Case[] {
  const { ns: NS, cms: CMS, keep: KEEP, keepRv } = o
  return [
    {
      name: 'malformed JSON is 400 BadRequest',
      request: raw('POST', CMS, '{"metadata": {"name": "x"', 'application/json'),
      status: 400, reason: 'BadRequest', message: /json parse error/,
    },
    {
      name: 'malformed JSON on PUT is 400 BadRequest',
      request: raw('PUT', KEEP, '{"metadata": ', 'application/json'),
      status: 400, reason: 'BadRequest', message: /json parse error/,
    },
    {
      name: 'malformed YAML (Content-Type application/yaml) is 400 BadRequest',
      request: raw('POST', CMS, 'metadata:\n  name: [x\n data: : :', 'application/yaml'),
      status: 400, reason: 'BadRequest', message: /^error converting YAML to JSON: /,
    },
    {
      name: 'a Service POSTed to configmaps is 400 BadRequest naming both kinds',
      request: json('POST', CMS, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } }),
      status: 400, reason: 'BadRequest', message: /\bService\b.*\bConfigMap\b/,
    },
    {
      name: 'a body of another group\'s apiVersion is 400 BadRequest',
      request: json('POST', CMS, { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
      status: 400, reason: 'BadRequest', message: 'the API version in the data (apps/v1) does not match the expected API version (v1)',
    },
    {
      name: 'a JSON array body is 400 BadRequest',
      request: raw('POST', CMS, '[{"metadata":{"name":"x"}}]', 'application/json'),
      status: 400, reason: 'BadRequest', message: /ConfigMap/,
    },
    {
      name: 'an empty body is 400 BadRequest',
      request: raw('POST', CMS, '', 'application/json'),
      status: 400, reason: 'BadRequest', message: /empty|EOF/,
    },
    {
      name: 'a body over 3 MiB is 413 RequestEntityTooLarge',
      request: json('POST', CMS, { metadata: { name: 'big' }, data: { x: 'a'.repeat(3 * 1024 * 1024) } }),
      status: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728',
    },
    {
      name: 'a chunked body over 3 MiB (no Content-Length) is 413 RequestEntityTooLarge',
      request: { ...json('POST', CMS, { metadata: { name: 'big' }, data: { x: 'a'.repeat(3 * 1024 * 1024) } }), chunked: true },
      status: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728',
    },
    {
      name: 'Content-Type text/plain is 415 UnsupportedMediaType with upstream\'s message',
      request: raw('POST', CMS, 'name: x', 'text/plain'),
      status: 415, reason: 'UnsupportedMediaType', message: /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml/,
    },
    {
      name: 'PUT with a stale metadata.resourceVersion is 409 Conflict',
      request: async () => json('PUT', KEEP, { metadata: { name: 'keep', resourceVersion: String(Number(keepRv()) - 1) }, data: { greeting: 'stale' } }),
      status: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled on configmaps "keep": the object has been modified; please apply your changes to the latest version and try again',
    },
    {
      name: 'a merge patch carrying a stale metadata.resourceVersion is 409 Conflict',
      request: async () => json('PATCH', KEEP, { metadata: { resourceVersion: String(Number(keepRv()) - 1) }, data: { greeting: 'stale' } }, 'application/merge-patch+json'),
      status: 409, reason: 'Conflict', message: /^Operation cannot be fulfilled on configmaps "keep"/,
    },
    {
      name: 'PATCH with an unknown patch Content-Type is 415 listing the patch types',
      request: raw('PATCH', KEEP, '{"data":{"greeting":"x"}}', 'application/json'),
      status: 415, reason: 'UnsupportedMediaType',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    },
    {
      name: 'a JSON patch whose test fails is 422 and writes nothing',
      request: raw('PATCH', KEEP, '[{"op":"test","path":"/data/greeting","value":"bye"},{"op":"replace","path":"/data/greeting","value":"x"}]', 'application/json-patch+json'),
      status: 422, reason: 'Invalid', message: /test/,
    },
    {
      name: 'a JSON patch that is not a list is 400',
      request: raw('PATCH', KEEP, '{"op":"replace"}', 'application/json-patch+json'),
      status: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    },
    {
      name: 'an invalid label value is 422 Invalid with the cause metadata.labels',
      request: json('POST', CMS, { metadata: { name: 'labelled', labels: { app: 'not ok!' } } }),
      status: 422, reason: 'Invalid', causeFields: ['metadata.labels'],
      message: 'ConfigMap "labelled" is invalid: metadata.labels: Invalid value: "not ok!": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
    },
    {
      name: 'an invalid label on a merge patch is 422 and the object keeps its labels',
      request: json('PATCH', KEEP, { metadata: { labels: { app: 'not ok!' } } }, 'application/merge-patch+json'),
      status: 422, reason: 'Invalid', causeFields: ['metadata.labels'], message: /^ConfigMap "keep" is invalid: metadata\.labels: Invalid value: "not ok!"/,
    },
    {
      name: 'a name with upper case is 422 Invalid: a lowercase RFC 1123 subdomain',
      request: json('POST', CMS, { metadata: { name: 'Foo' } }),
      status: 422, reason: 'Invalid', causeFields: ['metadata.name'],
      message: `ConfigMap "Foo" is invalid: metadata.name: Invalid value: ${rfc1123Subdomain}`,
    },
    {
      name: 'creating with metadata.resourceVersion set is 400',
      request: json('POST', CMS, { metadata: { name: 'with-rv', resourceVersion: '5' } }),
      status: 400, reason: 'BadRequest', message: 'resourceVersion should not be set on objects to be created',
    },
    {
      name: 'PUT whose body names another object is 400',
      request: json('PUT', KEEP, { metadata: { name: 'other-1' } }),
      status: 400, reason: 'BadRequest', message: 'the name of the object (other-1) does not match the name on the URL (keep)',
    },
    {
      name: 'PUT whose body names another namespace is 400',
      request: json('PUT', KEEP, { metadata: { name: 'keep', namespace: 'default' } }),
      status: 400, reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request',
    },
    {
      name: 'creating in a missing namespace is 404 for the namespace',
      request: json('POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'x' } }),
      status: 404, reason: 'NotFound', message: 'namespaces "nope" not found',
    },
    {
      name: 'GET of an unknown resource is 404',
      request: { method: 'GET', path: `/api/v1/namespaces/${NS}/foos` },
      status: 404, reason: 'NotFound', message: 'the server could not find the requested resource',
    },
    {
      name: 'GET of an unknown group version is 404',
      request: { method: 'GET', path: '/apis/nope.example.com/v1/foos' },
      status: 404, reason: 'NotFound', message: 'the server could not find the requested resource',
    },
    {
      name: 'DELETE of a missing object is 404',
      request: { method: 'DELETE', path: `${CMS}/nope` },
      status: 404, reason: 'NotFound', message: 'configmaps "nope" not found',
    },
    {
      name: 'DELETE with a stale resourceVersion precondition is 409 and keeps the object',
      request: async () => json('DELETE', KEEP, { preconditions: { resourceVersion: String(Number(keepRv()) - 1) } }),
      status: 409, reason: 'Conflict', message: /^Precondition failed: ResourceVersion in precondition: \d+, ResourceVersion in object meta: \d+$/,
    },
    {
      name: 'DELETE with a wrong uid precondition is 409 and keeps the object',
      request: json('DELETE', KEEP, { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } }),
      status: 409, reason: 'Conflict', message: /^Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: /,
    },
    {
      name: 'POST to an object path is 405',
      request: json('POST', KEEP, { metadata: { name: 'keep' } }),
      status: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource',
    },
    {
      name: 'list with labelSelector=a in ( is 400',
      request: { method: 'GET', path: `${CMS}?labelSelector=a%20in%20(` },
      status: 400, reason: 'BadRequest', message: /unable to parse requirement: found '', expected: ',', '\)' or identifier/,
    },
    {
      name: 'deletecollection with a malformed labelSelector is 400 and deletes nothing',
      request: { method: 'DELETE', path: `${CMS}?labelSelector=a%20in%20(` },
      status: 400, reason: 'BadRequest', message: /unable to parse requirement/,
    },
    {
      name: 'list with an unsupported field selector is 400',
      request: { method: 'GET', path: `${CMS}?fieldSelector=spec.nope%3D1` },
      status: 400, reason: 'BadRequest', message: 'field label not supported: spec.nope',
    },
    {
      name: 'list with a malformed continue token is 400',
      request: { method: 'GET', path: `${CMS}?limit=1&continue=not-a-token` },
      status: 400, reason: 'BadRequest', message: /^continue key is not valid/,
    },
    {
      name: 'fieldValidation=Strict refuses an unknown field with 400 (kubectl create -f / apply send Strict)',
      request: json('POST', `${CMS}?fieldValidation=Strict`, { metadata: { name: 'strict' }, foo: 1 }),
      status: 400, reason: 'BadRequest', message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"',
    },
    {
      // Upstream's patch handler wraps decode errors of the patched object in a 422 on `patch`.
      name: 'fieldValidation=Strict on a merge patch refuses an unknown field with 422',
      request: json('PATCH', `${KEEP}?fieldValidation=Strict`, { bar: 1 }, 'application/merge-patch+json'),
      status: 422, reason: 'Invalid', message: /^ "" is invalid: patch: Invalid value: ".*": strict decoding error: unknown field "bar"$/,
    },
    {
      name: 'an unsupported dryRun value is 400',
      request: json('POST', `${CMS}?dryRun=Maybe`, { metadata: { name: 'dry' } }),
      status: 400, reason: 'BadRequest', message: /Unsupported value: "Maybe": supported values: "All"/,
    },
    {
      name: 'an unsupported fieldValidation value is 400',
      request: json('POST', `${CMS}?fieldValidation=Loose`, { metadata: { name: 'fv' } }),
      status: 400, reason: 'BadRequest', message: 'fieldValidation: Unsupported value: "Loose": supported values: "Ignore", "Strict", "Warn"',
    },
    {
      name: 'a non-integer limit is 400',
      request: { method: 'GET', path: `${CMS}?limit=ten` },
      status: 400, reason: 'BadRequest', message: /limit/,
    },
  ]
}
