// Profile validation says which field of which profile is wrong and how to write it; unknown
// keys and unknown profile names are refused by name (never silently the default).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  containerSpec, FIXTURE_PROFILES_DIR, loadProfileDir, parseProfile, ProfileError, ProfileRegistry, validateProfile,
} from '../../src/runtime/profiles/index.ts'

const FIELDS = 'pullDelay, pullError, startDelay, readyDelay, failReadiness, failLivenessAfter, exitAfter, exitCode, crashLoop, oomAfter, stopDelay, stopExitCode, logs, logEvery'

describe('lifecycle profiles: validation', () => {
  for (const [title, raw, message] of [
    ['a duration that does not parse', { pullDelay: 'abc' }, 'profile "slow": pullDelay: "abc" is not a duration (use forms like 250ms, 10s, 5m)'],
    ['a duration without a unit', { startDelay: '10' }, 'profile "slow": startDelay: "10" is not a duration (use forms like 250ms, 10s, 5m)'],
    ['a negative duration', { readyDelay: -5 }, 'profile "slow": readyDelay: -5 is not a duration (use forms like 250ms, 10s, 5m)'],
    ['a duration given as a list', { exitAfter: ['1s'] }, 'profile "slow": exitAfter: a list is not a duration (use forms like 250ms, 10s, 5m)'],
    ['an unknown key', { pulDelay: '1s' }, `profile "slow": unknown key "pulDelay" (known: ${FIELDS}, description, containers)`],
    ['an unknown key inside crashLoop', { crashLoop: { code: 1 } }, 'profile "slow": crashLoop: unknown key "code" (known: exitAfter, exitCode)'],
    ['an exit code out of range', { exitAfter: '1s', exitCode: 300 }, 'profile "slow": exitCode: 300 is not an exit code (an integer from 0 to 255)'],
    ['an exit code without exitAfter', { exitCode: 1 }, 'profile "slow": exitCode is set without exitAfter (say when the container exits)'],
    ['a log line that is not a string', { logs: ['ok', 42] }, 'profile "slow": logs[1]: 42 is not a string (quote it)'],
    ['logEvery without a line', { logEvery: { interval: '1s' } }, 'profile "slow": logEvery: line is required'],
    ['logEvery with a zero interval', { logEvery: { interval: 0, line: 'x' } }, 'profile "slow": logEvery.interval: 0 must be longer than 0'],
    ['failReadiness that is not a boolean', { failReadiness: 'yes' }, 'profile "slow": failReadiness: "yes" is not true or false'],
    ['a profile that is not a mapping', ['a'], 'profile "slow": a list is not a mapping'],
    ['a bad field of a container', { containers: { web: { oomAfter: 'soon' } } }, 'profile "slow": containers.web.oomAfter: "soon" is not a duration (use forms like 250ms, 10s, 5m)'],
    ['an unknown key of a container', { containers: { web: { containers: {} } } }, `profile "slow": containers.web: unknown key "containers" (known: ${FIELDS})`],
  ] as const) {
    it(`refuses ${title}`, () => {
      assert.throws(() => validateProfile('slow', raw), (err: unknown) => {
        assert.ok(err instanceof ProfileError)
        assert.equal(err.message, message)
        return true
      })
    })
  }

  it('reads durations as strings or milliseconds, and fills crashLoop defaults', () => {
    const p = validateProfile('p', { pullDelay: '1m30s', startDelay: 250, crashLoop: { exitAfter: '2s' } })
    assert.deepEqual(p.spec, { pullDelay: 90_000, startDelay: 250, crashLoop: { exitAfter: 2000, exitCode: 1 } })
  })

  it('merges a container\'s overrides over the pod\'s settings', () => {
    const p = validateProfile('p', { readyDelay: '5s', exitAfter: '1m', containers: { side: { exitCode: 3, readyDelay: 0 } } })
    assert.deepEqual(containerSpec(p, 'side'), { readyDelay: 0, exitAfter: 60_000, exitCode: 3 })
    assert.deepEqual(containerSpec(p, 'app'), { readyDelay: 5000, exitAfter: 60_000 })
  })

  it('says when YAML does not parse', () => {
    assert.throws(() => parseProfile('bad', 'pullDelay: [1s'), /^ProfileError: profile "bad": not valid YAML: /)
  })

  it('names the file of a bad profile in a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k3sim-profiles-'))
    try {
      writeFileSync(join(dir, 'broken.yaml'), 'startDelay: later\n')
      assert.throws(() => loadProfileDir(dir), { message: `${join(dir, 'broken.yaml')}: profile "broken": startDelay: "later" is not a duration (use forms like 250ms, 10s, 5m)` })
    } finally {
      rmSync(dir, { recursive: true })
    }
  })
})

describe('lifecycle profiles: registry', () => {
  const registry = ProfileRegistry.withFixtures({ quick: { startDelay: '1s' }, 'from-text': 'readyDelay: 2s' })

  it('loads every fixture profile, plus the ones given in code', () => {
    assert.deepEqual(registry.names(), ['default', 'batch-10s', 'crash-loop', 'flaky-readiness', 'from-text', 'image-pull-error', 'oom', 'quick', 'slow-start'])
    assert.equal(registry.get('from-text').spec.readyDelay, 2000)
  })

  it('has a default profile even without a folder', () => {
    assert.deepEqual(new ProfileRegistry().resolve(undefined).spec, {})
  })

  it('resolves a pod\'s profile: named, inline, or the default', () => {
    assert.equal(registry.resolve({ 'k3sim.io/profile': 'crash-loop' }).name, 'crash-loop')
    assert.equal(registry.resolve({ 'k3sim.io/profile-inline': '{oomAfter: 5s}' }).spec.oomAfter, 5000)
    assert.equal(registry.resolve({ unrelated: 'x' }).name, 'default')
  })

  it('refuses an unknown profile name, listing the known ones', () => {
    assert.throws(() => registry.resolve({ 'k3sim.io/profile': 'x' }),
      { message: 'unknown lifecycle profile "x"; known: default, batch-10s, crash-loop, flaky-readiness, from-text, image-pull-error, oom, quick, slow-start' })
  })

  it('refuses a bad inline profile, naming the annotation', () => {
    assert.throws(() => registry.resolve({ 'k3sim.io/profile-inline': 'exitAfter: never' }),
      { message: 'annotation k3sim.io/profile-inline: profile "inline": exitAfter: "never" is not a duration (use forms like 250ms, 10s, 5m)' })
  })

  it('refuses both annotations at once', () => {
    assert.throws(() => registry.resolve({ 'k3sim.io/profile': 'oom', 'k3sim.io/profile-inline': '{}' }), /not both/)
  })

  it('finds the fixtures folder', () => {
    assert.match(FIXTURE_PROFILES_DIR, /fixtures\/profiles\/$/)
  })
})
