// Golden runs of every fixture profile (KWOK's stage tests): fixtures/profiles/golden/<name>.json
// holds, per restartPolicy, the timeline of a scripted pod on a VirtualClock (see golden-driver.ts)
// and each attempt's log. UPDATE_GOLDEN=1 rewrites them; review the diff like code. A fixture
// without a golden file fails.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FIXTURE_PROFILES_DIR, ProfileRegistry } from '../../src/runtime/profiles/index.ts'
import { type GoldenRun, scriptedRun } from './golden-driver.ts'

const GOLDEN_DIR = join(FIXTURE_PROFILES_DIR, 'golden')
const UPDATE = process.env.UPDATE_GOLDEN === '1'
const POLICIES = ['Always', 'OnFailure', 'Never'] as const

type Golden = Record<string, GoldenRun>

/** One row or log line per line, so diffs read event by event. */
function render (profile: string, golden: Golden): string {
  const list = (items: unknown[], indent: string): string =>
    items.length === 0 ? '[]' : `[\n${items.map(i => `${indent}  ${JSON.stringify(i)}`).join(',\n')}\n${indent}]`
  const runs = Object.entries(golden).map(([policy, run]) => {
    const logs = Object.entries(run.logs).map(([k, lines]) => `        ${JSON.stringify(k)}: ${list(lines, '        ')}`).join(',\n')
    return `    ${JSON.stringify(policy)}: {\n      "rows": ${list(run.rows, '      ')},\n      "logs": {${logs === '' ? '' : `\n${logs}\n      `}}\n    }`
  })
  return `{\n  "profile": ${JSON.stringify(profile)},\n  "runs": {\n${runs.join(',\n')}\n  }\n}\n`
}

const fixtureNames = readdirSync(FIXTURE_PROFILES_DIR).filter(f => /\.(ya?ml|json)$/.test(f)).map(f => f.replace(/\.[^.]+$/, '')).sort()

describe('lifecycle profiles: golden runs', () => {
  const registry = ProfileRegistry.withFixtures()

  it('has the fixture profiles the docs promise', () => {
    for (const name of ['default', 'slow-start', 'crash-loop', 'batch-10s', 'flaky-readiness', 'oom', 'image-pull-error']) {
      assert.ok(fixtureNames.includes(name), `fixtures/profiles/${name}.yaml is missing`)
    }
  })

  for (const name of fixtureNames) {
    it(`${name} runs as its golden file says`, async () => {
      const actual: Golden = {}
      for (const policy of POLICIES) actual[policy] = await scriptedRun(registry, name, policy)
      const file = join(GOLDEN_DIR, `${name}.json`)
      if (UPDATE) writeFileSync(file, render(name, actual))
      assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`)
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { profile: string, runs: Golden }
      assert.equal(stored.profile, name)
      assert.deepEqual(actual, stored.runs)
    })
  }

  it('the default profile: Job-like pods complete at once, Always pods run and are ready at once', async () => {
    const never = await scriptedRun(registry, 'default', 'Never')
    assert.deepEqual(never.rows.filter(r => r.state === 'exited'), [{ t: 0, attempt: 0, state: 'exited', exitCode: 0, reason: 'Completed', ready: false }])
    const always = await scriptedRun(registry, 'default', 'Always')
    assert.deepEqual(always.rows.slice(-1), [{ t: 0, attempt: 0, state: 'running', ready: true }])
  })
})
