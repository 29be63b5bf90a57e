// kubectl exec, attach, port-forward and cp, and client-node's Exec, against a cluster on the
// fake runtime (which runs no processes): the API server speaks their upgrade protocols, checks
// the request as kube-apiserver does, and the answer is one clear line saying that exec needs
// the Docker runtime, in the protocol's own error channel, with a non-zero exit.
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import * as k8s from '@kubernetes/client-node'
import { startKubectlCluster, type KubectlCluster } from '../support/kubectl.ts'

const NEEDS_DOCKER = "needs the Docker runtime (k3sim server --runtime docker, or Cluster.start({ runtime: 'docker' }))"
const NO_PROCESSES = "the fake runtime (k3sim's default) runs no processes"
const literally = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('kubectl exec, attach, port-forward on the fake runtime', function () {
  let k: KubectlCluster
  before(async () => {
    k = await startKubectlCluster({ disable: ['coredns', 'servicelb', 'traefik', 'local-storage', 'metrics-server'] })
    await k.cluster.apply(`
apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {containers: [{name: app, image: nginx:1.27}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pulling, annotations: {k3sim.io/profile: image-pull-error}}
spec: {containers: [{name: app, image: example.com/missing:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pending}
spec: {nodeSelector: {disk: none}, initContainers: [{name: init, image: busybox}], containers: [{name: a, image: nginx}, {name: b, image: nginx}]}
`)
    await k.cluster.settle()
  })
  after(async () => { await k.stop() })

  it('kubectl exec says, in one line, that exec needs the Docker runtime, and exits 1', async () => {
    const r = await k.run(['exec', 'web', '--', 'ls', '/'])
    assert.equal(r.code, 1)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr, `error: Internal error occurred: error executing command in container: ${NO_PROCESSES}: exec ${NEEDS_DOCKER}\n`)
  })

  it('the same over SPDY/3.1 (kubectl\'s fallback, forced)', async () => {
    const { execFile } = await import('node:child_process')
    const r = await new Promise<{ code: number, stderr: string }>(resolve => {
      execFile('kubectl', ['exec', 'web', '--', 'ls'], { env: { PATH: process.env.PATH, HOME: k.home, KUBECONFIG: k.kubeconfig, KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } },
        (err, _stdout, stderr) => resolve({ code: err === null ? 0 : (err as { code?: number }).code ?? 1, stderr }))
    })
    assert.equal(r.code, 1)
    assert.equal(r.stderr, `error: Internal error occurred: error executing command in container: ${NO_PROCESSES}: exec ${NEEDS_DOCKER}\n`)
  })

  it('kubectl cp (exec of tar) fails with the same line', async () => {
    const r = await k.run(['cp', '/etc/hostname', 'web:/tmp/hostname'])
    assert.notEqual(r.code, 0)
    // kubectl may also log that its stdin copy found the connection closed (client-go's
    // HandleError), as it does against kube-apiserver when a command ends before stdin does.
    assert.match(r.stderr, new RegExp(`^error: Internal error occurred: error executing command in container: ${literally(NO_PROCESSES)}: exec needs the Docker runtime`, 'm'))
  })

  it('kubectl attach reports the attach refusal the same way', async () => {
    const r = await k.run(['attach', 'web'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, "If you don't see a command prompt, try pressing enter.\n" +
      `error: Internal error occurred: error attaching to container: ${NO_PROCESSES}: attach ${NEEDS_DOCKER}\n`)
  })

  it('kubectl port-forward is refused at the upgrade, as a kubelet refuses it', async () => {
    const r = await k.run(['port-forward', 'web', '8080:80'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, `error: error upgrading connection: unable to upgrade connection: ${NO_PROCESSES} and listens on no ports: port-forward ${NEEDS_DOCKER}\n`)
  })

  it('checks the request as kube-apiserver does before it reaches a kubelet', async () => {
    assert.equal(await k.fails(['exec', 'web', '-c', 'nope', '--', 'ls']), 'Error from server (BadRequest): container nope is not valid for pod web\n')
    assert.equal(await k.fails(['exec', 'ghost', '--', 'ls']), 'Error from server (NotFound): pods "ghost" not found\n')
    assert.equal(await k.fails(['exec', 'pending', '-c', 'a', '--', 'ls']), 'Error from server (BadRequest): pod pending does not have a host assigned\n')
    // The kubelet finds only running containers (the API server's translator wraps its refusal).
    assert.equal(await k.fails(['exec', 'pulling', '--', 'ls']), 'error: Internal error occurred: unable to upgrade connection: container not found ("app")\n')
  })

  it('needs create on pods/exec, also for the WebSocket GET', async () => {
    await k.ok(['create', 'role', 'exec-get', '--verb=get', '--resource=pods,pods/exec'])
    await k.ok(['create', 'rolebinding', 'jane-exec-get', '--role=exec-get', '--user=jane'])
    const r = await k.run(['exec', '--as=jane', 'web', '--', 'ls'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^Error from server \(Forbidden\): pods "web" is forbidden: User "jane" cannot create resource "pods\/exec" in API group "" in the namespace "default"/)
  })

  describe('@kubernetes/client-node', () => {
    let kc: k8s.KubeConfig
    before(() => {
      kc = new k8s.KubeConfig()
      kc.loadFromString(k.cluster.kubeconfig())
    })

    it("Exec gets the refusal as the channel-3 Status", async () => {
      const status = await new Promise<k8s.V1Status>((resolve, reject) => {
        new k8s.Exec(kc).exec('default', 'web', 'app', ['ls'], new PassThrough(), new PassThrough(), null, false, resolve).catch(reject)
      })
      assert.equal(status.status, 'Failure')
      assert.equal(status.reason, 'InternalError')
      assert.equal(status.message, `Internal error occurred: error executing command in container: ${NO_PROCESSES}: exec ${NEEDS_DOCKER}`)
    })

    it('Exec without a container name in a pod of several is a 400 before the upgrade', async () => {
      await assert.rejects(
        new k8s.Exec(kc).exec('default', 'pending', '', ['ls'], new PassThrough(), null, null, false),
        (err: { message?: string }) => err.message === 'Unexpected server response: 400')
    })
  })
})
