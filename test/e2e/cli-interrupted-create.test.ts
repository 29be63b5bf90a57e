// `k3sim cluster create` interrupted while its cluster process starts (Ctrl-C, or `| head -2`
// closing its output): the cluster process is detached and must not die with the command. It
// used to, on an unhandled ERR_IPC_DISCONNECTED when it announced itself ready to a parent that
// was gone. k3d's node containers likewise keep running when `k3d cluster create` is killed after
// they start; the cluster is then usable and `cluster delete` removes it.
// No timing: a preload makes the cluster process hold its ready message until the command is
// gone, and every step waits on state the processes show (pid file, exit, log line, API).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { alive, cliEnv, waitFor, type CliEnv } from '../support/k3sim-cli.ts'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const gate = fileURLToPath(new URL('../cli/hold-ready-until-orphaned.ts', import.meta.url))

describe('k3sim cluster create interrupted while the cluster process starts', function () {
  this.timeout(180_000)
  let env: CliEnv
  before(() => { env = cliEnv() })
  after(async () => { await env.cleanup() })

  it('the cluster process outlives the command, serves, and is deleted cleanly', async () => {
    const clusterDir = join(env.k3simHome, 'clusters', 'sp')
    const cli = spawn(process.execPath, ['src/cli/main.ts', 'cluster', 'create', 'sp'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: env.home, K3SIM_HOME: env.k3simHome, KUBECONFIG: env.kubeconfig, NODE_OPTIONS: `--import=${gate}` },
      stdio: 'ignore',
    })
    const cliExit = new Promise(resolve => cli.on('exit', (code, signal) => resolve(signal ?? code)))
    // The command has started the cluster process (it writes the pid file right after spawning it).
    const pid = await waitFor('the cluster process to be started', async () => existsSync(join(clusterDir, 'server.pid')) ? Number(readFileSync(join(clusterDir, 'server.pid'), 'utf8')) : undefined)
    cli.kill('SIGINT') // Ctrl-C on the command (the cluster process has its own session: not on it)
    assert.equal(await cliExit, 'SIGINT')
    // The cluster process, now orphaned, announces itself ready to no one and carries on.
    const serverLog = (): string => readFileSync(join(clusterDir, 'server.log'), 'utf8')
    const outcome = await waitFor('the cluster process to find its command gone (or die)', async () => {
      if (serverLog().includes('the command that started this server is gone')) return 'carried on'
      return alive(pid) ? undefined : 'died'
    }, 60_000, () => serverLog().slice(-2000))
    assert.equal(outcome, 'carried on', serverLog().slice(-2000))
    const [listed] = JSON.parse((await env.k3sim(['cluster', 'list', 'sp', '-o', 'json'])).stdout) as Array<{ serversRunning: number }>
    assert.equal(listed.serversRunning, 1)
    const merged = await env.k3sim(['kubeconfig', 'merge', 'sp', '-d'])
    assert.equal(merged.code, 0, merged.stderr)
    const nodes = await env.kubectl(['get', 'nodes', '--no-headers'])
    assert.match(nodes.stdout, /^k3sim-sp-server-0\s+Ready\s/m, nodes.stderr)
    assert.equal(alive(pid), true, serverLog().slice(-2000))
    assert.doesNotMatch(serverLog(), /ERR_IPC_DISCONNECTED|Unhandled 'error' event/)
    // The lock the killed command held is taken over; delete removes process and state.
    const deleted = await env.k3sim(['cluster', 'delete', 'sp'])
    assert.equal(deleted.code, 0, deleted.stderr)
    assert.equal(alive(pid), false)
    assert.equal(existsSync(clusterDir), false)
  })
})
