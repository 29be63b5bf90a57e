// Files shipped with the package (proto/, fixtures/, package.json), found from the package root —
// the nearest folder above this module holding k3sim's package.json — so they resolve the same
// from src/, from dist/ and from a single-file bundle, whatever the importing module's depth.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let root: string | undefined

function packageRoot (): string {
  if (root !== undefined) return root
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'k3sim') return (root = dir)
    if (dirname(dir) === dir) throw new Error(`k3sim's package.json not found above ${fileURLToPath(import.meta.url)}`)
  }
}

/** An absolute path to `relative` inside the package, e.g. packagePath('proto'). */
export function packagePath (relative: string): string {
  return join(packageRoot(), relative)
}
