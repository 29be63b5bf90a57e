import assert from 'node:assert/strict'
import {
  aggregateMessage, fieldErrorString, invalid, invalidMessage, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName,
  isValidLabelValue, nameIsDNS1035Label, nameIsDNSLabel, notSupported, toCause, validateObjectMeta, validatePathSegmentName,
} from '../../src/api/validation.ts'

const SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const DNS1035_ERR = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const NAME_PART_ERR = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

describe('validation', () => {
  describe('name formats return upstream messages', () => {
    const cases: Array<[string, (v: string) => string[], string, string[]]> = [
      ['a subdomain may contain dots', isDNS1123Subdomain, 'example.com', []],
      ['a subdomain may not contain capitals', isDNS1123Subdomain, 'Foo', [SUBDOMAIN_ERR]],
      ['a subdomain over 253 characters is too long', isDNS1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
      ['a label may not contain dots, and says so', isDNS1123Label, 'a.b', ['must not contain dots']],
      ['a label may not start with a dash', isDNS1123Label, '-a', [LABEL_ERR]],
      ['a label over 63 characters is too long', isDNS1123Label, 'a'.repeat(64), ['must be no more than 63 characters']],
      ['a DNS-1035 label may not start with a digit', isDNS1035Label, '1abc', [DNS1035_ERR]],
      ['a DNS-1035 label accepts my-name', isDNS1035Label, 'my-name', []],
      ['a qualified name may have a DNS prefix', isQualifiedName, 'example.com/MyName', []],
      ['a qualified name part must start alphanumeric', isQualifiedName, '-x', [NAME_PART_ERR]],
      ['an empty prefix is reported', isQualifiedName, '/x', ['prefix part must be non-empty']],
      ['an empty name part is reported, with the regex', isQualifiedName, 'a/', ['name part must be non-empty', NAME_PART_ERR]],
      ['an invalid prefix is reported as such', isQualifiedName, 'Foo/x', [`prefix part ${SUBDOMAIN_ERR}`]],
      ['two slashes are not a qualified name', isQualifiedName, 'a/b/c', [
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ]],
      ['a name part over 63 characters is too long', isQualifiedName, 'a'.repeat(64), ['name part must be no more than 63 characters']],
      ['a label value may be empty', isValidLabelValue, '', []],
      ['a label value may not end with a dash', isValidLabelValue, 'a-', [VALUE_ERR]],
      ['a label value over 63 characters is too long', isValidLabelValue, 'a'.repeat(64), ['must be no more than 63 characters']],
    ]
    for (const [spec, fn, input, want] of cases) it(spec, () => assert.deepEqual(fn(input), want))
  })

  describe('name validators for generateName (prefix=true)', () => {
    it('a trailing dash is allowed in a generateName', () => assert.deepEqual(nameIsDNSLabel('web-', true), []))
    it('a trailing dash is not allowed in a name', () => assert.deepEqual(nameIsDNSLabel('web-', false), [LABEL_ERR]))
    it('DNS-1035 names also mask the trailing dash', () => assert.deepEqual(nameIsDNS1035Label('svc-', true), []))
    it('path segment names may not be . or contain /', () => {
      assert.deepEqual(validatePathSegmentName('..', false), ["may not be '..'"])
      assert.deepEqual(validatePathSegmentName('a/b%', false), ["may not contain '/'", "may not contain '%'"])
    })
  })

  describe('validateObjectMeta renders causes as field.ErrorList does', () => {
    const cases: Array<[string, Parameters<typeof validateObjectMeta>[0], boolean, string[]]> = [
      ['a valid namespaced object has no causes', { name: 'web', namespace: 'default', labels: { app: 'web' } }, true, []],
      ['an uppercase name is an invalid value', { name: 'Foo', namespace: 'default' }, true, [`metadata.name: Invalid value: "Foo": ${SUBDOMAIN_ERR}`]],
      ['a missing name is required', { namespace: 'default' }, true, ['metadata.name: Required value: name or generateName is required']],
      ['a missing namespace is required', { name: 'a' }, true, ['metadata.namespace: Required value']],
      ['a namespace on a cluster-scoped kind is forbidden', { name: 'n', namespace: 'x' }, false, ['metadata.namespace: Forbidden: not allowed on this type']],
      ['an invalid namespace name is a DNS label error', { name: 'a', namespace: 'a.b' }, true, ['metadata.namespace: Invalid value: "a.b": must not contain dots']],
      ['an invalid generateName is reported', { generateName: 'Web-', name: 'web-x', namespace: 'd' }, true, [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_ERR}`]],
      ['a negative generation is invalid', { name: 'a', namespace: 'd', generation: -1 }, true, ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']],
      ['a bad label key and value are both reported', { name: 'a', namespace: 'd', labels: { '-k': 'v-' } }, true, [
        `metadata.labels: Invalid value: "-k": ${NAME_PART_ERR}`, `metadata.labels: Invalid value: "v-": ${VALUE_ERR}`,
      ]],
      ['annotation keys are checked case-insensitively', { name: 'a', namespace: 'd', annotations: { 'Example.COM/Key': 'x' } }, true, []],
      ['annotations over 256 KiB are too long', { name: 'a', namespace: 'd', annotations: { big: 'x'.repeat(262142) } }, true, ['metadata.annotations: Too long: may not be more than 262144 bytes']],
      ['an owner reference needs apiVersion, kind, name and uid', { name: 'a', namespace: 'd', ownerReferences: [{}] }, true, [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ]],
      ['orphan and foregroundDeletion finalizers conflict', { name: 'a', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion'] }, true, [
        'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
      ]],
    ]
    for (const [spec, meta, namespaced, want] of cases) {
      it(spec, () => assert.deepEqual(validateObjectMeta(meta, { namespaced }).map(fieldErrorString), want))
    }
    it('a Service name uses the DNS-1035 validator when asked', () => {
      const errs = validateObjectMeta({ name: '1svc', namespace: 'd' }, { namespaced: true, nameValidator: nameIsDNS1035Label })
      assert.deepEqual(errs.map(toCause), [{ type: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "1svc": ${DNS1035_ERR}` }])
    })
  })

  describe('error rendering', () => {
    it('Unsupported value lists the supported values quoted', () => {
      assert.equal(fieldErrorString(notSupported('spec.type', 'Foo', ['ClusterIP', 'NodePort'])), 'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "NodePort"')
    })
    it('an aggregate of one error is that error, of several a bracketed list without duplicates', () => {
      const errs = validateObjectMeta({ namespace: 'd', labels: { a: 'b-' } }, { namespaced: true })
      assert.equal(aggregateMessage(errs.slice(0, 1)), 'metadata.name: Required value: name or generateName is required')
      assert.equal(aggregateMessage([...errs, errs[0]]), `[metadata.name: Required value: name or generateName is required, metadata.labels: Invalid value: "b-": ${VALUE_ERR}]`)
    })
    it('the Invalid status message names the qualified kind and the aggregated causes', () => {
      assert.equal(invalidMessage('Deployment.apps', 'invalid-web', [invalid('spec.replicas', -1, 'must be greater than or equal to 0')]),
        'Deployment.apps "invalid-web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0')
    })
    it('string values are quoted as Go quotes them', () => {
      const [e] = validateObjectMeta({ name: 'a\tb', namespace: 'd' }, { namespaced: true })
      assert.match(fieldErrorString(e), /^metadata\.name: Invalid value: "a\\tb": /)
    })
  })
})
