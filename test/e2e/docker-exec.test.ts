// kubectl exec, cp, attach and port-forward into real containers: `k3sim server --runtime
// docker` on the private test dockerd, the real kubectl, and @kubernetes/client-node's Exec.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import * as k8s from '@kubernetes/client-node'
import type { Context } from 'mocha'
import { dockerOrSkip, TEST_IMAGE, type TestDocker } from '../support/docker-daemon.ts'
import { runKubectl } from '../support/kubectl.ts'
import { startServerProcess, type ServerProcess } from '../support/server-process.ts'

const manifest = `
apiVersion: v1
kind: Pod
metadata: {name: shell}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: app
    image: ${TEST_IMAGE}
    command: [sh, -c, 'mkdir -p /www && echo "<p>forwarded</p>" > /www/index.html && exec httpd -f -p 8080 -h /www']
---
apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: app
    image: ${TEST_IMAGE}
    command: [sh, -c, 'while true; do echo tick; sleep 0.2; done']
`

/** Run a kubectl that keeps running (attach, port-forward) until `until` matches its output; then stop it. */
function kubectlUntil (args: string[], env: { home: string, kubeconfig: string, extra?: Record<string, string> }, until: RegExp): Promise<{ match: RegExpExecArray, stop: () => void }> {
  const child = spawn('kubectl', args, { env: { PATH: process.env.PATH, HOME: env.home, KUBECONFIG: env.kubeconfig, ...env.extra } })
  let out = ''
  return new Promise((resolve, reject) => {
    const look = (b: Buffer): void => {
      out += b.toString()
      const m = until.exec(out)
      if (m !== null) resolve({ match: m, stop: () => child.kill() })
    }
    child.stdout.on('data', look)
    child.stderr.on('data', look)
    child.on('exit', code => reject(new Error(`kubectl ${args.join(' ')} exited with ${code} before printing ${until}:\n${out}`)))
  })
}

