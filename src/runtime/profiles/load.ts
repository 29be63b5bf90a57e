// Reading profiles from YAML/JSON text and from a folder (fixtures/profiles/). The only file of
// the runtime that imports the yaml library (zx's adapter-file rule).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { LifecycleProfile } from './types.ts'
import { ProfileError, validateProfile } from './validate.ts'
import { packagePath } from '../../util/package-path.ts'

/** Parse and validate one profile written as YAML or JSON. */
export function parseProfile (name: string, text: string): LifecycleProfile {
  let raw: unknown
  try {
    raw = parseYaml(text)
  } catch (err) {
    const first = String((err as Error).message).split('\n')[0]
    throw new ProfileError(`profile "${name}": not valid YAML: ${first}`)
  }
  return validateProfile(name, raw)
}

const PROFILE_FILE = /\.(ya?ml|json)$/

/** Every *.yaml, *.yml and *.json file of a folder (not its subfolders), named by file name. */
export function loadProfileDir (dir: string): LifecycleProfile[] {
  const out: LifecycleProfile[] = []
  for (const entry of readdirSync(dir).sort()) {
    const file = join(dir, entry)
    if (!PROFILE_FILE.test(entry) || !statSync(file).isFile()) continue
    const name = basename(entry, extname(entry))
    try {
      out.push(parseProfile(name, readFileSync(file, 'utf8')))
    } catch (err) {
      if (err instanceof ProfileError) throw new ProfileError(`${file}: ${err.message}`)
      throw err
    }
  }
  return out
}

/**
 * The profiles shipped in the repository (fixtures/profiles/). Resolved from this module's
 * location, so it works from src/ (node --experimental-strip-types) and from dist/ alike, as long
 * as the package ships fixtures/profiles.
 */
export const FIXTURE_PROFILES_DIR = packagePath('fixtures/profiles/')
