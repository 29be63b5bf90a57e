// The built-in groups stock install manifests (ingress-nginx, cert-manager, operators) need,
// with the real kubectl: admissionregistration.k8s.io webhook configurations and admission
// policies, flowcontrol.apiserver.k8s.io with k3s's bootstrap configuration, core PodTemplates
// and the storage.k8s.io CSI kinds — discovery, OpenAPI (client-side validation), tables,
// defaults and upstream's 422 messages.
import assert from 'node:assert/strict'
import { startTestServer, type TestServer } from '../support/kubectl.ts'

const WEBHOOKS_AND_DEPLOYMENT = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: ingress-nginx-admission
webhooks:
- name: validate.nginx.ingress.kubernetes.io
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig:
    service: { name: ingress-nginx-controller-admission, namespace: ingress-nginx, path: /networking/v1/ingresses }
  rules:
  - apiGroups: [networking.k8s.io]
    apiVersions: [v1]
    operations: [CREATE, UPDATE]
    resources: [ingresses]
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: cert-manager-webhook
webhooks:
- name: webhook.cert-manager.io
  admissionReviewVersions: [v1]
  sideEffects: None
  timeoutSeconds: 30
  failurePolicy: Ignore
  clientConfig:
    url: https://cert-manager-webhook.example.com/mutate
  rules:
  - apiGroups: [cert-manager.io]
    apiVersions: [v1]
    operations: [CREATE, UPDATE]
    resources: ['*/*']
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: hook-server, namespace: default }
spec:
  selector: { matchLabels: { app: hook } }
  template:
    metadata: { labels: { app: hook } }
    spec: { containers: [{ name: hook, image: registry.k8s.io/ingress-nginx/controller:v1.12.0 }] }
