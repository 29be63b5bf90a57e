// Choosing the node to preempt on among the candidates, as upstream's pickOneNodeForPreemption:
// each criterion keeps only the best-scoring nodes, and the next one breaks their tie.
import type { KubeObject } from '../../api/object.ts'
import { podStartTime } from './victims.ts'

export interface Candidate {
  nodeName: string
  /** Most important first (as selectVictimsOnNode returns them). */
  victims: KubeObject[]
  numPDBViolations: number
}

export interface PickOptions {
  podPriority: (pod: KubeObject) => number
  /** The start time of victims that have none yet. */
  now: number
}

/** MaxInt32 + 1: added to every priority so negative priorities still sum as costs. */
const PRIORITY_OFFSET = 2 ** 31

/**
 * util.GetEarliestPodStartTime: the earliest start time among the victims that have the highest
 * priority. Example: victims (p=10, started 12:00), (p=10, 11:00), (p=5, 09:00) → 11:00.
 */
export function earliestStartOfMostImportant (victims: KubeObject[], o: PickOptions): number {
  let best = o.podPriority(victims[0]!)
  let earliest = podStartTime(victims[0]!, o.now)
  for (const v of victims) {
    const p = o.podPriority(v)
    const t = podStartTime(v, o.now)
    if (p === best && t < earliest) earliest = t
    else if (p > best) { best = p; earliest = t }
  }
  return earliest
}

/**
 * The node, by these criteria in order (each: higher score wins, ties go to the next):
 * 1. fewest PDB violations; 2. lowest highest-victim priority; 3. lowest sum of victim
 * priorities (each + 2^31); 4. fewest victims; 5. latest start of the most important victims
 * (disturb what has run the shortest); 6. the first remaining candidate.
 * Upstream's "first" follows Go map order; here it is the candidates' order.
 */
export function pickOneNode (candidates: Candidate[], o: PickOptions): Candidate | undefined {
  if (candidates.length === 0) return undefined
  const scores: Array<(c: Candidate) => number> = [
    c => -c.numPDBViolations,
    c => -o.podPriority(c.victims[0]!),
    c => -c.victims.reduce((sum, v) => sum + o.podPriority(v) + PRIORITY_OFFSET, 0),
    c => -c.victims.length,
    c => earliestStartOfMostImportant(c.victims, o),
  ]
  let remaining = candidates
  for (const score of scores) {
    let max = -Infinity
    let selected: Candidate[] = []
    for (const c of remaining) {
      const s = score(c)
      if (s > max) { max = s; selected = [] }
      if (s === max) selected.push(c)
    }
    if (selected.length === 1) return selected[0]
    remaining = selected
  }
  return remaining[0]
}
