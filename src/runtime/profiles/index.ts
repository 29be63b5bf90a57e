// Lifecycle profiles for the fake runtime: types, validation, loading, and the registry that
// picks a pod's profile. Uses only util/ and the yaml library (in load.ts). See README.md.
export { containerSpec, DEFAULT_PROFILE, PROFILE_ANNOTATION, PROFILE_INLINE_ANNOTATION } from './types.ts'
export type { LifecycleProfile, LifecycleSpec } from './types.ts'
export { ProfileError, validateProfile } from './validate.ts'
export { FIXTURE_PROFILES_DIR, loadProfileDir, parseProfile } from './load.ts'
export { ProfileRegistry, type ProfileRegistryOptions } from './registry.ts'
