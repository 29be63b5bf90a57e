// `k3sim server --runtime docker` driven by the real kubectl, checked with the docker CLI: pods
// are real containers with IPs in their nodes' CIDRs, kubectl logs shows their output, a
// LoadBalancer Service serves on its host port, crashes loop and missing images back off as on
// k3s, and nothing is left in Docker once pods, or the whole cluster, are gone — also after a
// crash of the server process.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Context } from 'mocha'
import { dockerCli, TEST_IMAGE, dockerOrSkip, type TestDocker } from '../support/docker-daemon.ts'
import { runKubectl } from '../support/kubectl.ts'
import { RawClient } from '../support/raw-https.ts'
import { waitFor } from '../support/wait.ts'
import { startServerProcess, type ServerProcess } from '../support/server-process.ts'
import { cliEnv, type CliEnv } from '../support/k3sim-cli.ts'

const CLUSTER = 'dockere2e'
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => { const port = (s.address() as { port: number }).port; s.close(() => resolve(port)) })
    s.on('error', reject)
  })
}


const manifest = (lbPort: number): string => `
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {greeting: hello-from-configmap, index.html: "<h1>k3sim on docker</h1>"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: httpd
        image: ${TEST_IMAGE}
        command: [sh, -c, 'echo "serving $POD_NAME on $POD_IP: $GREETING"; exec httpd -f -p 80 -h /www']
        env:
        - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
        - {name: GREETING, valueFrom: {configMapKeyRef: {name: web-config, key: greeting}}}
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
        resources: {limits: {cpu: 200m, memory: 32Mi}}
        volumeMounts: [{name: www, mountPath: /www}]
      volumes: [{name: www, configMap: {name: web-config, items: [{key: index.html, path: index.html}]}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: ${lbPort}, targetPort: 80}]
`

