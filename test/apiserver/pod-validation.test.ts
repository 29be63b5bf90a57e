// ValidatePodSpec's messages as kube-apiserver v1.32 words them, for the mistakes manifests make
// most: through the API (defaults applied first, as upstream), one table case per rule.
import assert from 'node:assert/strict'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>

const container = (extra: Json = {}): Json => ({ name: 'c', image: 'nginx:1.27', ...extra })
const LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

const cases: Array<{ name: string, spec: Json, error: string }> = [
  { name: 'a container name that is not an RFC 1123 label', spec: { containers: [container({ name: 'Bad_C' })] }, error: `spec.containers[0].name: Invalid value: "Bad_C": ${LABEL_ERR}` },
  { name: 'requests above limits', spec: { containers: [container({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] }, error: 'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1' },
  { name: 'an extended resource requested without its limit', spec: { containers: [container({ resources: { requests: { 'nvidia.com/gpu': '1' } } })] }, error: 'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources' },
  { name: 'an extended resource whose request is not its limit', spec: { containers: [container({ resources: { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '2' } } })] }, error: 'spec.containers[0].resources.requests: Invalid value: "1": must be equal to nvidia.com/gpu limit of 2' },
  { name: 'a volumeMount naming no volume of the pod', spec: { containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/data' }] })] }, error: 'spec.containers[0].volumeMounts[0].name: Not found: "data"' },
  { name: 'two mounts at one path', spec: { volumes: [{ name: 'a', emptyDir: {} }], containers: [container({ volumeMounts: [{ name: 'a', mountPath: '/x' }, { name: 'a', mountPath: '/x' }] })] }, error: 'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/x": must be unique' },
  { name: 'a protocol not among the three (listed sorted)', spec: { containers: [container({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })] }, error: 'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"' },
  { name: 'an imagePullPolicy not among the three', spec: { containers: [container({ imagePullPolicy: 'Sometimes' })] }, error: 'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"' },
  { name: 'a terminationMessagePolicy not among the two', spec: { containers: [container({ terminationMessagePolicy: 'X' })] }, error: 'spec.containers[0].terminationMessagePolicy: Unsupported value: "X": supported values: "File", "FallbackToLogsOnError"' },
  { name: 'a dnsPolicy not among the four', spec: { dnsPolicy: 'Weird', containers: [container()] }, error: 'spec.dnsPolicy: Unsupported value: "Weird": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"' },
  { name: 'an env name with "="', spec: { containers: [container({ env: [{ name: '1bad=', value: 'x' }] })] }, error: "spec.containers[0].env[0].name: Invalid value: \"1bad=\": a valid environment variable name must consist only of printable ASCII characters other than '='" },
  { name: 'an activeDeadlineSeconds below 1', spec: { activeDeadlineSeconds: 0, containers: [container()] }, error: 'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive' },
  { name: 'a containerPort of 0 is missing', spec: { containers: [container({ ports: [{ containerPort: 0 }] })] }, error: 'spec.containers[0].ports[0].containerPort: Required value' },
  { name: 'an init container reusing a container\'s name is the duplicate', spec: { initContainers: [container()], containers: [container()] }, error: 'spec.initContainers[0].name: Duplicate value: "c"' },
  { name: 'several errors, volumes first, then containers in order', spec: { volumes: [{ name: 'v' }, { name: 'v' }], containers: [container({ name: 'A', imagePullPolicy: 'x' })] },
    error: `[spec.volumes[1].name: Duplicate value: "v", spec.containers[0].name: Invalid value: "A": ${LABEL_ERR}, spec.containers[0].imagePullPolicy: Unsupported value: "x": supported values: "Always", "IfNotPresent", "Never"]` },
]

describe('pod spec validation (ValidatePodSpec v1.32 messages)', () => {
  let client: Awaited<ReturnType<typeof startCore>>['client']
  before(async () => { ({ client } = await startCore()) })

  cases.forEach((c, i) => {
    it(c.name, async () => {
      const name = `p${i}`
      const err = await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: c.spec } as any).then(() => undefined, (e: any) => e)
      assert.ok(err !== undefined, 'accepted')
      assert.equal(err.code, 422)
      assert.equal(err.message, `Pod "${name}" is invalid: ${c.error}`)
    })
  })

  it('a Deployment\'s template is checked by the same rules', async () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/d' }] })] } } } }
    const err = await client.create(d as any).then(() => undefined, (e: any) => e)
    assert.equal(err?.message, 'Deployment.apps "web" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"')
  })

  it('empty policies are defaulted, not refused (SetDefaults_* test for "")', async () => {
    const spec = { dnsPolicy: '', restartPolicy: '', schedulerName: '', containers: [container({ imagePullPolicy: '', terminationMessagePolicy: '', terminationMessagePath: '', ports: [{ containerPort: 80, protocol: '' }] })] }
    const pod = await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empties', namespace: 'default' }, spec } as any) as Json
    const c = pod.spec.containers[0]
    assert.deepEqual([pod.spec.dnsPolicy, pod.spec.restartPolicy, pod.spec.schedulerName, c.imagePullPolicy, c.terminationMessagePolicy, c.terminationMessagePath, c.ports[0].protocol],
      ['ClusterFirst', 'Always', 'default-scheduler', 'IfNotPresent', 'File', '/dev/termination-log', 'TCP'])
  })

  it('a StatefulSet\'s template is not checked (its claim templates supply volumes), only its restart policy and deadline', async () => {
    const sts = (spec: Json): any => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } })
    const mounts = { containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/var/lib/db' }] })] }
    const err = await client.create(sts({ ...mounts, restartPolicy: 'Never', activeDeadlineSeconds: 5 })).then(() => undefined, (e: any) => e)
    assert.equal(err?.message, 'StatefulSet.apps "db" is invalid: [spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always", spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported]')
    await client.create(sts(mounts))
  })

  it('a valid pod with all of these set is accepted', async () => {
    const spec = { volumes: [{ name: 'data', emptyDir: {} }], dnsPolicy: 'Default', activeDeadlineSeconds: 60, initContainers: [container({ name: 'init' }), container({ name: 'sidecar', restartPolicy: 'Always', ports: [{ containerPort: 9000, hostPort: 0 }] })],
      containers: [container({ imagePullPolicy: 'Never', terminationMessagePolicy: 'FallbackToLogsOnError', env: [{ name: 'my.var-1', value: 'x' }], volumeMounts: [{ name: 'data', mountPath: '/data' }], ports: [{ containerPort: 80, hostPort: 8080 }], resources: { requests: { cpu: '500m', 'nvidia.com/gpu': '1' }, limits: { cpu: '1', 'nvidia.com/gpu': '1' } } })] }
    await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fine', namespace: 'default' }, spec } as any)
  })
})
