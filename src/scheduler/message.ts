// The FailedScheduling text, as kube-scheduler v1.32 builds it in FitError.Error()
// (pkg/scheduler/framework/types.go), and the events.k8s.io note cut (schedule_one.go
// truncateMessage). DefaultPreemption builds its own `0/N nodes are available: …` with the same
// histogram, so both live here.
import type { Status } from './types.ts'

/** Upstream's ErrNoNodesAvailable: the whole message when the cluster has no nodes. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods'

export interface FitErrorInput {
  /** Every node in the snapshot, including those no status was recorded for. */
  numAllNodes: number
  /** The status each node was rejected with (NodeToStatus's explicit entries). */
  statuses: ReadonlyMap<string, Pick<Status, 'reasons'>>
  /**
   * The status of nodes missing from `statuses` (NodeToStatus.AbsentNodesStatus): e.g.
   * `node(s) didn't satisfy plugin(s) [NodeAffinity]` for nodes outside a PreFilter result, or
   * `Preemption is not helpful for scheduling` in preemption's own message. Its reasons count
   * once per absent node (numAllNodes − statuses.size).
   */
  absentStatus?: Pick<Status, 'reasons'>
  /** A PreFilter rejection's message; when set the node histogram is left out (it would repeat it). */
  preFilterMessage?: string
  /** The PostFilter status message, e.g. DefaultPreemption's `preemption: 0/3 nodes are available: …`. */
  postFilterMessage?: string
}

/**
 * `"<count> <reason>"` per distinct reason, sorted as plain strings (Go's sort.Strings, which is
 * byte order and equal to JS's default sort for these ASCII texts): `10 Insufficient cpu` sorts
 * before `2 Insufficient cpu`, and `1 Too many pods` before `1 node(s) …` (upper case first).
 */
export function reasonHistogram (input: Pick<FitErrorInput, 'numAllNodes' | 'statuses' | 'absentStatus'>): string[] {
  const counts = new Map<string, number>()
  for (const status of input.statuses.values()) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1)
  }
  const absent = input.numAllNodes - input.statuses.size
  if (absent > 0 && input.absentStatus !== undefined) {
    for (const reason of input.absentStatus.reasons) counts.set(reason, (counts.get(reason) ?? 0) + absent)
  }
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort()
}

/**
 * FitError.Error(): `0/N nodes are available:` then ` <PreFilter message>.` or ` <histogram>.`,
 * then ` <PostFilter message>` (which carries its own `preemption: ` prefix and final `.`).
 * Example: `0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3
 * No preemption victims found for incoming pod.` With no nodes at all the scheduler never gets
 * that far: the message is `no nodes available to schedule pods`.
 */
export function fitErrorMessage (input: FitErrorInput): string {
  if (input.numAllNodes === 0) return NO_NODES_AVAILABLE
  let msg = `0/${input.numAllNodes} nodes are available:`
  if (input.preFilterMessage) {
    msg += ` ${input.preFilterMessage}.`
  } else {
    const histogram = reasonHistogram(input)
    if (histogram.length > 0) msg += ` ${histogram.join(', ')}.`
  }
  if (input.postFilterMessage) msg += ` ${input.postFilterMessage}`
  return msg
}

/** events.k8s.io's NoteLengthLimit. */
export const NOTE_LENGTH_LIMIT = 1024

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * The scheduler's truncateMessage for the event note: at most 1024 bytes, the cut ones replaced
 * by ` ...` (so 1020 bytes of text). Go cuts bytes; a UTF-8 character split by the cut is dropped
 * whole here rather than left half (the note stays valid text). The PodScheduled condition keeps
 * the full message.
 */
export function truncateNote (message: string): string {
  const bytes = encoder.encode(message)
  if (bytes.length <= NOTE_LENGTH_LIMIT) return message
  const suffix = ' ...'
  let end = NOTE_LENGTH_LIMIT - suffix.length
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end-- // don't start the cut inside a character
  return decoder.decode(bytes.subarray(0, end)) + suffix
}