`

describe('kubectl against k3sim: admission, flowcontrol, PodTemplate and CSI kinds', function () {
  let s: TestServer
  before(async () => { s = await startTestServer() })
  after(async () => { await s.stop() })

  const ok = (args: string[], input?: string): Promise<string> => s.ok(args, input)
  const fails = (args: string[], input?: string): Promise<string> => s.fails(args, input)

  it('lists the kinds in api-resources with upstream\'s short names, scope and categories', async () => {
    const out = await ok(['api-resources'])
    for (const [name, version, namespaced, kind] of [
      ['podtemplates', 'v1', 'true', 'PodTemplate'],
      ['mutatingwebhookconfigurations', 'admissionregistration.k8s.io/v1', 'false', 'MutatingWebhookConfiguration'],
      ['validatingadmissionpolicies', 'admissionregistration.k8s.io/v1', 'false', 'ValidatingAdmissionPolicy'],
      ['validatingadmissionpolicybindings', 'admissionregistration.k8s.io/v1', 'false', 'ValidatingAdmissionPolicyBinding'],
      ['validatingwebhookconfigurations', 'admissionregistration.k8s.io/v1', 'false', 'ValidatingWebhookConfiguration'],
      ['flowschemas', 'flowcontrol.apiserver.k8s.io/v1', 'false', 'FlowSchema'],
      ['prioritylevelconfigurations', 'flowcontrol.apiserver.k8s.io/v1', 'false', 'PriorityLevelConfiguration'],
      ['csidrivers', 'storage.k8s.io/v1', 'false', 'CSIDriver'],
      ['csinodes', 'storage.k8s.io/v1', 'false', 'CSINode'],
      ['csistoragecapacities', 'storage.k8s.io/v1', 'true', 'CSIStorageCapacity'],
      ['volumeattachments', 'storage.k8s.io/v1', 'false', 'VolumeAttachment'],
    ]) {
      assert.match(out, new RegExp(`^${name}\\s+${version.replace(/[./]/g, '\\$&')}\\s+${namespaced}\\s+${kind}$`, 'm'), name)
    }
    const extensions = await ok(['api-resources', '--categories=api-extensions', '-o', 'name'])
    assert.equal(extensions, [
      'mutatingwebhookconfigurations.admissionregistration.k8s.io', 'validatingadmissionpolicies.admissionregistration.k8s.io',
      'validatingadmissionpolicybindings.admissionregistration.k8s.io', 'validatingwebhookconfigurations.admissionregistration.k8s.io',
      'customresourcedefinitions.apiextensions.k8s.io', 'apiservices.apiregistration.k8s.io', '',
    ].join('\n'))
  })

  it('lists a group version\'s resources in name order, subresources among them, as upstream\'s installer registers them', async () => {
    const names: string[] = JSON.parse(await ok(['get', '--raw', '/api/v1'])).resources.map((r: { name: string }) => r.name)
    assert.deepEqual(names.filter(n => n.startsWith('pods')), ['pods', 'pods/attach', 'pods/binding', 'pods/ephemeralcontainers', 'pods/eviction', 'pods/exec', 'pods/log', 'pods/portforward', 'pods/proxy', 'pods/status'])
    assert.deepEqual(names.slice(0, 4), ['bindings', 'componentstatuses', 'configmaps', 'endpoints'])
    assert.deepEqual(names, [...names].sort())
    const apps: string[] = JSON.parse(await ok(['get', '--raw', '/apis/apps/v1'])).resources.map((r: { name: string }) => r.name)
    assert.deepEqual(apps, [...apps].sort())
  })

  it('applies a manifest with webhook configurations and a Deployment, all of it, validated client-side', async () => {
    assert.equal(await ok(['apply', '-f', '-'], WEBHOOKS_AND_DEPLOYMENT), [
      'validatingwebhookconfiguration.admissionregistration.k8s.io/ingress-nginx-admission created',
      'mutatingwebhookconfiguration.admissionregistration.k8s.io/cert-manager-webhook created',
      'deployment.apps/hook-server created', '',
    ].join('\n'))
    // Again: the rules list has no merge key and the stored rules carry the defaulted scope "*",
    // so kubectl sends them again and says `configured`, as against k3s; the stored object is
    // unchanged (same resourceVersion, generation 1).
    const rv = await ok(['get', 'validatingwebhookconfiguration', 'ingress-nginx-admission', '-o', 'jsonpath={.metadata.resourceVersion}'])
    assert.equal(await ok(['apply', '-f', '-'], WEBHOOKS_AND_DEPLOYMENT), [
      'validatingwebhookconfiguration.admissionregistration.k8s.io/ingress-nginx-admission configured',
      'mutatingwebhookconfiguration.admissionregistration.k8s.io/cert-manager-webhook configured',
      'deployment.apps/hook-server unchanged', '',
    ].join('\n'))
    assert.equal(await ok(['get', 'validatingwebhookconfiguration', 'ingress-nginx-admission', '-o', 'jsonpath={.metadata.resourceVersion} {.metadata.generation}']), `${rv} 1`)
  })

  it('fills the v1 defaults of a webhook', async () => {
    const vwc = JSON.parse(await ok(['get', 'validatingwebhookconfiguration', 'ingress-nginx-admission', '-o', 'json']))
    const hook = vwc.webhooks[0]
    assert.deepEqual(
      [hook.failurePolicy, hook.matchPolicy, hook.namespaceSelector, hook.objectSelector, hook.timeoutSeconds, hook.rules[0].scope, hook.clientConfig.service.port],
      ['Fail', 'Equivalent', {}, {}, 10, '*', 443])
    assert.equal(vwc.metadata.generation, 1)
    const mwc = JSON.parse(await ok(['get', 'mutatingwebhookconfiguration', 'cert-manager-webhook', '-o', 'json']))
    assert.deepEqual([mwc.webhooks[0].failurePolicy, mwc.webhooks[0].timeoutSeconds, mwc.webhooks[0].reinvocationPolicy], ['Ignore', 30, 'Never'])
  })

  it('prints webhook configurations as upstream: NAME WEBHOOKS AGE', async () => {
    assert.match(await ok(['get', 'validatingwebhookconfigurations']), /^NAME\s+WEBHOOKS\s+AGE\ningress-nginx-admission\s+1\s+\d+s\n$/)
    assert.match(await ok(['get', 'mutatingwebhookconfigurations']), /^NAME\s+WEBHOOKS\s+AGE\ncert-manager-webhook\s+1\s+\d+s\n$/)
  })

  it('refuses a bad webhook configuration with upstream\'s 422 message', async () => {
    const bad = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: { name: bad }
webhooks:
- name: my-webhook
  clientConfig: { url: 'http://hooks.example.com/validate', service: { name: svc, namespace: default } }
  rules: [{ apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods], scope: Everywhere }]
`
    const err = await fails(['apply', '-f', '-'], bad)
    assert.equal(err, 'The ValidatingWebhookConfiguration "bad" is invalid: \n' +
      '* webhooks[0].name: Invalid value: "my-webhook": should be a domain with at least three segments separated by dots\n' +
      '* webhooks[0].rules[0].scope: Unsupported value: "Everywhere": supported values: "*", "Cluster", "Namespaced"\n' +
      '* webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun\n' +
      '* webhooks[0].clientConfig: Required value: exactly one of url or service is required\n' +
      '* webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1\n')
  })

  it('lists the bootstrap FlowSchemas and priority levels of a fresh k3s, in matching precedence order', async () => {
    const fs = await ok(['get', 'flowschemas'])
    const rows = fs.trim().split('\n').map(l => l.split(/\s+/))
    assert.deepEqual(rows[0], ['NAME', 'PRIORITYLEVEL', 'MATCHINGPRECEDENCE', 'DISTINGUISHERMETHOD', 'AGE', 'MISSINGPL'])
    assert.deepEqual(rows.slice(1).map(r => [r[0], r[1], r[2], r[3], r[5]]), [
      ['exempt', 'exempt', '1', '<none>', 'False'],
      ['probes', 'exempt', '2', '<none>', 'False'],
      ['system-leader-election', 'leader-election', '100', 'ByUser', 'False'],
      ['endpoint-controller', 'workload-high', '150', 'ByUser', 'False'],
      ['workload-leader-election', 'leader-election', '200', 'ByUser', 'False'],
      ['system-node-high', 'node-high', '400', 'ByUser', 'False'],
      ['system-nodes', 'system', '500', 'ByUser', 'False'],
      ['kube-controller-manager', 'workload-high', '800', 'ByNamespace', 'False'],
      ['kube-scheduler', 'workload-high', '800', 'ByNamespace', 'False'],
      ['kube-system-service-accounts', 'workload-high', '900', 'ByNamespace', 'False'],
      ['service-accounts', 'workload-low', '9000', 'ByUser', 'False'],
      ['global-default', 'global-default', '9900', 'ByUser', 'False'],
      ['catch-all', 'catch-all', '10000', 'ByUser', 'False'],
    ])
    const pl = (await ok(['get', 'prioritylevelconfigurations'])).trim().split('\n').map(l => l.split(/\s+/))
    assert.deepEqual(pl[0], ['NAME', 'TYPE', 'NOMINALCONCURRENCYSHARES', 'QUEUES', 'HANDSIZE', 'QUEUELENGTHLIMIT', 'AGE'])
    assert.deepEqual(pl.slice(1).map(r => r.slice(0, 6)), [
      ['catch-all', 'Limited', '5', '<none>', '<none>', '<none>'],
      ['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>'],
      ['global-default', 'Limited', '20', '128', '6', '50'],
      ['leader-election', 'Limited', '10', '16', '4', '50'],
      ['node-high', 'Limited', '40', '64', '6', '50'],
      ['system', 'Limited', '30', '64', '6', '50'],
      ['workload-high', 'Limited', '40', '128', '6', '50'],
      ['workload-low', 'Limited', '100', '128', '6', '50'],
    ])
  })

  it('marks a FlowSchema whose priority level is missing, until the level is created', async () => {
    await ok(['create', '-f', '-'], `
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: { name: batch-jobs }
spec:
  priorityLevelConfiguration: { name: batch }
  rules: [{ subjects: [{ kind: Group, group: { name: batchers } }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }] }]
`)
    const cond = async (): Promise<string> => ok(['get', 'flowschema', 'batch-jobs', '-o', 'jsonpath={.spec.matchingPrecedence} {.status.conditions[0].status} {.status.conditions[0].message}'])
    assert.equal(await ok(['wait', '--for=condition=Dangling', 'flowschema/batch-jobs', '--timeout=20s']), 'flowschema.flowcontrol.apiserver.k8s.io/batch-jobs condition met\n')
    assert.equal(await cond(), '1000 True This FlowSchema references the PriorityLevelConfiguration object named "batch" but there is no such object')
    await ok(['create', '-f', '-'], `
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: { name: batch }
spec: { type: Limited, limited: { limitResponse: { type: Queue, queuing: {} } } }
`)
    assert.equal(await ok(['wait', '--for=condition=Dangling=False', 'flowschema/batch-jobs', '--timeout=20s']), 'flowschema.flowcontrol.apiserver.k8s.io/batch-jobs condition met\n')
    assert.match(await ok(['get', 'prioritylevelconfiguration', 'batch']), /^batch\s+Limited\s+30\s+64\s+8\s+50\s+\d+s$/m)
  })

  it('creates and gets a CSIDriver with its defaults, printed as upstream', async () => {
    assert.equal(await ok(['create', '-f', '-'], `
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: { name: secrets-store.csi.k8s.io }
spec: { podInfoOnMount: true, volumeLifecycleModes: [Ephemeral], tokenRequests: [{ audience: vault }] }
`), 'csidriver.storage.k8s.io/secrets-store.csi.k8s.io created\n')
    const spec = JSON.parse(await ok(['get', 'csidriver', 'secrets-store.csi.k8s.io', '-o', 'json'])).spec
    assert.deepEqual([spec.attachRequired, spec.storageCapacity, spec.fsGroupPolicy, spec.requiresRepublish, spec.seLinuxMount], [true, false, 'ReadWriteOnceWithFSType', false, false])
    assert.match(await ok(['get', 'csidrivers']),
      /^NAME\s+ATTACHREQUIRED\s+PODINFOONMOUNT\s+STORAGECAPACITY\s+TOKENREQUESTS\s+REQUIRESREPUBLISH\s+MODES\s+AGE\nsecrets-store\.csi\.k8s\.io\s+true\s+true\s+false\s+vault\s+false\s+Ephemeral\s+\d+s\n$/)
  })

  it('stores PodTemplates with a defaulted template and admission policies with their defaults', async () => {
    await ok(['apply', '-f', '-'], `
apiVersion: v1
kind: PodTemplate
metadata: { name: runner, namespace: default }
template:
  metadata: { labels: { app: runner } }
  spec: { containers: [{ name: run, image: busybox }] }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: replica-limit }
spec:
  matchConstraints: { resourceRules: [{ apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments] }] }
  validations: [{ expression: 'object.spec.replicas <= 5' }]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: replica-limit }
spec: { policyName: replica-limit, validationActions: [Deny] }
`)
    assert.match(await ok(['get', 'podtemplates']), /^NAME\s+CONTAINERS\s+IMAGES\s+POD LABELS\nrunner\s+run\s+busybox\s+app=runner\n$/)
    const tpl = JSON.parse(await ok(['get', 'podtemplate', 'runner', '-o', 'json']))
    assert.deepEqual([tpl.metadata.generation, tpl.template.spec.restartPolicy, tpl.template.spec.containers[0].terminationMessagePath], [1, 'Always', '/dev/termination-log'])
    const vap = JSON.parse(await ok(['get', 'validatingadmissionpolicy', 'replica-limit', '-o', 'json']))
    assert.deepEqual([vap.spec.failurePolicy, vap.spec.matchConstraints.matchPolicy, vap.spec.matchConstraints.resourceRules[0].scope], ['Fail', 'Equivalent', '*'])
    assert.match(await ok(['get', 'validatingadmissionpolicies']), /^NAME\s+VALIDATIONS\s+PARAMKIND\s+AGE\nreplica-limit\s+1\s+<unset>\s+\d+s\n$/)
    assert.match(await ok(['get', 'validatingadmissionpolicybindings']), /^NAME\s+POLICYNAME\s+PARAMREF\s+AGE\nreplica-limit\s+replica-limit\s+<unset>\s+\d+s\n$/)
  })
})
