// The files of an auto-deploy manifests directory, read as k3s's deploy controller reads
// server/manifests: every *.yaml, *.yml and *.json file below the directory (subdirectories
// too), except dotfiles and files with a `<name>.skip` sibling; each file is one Addon, named
// after its base name up to the first period.
import { createHash } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../../api/object.ts'

export interface ManifestFile { path: string, mtimeMs: number }

const MANIFEST = /\.(ya?ml|json)$/i

/** The manifest files under `dir`, sorted by path (as k3s applies them). */
export function manifestFiles (dir: string): ManifestFile[] {
  const found: ManifestFile[] = []
  const skips = new Set<string>()
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name)
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statSync(path).isDirectory())
      if (isDir) { walk(path); continue }
      if (entry.name.endsWith('.skip')) skips.add(join(d, entry.name.slice(0, -'.skip'.length)))
      if (entry.name.startsWith('.') || !MANIFEST.test(entry.name)) continue
      found.push({ path, mtimeMs: statSync(path).mtimeMs })
    }
  }
  walk(dir)
  return found.filter(f => !skips.has(f.path)).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
}

/** The Addon's name: the file's base name up to its first period (k3s's basename()). */
export function addonName (path: string): string {
  return basename(path).split('.', 1)[0]
}

/** Hex SHA-256 of the file's bytes, kept in the Addon's spec.checksum. */
export function checksum (content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex')
}

/** The objects of a YAML/JSON manifest: every non-empty document, `kind: List` items expanded. */
export function parseManifest (text: string): KubeObject[] {
  const out: KubeObject[] = []
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(doc.errors[0].message)
    const value = doc.toJS() as unknown
    if (value === null || value === undefined) continue
    for (const obj of isList(value) ? value.items : [value]) {
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error(`Object 'Kind' is missing in '${JSON.stringify(obj)}'`)
      const o = obj as Partial<KubeObject>
      if (typeof o.kind !== 'string' || o.kind === '') throw new Error(`Object 'Kind' is missing in '${JSON.stringify(obj)}'`)
      if (typeof o.apiVersion !== 'string' || o.apiVersion === '') throw new Error(`Object 'apiVersion' is missing in '${JSON.stringify(obj)}'`)
      if (typeof o.metadata?.name !== 'string' || o.metadata.name === '') throw new Error(`${o.kind} object has no metadata.name`)
      out.push(o as KubeObject)
    }
  }
  return out
}

function isList (v: unknown): v is { items: unknown[] } {
  const o = v as { kind?: unknown, items?: unknown }
  return typeof o === 'object' && o !== null && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)
}
