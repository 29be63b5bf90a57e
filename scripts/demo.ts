// `npm run demo`: starts `k3sim kine` on a fresh data dir and walks through what it does with
// the real etcdctl, printing each command and its output. Run by the README's first command.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const dataDir = mkdtempSync(join(tmpdir(), 'k3sim-demo-'))
const kine = spawn(process.execPath, [join(root, 'src', 'cli', 'main.ts'), 'kine', '--data-dir', dataDir, '--listen-address', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] })
const endpoint = await new Promise<string>((resolve, reject) => {
  kine.on('exit', code => reject(new Error(`k3sim kine exited with code ${code}`)))
  let out = ''
  kine.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    const m = /listening on (\S+)/.exec(out)
    if (m !== null) { process.stdout.write(out); resolve(m[1]) }
  })
})

function etcdctl (args: string[], input?: string): string {
  console.log(`\n$ etcdctl ${args.map(a => (/[\s{}"]/.test(a) ? `'${a}'` : a)).join(' ')}`)
  let out: string
  try {
    out = execFileSync('etcdctl', ['--endpoints', endpoint, ...args], { env: { ...process.env, ETCDCTL_API: '3' }, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
  } catch (err) {
    const e = err as { stdout?: string, stderr?: string, code?: string }
    if (e.code === 'ENOENT') throw new Error('etcdctl not found: run `npm run setup` (installs Debian\'s etcd-client)')
    out = `${e.stdout ?? ''}${e.stderr ?? ''}`
  }
  process.stdout.write(out)
  return out
}

try {
  etcdctl(['endpoint', 'status', '-w', 'table'])
  etcdctl(['put', '/registry/configmaps/default/demo', '{"kind":"ConfigMap","data":{"greeting":"hello"}}'])
  etcdctl(['put', '/registry/configmaps/default/demo', '{"kind":"ConfigMap","data":{"greeting":"hello again"}}'])
  etcdctl(['get', '/registry/', '--prefix', '--keys-only'])
  etcdctl(['get', '/registry/configmaps/default/demo', '--rev', '2'])
  etcdctl(['txn'], 'mod("/registry/configmaps/default/demo") = "3"\n\nput /registry/configmaps/default/demo updated-by-txn\nget /registry/configmaps/default/demo\n\n\n')
  const lease = /lease ([0-9a-f]+) granted/.exec(etcdctl(['lease', 'grant', '60']))![1]
  etcdctl(['put', '--lease', lease, '/registry/events/default/demo.1', 'expires with its lease'])
  etcdctl(['lease', 'timetolive', lease, '--keys'])
  etcdctl(['compaction', '3'])
  etcdctl(['get', '/registry/configmaps/default/demo', '--rev', '2'])
  etcdctl(['member', 'list', '-w', 'table'])
  console.log(`\nThe rows are kine's table in ${join(dataDir, 'db', 'state.db')}; stopping k3sim kine.`)
} finally {
  kine.kill('SIGTERM')
  await new Promise(resolve => kine.on('exit', resolve))
  rmSync(dataDir, { recursive: true, force: true })
}
