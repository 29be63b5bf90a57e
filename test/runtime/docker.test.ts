// The Runtime contract run against DockerRuntime and a real Docker daemon (a private dockerd the
// test run starts, see test/support/docker-daemon.ts). Behaviours are busybox shell programs;
// time passes for real. Then what only the docker runtime does: real exits, OOMKilled, limits,
// env and volumes as the container sees them, the pod's shared network namespace, and cleanup.
import assert from 'node:assert/strict'
import type { Context } from 'mocha'
import { DockerCluster } from '../../src/runtime/docker/index.ts'
import { DockerEngine, DockerUnavailableError, engineTarget } from '../../src/runtime/docker/engine.ts'
import { LABEL } from '../../src/runtime/docker/labels.ts'
import type { DockerRuntime } from '../../src/runtime/docker/docker-runtime.ts'
import type { ContainerConfig } from '../../src/runtime/runtime.ts'
import { type Behaviour, runRuntimeContract, type Workload } from './contract.ts'
import { newPod, nextIP } from './contract-support.ts'
import { dockerCli, TEST_IMAGE, dockerOrSkip, type TestDocker } from '../support/docker-daemon.ts'

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Start-up output, then the marker the harness waits for (after the TERM trap is set). */
const MARK = 'touch /tmp/.started'
const SERVE = 'sleep 3600 & wait'

function workload (b: Behaviour): Workload {
  const sh = (script: string, probes?: Workload['probes']): Workload => ({ image: TEST_IMAGE, command: ['sh', '-c', script], probes })
  const echo = (lines: string[] = []): string => lines.map(l => `echo '${l}'; `).join('')
  switch (b.kind) {
    case 'serve': {
      let setup = ''
      const probes: Workload['probes'] = {}
      if (b.readyAfterMs !== undefined) {
        setup += `(sleep ${b.readyAfterMs / 1000}; touch /tmp/ready) & `
        probes.readiness = { exec: { command: ['cat', '/tmp/ready'] } }
      }
      if (b.livenessFailsAfterMs !== undefined) {
        setup += `touch /tmp/alive; (sleep ${b.livenessFailsAfterMs / 1000}; rm /tmp/alive) & `
        probes.liveness = { exec: { command: ['cat', '/tmp/alive'] } }
      }
      return sh(`trap 'exit 0' TERM; ${echo(b.logs)}${setup}${MARK}; ${SERVE}`, probes)
    }
    // Docker's StartedAt is taken just after the process began: sleep a little longer than asked.
    case 'exit': return sh(`${echo(b.logs)}${MARK}; sleep ${(b.afterMs + 50) / 1000}; exit ${b.exitCode}`)
    case 'log-every': {
      const line = b.line.replace('{n}', '$n')
      return sh(`trap 'exit 0' TERM; n=0; ${MARK}; while true; do sleep ${b.intervalMs / 1000}; n=$((n+1)); echo "${line}"; done`)
    }
    case 'slow-stop': return sh(`trap 'sleep ${b.stopMs / 1000}; exit 0' TERM; ${MARK}; ${SERVE}`)
  }
}

