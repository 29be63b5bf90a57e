// The PriorityClasses the Priority admission plugin reads on every pod create (upstream: an
// informer's lister), kept from a store watch instead of a list per create. Lookups first take
// the watch's delivered events synchronously, so they see every acknowledged write: a class
// created just before a pod applies to it, as when the admission read the store.
import type { Backend, Watcher } from '../../store/backend.ts'
import { prefixEnd } from '../../store/keys.ts'

const PREFIX = '/registry/priorityclasses/'

export interface PriorityClassInfo {
  name: string
  value: number
  globalDefault: boolean
  preemptionPolicy?: string
}

export class PriorityClassCache {
  private readonly classes = new Map<string, PriorityClassInfo>()
  private watcher: Watcher | undefined

  async start (backend: Backend): Promise<void> {
    const r = await backend.range({ key: PREFIX, rangeEnd: prefixEnd(PREFIX) })
    for (const kv of r.kvs) this.set(kv.key, kv.value)
    this.watcher = backend.watch({ key: PREFIX, rangeEnd: prefixEnd(PREFIX), startRevision: r.revision + 1 })
  }

  stop (): void { this.watcher?.close() }

  /**
   * The global default class — of several (a race upstream allows), the one with the lowest
   * value, as upstream's getDefaultPriorityClass — or null when there is none; undefined when
   * this cache cannot tell (not started, or its watch failed): read the store then.
   */
  globalDefault (): PriorityClassInfo | null | undefined {
    if (!this.catchUp()) return undefined
    let best: PriorityClassInfo | null = null
    for (const c of this.classes.values()) if (c.globalDefault && (best === null || c.value < best.value)) best = c
    return best
  }

  private catchUp (): boolean {
    const w = this.watcher
    if (w === undefined || w.closed) return false
    try {
      for (const e of w.takeBuffered()) {
        if (e.type === 'delete') this.classes.delete(e.kv.key.slice(PREFIX.length))
        else this.set(e.kv.key, e.kv.value)
      }
      return true
    } catch {
      w.close()
      return false
    }
  }

  private set (key: string, value: Uint8Array): void {
    const pc = JSON.parse(new TextDecoder().decode(value)) as { value?: number, globalDefault?: boolean, preemptionPolicy?: string }
    const name = key.slice(PREFIX.length)
    this.classes.set(name, { name, value: pc.value ?? 0, globalDefault: pc.globalDefault === true, preemptionPolicy: pc.preemptionPolicy })
  }
}
