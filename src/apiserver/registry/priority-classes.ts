// The PriorityClasses the Priority admission plugin reads on every pod create (upstream: an
// informer's lister), mirrored from the store (store-mirror.ts) instead of a list per create:
// lookups see every acknowledged write, so a class created just before a pod applies to it.
import type { Backend } from '../../store/backend.ts'
import { StoreMirror } from './store-mirror.ts'

const PREFIX = '/registry/priorityclasses/'
const decoder = new TextDecoder()

export interface PriorityClassInfo {
  name: string
  value: number
  globalDefault: boolean
  preemptionPolicy?: string
}

export class PriorityClassCache {
  private readonly classes = new Map<string, PriorityClassInfo>()
  private mirror: StoreMirror | undefined

  async start (backend: Backend): Promise<void> {
    this.mirror = new StoreMirror({
      backend,
      prefix: PREFIX,
      target: {
        put: kv => {
          const pc = JSON.parse(decoder.decode(kv.value)) as { value?: number, globalDefault?: boolean, preemptionPolicy?: string }
          const name = kv.key.slice(PREFIX.length)
          this.classes.set(name, { name, value: pc.value ?? 0, globalDefault: pc.globalDefault === true, preemptionPolicy: pc.preemptionPolicy })
        },
        remove: key => { this.classes.delete(key.slice(PREFIX.length)) },
        clear: () => { this.classes.clear() },
      },
    })
    await this.mirror.start()
  }

  stop (): void { this.mirror?.stop() }

  /**
   * The global default class — of several (a race upstream allows), the one with the lowest
   * value, as upstream's getDefaultPriorityClass — or null when there is none; undefined when
   * this cache cannot tell (not started, or its watch failed): read the store then.
   */
  globalDefault (): PriorityClassInfo | null | undefined {
    if (this.mirror?.following() !== true) return undefined
    let best: PriorityClassInfo | null = null
    for (const c of this.classes.values()) if (c.globalDefault && (best === null || c.value < best.value)) best = c
    return best
  }
}
