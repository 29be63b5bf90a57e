import { MAX_NODE_SCORE } from '../../types.ts'

/**
 * helper.DefaultNormalizeScore: scale raw scores to 0..max by the highest one, integer division;
 * `reverse` flips them (max − score). All zero → all 0, or all max when reversed.
 * Example (reverse): raw {a: 0, b: 1, c: 3} → a 100, b 100 − 100·1/3 = 67, c 0.
 */
export function defaultNormalizeScore (scores: Map<string, number>, reverse: boolean, max = MAX_NODE_SCORE): void {
  let highest = 0
  for (const s of scores.values()) if (s > highest) highest = s
  for (const [name, s] of scores) {
    if (highest === 0) {
      if (reverse) scores.set(name, max)
      continue
    }
    const scaled = Math.trunc((max * s) / highest)
    scores.set(name, reverse ? max - scaled : scaled)
  }
}
