// The node's image store (containerd's content store, reduced to names): which images are
// present, and a pull that follows the kubelet's pull policies and the pod's profile.
import { imageRef, imageSize, parseImage } from '../images.ts'
import type { LifecycleSpec } from '../profiles/types.ts'
import { type PullResult, RuntimeError } from '../runtime.ts'
import { expandLine } from './lifecycle.ts'
import type { Waits } from './records.ts'

export class ImageStore {
  private readonly present = new Set<string>()

  private readonly waits: Waits

  constructor (waits: Waits, preloaded: string[] = []) {
    this.waits = waits
    for (const image of preloaded) this.present.add(parseImage(image).normalized)
  }

  has (normalized: string): boolean { return this.present.has(normalized) }

  /** Normalised names, sorted. */
  list (): string[] { return [...this.present].sort() }

  /**
   * Never: only what is present (ErrImageNeverPull with the kubelet's message otherwise).
   * IfNotPresent: present images are "cached" (no pull, the "already present" event).
   * Always: a pull every time (the kubelet asks the registry for the tag each start).
   * A pull takes pullDelay on the clock, then fails with pullError (ErrImagePull) if set.
   */
  async pull (image: string, pullPolicy: string, spec: LifecycleSpec, onPull?: () => void): Promise<PullResult> {
    const name = parseImage(image)
    const cached = (): PullResult => ({ imageRef: imageRef(image), size: imageSize(image), durationMs: 0, cached: true })
    const present = this.present.has(name.normalized)
    switch (pullPolicy) {
      case 'Never':
        if (present) return cached()
        throw new RuntimeError('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`)
      case 'IfNotPresent':
        if (present) return cached()
        break
      case 'Always':
        break
      default:
        throw new RuntimeError('ErrImagePull', `pullPolicy "${pullPolicy}" is not supported (use Always, IfNotPresent or Never)`)
    }
    const delay = spec.pullDelay ?? 0
    onPull?.()
    await this.waits.wait(delay).promise
    if (spec.pullError !== undefined) {
      throw new RuntimeError('ErrImagePull', expandLine(spec.pullError, { image: name.normalized }))
    }
    this.present.add(name.normalized)
    return { imageRef: imageRef(image), size: imageSize(image), durationMs: delay, cached: false }
  }
}
