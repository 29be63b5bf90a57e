// The PriorityClasses the Priority admission plugin reads on every pod create (upstream: an
// informer's lister), mirrored from the store (store-mirror.ts) instead of a list per create:
// lookups see every acknowledged write, so a class created just before a pod applies to it.
import type { Backend } from '../../store/backend.ts'
import { MirroredMap } from './store-mirror.ts'

export interface PriorityClassInfo {
  name: string
  value: number
  globalDefault: boolean
  preemptionPolicy?: string
}

export class PriorityClassCache {
  private readonly classes = new MirroredMap<PriorityClassInfo>({
    prefix: '/registry/priorityclasses/',
    read: (obj, name) => {
      const pc = obj as { value?: number, globalDefault?: boolean, preemptionPolicy?: string }
      return { name, value: pc.value ?? 0, globalDefault: pc.globalDefault === true, preemptionPolicy: pc.preemptionPolicy }
    },
  })

  start (backend: Backend): Promise<void> { return this.classes.start(backend) }

  stop (): void { this.classes.stop() }

  /** The class named `name`, null when there is none, undefined when this cache cannot tell. */
  named (name: string): PriorityClassInfo | null | undefined {
    if (!this.classes.known()) return undefined
    return this.classes.get(name) ?? null
  }

  /**
   * The global default class — of several (a race upstream allows), the one with the lowest
   * value, as upstream's getDefaultPriorityClass — or null when there is none; undefined when
   * this cache cannot tell (not started, or its watch failed): read the store then.
   */
  globalDefault (): PriorityClassInfo | null | undefined {
    const all = this.classes.values()
    if (all === undefined) return undefined
    let best: PriorityClassInfo | null = null
    for (const c of all) if (c.globalDefault && (best === null || c.value < best.value)) best = c
    return best
  }
}