describe('kubectl exec, cp, attach, port-forward on the docker runtime', function () {
  this.timeout(180_000)
  let docker: TestDocker
  let server: ServerProcess | undefined
  let dataDir: string
  let home: string
  const env = (): { home: string, kubeconfig: string } => ({ home, kubeconfig: server!.kubeconfigPath })
  const kubectl = (args: string[], input?: string) => runKubectl(args, { ...env(), input })
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(args, input)
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}\nserver output:\n${server?.output()}`)
    return r.stdout
  }

  before(async function (this: Context) {
    docker = await dockerOrSkip(this, 'docker exec e2e tests')
    dataDir = mkdtempSync(join(tmpdir(), 'k3sim-docker-exec-'))
    home = mkdtempSync(join(tmpdir(), 'k3sim-docker-exec-home-'))
    server = await startServerProcess({
      dataDir,
      env: { DOCKER_HOST: docker.host },
      extraArgs: ['--runtime', 'docker', '--cluster-name', 'dockerexec', '--disable', 'traefik,coredns,metrics-server,local-storage,servicelb'],
    })
    await ok(['apply', '-f', '-'], manifest)
    await ok(['wait', '--for=condition=Ready', 'pod/shell', 'pod/ticker', '--timeout=90s'])
  })
  after(async () => {
    await server?.stop()
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
    if (home !== undefined) rmSync(home, { recursive: true, force: true })
  })

  it('kubectl exec runs the command: stdout, stderr and its exit code', async () => {
    const r = await kubectl(['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'])
    assert.equal(r.stdout, 'out\n')
    assert.equal(r.stderr, 'err\ncommand terminated with exit code 3\n')
    assert.equal(r.code, 3)
    assert.equal(await ok(['exec', 'shell', '--', 'cat', '/www/index.html']), '<p>forwarded</p>\n')
  })

  it('kubectl exec -i passes stdin through and ends it', async () => {
    assert.equal(await ok(['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; echo end'], 'line one\nline two\n'), 'line one\nline two\nend\n')
  })

  it('kubectl exec over SPDY/3.1 (its fallback, forced) runs the command the same way', async () => {
    const r = await new Promise<{ code: number, stdout: string, stderr: string }>(resolve => {
      const child = execFile('kubectl', ['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; echo err >&2; exit 4'], {
        env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: server!.kubeconfigPath, KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' },
      }, (err, stdout, stderr) => resolve({ code: err === null ? 0 : (err as { code?: number }).code ?? 1, stdout, stderr }))
      child.stdin!.end('via spdy\n')
    })
    assert.equal(r.stdout, 'via spdy\n')
    assert.equal(r.stderr, 'err\ncommand terminated with exit code 4\n')
    assert.equal(r.code, 4)
  })

  it('a command that cannot start is the runtime\'s error, worded as containerd words it', async () => {
    const r = await kubectl(['exec', 'shell', '--', 'no-such-command'])
    assert.equal(r.code, 1)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "no-such-command": executable file not found in \$PATH: unknown\n$/)
  })

  it('kubectl cp copies a file in and out', async () => {
    const src = join(home, 'hello.txt')
    writeFileSync(src, 'copied by kubectl cp\n')
    await ok(['cp', src, 'shell:/tmp/hello.txt'])
    assert.equal(await ok(['exec', 'shell', '--', 'cat', '/tmp/hello.txt']), 'copied by kubectl cp\n')
    const back = join(home, 'back.txt')
    await ok(['cp', 'shell:/tmp/hello.txt', back])
    assert.equal(readFileSync(back, 'utf8'), 'copied by kubectl cp\n')
  })

  it('kubectl attach streams the main process\'s output', async () => {
    const { stop } = await kubectlUntil(['attach', 'ticker'], env(), /tick\n/)
    stop()
  })

  it('kubectl debug -i: an ephemeral container in the target\'s process namespace, its stdin attached', async () => {
    // The shell reads commands from kubectl's stdin, which stays open while it answers (with
    // stdinOnce false, as kubectl debug asks, containerd and Docker stop the output when the
    // attach's stdin ends); `ps` sees the target container's loop.
    const child = spawn('kubectl', ['debug', '-i', 'ticker', `--image=${TEST_IMAGE}`, '--target=app', '-c', 'dbg', '--', 'sh'], { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: server!.kubeconfigPath } })
    let out = ''
    const seen = (re: RegExp): Promise<void> => new Promise((resolve, reject) => {
      const look = (): void => { if (re.test(out)) resolve() }
      child.stdout.on('data', (b: Buffer) => { out += b.toString(); look() })
      child.once('exit', code => reject(new Error(`kubectl debug exited with ${code} before printing ${re}:\n${out}`)))
      look()
    })
    child.stdin.write('busybox ps\n')
    await seen(/while true; do echo tick; sleep 0\.2; done/)
    child.stdin.write('echo done-$((6*7))\n')
    await seen(/done-42/)
    child.stdin.end('exit\n')
    assert.equal(await new Promise(resolve => child.once('exit', resolve)), 0)
    const pod = JSON.parse(await ok(['get', 'pod', 'ticker', '-o', 'json']))
    // kubectl attached once the kubelet said it runs.
    const status = pod.status.ephemeralContainerStatuses.find((c: { name: string }) => c.name === 'dbg')
    assert.match(status?.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/, JSON.stringify(pod.status))
  })

  it('kubectl logs of a container with a TTY: its one raw stream, line by line', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: tty-logs}
spec:
  terminationGracePeriodSeconds: 0
  restartPolicy: Never
  containers:
  - name: app
    image: ${TEST_IMAGE}
    tty: true
    command: [sh, -c, 'echo one; echo two']
`)
    await ok(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/tty-logs', '--timeout=60s'])
    // A terminal ends its lines with \r\n, which the log keeps (as containerd's does).
    assert.equal(await ok(['logs', 'tty-logs']), 'one\r\ntwo\r\n')
  })

  it('puts a pod in the host\'s namespaces when it asks (hostNetwork, hostPID) and shares one among its containers (shareProcessNamespace)', async () => {
    // A port nobody on this host listens on now: the pod's server binds it on the host's network.
    const port = await new Promise<number>(resolve => { const srv = createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as AddressInfo).port; srv.close(() => resolve(p)) }) })
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: on-host}
spec:
  terminationGracePeriodSeconds: 0
  hostNetwork: true
  hostPID: true
  containers:
  - name: app
    image: ${TEST_IMAGE}
    command: [sh, -c, 'mkdir -p /www && echo on-the-host > /www/index.html && exec httpd -f -p ${port} -h /www']
