// What a ReplicaSet's sync reads of each pod it may control, remembered per pod object. A sync
// visits every pod of its ReplicaSet, as upstream's does (10,000 for a Deployment of 10,000, and
// ~140 syncs while it rolls out), and most of them have not changed since the previous visit:
// the lister's objects are frozen, so a pod object's facts never change, and a label match is
// remembered with the compiled selector it was made with (the same object while the
// ReplicaSet's selector is unchanged). Reading a remembered pod touches two small objects
// instead of the pod's metadata, owner references, labels and conditions.
import type { KubeObject } from '../../api/object.ts'
import { selectorFromLabelSelector, selectorFromSet, type LabelSelector, type Selector } from '../../api/labels.ts'
import { controllerOf } from './controller-ref.ts'
import { isPodActive, readyCondition } from './pods.ts'

type Json = Record<string, any>

/** Compiled selectors kept (by their JSON): a few per ReplicaSet that changed its selector. */
const MAX_SELECTORS = 1024

export interface PodFacts {
  /** isPodActive: not Succeeded, not Failed, not terminating. */
  readonly active: boolean
  /** The uid of the controller ownerReference, if there is one. */
  readonly controller: string | undefined
  /** The Ready condition, if any. */
  readonly ready: Json | undefined
  /** The last selector matched against the labels, and its answer. */
  selector?: Selector
  matches?: boolean
  /** The last template-label selector matched against the labels, and its answer. */
  template?: Selector
  fullyLabeled?: boolean
}

export class PodFactsCache {
  private readonly facts = new WeakMap<KubeObject, PodFacts>()
  private readonly selectors = new Map<string, Selector>()

  of (pod: KubeObject): PodFacts {
    let f = this.facts.get(pod)
    if (f === undefined) {
      f = { active: isPodActive(pod), controller: controllerOf(pod)?.uid, ready: readyCondition(pod) }
      this.facts.set(pod, f)
    }
    return f
  }

  /** selector.matches(pod's labels), remembered with the selector. */
  matches (pod: KubeObject, f: PodFacts, selector: Selector): boolean {
    if (f.selector !== selector) {
      f.selector = selector
      f.matches = selector.matches(pod.metadata.labels)
    }
    return f.matches!
  }

  /** Whether the pod carries every label of the template (status' fullyLabeledReplicas). */
  fullyLabeled (pod: KubeObject, f: PodFacts, template: Selector): boolean {
    if (f.template !== template) {
      f.template = template
      f.fullyLabeled = template.matches(pod.metadata.labels)
    }
    return f.fullyLabeled!
  }

  /** selectorFromLabelSelector, the same object for the same selector (invalid ones throw as it does). */
  selector (ls: LabelSelector | null | undefined): Selector {
    return this.compiled(`s${JSON.stringify(ls ?? null)}`, () => selectorFromLabelSelector(ls))
  }

  /** selectorFromSet of the template's labels, the same object for the same labels. */
  templateSelector (labels: Record<string, string> | undefined): Selector {
    return this.compiled(`t${JSON.stringify(labels ?? {})}`, () => selectorFromSet(labels ?? {}))
  }

  private compiled (key: string, make: () => Selector): Selector {
    let s = this.selectors.get(key)
    if (s === undefined) {
      s = make()
      if (this.selectors.size >= MAX_SELECTORS) this.selectors.clear()
      this.selectors.set(key, s)
    }
    return s
  }
}
