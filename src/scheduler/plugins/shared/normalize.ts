import { MAX_NODE_SCORE, type NodeScores } from '../../types.ts'

/**
 * helper.DefaultNormalizeScore: scale raw scores to 0..max by the highest one, integer division;
 * `reverse` flips them (max − score). All zero → all 0, or all max when reversed.
 * Example (reverse): raw {a: 0, b: 1, c: 3} → a 100, b 100 − 100·1/3 = 67, c 0.
 */
export function defaultNormalizeScore ({ scores }: NodeScores, reverse: boolean, max = MAX_NODE_SCORE): void {
  let highest = 0
  for (let i = 0; i < scores.length; i++) if (scores[i] > highest) highest = scores[i]
  for (let i = 0; i < scores.length; i++) {
    if (highest === 0) {
      if (reverse) scores[i] = max
      continue
    }
    const scaled = Math.trunc((max * scores[i]) / highest)
    scores[i] = reverse ? max - scaled : scaled
  }
}