---
apiVersion: v1
kind: Pod
metadata: {name: shared}
spec:
  terminationGracePeriodSeconds: 0
  shareProcessNamespace: true
  containers:
  - {name: a, image: ${TEST_IMAGE}, command: [sleep, '3601']}
  - {name: b, image: ${TEST_IMAGE}, command: [sleep, '3602']}
`)
    await ok(['wait', '--for=condition=Ready', 'pod/on-host', 'pod/shared', '--timeout=90s'])
    const onHost = JSON.parse(await ok(['get', 'pod', 'on-host', '-o', 'json']))
    assert.equal(onHost.status.podIP, onHost.status.hostIP, 'the node\'s IP')
    // Its server listens on the host's network; pods/proxy reaches it there.
    assert.equal(await ok(['get', '--raw', `/api/v1/namespaces/default/pods/on-host:${port}/proxy/`]), 'on-the-host\n')
    // The host's processes, this test's own among them.
    assert.match(await ok(['exec', 'on-host', '--', 'busybox', 'ps']), new RegExp(`\\b${process.pid}\\b`))
    const ps = await ok(['exec', 'shared', '-c', 'b', '--', 'busybox', 'ps'])
    assert.match(ps, /sleep 3601/)
    assert.match(ps, /sleep 3602/)
  })

  it('runs in a terminal when asked (client-node, tty: true)', async () => {
    const kc = new k8s.KubeConfig()
    kc.loadFromFile(server!.kubeconfigPath)
    const stdout = new PassThrough()
    let out = ''
    stdout.on('data', (b: Buffer) => { out += b.toString() })
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc).exec('default', 'shell', 'app', ['sh', '-c', 'test -t 1 && echo tty || echo no-tty'], stdout, null, null, true, resolve).catch(reject)
    })
    assert.equal(out, 'tty\r\n')
    assert.equal(status.status, 'Success')
  })

  for (const [how, extra] of [['SPDY/3.1 in a WebSocket, as kubectl 1.32 asks', {}], ['plain SPDY/3.1, kubectl\'s fallback', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }]] as const) {
    it(`kubectl port-forward forwards local connections to the pod (${how})`, async () => {
      const { match, stop } = await kubectlUntil(['port-forward', 'pod/shell', ':8080'], { ...env(), extra }, /Forwarding from 127\.0\.0\.1:(\d+) -> 8080\n/)
      try {
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`http://127.0.0.1:${match[1]}/`)
          assert.equal(await res.text(), '<p>forwarded</p>\n')
        }
      } finally { stop() }
    })
  }

  it('kubectl port-forward to a port nobody listens on reports the connection refused', async () => {
    let out = ''
    const child = spawn('kubectl', ['port-forward', 'pod/shell', ':9'], { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: server!.kubeconfigPath } })
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
    const waiting = new Set<() => void>()
    const collect = (b: Buffer): void => { out += b.toString(); for (const w of [...waiting]) w() }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const seen = (re: RegExp): Promise<RegExpExecArray> => new Promise((resolve, reject) => {
      const look = (): void => { const m = re.exec(out); if (m !== null) { waiting.delete(look); resolve(m) } }
      waiting.add(look)
      look()
      void exited.then(code => reject(new Error(`kubectl port-forward exited with ${code} before printing ${re}:\n${out}`)))
    })
    try {
      const m = await seen(/Forwarding from 127\.0\.0\.1:(\d+) -> 9\n/)
      await fetch(`http://127.0.0.1:${m[1]}/`).catch(() => {})
      await seen(/an error occurred forwarding \d+ -> 9: error forwarding port 9 to pod default\/shell, uid [0-9a-f-]+: dial tcp 10\.42\.\d+\.\d+:9: connect: connection refused/)
    } finally { child.kill() }
    await exited
  })

  it('kubectl get --raw through pods/proxy and services/proxy reaches the pod\'s server', async () => {
    assert.equal(await ok(['get', '--raw', '/api/v1/namespaces/default/pods/shell:8080/proxy/']), '<p>forwarded</p>\n')
    assert.equal(await ok(['get', '--raw', '/api/v1/namespaces/default/pods/http:shell:8080/proxy/index.html?x=1']), '<p>forwarded</p>\n')
    // Nothing after /proxy: a 301 to /proxy/, which kubectl follows.
    assert.equal(await ok(['get', '--raw', '/api/v1/namespaces/default/pods/shell:8080/proxy']), '<p>forwarded</p>\n')
    const refused = await kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/shell:9999/proxy/'])
    assert.match(refused.stderr, /^Error from server \(ServiceUnavailable\): error trying to reach service: dial tcp 10\.42\.\d+\.\d+:9999: connect: connection refused\n$/)
    await ok(['label', 'pod', 'shell', 'app=shell'])
    await ok(['expose', 'pod', 'shell', '--name', 'web', '--port', '80', '--target-port', '8080'])
    await ok(['wait', '--for=jsonpath={.subsets[0].addresses[0].targetRef.name}=shell', 'endpoints/web', '--timeout=30s'])
    assert.equal(await ok(['get', '--raw', '/api/v1/namespaces/default/services/web:80/proxy/']), '<p>forwarded</p>\n')
    assert.equal(await ok(['get', '--raw', '/api/v1/namespaces/default/services/web/proxy/index.html']), '<p>forwarded</p>\n')
    const noPort = await kubectl(['get', '--raw', '/api/v1/namespaces/default/services/web:81/proxy/'])
    assert.equal(noPort.stderr, 'Error from server (ServiceUnavailable): no service port 81 found for service "web"\n')
  })

  it('client-node\'s PortForward (the kubelet\'s WebSocket protocol) forwards a connection', async () => {
    const kc = new k8s.KubeConfig()
    kc.loadFromFile(server!.kubeconfigPath)
    const output = new PassThrough()
    let got = ''
    output.on('data', (b: Buffer) => { got += b.toString() })
    const input = new PassThrough()
    const ws = await new k8s.PortForward(kc).portForward('default', 'shell', [8080], output, null, input) as { close?: () => void }
    input.write('GET / HTTP/1.0\r\n\r\n')
    const { waitFor } = await import('../support/wait.ts')
    await waitFor('the forwarded answer', async () => got.includes('<p>forwarded</p>') ? true : undefined, 30_000, () => got)
    assert.match(got, /^HTTP\/1\.[01] 200 OK/)
    ws.close?.()
  })

  it('client-node\'s Exec gets stdout, stderr and the exit status', async () => {
    const kc = new k8s.KubeConfig()
    kc.loadFromFile(server!.kubeconfigPath)
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    let out = ''
    let err = ''
    stdout.on('data', (b: Buffer) => { out += b.toString() })
    stderr.on('data', (b: Buffer) => { err += b.toString() })
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc).exec('default', 'shell', 'app', ['sh', '-c', 'echo hi; echo oops >&2; exit 2'], stdout, stderr, null, false, resolve).catch(reject)
    })
    assert.equal(out, 'hi\n')
    assert.equal(err, 'oops\n')
    assert.equal(status.status, 'Failure')
    assert.equal(status.reason, 'NonZeroExitCode')
    assert.deepEqual(status.details?.causes, [{ reason: 'ExitCode', message: '2' }])
  })
})
