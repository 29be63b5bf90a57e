// PrioritySort (queuesort): higher spec.priority first, then the earlier queue timestamp.
import type { KubeObject } from '../../../api/object.ts'
import type { QueuedPodInfo, QueueSortPlugin } from '../../types.ts'

export const NAME = 'PrioritySort'

/** corev1helpers.PodPriority: spec.priority, 0 when unset. */
export const podPriority = (pod: KubeObject): number => Number((pod as any).spec?.priority ?? 0)

export function newPrioritySort (): QueueSortPlugin {
  return {
    name: NAME,
    less: (a: QueuedPodInfo, b: QueuedPodInfo): boolean => {
      const p1 = podPriority(a.pod)
      const p2 = podPriority(b.pod)
      return p1 > p2 || (p1 === p2 && a.timestamp < b.timestamp)
    },
  }
}