describe('k3sim server --runtime docker (real kubectl, real containers)', function () {
  this.timeout(180_000)
  let docker: TestDocker
  let server: ServerProcess | undefined
  let dataDir: string
  let home: string
  let lbPort: number

  const kubectl = (args: string[], input?: string) => runKubectl(args, { home, kubeconfig: server!.kubeconfigPath, input })
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(args, input)
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}\nserver output:\n${server?.output()}`)
    return r.stdout
  }
  const json = async (args: string[]): Promise<any> => JSON.parse(await ok([...args, '-o', 'json']))
  /** Containers (sandboxes included) this cluster has in Docker, by name. */
  const containers = (filter = '', format = '{{.Names}}'): string[] =>
    dockerCli(docker.host, ['ps', '-a', '--filter', `label=io.k3sim.cluster=${CLUSTER}`, ...(filter === '' ? [] : ['--filter', filter]), '--format', format]).split('\n').filter(s => s !== '')
  const k3sim = (args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> => new Promise(resolve => {
    const child = spawn(process.execPath, ['src/cli/main.ts', ...args], { cwd: repoRoot, env: { ...process.env, DOCKER_HOST: docker.host } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString() })
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
    child.on('exit', code => resolve({ code, stdout, stderr }))
  })
  const start = async (): Promise<ServerProcess> => startServerProcess({
    dataDir,
    env: { DOCKER_HOST: docker.host },
    extraArgs: ['--runtime', 'docker', '--cluster-name', CLUSTER, '--agents', '1', '--disable', 'traefik,coredns,metrics-server,local-storage'],
  })

  before(async function (this: Context) {
    docker = await dockerOrSkip(this, 'docker e2e tests')
    dataDir = mkdtempSync(join(tmpdir(), 'k3sim-docker-e2e-'))
    home = mkdtempSync(join(tmpdir(), 'k3sim-docker-e2e-home-'))
    lbPort = await freePort()
    server = await start()
  })
  after(async () => {
    await server?.stop()
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
    if (home !== undefined) rmSync(home, { recursive: true, force: true })
  })

  it('runs a Deployment of 2 busybox httpd replicas with IPs in their nodes\' CIDRs', async () => {
    await ok(['apply', '-f', '-'], manifest(lbPort))
    await ok(['rollout', 'status', 'deploy/web', '--timeout=90s'])
    const pods = (await json(['get', 'pods', '-l', 'app=web'])).items
    assert.equal(pods.length, 2)
    const cidrs = new Map<string, string>((await json(['get', 'nodes'])).items.map((n: any) => [n.metadata.name, n.spec.podCIDR]))
    for (const p of pods) {
      assert.equal(p.status.phase, 'Running')
      const prefix = cidrs.get(p.spec.nodeName)!.replace(/0\/24$/, '')
      assert.ok(p.status.podIP.startsWith(prefix), `${p.status.podIP} in ${cidrs.get(p.spec.nodeName)}`)
      const id = p.status.containerStatuses[0].containerID.replace('containerd://', '')
      const inspected = dockerCli(docker.host, ['inspect', '--format', '{{.State.Running}} {{index .Config.Labels "io.kubernetes.pod.uid"}} {{.HostConfig.Memory}}', id]).trim()
      assert.equal(inspected, `true ${p.metadata.uid} ${32 * 1024 * 1024}`)
      const res = await fetch(`http://${p.status.podIP}/`)
      assert.equal(await res.text(), '<h1>k3sim on docker</h1>')
    }
    assert.notEqual(pods[0].spec.nodeName, pods[1].spec.nodeName, 'spread over both nodes')
    // Each node lists the image in its status once its kubelet's next status check (10 s) has run.
    const repo = TEST_IMAGE.slice(0, TEST_IMAGE.lastIndexOf(':'))
    for (const node of new Set(pods.map((p: any) => p.spec.nodeName as string))) {
      await ok(['wait', `node/${node}`, `--for=jsonpath={.status.images[*].names[*]}`, '--timeout=60s'])
      const images = (await json(['get', `node/${node}`])).status.images as Array<{ names: string[], sizeBytes: number }>
      assert.ok(images.some(i => i.sizeBytes > 0 && i.names.some(n => n.includes(repo))), JSON.stringify(images))
    }
  })

  it('shows the containers\' real output in kubectl logs', async () => {
    const pods = (await json(['get', 'pods', '-l', 'app=web'])).items
    for (const p of pods) {
      const out = await ok(['logs', p.metadata.name])
      assert.equal(out, `serving ${p.metadata.name} on ${p.status.podIP}: hello-from-configmap\n`)
      assert.match(await ok(['logs', p.metadata.name, '--timestamps', '--tail=1']), /^\d{4}-\d\d-\d\dT[\d:.]{18}Z serving /)
    }
  })

  it('serves the LoadBalancer Service on its 127.0.0.1 host port, round robin, and on its NodePort', async () => {
    const svc = await waitFor('the LoadBalancer ingress', async () => {
      const s = await json(['get', 'svc', 'web'])
      return (s.status.loadBalancer?.ingress ?? []).length === 2 ? s : undefined
    })
    const seen = new Set<string>()
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`http://127.0.0.1:${lbPort}/`)
      assert.equal(res.status, 200)
      assert.equal(await res.text(), '<h1>k3sim on docker</h1>')
    }
    const nodePort = svc.spec.ports[0].nodePort
    assert.equal(await (await fetch(`http://127.0.0.1:${nodePort}/`)).text(), '<h1>k3sim on docker</h1>')
    // busybox httpd logs nothing per request; the pods' Endpoints show both behind the port.
    for (const a of (await json(['get', 'endpoints', 'web'])).subsets[0].addresses) seen.add(a.ip)
    assert.equal(seen.size, 2)
  })

  it('sends a container that exits 1 into CrashLoopBackOff with its restart count and previous log', async () => {
    await ok(['run', 'crash', `--image=${TEST_IMAGE}`, '--restart=Always', '--', 'sh', '-c', 'echo about to fail; exit 1'])
    const status = await waitFor('CrashLoopBackOff after a restart', async () => {
      const s = (await json(['get', 'pod', 'crash'])).status.containerStatuses?.[0]
      return s?.state.waiting?.reason === 'CrashLoopBackOff' && s.restartCount >= 1 ? s : undefined
    })
    assert.deepEqual([status.lastState.terminated.exitCode, status.lastState.terminated.reason], [1, 'Error'])
    assert.match(status.state.waiting.message, /^back-off (10|20)s restarting failed container=crash pod=crash_default\(/)
    const table = await ok(['get', 'pod', 'crash', '--no-headers'])
    assert.match(table, new RegExp(`^crash\\s+0/1\\s+CrashLoopBackOff\\s+${status.restartCount} \\(`))
    assert.equal(await ok(['logs', 'crash', '--previous']), 'about to fail\n')
    await ok(['delete', 'pod', 'crash', '--grace-period=0', '--force'])
    await waitFor('its containers removed', async () => containers('label=io.kubernetes.pod.name=crash').length === 0 ? true : undefined)
  })

  it('gives a missing image ErrImagePull, then ImagePullBackOff, saying how to provide it', async () => {
    // The pod's status as a watch sees each write of it (ErrImagePull lasts only until the next
    // sync): a raw watch, registered once its response headers are in, before the pod exists.
    const raw = new RawClient(readFileSync(server!.kubeconfigPath, 'utf8'))
    const watch = await raw.stream('/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Dmissing')
    const reasons = (): string => watch.lines.map((l: any) => l.object?.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? '').join('\n') + '\n'
    try {
      await ok(['run', 'missing', '--image=k3sim.invalid/missing:1'])
      await waitFor('ErrImagePull, then ImagePullBackOff', async () => /ErrImagePull\n(.*\n)*ImagePullBackOff\n/.test(reasons()) ? true : undefined, 60_000, reasons)
    } finally {
      watch.close()
    }
    const events = (await json(['get', 'events', '--field-selector', 'involvedObject.name=missing'])).items.map((e: any) => `${e.reason}: ${e.message}`)
    assert.ok(events.includes('Failed: Error: ErrImagePull'), events.join('\n'))
    assert.ok(events.some((e: string) => e.startsWith('Failed: Failed to pull image "k3sim.invalid/missing:1": ') && e.includes(`k3sim image import k3sim.invalid/missing:1 -c ${CLUSTER}`)), events.join('\n'))
    assert.ok(events.includes('BackOff: Back-off pulling image "k3sim.invalid/missing:1"'), events.join('\n'))
    await ok(['delete', 'pod', 'missing', '--grace-period=0', '--force'])
    await waitFor('its containers removed', async () => containers('label=io.kubernetes.pod.name=missing').length === 0 ? true : undefined)
  })

  it('removes the containers when scaled to 0 and deleted (checked with the docker CLI)', async () => {
    assert.equal(containers('label=io.kubernetes.pod.namespace=default').length, 4, `two pods: a sandbox and httpd each; ${containers('label=io.kubernetes.pod.namespace=default').join(' ')}`)
    await ok(['scale', 'deploy/web', '--replicas=0'])
    await waitFor('the web containers gone', async () => containers('label=io.kubernetes.pod.namespace=default').length === 0 ? true : undefined)
    await ok(['delete', 'deploy/web', 'svc/web', 'configmap/web-config'])
    await waitFor('the svclb containers gone', async () => containers().length === 0 ? true : undefined)
    await assert.rejects(fetch(`http://127.0.0.1:${lbPort}/`))
  })

  it('k3sim image import loads a docker save tarball for the cluster and records it; refuses what it cannot find', async () => {
    const tarball = join(dataDir, 'imported.tar')
    dockerCli(docker.host, ['tag', TEST_IMAGE, 'k3sim-test/imported:2'])
    dockerCli(docker.host, ['save', '-o', tarball, 'k3sim-test/imported:2'])
    dockerCli(docker.host, ['rmi', 'k3sim-test/imported:2'])
    const imported = await k3sim(['image', 'import', tarball, TEST_IMAGE, '-c', CLUSTER])
    assert.equal(imported.code, 0, imported.stderr)
    assert.match(imported.stdout, /INFO\[\d{4}\] Successfully imported 2 image\(s\) into 1 cluster\(s\)\n$/) // INFO on stdout, as k3d logs it
    assert.deepEqual(JSON.parse(readFileSync(join(dataDir, 'images.json'), 'utf8')), ['docker.io/k3sim-test/busybox:1.35', 'docker.io/k3sim-test/imported:2'])
    await ok(['run', 'imported', '--image=k3sim-test/imported:2', '--', 'sleep', '3600'])
    await ok(['wait', '--for=condition=Ready', 'pod/imported', '--timeout=60s'])
    await ok(['delete', 'pod', 'imported', '--grace-period=0', '--force'])
    await waitFor('its containers removed', async () => containers('label=io.kubernetes.pod.name=imported').length === 0 ? true : undefined)
    const missing = await k3sim(['image', 'import', 'k3sim-test/not-here:1', '-c', CLUSTER])
    assert.deepEqual([missing.code, missing.stderr.split('\n').at(-2)], [1, `Error: image 'k3sim-test/not-here:1' is not in the Docker image store at ${docker.host} (from DOCKER_HOST): \`docker pull k3sim-test/not-here:1\` it first, or pass a tarball made with \`docker save\``])
    const unknown = await k3sim(['image', 'import', TEST_IMAGE, '-c', 'nosuchcluster'])
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /^Error: cluster 'nosuchcluster' is not running with the docker runtime \(no Docker network k3sim-nosuchcluster at /)
  })

  it('removes a crashed run\'s leftovers at the next start, and leaves nothing once stopped', async () => {
    await ok(['run', 'sleeper', `--image=${TEST_IMAGE}`, '--overrides', JSON.stringify({ spec: { volumes: [{ name: 'scratch', emptyDir: {} }], containers: [{ name: 'sleeper', image: TEST_IMAGE, command: ['sleep', '3600'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }] } })])
    await ok(['wait', '--for=condition=Ready', 'pod/sleeper', '--timeout=60s'])
    const before = containers('', '{{.ID}}')
    assert.equal(before.length, 2)
    await server!.stop('SIGKILL')
    assert.deepEqual(containers('', '{{.ID}}'), before, 'a killed server cleans nothing up')
    assert.equal(dockerCli(docker.host, ['volume', 'ls', '-q', '--filter', `label=io.k3sim.cluster=${CLUSTER}`]).trim().split('\n').length, 1)
    server = await start()
    // The old containers are removed at start; the kubelet runs the pod again in new ones.
    await waitFor('the pod in new containers', async () => {
      const now = containers('', '{{.ID}}')
      return now.length === 2 && now.every(id => !before.includes(id)) ? true : undefined
    })
    assert.equal(await server.stop(), 0)
    server = undefined
    assert.deepEqual(containers(), [])
    assert.equal(dockerCli(docker.host, ['network', 'ls', '--filter', `label=io.k3sim.cluster=${CLUSTER}`, '-q']).trim(), '')
    assert.equal(dockerCli(docker.host, ['volume', 'ls', '--filter', `label=io.k3sim.cluster=${CLUSTER}`, '-q']).trim(), '')
  })
})