describe('DockerRuntime (real Docker daemon)', function () {
  this.timeout(120_000)
  let docker: TestDocker
  let cluster: DockerCluster
  let nodes = 0

  before(async function (this: Context) {
    docker = await dockerOrSkip(this, 'docker runtime tests')
    cluster = await DockerCluster.connect({ name: 'contract', engine: docker.engine })
  })
  after(async () => { await cluster?.close() })

  const newRuntime = (): DockerRuntime => cluster.runtime(`node-${++nodes}`)

  /** Until the container's start-up marker exists (or it has exited). */
  async function afterStart (id: string): Promise<void> {
    const hex = id.replace('containerd://', '')
    for (let i = 0; i < 100; i++) {
      const info = await docker.engine.inspectContainer(hex)
      if (info === undefined || !info.state.running) return
      if ((await docker.engine.exec(hex, ['test', '-f', '/tmp/.started'], 5000)).exitCode === 0) return
      await sleep(20)
    }
  }

  runRuntimeContract('docker', {
    newRuntime: async () => ({ runtime: newRuntime(), advance: sleep, now: () => Date.now(), workload, afterStart }),
    skip: {
      'pulls once, then finds the image present': 'no registry is reachable here, so the test image is imported beforehand and never pulled (ErrImagePull is covered end to end)',
    },
  })

  describe('what only real containers do', () => {
    let rt: DockerRuntime
    beforeEach(() => { rt = newRuntime() })
    afterEach(async () => { await rt.close() })

    async function run (config: Partial<ContainerConfig> & { command: string[] }): Promise<{ id: string, sandboxId: string, ip: string }> {
      const pod = newPod()
      const ip = nextIP()
      const sandboxId = await rt.runPodSandbox({ pod, ip, hostname: pod.name })
      await rt.pullImage(TEST_IMAGE, { pod, pullPolicy: 'IfNotPresent' })
      const id = await rt.createContainer(sandboxId, { name: 'app', image: TEST_IMAGE, init: false, attempt: 0, restartPolicy: 'Never', ...config }, pod)
      await rt.startContainer(id)
      return { id, sandboxId, ip }
    }

    async function exited (id: string): Promise<Awaited<ReturnType<DockerRuntime['containerStatus']>>> {
      for (;;) {
        const s = await rt.containerStatus(id)
        if (s.state === 'exited') return s
        await sleep(50)
      }
    }

    it('reports OOMKilled when a container outgrows its memory limit', async () => {
      const { id } = await run({ command: ['sh', '-c', 'x=a; while true; do x="$x$x"; done'], resources: { memoryLimitBytes: 8 * 1024 * 1024 } })
      const s = await exited(id)
      assert.deepEqual([s.exitCode, s.reason], [137, 'OOMKilled'])
    })

    it('measures CPU as the rate of the cumulative counter: since the start, then between two samples', async () => {
      const { id } = await run({ command: ['sh', '-c', 'while :; do :; done'] })
      const first = await rt.containerStats(id)
      assert.ok(first.cpuNanoCores > 0, `a first sample is the rate since the start: cpu ${first.cpuNanoCores}`)
      assert.ok(first.memoryBytes > 0)
      const second = await rt.containerStats(id)
      assert.ok(second.cpuNanoCores > 0, `the busy loop ran between the two samples: cpu ${second.cpuNanoCores}`)
    })

    it('maps limits to the CFS quota and the memory cgroup, requests to CPU shares', async () => {
      const { id } = await run({ command: ['sleep', '30'], resources: { cpuLimitMillis: 500, memoryLimitBytes: 64 * 1024 * 1024, cpuRequestMillis: 250 } })
      const hex = id.replace('containerd://', '')
      const out = dockerCli(docker.host, ['inspect', '--format', '{{.HostConfig.CpuQuota}} {{.HostConfig.CpuPeriod}} {{.HostConfig.Memory}} {{.HostConfig.CpuShares}}', hex])
      assert.equal(out.trim(), `50000 100000 ${64 * 1024 * 1024} 256`)
    })

    it('gives env, workingDir and projected files to the process, and shares the pod IP between containers', async () => {
      const pod = newPod()
      const ip = nextIP()
      const sandboxId = await rt.runPodSandbox({ pod, ip, hostname: pod.name })
      const mounts: ContainerConfig['mounts'] = [
        { volume: 'cfg', containerPath: '/etc/cfg', readOnly: true, source: { type: 'files', files: [{ path: 'greeting', content: Buffer.from('hello'), mode: 0o644 }] } },
        { volume: 'scratch', containerPath: '/scratch', readOnly: false, source: { type: 'emptyDir' } },
      ]
      const base = { image: TEST_IMAGE, init: false, attempt: 0, restartPolicy: 'Never', mounts }
      const server = await rt.createContainer(sandboxId, { ...base, name: 'web', command: ['sh', '-c', 'echo shared > /scratch/note; httpd -f -p 8080 -h /www'] }, pod)
      await rt.startContainer(server)
      const client = await rt.createContainer(sandboxId, {
        ...base, name: 'client', env: [{ name: 'WHO', value: 'k3sim' }], workingDir: '/etc/cfg',
        command: ['sh', '-c', 'sleep 0.5; echo "$WHO $(pwd) $(cat greeting) $(cat /scratch/note)"; wget -q -O - http://127.0.0.1:8080/'],
      }, pod)
      await rt.startContainer(client)
      assert.equal((await exited(client)).exitCode, 0)
      assert.equal(await rt.containerLogs(client), 'k3sim /etc/cfg hello shared\n<h1>hello from k3sim busybox</h1>\n')
      const res = await fetch(`http://${ip}:8080/`)
      assert.equal(await res.text(), '<h1>hello from k3sim busybox</h1>\n')
    })

    it('labels every container with cluster, node, pod UID and container name', async () => {
      const { id, sandboxId } = await run({ command: ['sleep', '30'] })
      const info = (await docker.engine.inspectContainer(id.replace('containerd://', '')))!
      assert.equal(info.labels[LABEL.cluster], 'contract')
      assert.equal(info.labels[LABEL.node], rt.nodeName)
      assert.match(info.labels[LABEL.podUid], /^00000000-/)
      assert.equal(info.labels[LABEL.container], 'app')
      assert.equal((await docker.engine.inspectContainer(sandboxId))!.labels[LABEL.container], 'POD')
    })

    it('close() removes exactly its node\'s containers and volumes', async () => {
      const other = newRuntime()
      const pod = newPod()
      const sandboxId = await other.runPodSandbox({ pod, ip: nextIP(), hostname: pod.name })
      await run({ command: ['sleep', '30'], mounts: [{ volume: 'v', containerPath: '/v', readOnly: false, source: { type: 'emptyDir' } }] })
      await rt.close()
      assert.deepEqual(await docker.engine.listContainers([`${LABEL.node}=${rt.nodeName}`]), [])
      assert.deepEqual(await docker.engine.listVolumes([`${LABEL.node}=${rt.nodeName}`]), [])
      assert.equal((await docker.engine.inspectContainer(sandboxId))?.state.running, true, 'the other node keeps its pods')
      await other.close()
    })
  })

  it('says which daemon address it tried when none answers', async () => {
    const engine = new DockerEngine(engineTarget({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' }))
    await assert.rejects(DockerCluster.connect({ name: 'nowhere', engine }), (err: Error) => {
      assert.ok(err instanceof DockerUnavailableError)
      assert.match(err.message, /^cannot reach the Docker daemon at unix:\/\/\/nonexistent\/docker.sock \(from DOCKER_HOST\): .*ENOENT.*Start dockerd/)
      return true
    })
  })
})
