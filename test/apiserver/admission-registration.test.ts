// admissionregistration.k8s.io/v1 through the API server: the v1 defaults of webhooks and
// admission policies, and upstream's validation messages, case by case.
import assert from 'node:assert/strict'
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'

type Json = Record<string, any>
const GV = 'admissionregistration.k8s.io/v1'

const rule = { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }
const hook = (extra: Json = {}): Json => ({
  name: 'pods.policy.example.com', sideEffects: 'None', admissionReviewVersions: ['v1'],
  clientConfig: { service: { name: 'policy', namespace: 'policy' } }, rules: [rule], ...extra,
})
const vwc = (name: string, ...webhooks: Json[]): Json => ({ apiVersion: GV, kind: 'ValidatingWebhookConfiguration', metadata: { name }, webhooks })
const mwc = (name: string, ...webhooks: Json[]): Json => ({ apiVersion: GV, kind: 'MutatingWebhookConfiguration', metadata: { name }, webhooks })

describe('admissionregistration.k8s.io/v1', () => {
  let core: ApiServerCore
  let client: InProcessClient
  before(async () => {
    const clock = new VirtualClock()
    core = new ApiServerCore({ backend: new MemoryBackend({ clock }), clock, ids: new Ids({ seed: 1 }) })
    await core.bootstrap()
    client = new InProcessClient({ core })
  })
  after(() => core.stop())

  const create = (obj: Json): Promise<Json> => client.create(obj as any) as Promise<Json>
  const invalid = async (obj: Json): Promise<string> => {
    const err = await create(obj).then(() => undefined, (e: Error & { code?: number }) => e)
    assert.ok(err !== undefined, 'expected a 422')
    assert.equal(err.code, 422)
    return err.message
  }

  it('defaults a validating webhook: Fail, Equivalent, empty selectors, 10 s, scope "*", port 443', async () => {
    const w = (await create(vwc('defaults', hook()))).webhooks[0]
    assert.deepEqual(
      [w.failurePolicy, w.matchPolicy, w.namespaceSelector, w.objectSelector, w.timeoutSeconds, w.rules[0].scope, w.clientConfig.service.port, w.reinvocationPolicy],
      ['Fail', 'Equivalent', {}, {}, 10, '*', 443, undefined])
  })

  it('defaults a mutating webhook\'s reinvocationPolicy to Never and keeps what is given', async () => {
    const w = (await create(mwc('mutating', hook({ failurePolicy: 'Ignore', timeoutSeconds: 5, reinvocationPolicy: 'IfNeeded' })))).webhooks[0]
    assert.deepEqual([w.failurePolicy, w.timeoutSeconds, w.reinvocationPolicy], ['Ignore', 5, 'IfNeeded'])
    const n = (await create(mwc('mutating-default', hook()))).webhooks[0]
    assert.equal(n.reinvocationPolicy, 'Never')
  })

  it('starts at generation 1 and moves it when the webhooks change', async () => {
    const obj = await create(vwc('gen', hook()))
    assert.equal(obj.metadata.generation, 1)
    obj.webhooks[0].timeoutSeconds = 20
    const next = await client.update(obj as any) as Json
    assert.equal(next.metadata.generation, 2)
  })

  const cases: Array<[string, Json, string]> = [
    ['a name of two segments', vwc('x', hook({ name: 'example.com' })),
      'webhooks[0].name: Invalid value: "example.com": should be a domain with at least three segments separated by dots'],
    ['an empty name', vwc('x', hook({ name: '' })), 'webhooks[0].name: Required value'],
    ['no sideEffects', vwc('x', hook({ sideEffects: undefined })), 'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun'],
    ['sideEffects Some on create', vwc('x', hook({ sideEffects: 'Some' })), 'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"'],
    ['no admissionReviewVersions', vwc('x', hook({ admissionReviewVersions: [] })), 'webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1'],
    ['only unknown review versions', vwc('x', hook({ admissionReviewVersions: ['v2'] })), 'webhooks[0].admissionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1'],
    ['both url and service', vwc('x', hook({ clientConfig: { url: 'https://a.example.com', service: { name: 's', namespace: 'n' } } })), 'webhooks[0].clientConfig: Required value: exactly one of url or service is required'],
    ['neither url nor service', vwc('x', hook({ clientConfig: {} })), 'webhooks[0].clientConfig: Required value: exactly one of url or service is required'],
    ['an http url', vwc('x', hook({ clientConfig: { url: 'http://a.example.com/v' } })), 'webhooks[0].clientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]'],
    ['a url with a query', vwc('x', hook({ clientConfig: { url: 'https://a.example.com/v?x=1' } })), 'webhooks[0].clientConfig.url: Invalid value: "x=1": query parameters are not permitted in the URL'],
    // Upstream passes the service's name and namespace to ValidateWebhookService the other way round.
    ['a service without a name (reported at namespace, as upstream does)', vwc('x', hook({ clientConfig: { service: { namespace: 'n' } } })), 'webhooks[0].clientConfig.service.namespace: Required value'],
    ['a service path that does not start with /', vwc('x', hook({ clientConfig: { service: { name: 's', namespace: 'n', path: 'validate' } } })), 'webhooks[0].clientConfig.service.path: Invalid value: "validate": must start with a \'/\''],
    ['a timeout over 30 s', vwc('x', hook({ timeoutSeconds: 31 })), 'webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds'],
    ['an unknown failurePolicy', vwc('x', hook({ failurePolicy: 'Retry' })), 'webhooks[0].failurePolicy: Unsupported value: "Retry": supported values: "Fail", "Ignore"'],
    ['an unknown operation', vwc('x', hook({ rules: [{ ...rule, operations: ['PATCH'] }] })), 'webhooks[0].rules[0].operations[0]: Unsupported value: "PATCH": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"'],
    ['a wildcard operation with others', vwc('x', hook({ rules: [{ ...rule, operations: ['*', 'CREATE'] }] })), 'webhooks[0].rules[0].operations: Invalid value: []admissionregistration.OperationType{"*", "CREATE"}: if \'*\' is present, must not specify other operations'],
    ['no apiVersions in a rule', vwc('x', hook({ rules: [{ ...rule, apiVersions: [] }] })), 'webhooks[0].rules[0].apiVersions: Required value'],
    ['*/* with other resources', vwc('x', hook({ rules: [{ ...rule, resources: ['*/*', 'pods'] }] })), 'webhooks[0].rules[0].resources: Invalid value: []string{"*/*", "pods"}: if \'*/*\' is present, must not specify other resources'],
    ['two webhooks of one name', vwc('x', hook(), hook()), 'webhooks[1].name: Duplicate value: "pods.policy.example.com"'],
    ['a bad mutating reinvocationPolicy', mwc('x', hook({ reinvocationPolicy: 'Always' })), 'webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"'],
  ]
  for (const [name, obj, message] of cases) {
    it(`refuses ${name}`, async () => {
      assert.equal(await invalid(obj), `${obj.kind}.admissionregistration.k8s.io "x" is invalid: ${message}`)
    })
  }

  it('refuses an update to sideEffects Some when every stored webhook had none', async () => {
    const obj = await create(vwc('legacy', hook()))
    obj.webhooks[0].sideEffects = 'Some'
    await assert.rejects(client.update(obj as any), /sideEffects: Unsupported value: "Some"/)
  })

  it('defaults and validates ValidatingAdmissionPolicies', async () => {
    const vap = await create({ apiVersion: GV, kind: 'ValidatingAdmissionPolicy', metadata: { name: 'limit' }, spec: { matchConstraints: { resourceRules: [{ ...rule, resourceNames: ['a'] }] }, validations: [{ expression: 'true' }] } })
    assert.deepEqual([vap.spec.failurePolicy, vap.spec.matchConstraints.matchPolicy, vap.spec.matchConstraints.namespaceSelector, vap.spec.matchConstraints.objectSelector, vap.spec.matchConstraints.resourceRules[0].scope, vap.status, vap.metadata.generation],
      ['Fail', 'Equivalent', {}, {}, '*', {}, 1])
    assert.equal(await invalid({ apiVersion: GV, kind: 'ValidatingAdmissionPolicy', metadata: { name: 'x' }, spec: { failurePolicy: 'Never' } }),
      'ValidatingAdmissionPolicy.admissionregistration.k8s.io "x" is invalid: [spec.failurePolicy: Unsupported value: "Never": supported values: "Fail", "Ignore", spec.matchConstraints: Required value, ' +
      'spec.validations: Required value: validations or auditAnnotations must contain at least one item, spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item]')
    assert.equal(await invalid({ apiVersion: GV, kind: 'ValidatingAdmissionPolicy', metadata: { name: 'x' }, spec: { matchConstraints: {}, paramKind: { apiVersion: 'v1' }, validations: [{ expression: ' ', reason: 'Teapot' }] } }),
      'ValidatingAdmissionPolicy.admissionregistration.k8s.io "x" is invalid: [spec.paramKind.kind: Required value, spec.matchConstraints.resourceRules: Required value, ' +
      'spec.validations[0].expression: Required value: expression is not specified, spec.validations[0].reason: Unsupported value: "Teapot": supported values: "Forbidden", "Invalid", "RequestEntityTooLarge"]')
  })

  it('validates ValidatingAdmissionPolicyBindings as upstream, typo in matchResouces included', async () => {
    const b = await create({ apiVersion: GV, kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'ok' }, spec: { policyName: 'limit', validationActions: ['Warn', 'Audit'], matchResources: {} } })
    assert.equal(b.spec.matchResources.matchPolicy, 'Equivalent')
    assert.equal(await invalid({ apiVersion: GV, kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'x' }, spec: { paramRef: { name: 'p', selector: {} }, validationActions: ['Deny', 'Warn'], matchResources: { matchPolicy: 'Loose' } } }),
      'ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io "x" is invalid: [spec.policyName: Required value, spec.paramRef.name: Forbidden: name and selector are mutually exclusive, ' +
      'spec.paramRef.selector: Forbidden: name and selector are mutually exclusive, spec.paramRef.parameterNotFoundAction: Required value, ' +
      'spec.matchResouces.matchPolicy: Unsupported value: "Loose": supported values: "Equivalent", "Exact", ' +
      'spec.validationActions: Invalid value: []admissionregistration.ValidationAction{"Deny", "Warn"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)]')
    assert.equal(await invalid({ apiVersion: GV, kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'x' }, spec: { policyName: 'limit' } }),
      'ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io "x" is invalid: spec.validationActions: Required value: at least one validation action is required')
  })
})
