// A KubeSchedulerConfiguration file (kubescheduler.config.k8s.io/v1) → profile overrides: the first
// profile's schedulerName, plugins disabled per extension point ("*" not supported), score
// weights from `score.enabled[].weight`, and pluginConfig args.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import type { ProfileOverrides } from './profile.ts'

type Json = Record<string, any>

export function loadSchedulerConfig (path: string): ProfileOverrides {
  let doc: Json
  try {
    doc = parse(readFileSync(path, 'utf8')) as Json
  } catch (err) {
    throw new Error(`cannot read scheduler config ${path}: ${(err as Error).message}`)
  }
  return schedulerConfigOverrides(doc, path)
}

export function schedulerConfigOverrides (doc: Json, where = 'scheduler config'): ProfileOverrides {
  if (doc?.kind !== 'KubeSchedulerConfiguration') throw new Error(`${where}: kind must be KubeSchedulerConfiguration, got ${JSON.stringify(doc?.kind)}`)
  const profiles = (doc.profiles ?? []) as Json[]
  if (profiles.length > 1) throw new Error(`${where}: only one profile is supported, got ${profiles.length}`)
  const p = profiles[0] ?? {}
  const out: ProfileOverrides = { disabled: [], weights: {}, pluginConfig: {} }
  if (p.schedulerName !== undefined) out.schedulerName = p.schedulerName
  for (const [point, set] of Object.entries((p.plugins ?? {}) as Json)) {
    for (const d of (set as Json).disabled ?? []) {
      if (d.name === '*') throw new Error(`${where}: plugins.${point}.disabled: "*" is not supported; list the plugins to disable`)
      out.disabled!.push(d.name)
    }
    if (point === 'score') for (const e of (set as Json).enabled ?? []) if (e.weight !== undefined) out.weights![e.name] = e.weight
  }
  for (const c of (p.pluginConfig ?? []) as Json[]) out.pluginConfig![c.name] = c.args ?? {}
  return out
}
