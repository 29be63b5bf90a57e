// `kubectl debug` with the real kubectl: an ephemeral container added through
// pods/<name>/ephemeralcontainers and started by the kubelet, a copy of a pod with a debugger
// container, a node debugging pod; @kubernetes/client-node's ephemeralcontainers calls.
import assert from 'node:assert/strict'
import * as k8s from '@kubernetes/client-node'
import type { Cluster } from '../../src/index.ts'
import { startKubectlCluster, type KubectlCluster } from '../support/kubectl.ts'

const NODE = 'k3sim-k3s-default-agent-0'
const LEGACY = '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".'

describe('kubectl debug (ephemeral containers, pod copies, node debugging pods)', function () {
  let k: KubectlCluster
  let cluster: Cluster
  const pod = async (name: string): Promise<any> => JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json']))

  before(async () => {
    k = await startKubectlCluster({ clock: 'virtual', agents: 1, disable: ['coredns', 'servicelb', 'traefik', 'local-storage', 'metrics-server'], seed: 41 })
    cluster = k.cluster
    await k.ok(['run', 'web', '--image=nginx:1.27', `--overrides={"spec":{"nodeName":"${NODE}"}}`])
    await cluster.settle()
  })
  after(async () => { await k.stop() })

  it('adds an ephemeral container targeting a container, which the kubelet starts', async () => {
    const r = await k.run(['debug', 'web', '--image=busybox:1.36', '--target=web'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^Targeting container "web"\. If you don't see processes from this container it may be because the container runtime doesn't support this feature\.\nDefaulting debug container name to (debugger-[a-z0-9]{5})\.\n$/)
    assert.equal(r.stderr.trim(), LEGACY)
    const name = /debugger-[a-z0-9]{5}/.exec(r.stdout)![0]
    await cluster.settle()
    const p = await pod('web')
    assert.deepEqual(p.spec.ephemeralContainers.map((c: any) => [c.name, c.image, c.targetContainerName, c.imagePullPolicy]), [[name, 'busybox:1.36', 'web', 'IfNotPresent']])
    assert.deepEqual(p.status.ephemeralContainerStatuses.map((c: any) => [c.name, Object.keys(c.state)[0], c.ready]), [[name, 'running', false]])
    const described = await k.ok(['describe', 'pod', 'web'])
    assert.match(described, new RegExp(`\\nEphemeral Containers:\\n  ${name}:\\n    Container ID:   containerd://[0-9a-f]{64}\\n    Image:          busybox:1.36\\n`))
    assert.match(described, /Ephemeral Containers:[\s\S]*State:          Running[\s\S]*Conditions:/)
    assert.match(await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'custom-columns=FIELD:.involvedObject.fieldPath,REASON:.reason', '--no-headers']), new RegExp(`spec\\.ephemeralContainers\\{${name}\\}\\s+Started`))
  })

  it('refuses a name already in use and a target that is no container of the pod, as the API server says', async () => {
    const dup = await k.fails(['debug', 'web', '--image=busybox', '-c', 'web'])
    assert.match(dup, /The Pod "web" is invalid: spec\.ephemeralContainers\[\d\]\.name: Duplicate value: "web"/)
    const target = await k.fails(['debug', 'web', '--image=busybox', '-c', 'dbg', '--target=nope'])
    assert.match(target, /The Pod "web" is invalid: spec\.ephemeralContainers\[\d\]\.targetContainerName: Not found: "nope"/)
  })

  it('needs patch on pods/ephemeralcontainers, not on pods (RBAC, with --as)', async () => {
    await k.ok(['create', 'role', 'pod-patcher', '--verb=get,list,watch,patch', '--resource=pods'])
    await k.ok(['create', 'rolebinding', 'dev-patches', '--role=pod-patcher', '--user=dev'])
    const refused = await k.fails(['debug', 'web', '--image=busybox', '-c', 'as-dev', '--as=dev'])
    assert.match(refused, /pods "web" is forbidden: User "dev" cannot patch resource "pods\/ephemeralcontainers" in API group "" in the namespace "default"/)
    await k.ok(['create', 'role', 'debugger', '--verb=patch', '--resource=pods/ephemeralcontainers'])
    await k.ok(['create', 'rolebinding', 'dev-debugs', '--role=debugger', '--user=dev'])
    await k.ok(['debug', 'web', '--image=busybox', '-c', 'as-dev', '--as=dev'])
  })

  it('--copy-to makes a new pod with a debugger container, which runs', async () => {
    const r = await k.run(['debug', 'web', '--image=busybox:1.36', '--copy-to=web-copy', '-c', 'dbg', '--', 'sleep', '3600'])
    assert.equal(r.code, 0, r.stderr)
    await cluster.settle()
    const copy = await pod('web-copy')
    assert.deepEqual(copy.spec.containers.map((c: any) => c.name), ['web', 'dbg'])
    assert.equal(copy.spec.ephemeralContainers, undefined)
    assert.equal(copy.status.phase, 'Running')
  })

  it('debugs a node with a pod in its host namespaces, the host\'s root at /host', async () => {
    const r = await k.run(['debug', `node/${NODE}`, '--image=busybox:1.36'])
    assert.equal(r.code, 0, r.stderr)
    const m = new RegExp(`^Creating debugging pod (node-debugger-${NODE}-[a-z0-9]{5}) with container debugger on node ${NODE}\\.$`, 'm').exec(r.stdout)
    assert.ok(m !== null, r.stdout)
    await cluster.settle()
    // Without -i, busybox's sh has no input and ends at once: the pod completes, as it would on k3s.
    const p = await pod(m[1])
    assert.deepEqual([p.spec.nodeName, p.spec.hostPID, p.spec.hostNetwork, p.spec.hostIPC, p.spec.restartPolicy, p.status.phase], [NODE, true, true, true, 'Never', 'Succeeded'])
    assert.deepEqual(p.spec.volumes.find((v: any) => v.name === 'host-root'), { name: 'host-root', hostPath: { path: '/', type: '' } })
  })

  it('client-node reads and writes the subresource; removing one is refused', async () => {
    const kc = new k8s.KubeConfig()
    kc.loadFromFile(k.kubeconfig)
    const core = kc.makeApiClient(k8s.CoreV1Api)
    const read = await core.readNamespacedPodEphemeralcontainers({ name: 'web', namespace: 'default' })
    assert.ok((read.spec?.ephemeralContainers?.length ?? 0) > 0)
    const err = await core.replaceNamespacedPodEphemeralcontainers({ name: 'web', namespace: 'default', body: { ...read, spec: { ...read.spec!, ephemeralContainers: read.spec!.ephemeralContainers!.slice(1) } } }).then(() => undefined, (e: any) => e)
    assert.equal(err?.code, 422)
    const status = JSON.parse(err.body)
    assert.equal(status.message, `Pod "web" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "${read.spec!.ephemeralContainers![0].name}" may not be removed\n`)
  })
})
