// A runnable profile from a KubeSchedulerConfiguration-shaped one: the plugin objects per
// extension point with their weights, and DefaultPreemption as PostFilter, which re-runs the
// same filters on a node with victims removed.
import { DEFAULT_PROFILE, newProfilePlugins, type Listers, type Profile as ProfileConfig } from './plugins/index.ts'
import { defaultPreemption } from './preemption/index.ts'
import { Framework, type Profile } from './framework.ts'
import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, QueueSortPlugin, ScorePlugin } from './types.ts'
import type { Clock } from '../util/clock.ts'

export type { ProfileConfig }

/** Plugins to turn off or weigh differently, as a profile's `plugins` section does. */
export interface ProfileOverrides {
  schedulerName?: string
  disabled?: string[]
  weights?: Record<string, number>
  pluginConfig?: Record<string, Record<string, unknown>>
  /** Teaching aid: write each attempt's per-node filter results and scores to the pod's
   * `k3sim.io/scheduling-explain` annotation. */
  explainAnnotation?: boolean
}

export function profileConfig (o: ProfileOverrides = {}): ProfileConfig {
  const off = new Set(o.disabled ?? [])
  const base = DEFAULT_PROFILE
  return {
    schedulerName: o.schedulerName ?? base.schedulerName,
    queueSort: [...base.queueSort],
    preFilter: base.preFilter.filter(n => !off.has(n)),
    filter: base.filter.filter(n => !off.has(n)),
    preScore: base.preScore.filter(n => !off.has(n)),
    score: base.score.filter(s => !off.has(s.name)).map(s => ({ name: s.name, weight: o.weights?.[s.name] ?? s.weight })),
    pluginConfig: { ...base.pluginConfig, ...(o.pluginConfig ?? {}) } as ProfileConfig['pluginConfig'],
  }
}

export function buildProfile (config: ProfileConfig, options: { clock: Clock, listers?: Listers, preemption?: boolean }): Profile {
  const plugins = newProfilePlugins(config, options.listers ?? {})
  const get = <T>(name: string): T => plugins.get(name) as T
  const profile: Profile = {
    schedulerName: config.schedulerName,
    queueSort: get<QueueSortPlugin>(config.queueSort[0]),
    preFilter: config.preFilter.map(n => get<PreFilterPlugin>(n)),
    filter: config.filter.map(n => get<FilterPlugin>(n)),
    postFilter: [],
    preScore: config.preScore.map(n => get<PreScorePlugin>(n)),
    score: config.score.map(s => ({ plugin: get<ScorePlugin>(s.name), weight: s.weight })),
  }
  if (options.preemption !== false) {
    const framework = new Framework(profile)
    profile.postFilter.push(defaultPreemption({ clock: options.clock, filterNode: (state, pod, node, snapshot) => framework.runFilters(state, pod, node, snapshot) }))
  }
  return profile
}
