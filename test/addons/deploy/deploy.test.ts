// The auto-deploy manifests directory (k3s's server/manifests) through the library: files applied
// at start and on change, one Addon per file with its checksum, k3s's skip rules, pruning of
// objects removed from a file, nothing deleted with a file, and failures as Addon events.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KubeObject } from '../../../src/api/object.ts'
import { isStatusError } from '../../../src/apiserver/errors.ts'
import { Cluster } from '../../../src/cluster/cluster.ts'
import { checksum } from '../../../src/addons/deploy/files.ts'
import { ADDON_NAMES } from '../../../src/addons/manifests/index.ts'

type Addon = KubeObject & { spec: { source: string, checksum: string } }

const web = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`
const demo = (value: string, extra = ''): string => `apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: demo
data:
  greeting: ${value}
${extra}`
const secondMap = `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
  namespace: demo
data: { a: b }
`

/** Resolves when the Addon `name` records `sum` (a watch, not a timer). */
async function addonWithChecksum (cluster: Cluster, name: string, sum: string): Promise<Addon> {
  const w = await cluster.client.watch('k3s.cattle.io/v1', 'Addon', { namespace: 'kube-system', fieldSelector: `metadata.name=${name}` })
  try {
    for (;;) {
      const events = await w.next()
      if (events === null) throw new Error('watch ended')
      const hit = events.map(e => e.object as Addon).find(a => a.spec?.checksum === sum)
      if (hit !== undefined) { await cluster.settle(); return hit }
    }
  } finally { w.close() }
}

async function exists (cluster: Cluster, apiVersion: string, kind: string, ns: string | undefined, name: string): Promise<boolean> {
  return await cluster.client.get(apiVersion, kind, ns, name).then(() => true, err => { if (isStatusError(err, 404)) return false; throw err })
}

describe('auto-deploy manifests directory (Cluster.start({ manifests }))', function () {
  this.timeout(60_000)
  let dir: string
  let cluster: Cluster | undefined
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'k3sim-manifests-')) })
  afterEach(async () => {
    await cluster?.stop()
    cluster = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  it('applies every yaml/yml/json file at start, one Addon per file with its source and SHA-256', async () => {
    writeFileSync(join(dir, 'web.yaml'), web)
    mkdirSync(join(dir, 'team'))
    writeFileSync(join(dir, 'team', 'demo.yml'), demo('hello'))
    writeFileSync(join(dir, 'quota.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-json', namespace: 'kube-system' }, data: { x: '1' } }))
    cluster = await Cluster.start({ manifests: dir, disable: [...ADDON_NAMES], node: { cpu: '4', memory: '8Gi' } })

    const addons = (await cluster.client.list<Addon>('k3s.cattle.io/v1', 'Addon', { namespace: 'kube-system' })).items
    // ccm and rolebindings are k3s's own manifests, deployed whatever is disabled.
    assert.deepEqual(addons.map(a => a.metadata.name).sort(), ['ccm', 'demo', 'quota', 'rolebindings', 'web'])
    const webAddon = addons.find(a => a.metadata.name === 'web')!
    assert.equal(webAddon.spec.source, join(dir, 'web.yaml'))
    assert.equal(webAddon.spec.checksum, checksum(web))
    assert.equal(webAddon.metadata.annotations?.['addon.k3s.cattle.io/gvks'], 'apps/v1, Kind=Deployment')
    assert.equal(addons.find(a => a.metadata.name === 'demo')!.metadata.annotations?.['addon.k3s.cattle.io/gvks'], '/v1, Kind=Namespace;/v1, Kind=ConfigMap')

    // Namespaced objects without a namespace land in "default"; the Deployment runs.
    const deploy = await cluster.client.get('apps/v1', 'Deployment', 'default', 'web')
    assert.equal(deploy.metadata.annotations?.['objectset.rio.cattle.io/owner-name'], 'web')
    assert.equal(deploy.metadata.annotations?.['objectset.rio.cattle.io/owner-gvk'], 'k3s.cattle.io/v1, Kind=Addon')
    assert.equal(deploy.metadata.annotations?.['objectset.rio.cattle.io/owner-namespace'], 'kube-system')
    assert.match(deploy.metadata.labels?.['objectset.rio.cattle.io/hash'] ?? '', /^[0-9a-f]{40}$/)
    assert.equal((deploy.status as { readyReplicas?: number }).readyReplicas, 2)
    assert.equal((await cluster.client.get('v1', 'ConfigMap', 'demo', 'settings') as KubeObject & { data: Record<string, string> }).data.greeting, 'hello')
    assert.ok(await exists(cluster, 'v1', 'ConfigMap', 'kube-system', 'from-json'))

    const reasons = cluster.events({ kind: 'Addon', name: 'web' }).map(e => (e as KubeObject & { reason: string }).reason)
    assert.deepEqual(reasons, ['ApplyingManifest', 'AppliedManifest'])
    const applied = cluster.events({ kind: 'Addon', name: 'web', reason: 'AppliedManifest' })[0] as KubeObject & { message: string, source: { component: string } }
    assert.equal(applied.message, `Applied manifest at "${join(dir, 'web.yaml')}"`)
    assert.equal(applied.source.component, 'deploy')
  })

  it('skips dotfiles, other extensions and files with a .skip sibling', async () => {
    writeFileSync(join(dir, 'web.yaml'), web)
    writeFileSync(join(dir, 'web.yaml.skip'), '')
    writeFileSync(join(dir, '.hidden.yaml'), demo('hidden'))
    writeFileSync(join(dir, 'notes.txt'), demo('text'))
    cluster = await Cluster.start({ manifests: dir, disable: [...ADDON_NAMES] })
    assert.deepEqual((await cluster.client.list('k3s.cattle.io/v1', 'Addon', { namespace: 'kube-system' })).items.map(a => a.metadata.name), ['ccm', 'rolebindings'])
    assert.equal(await exists(cluster, 'apps/v1', 'Deployment', 'default', 'web'), false)
    assert.equal(await exists(cluster, 'v1', 'Namespace', undefined, 'demo'), false)
  })

  it('re-applies a changed file, pruning what it no longer names, and leaves everything when the file is deleted', async () => {
    const file = join(dir, 'demo.yaml')
    writeFileSync(file, demo('hello', secondMap))
    cluster = await Cluster.start({ manifests: dir, disable: [...ADDON_NAMES] })
    assert.ok(await exists(cluster, 'v1', 'ConfigMap', 'demo', 'extra'))

    // An edit outside the file is overwritten on the next apply of the file.
    await cluster.client.patch('v1', 'ConfigMap', 'demo', 'settings', { data: { greeting: 'edited' } }, { type: 'merge' })
    const changed = demo('bonjour')
    writeFileSync(file, changed)
    await addonWithChecksum(cluster, 'demo', checksum(changed))
    assert.equal((await cluster.client.get('v1', 'ConfigMap', 'demo', 'settings') as KubeObject & { data: Record<string, string> }).data.greeting, 'bonjour')
    assert.equal(await exists(cluster, 'v1', 'ConfigMap', 'demo', 'extra'), false, 'the object removed from the file is pruned')
    const applied = cluster.events({ kind: 'Addon', name: 'demo', reason: 'AppliedManifest' }) as Array<KubeObject & { count: number }>
    assert.deepEqual(applied.map(e => e.count), [2], 'the second apply bumps the event\'s count, as client-go\'s correlator does')

    // A new file appears while running.
    writeFileSync(join(dir, 'web.yaml'), web)
    await addonWithChecksum(cluster, 'web', checksum(web))
    assert.ok(await exists(cluster, 'apps/v1', 'Deployment', 'default', 'web'))

    unlinkSync(file)
    writeFileSync(join(dir, 'later.yaml'), secondMap) // a later change proves the deletion was seen
    await addonWithChecksum(cluster, 'later', checksum(secondMap))
    assert.ok(await exists(cluster, 'v1', 'ConfigMap', 'demo', 'settings'), 'deleting the file does not delete its objects (k3s)')
    assert.ok(await exists(cluster, 'k3s.cattle.io/v1', 'Addon', 'kube-system', 'demo'))
  })

  it('reports a file that does not parse, or names an unknown kind, as Warning events on its Addon; other files still apply', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n')
    writeFileSync(join(dir, 'alien.yaml'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n')
    writeFileSync(join(dir, 'web.yaml'), web)
    const logs: string[] = []
    cluster = await Cluster.start({ manifests: dir, disable: [...ADDON_NAMES], log: m => logs.push(m) })
    assert.ok(await exists(cluster, 'apps/v1', 'Deployment', 'default', 'web'))

    const parse = cluster.events({ kind: 'Addon', name: 'broken', reason: 'ParseManifestFailed' })[0] as KubeObject & { type: string, message: string } | undefined
    assert.ok(parse !== undefined, 'ParseManifestFailed event')
    assert.equal(parse.type, 'Warning')
    assert.ok(parse.message.startsWith(`Parse manifest at "${join(dir, 'broken.yaml')}" failed: `), parse.message)
    const apply = cluster.events({ kind: 'Addon', name: 'alien', reason: 'ApplyManifestFailed' })[0] as KubeObject & { message: string } | undefined
    assert.ok(apply !== undefined, 'ApplyManifestFailed event')
    assert.match(apply.message, /no matches for kind "Widget" in version "example.com\/v1"/)
    assert.ok(logs.some(l => l.startsWith('deploy: ') && l.includes('broken.yaml')), logs.join('\n'))
    // Neither got a checksum: they are retried (with backoff) until fixed.
    assert.equal((await cluster.client.get<Addon>('k3s.cattle.io/v1', 'Addon', 'kube-system', 'broken')).spec.checksum, undefined)
  })

  it('refuses a manifests directory that does not exist', async () => {
    await assert.rejects(Cluster.start({ manifests: join(dir, 'nope'), disable: [...ADDON_NAMES] }), /manifests directory ".*nope" does not exist or is not a directory/)
  })
})