describe('k3sim server --runtime docker without a Docker daemon', () => {
  it('exits 1 naming the socket it tried and DOCKER_HOST', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'k3sim-no-docker-'))
    try {
      await assert.rejects(startServerProcess({ dataDir, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, extraArgs: ['--runtime', 'docker'] }), (err: Error) => {
        assert.match(err.message, /exited with 1 before listening:\nError: cannot reach the Docker daemon at unix:\/\/\/nonexistent\/docker.sock \(from DOCKER_HOST\): .*ENOENT/)
        return true
      })
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

describe('k3sim cluster create --runtime docker, then cluster delete', function () {
  this.timeout(180_000)
  let docker: TestDocker
  let env: CliEnv
  before(async function (this: Context) {
    docker = await dockerOrSkip(this, 'docker cluster tests')
    env = cliEnv()
  })
  after(async () => { await env?.cleanup() })

  it('runs a pod as containers, forwards -p HOST:PORT@loadbalancer, and leaves no container, network or volume once deleted', async () => {
    const hostPort = await freePort()
    const dockerEnv = { env: { DOCKER_HOST: docker.host } }
    const created = await env.k3sim(['cluster', 'create', 'dk', '--runtime', 'docker', '--agents', '1', '-p', `${hostPort}:80@loadbalancer`, '--disable', 'traefik,coredns,metrics-server,local-storage'], dockerEnv)
    assert.equal(created.code, 0, created.stderr)
    const labelled = (what: 'ps' | 'network' | 'volume'): string[] =>
      dockerCli(docker.host, [...(what === 'ps' ? ['ps', '-a'] : [what, 'ls']), '--filter', 'label=io.k3sim.cluster=dk', '-q']).split('\n').filter(s => s !== '')
    const ok = async (args: string[], input?: string): Promise<string> => {
      const r = await env.kubectl(args, { input })
      assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`)
      return r.stdout
    }
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  volumes: [{name: scratch, emptyDir: {}}]
  containers: [{name: httpd, image: ${TEST_IMAGE}, command: [httpd, -f, -p, '80', -h, /www], volumeMounts: [{name: scratch, mountPath: /scratch}], readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
`)
    await ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s'])
    assert.ok(labelled('ps').length >= 2, 'the pod\'s sandbox and httpd (and the svclb pods\' sandboxes)')
    assert.ok(labelled('network').length === 1 && labelled('volume').length === 1)
    const page = await waitFor('the page on the -p host port', async () => {
      const r = await fetch(`http://127.0.0.1:${hostPort}/`).catch(() => undefined)
      return r?.ok === true ? await r.text() : undefined
    })
    assert.match(page, /hello from k3sim busybox/)
    const deleted = await env.k3sim(['cluster', 'delete', 'dk'], dockerEnv)
    assert.equal(deleted.code, 0, deleted.stderr)
    assert.deepEqual([labelled('ps'), labelled('network'), labelled('volume')], [[], [], []])
  })
})
