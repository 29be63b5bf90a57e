// The profiles a cluster knows, by name, and the rule that picks a pod's profile from its
// annotations:
//   k3sim.io/profile: slow-start                  a named profile
//   k3sim.io/profile-inline: "{crashLoop: {exitAfter: 2s}}"   a profile written in the pod
//   neither                                       the "default" profile
// The "default" profile always exists (instant and healthy); a default.yaml in a loaded folder
// replaces it.
import { FIXTURE_PROFILES_DIR, loadProfileDir, parseProfile } from './load.ts'
import { DEFAULT_PROFILE, type LifecycleProfile, PROFILE_ANNOTATION, PROFILE_INLINE_ANNOTATION } from './types.ts'
import { ProfileError, validateProfile } from './validate.ts'

export interface ProfileRegistryOptions {
  /** Folders of *.yaml / *.json profiles, named by file name. */
  dirs?: string[]
  /** Profiles given in code: a parsed value (object) or YAML/JSON text, by name. */
  profiles?: Record<string, unknown>
}

const INLINE_CACHE_MAX = 64

export class ProfileRegistry {
  private readonly byName = new Map<string, LifecycleProfile>([['default', DEFAULT_PROFILE]])
  /** Parsed inline annotations (many pods of one template share the text). */
  private readonly inline = new Map<string, LifecycleProfile | ProfileError>()

  constructor (options: ProfileRegistryOptions = {}) {
    for (const dir of options.dirs ?? []) {
      for (const profile of loadProfileDir(dir)) this.byName.set(profile.name, profile)
    }
    for (const [name, value] of Object.entries(options.profiles ?? {})) this.add(name, value)
  }

  /** The profiles in fixtures/profiles/ (default, slow-start, crash-loop, …) plus `profiles`. */
  static withFixtures (profiles: Record<string, unknown> = {}): ProfileRegistry {
    return new ProfileRegistry({ dirs: [FIXTURE_PROFILES_DIR], profiles })
  }

  /** Add or replace a profile; `value` is a parsed object or YAML/JSON text. */
  add (name: string, value: unknown): LifecycleProfile {
    const profile = typeof value === 'string' ? parseProfile(name, value) : validateProfile(name, value)
    this.byName.set(name, profile)
    return profile
  }

  has (name: string): boolean { return this.byName.has(name) }

  /** Known names, "default" first, then alphabetically. */
  names (): string[] {
    return [...this.byName.keys()].sort((a, b) => a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b))
  }

  get (name: string): LifecycleProfile {
    const profile = this.byName.get(name)
    if (profile === undefined) {
      throw new ProfileError(`unknown lifecycle profile "${name}"; known: ${this.names().join(', ')}`)
    }
    return profile
  }

  /** The profile of a pod with these annotations; throws ProfileError with a message for the user. */
  resolve (annotations: Record<string, string> | undefined): LifecycleProfile {
    const named = annotations?.[PROFILE_ANNOTATION]
    const text = annotations?.[PROFILE_INLINE_ANNOTATION]
    if (named !== undefined && text !== undefined) {
      throw new ProfileError(`set one of the annotations ${PROFILE_ANNOTATION} and ${PROFILE_INLINE_ANNOTATION}, not both`)
    }
    if (text !== undefined) return this.parseInline(text)
    return this.get(named ?? 'default')
  }

  private parseInline (text: string): LifecycleProfile {
    let parsed = this.inline.get(text)
    if (parsed === undefined) {
      try {
        parsed = parseProfile('inline', text)
      } catch (err) {
        if (!(err instanceof ProfileError)) throw err
        parsed = new ProfileError(`annotation ${PROFILE_INLINE_ANNOTATION}: ${err.message}`)
      }
      if (this.inline.size >= INLINE_CACHE_MAX) this.inline.delete(this.inline.keys().next().value!)
      this.inline.set(text, parsed)
    }
    if (parsed instanceof ProfileError) throw parsed
    return parsed
  }
}
