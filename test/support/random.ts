// mulberry32: a small deterministic generator, so a generated case that fails names a seed that
// reproduces it.

/** Successive 32-bit unsigned integers from `seed`. */
export function mulberry32 (seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** Successive numbers in [0, 1) from `seed`. */
export function uniform (seed: number): () => number {
  const next = mulberry32(seed)
  return () => next() / 4294967296
}
