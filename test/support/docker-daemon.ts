// A Docker engine for the docker runtime's tests. These machines have no daemon running, but
// Debian's docker.io (scripts/install-system-deps.sh) starts as root with its own socket and
// data root without touching the host network:
//   dockerd --host unix://<dir>/docker.sock --data-root <dir>/data --iptables=false --bridge=none
// No registry is reachable, so the test image is built here: Debian's static busybox in an empty
// root with a few applet links, `docker import`ed as k3sim-test/busybox:1.35. The daemon starts on
// first use and stops after the run (root hook in test/support/root-hooks.ts).
// K3SIM_TEST_DOCKER_HOST=unix:///path uses a running daemon instead.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DockerEngine, engineTarget } from '../../src/runtime/docker/engine.ts'
import { tar } from '../../src/runtime/docker/tar.ts'

export const TEST_IMAGE = 'k3sim-test/busybox:1.35'
const BUSYBOX = '/bin/busybox'
const APPLETS = ['sh', 'httpd', 'sleep', 'echo', 'cat', 'ls', 'touch', 'rm', 'test', 'env', 'pwd', 'true', 'false', 'head', 'dd', 'wc', 'grep', 'mkdir', 'printf', 'kill', 'date', 'tar']

export interface TestDocker {
  engine: DockerEngine
  /** DOCKER_HOST for child processes (k3sim server, the docker CLI). */
  host: string
}

let started: Promise<TestDocker | string> | undefined
let daemon: { child: ChildProcess, dir: string } | undefined

/** The engine, or a string saying why there is none (the caller skips with it). */
export function testDocker (): Promise<TestDocker | string> {
  started ??= start()
  return started
}

async function start (): Promise<TestDocker | string> {
  let host = process.env.K3SIM_TEST_DOCKER_HOST
  if (host === undefined) {
    const why = cannotStart()
    if (why !== undefined) return why
    removeStaleBridges()
    const dir = mkdtempSync(join(tmpdir(), 'k3sim-dockerd-'))
    host = `unix://${join(dir, 'docker.sock')}`
    const child = spawn('dockerd', ['--host', host, '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'),
      '--pidfile', join(dir, 'docker.pid'), '--iptables=false', '--ip-masq=false', '--bridge=none'], { stdio: ['ignore', 'ignore', 'pipe'] })
    let log = ''
    child.stderr!.on('data', (b: Buffer) => { log = (log + b.toString()).slice(-4000) })
    daemon = { child, dir }
    const engine = new DockerEngine(engineTarget({ DOCKER_HOST: host }))
    const deadline = Date.now() + 30_000
    for (;;) {
      if (child.exitCode !== null) return `dockerd exited with ${child.exitCode} at start:\n${log}`
      try { await engine.ping(); break } catch {}
      if (Date.now() > deadline) { await stopTestDocker(); return `dockerd did not answer on ${host} within 30 s:\n${log}` }
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
  const engine = new DockerEngine(engineTarget({ DOCKER_HOST: host }))
  try {
    await engine.ping()
    await buildTestImage(engine)
  } catch (err) {
    return `the test Docker daemon at ${host} is not usable: ${(err as Error).message}`
  }
  return { engine, host }
}

/**
 * A private dockerd that was killed (or whose run was) leaves its networks' Linux bridges behind
 * with their 10.42.0.0/16 address and route; the next run's bridge then loses the host's traffic
 * to pods (probes fail). Remove such bridges: named br-*, in 10.42.0.0/16, with no port up.
 */
function removeStaleBridges (): void {
  const out = spawnSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' })
  if (out.status !== 0) return
  for (const line of out.stdout.split('\n')) {
    const m = /^\d+:\s+(br-[0-9a-f]+)\s+inet\s+10\.42\./.exec(line)
    if (m === null) continue
    const link = spawnSync('ip', ['-o', 'link', 'show', m[1]], { encoding: 'utf8' }).stdout
    if (!link.includes('NO-CARRIER') && !link.includes('state DOWN')) continue
    spawnSync('ip', ['link', 'delete', m[1]])
  }
}

function cannotStart (): string | undefined {
  if (spawnSync('sh', ['-c', 'command -v dockerd']).status !== 0) return 'dockerd is not installed (scripts/install-system-deps.sh installs Debian\'s docker.io)'
  if (!existsSync(BUSYBOX)) return `${BUSYBOX} is missing (install Debian's busybox-static)`
  if (process.getuid?.() !== 0) return 'starting a private dockerd needs root (or set K3SIM_TEST_DOCKER_HOST to a running daemon)'
  return undefined
}

async function buildTestImage (engine: DockerEngine): Promise<void> {
  if (await engine.inspectImage(TEST_IMAGE) !== undefined) return
  const [repo, tag] = TEST_IMAGE.split(':')
  const entries = [
    { path: 'bin/busybox', content: readFileSync(BUSYBOX), mode: 0o755 },
    ...APPLETS.map(a => ({ path: `bin/${a}`, link: 'busybox', mode: 0o777 })),
    { path: 'tmp', mode: 0o1777 },
    { path: 'www/index.html', content: Buffer.from('<h1>hello from k3sim busybox</h1>\n'), mode: 0o644 },
  ]
  await engine.importImage(tar(entries), repo, tag, ['ENV PATH=/bin', 'CMD ["sh"]'])
}

/** In a mocha `before`: the engine, or the suite is skipped with the reason printed. */
export async function dockerOrSkip (ctx: { skip (): void }, what: string): Promise<TestDocker> {
  const d = await testDocker()
  if (typeof d === 'string') {
    console.log(`    ${what} skipped: ${d}`)
    ctx.skip()
  }
  return d as TestDocker
}

/** Stop the private daemon (if this process started one) and remove its directory. */
export async function stopTestDocker (): Promise<void> {
  const d = daemon
  daemon = undefined
  started = undefined
  if (d === undefined) return
  if (d.child.exitCode === null) {
    // Networks first: dockerd leaves the bridges of networks that still exist when it stops.
    spawnSync('docker', ['-H', `unix://${join(d.dir, 'docker.sock')}`, 'network', 'prune', '-f'], { stdio: 'ignore' })
    const exited = new Promise(resolve => d.child.once('exit', resolve))
    d.child.kill('SIGTERM')
    const timer = setTimeout(() => d.child.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(timer)
  }
  // dockerd keeps the host's network namespace mounted under its exec root once a container used
  // it (hostNetwork pods), even after it exits: unmounted, or the directory cannot go.
  for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
    const mountPoint = line.split(' ')[1]
    if (mountPoint?.startsWith(d.dir + '/')) spawnSync('umount', ['-l', mountPoint], { stdio: 'ignore' })
  }
  rmSync(d.dir, { recursive: true, force: true, maxRetries: 3 })
}

/** The docker CLI against the test daemon (the e2e tests check what is left with it). */
export function dockerCli (host: string, args: string[]): string {
  const r = spawnSync('docker', args, { env: { ...process.env, DOCKER_HOST: host }, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`)
  return r.stdout
}
