// k3s's deploy controller: every manifest file in the auto-deploy directory (`k3sim server
// --manifests DIR`, `Cluster.start({ manifests })`) is applied at start and again whenever it
// changes on disk, tracked by an Addon (k3s.cattle.io/v1) of the file's base name in kube-system
// with the file's path and SHA-256; its Events (ApplyingManifest, AppliedManifest,
// ParseManifestFailed, ApplyManifestFailed) go to that Addon. As in k3s, deleting a file leaves
// what it created in place, and objects removed from a file are pruned on its next apply.
//
// Keys: `scan` (walk the directory, enqueue changed files) and `file:<path>`. k3s re-walks the
// directory every 15 s; here an fs.watch on the directory enqueues `scan` when anything changes.
import { watch, readFileSync, statSync, type FSWatcher } from 'node:fs'
import { resolve } from 'node:path'
import type { KubeObject } from '../../api/object.ts'
import { isStatusError } from '../../apiserver/errors.ts'
import type { ControllerContext, ControllerDefinition } from '../../controllers/types.ts'
import { addonName, checksum, manifestFiles, parseManifest } from './files.ts'
import type { NamespacedLookup } from './objectset.ts'
import { applyManifest, getOrCreateAddon } from './addon.ts'

export const SCAN_KEY = 'scan'
const FILE_PREFIX = 'file:'

export interface DeployControllerOptions {
  /** The directory to deploy (k3s: /var/lib/rancher/k3s/server/manifests). */
  dir: string
  /** Whether a kind is namespaced (undefined: not served), for defaulting namespaces. */
  namespaced: NamespacedLookup
  /** The server node's name, for the field manager (`deploy@<node>`) and event source. */
  host?: string
}

export interface DeployController extends ControllerDefinition {
  /** Stop watching the directory. */
  stop(): void
}

export function deployController (options: DeployControllerOptions): DeployController {
  const dir = resolve(options.dir)
  /** mtime of each file as last applied (or found unchanged) by this process. */
  const seen = new Map<string, number>()
  let watcher: FSWatcher | undefined
  let stopped = false

  const scan = (ctx: ControllerContext): void => {
    if (watcher === undefined && !stopped) {
      watcher = watch(dir, { recursive: true }, () => ctx.enqueue(SCAN_KEY))
      watcher.on('error', () => { watcher?.close(); watcher = undefined })
    }
    for (const f of manifestFiles(dir)) {
      if (seen.get(f.path) !== f.mtimeMs) ctx.enqueue(FILE_PREFIX + f.path)
    }
  }

  const deploy = async (path: string, ctx: ControllerContext): Promise<void> => {
    let mtimeMs: number
    let content: Buffer
    try {
      mtimeMs = statSync(path).mtimeMs
      content = readFileSync(path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') { seen.delete(path); return } // removed: what it made stays
      throw err
    }
    const force = !seen.has(path) // the first apply after start re-applies even an unchanged file, as k3s does
    const events = ctx.recorder('deploy', options.host)
    const addon = await getOrCreateAddon(ctx.client, addonName(path), path)
    const sum = checksum(content)
    if (!force && addon.spec?.checksum === sum) { seen.set(path, mtimeMs); return }
    let objects: KubeObject[]
    try {
      objects = parseManifest(content.toString('utf8'))
    } catch (err) {
      await events.record(addon, { type: 'Warning', reason: 'ParseManifestFailed', message: `Parse manifest at ${JSON.stringify(path)} failed: ${(err as Error).message}` })
      throw err
    }
    await applyManifest({ client: ctx.client, events, namespaced: options.namespaced, host: options.host }, addon, { name: addon.metadata.name!, source: path, checksum: sum, objects })
    seen.set(path, mtimeMs)
  }

  return {
    name: 'deploy',
    informers: {},
    events: [],
    async sync (key, ctx) {
      if (stopped) return
      try {
        if (key === SCAN_KEY) scan(ctx)
        else if (key.startsWith(FILE_PREFIX)) await deploy(key.slice(FILE_PREFIX.length), ctx)
      } catch (err) {
        // Any failure is retried with backoff (a 404 — e.g. the Addon CRD not served yet — too).
        if (isStatusError(err)) throw new Error(`failed to process ${key.slice(FILE_PREFIX.length)}: ${(err as Error).message}`)
        throw err
      }
    },
    stop () {
      stopped = true
      watcher?.close()
      watcher = undefined
    },
  }
}
