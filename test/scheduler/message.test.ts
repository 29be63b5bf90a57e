// The FailedScheduling message, as kube-scheduler v1.32's FitError.Error() builds it, with the
// examples from design/k3s-facts.md §2.2 and §6 verbatim.
import assert from 'node:assert/strict'
import { fitErrorMessage, NOTE_LENGTH_LIMIT, reasonHistogram, truncateNote, type FitErrorInput } from '../../src/scheduler/message.ts'
import type { Status } from '../../src/scheduler/types.ts'

const U = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons })
const UU = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons })

/** statuses for nodes n0, n1, … in order */
const nodes = (...statuses: Status[]): Map<string, Status> => new Map(statuses.map((s, i) => [`n${i}`, s]))
const times = (n: number, s: Status): Status[] => Array.from({ length: n }, () => s)

const TAINT_UNREACHABLE = 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }'
const PORTS = "node(s) didn't have free ports for the requested pod ports"
const AFFINITY = "node(s) didn't match Pod's node affinity/selector"
const NOT_HELPFUL = 'Preemption is not helpful for scheduling'
const NO_VICTIMS = 'No preemption victims found for incoming pod'

const preemption = (input: FitErrorInput): string => `preemption: ${fitErrorMessage(input)}`

describe('scheduler/message: fitErrorMessage', () => {
  const cases: Array<{ name: string, input: FitErrorInput, want: string }> = [
    {
      name: 'three nodes short of cpu, nothing to preempt (§2.2)',
      input: {
        numAllNodes: 3,
        statuses: nodes(...times(3, U('Insufficient cpu'))),
        postFilterMessage: preemption({ numAllNodes: 3, statuses: nodes(...times(3, UU(NO_VICTIMS))) }),
      },
      want: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    },
    {
      name: 'an unreachable node: its taint is unresolvable, so preemption is not helpful (§2.2)',
      input: {
        numAllNodes: 1,
        statuses: nodes(UU(TAINT_UNREACHABLE)),
        postFilterMessage: preemption({ numAllNodes: 1, statuses: new Map(), absentStatus: UU(NOT_HELPFUL) }),
      },
      want: '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    },
    {
      name: 'a taint and a selector mismatch, counted and sorted (§2.2)',
      input: {
        numAllNodes: 3,
        statuses: nodes(UU('node(s) had untolerated taint {CriticalAddonsOnly: true}'), UU(AFFINITY), UU(AFFINITY)),
        postFilterMessage: preemption({ numAllNodes: 3, statuses: new Map(), absentStatus: UU(NOT_HELPFUL) }),
      },
      want: "0/3 nodes are available: 1 node(s) had untolerated taint {CriticalAddonsOnly: true}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    },
    {
      name: 'port clash with only equal or higher priority pods on the node (§6)',
      input: {
        numAllNodes: 1,
        statuses: nodes(U(PORTS)),
        postFilterMessage: preemption({ numAllNodes: 1, statuses: nodes(UU(NO_VICTIMS)) }),
      },
      want: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    },
    {
      name: 'port clash where evicting the lower-priority pods would not free the port (§6)',
      input: {
        numAllNodes: 1,
        statuses: nodes(U(PORTS)),
        postFilterMessage: preemption({ numAllNodes: 1, statuses: nodes(U(PORTS)) }),
      },
      want: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.",
    },
    {
      name: 'four nodes, three outside the DaemonSet pod\'s PreFilter result (§6)',
      input: {
        numAllNodes: 4,
        statuses: nodes(U(PORTS), ...times(3, UU("node(s) didn't satisfy plugin(s) [NodeAffinity]"))),
        postFilterMessage: preemption({ numAllNodes: 4, statuses: nodes(UU(NO_VICTIMS)), absentStatus: UU(NOT_HELPFUL) }),
      },
      want: "0/4 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
    },
    {
      name: 'nodes absent from the map take the absent status, once per missing node',
      input: { numAllNodes: 4, statuses: nodes(U(PORTS)), absentStatus: UU("node(s) didn't satisfy plugin(s) [NodeAffinity]") },
      want: "0/4 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 3 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    },
    {
      name: 'one node can give several reasons, each counted',
      input: { numAllNodes: 2, statuses: nodes(U('Insufficient cpu', 'Insufficient memory'), U('Insufficient cpu')) },
      want: '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.',
    },
    {
      name: '"10 …" sorts before "2 …": counts are compared as text, not numbers',
      input: { numAllNodes: 12, statuses: nodes(...times(10, U('Insufficient memory')), ...times(2, U('Insufficient cpu'))) },
      want: '0/12 nodes are available: 10 Insufficient memory, 2 Insufficient cpu.',
    },
    {
      name: 'upper case sorts before lower case: "1 Too many pods" before "1 node(s)…"',
      input: { numAllNodes: 3, statuses: nodes(UU(AFFINITY), U('Too many pods'), U('Insufficient cpu')) },
      want: "0/3 nodes are available: 1 Insufficient cpu, 1 Too many pods, 1 node(s) didn't match Pod's node affinity/selector.",
    },
    {
      name: 'mixed reasons over many nodes',
      input: {
        numAllNodes: 25,
        statuses: nodes(
          ...times(11, U('Insufficient cpu')), ...times(9, U('Insufficient cpu', 'Insufficient memory')),
          ...times(3, UU(TAINT_UNREACHABLE)), U('Too many pods'), UU('node(s) were unschedulable'),
        ),
      },
      want: '0/25 nodes are available: 1 Too many pods, 1 node(s) were unschedulable, 20 Insufficient cpu, 3 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 9 Insufficient memory.',
    },
    {
      name: 'a PreFilter rejection replaces the node histogram (it would only repeat it)',
      input: {
        numAllNodes: 3,
        statuses: nodes(...times(3, UU('persistentvolumeclaim "x" not found'))),
        preFilterMessage: 'persistentvolumeclaim "x" not found',
        postFilterMessage: preemption({ numAllNodes: 3, statuses: new Map(), absentStatus: UU(NOT_HELPFUL) }),
      },
      want: '0/3 nodes are available: persistentvolumeclaim "x" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    },
    {
      name: 'no PostFilter message (preemption nominated a node): the filter part only',
      input: { numAllNodes: 1, statuses: nodes(U('Insufficient cpu')) },
      want: '0/1 nodes are available: 1 Insufficient cpu.',
    },
    {
      name: 'preemption not attempted: its own reason follows',
      input: { numAllNodes: 1, statuses: nodes(U('Insufficient cpu')), postFilterMessage: 'preemption: not eligible due to preemptionPolicy=Never.' },
      want: '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    },
    {
      name: 'an empty cluster',
      input: { numAllNodes: 0, statuses: new Map() },
      want: 'no nodes available to schedule pods',
    },
  ]
  for (const c of cases) it(c.name, () => assert.equal(fitErrorMessage(c.input), c.want))

  it('reasonHistogram gives the sorted "<count> <reason>" entries', () => {
    assert.deepEqual(reasonHistogram({ numAllNodes: 3, statuses: nodes(U('b'), U('a'), U('b')) }), ['1 a', '2 b'])
  })
})

describe('scheduler/message: truncateNote', () => {
  it('leaves a note of up to 1024 bytes alone', () => {
    const msg = 'x'.repeat(NOTE_LENGTH_LIMIT)
    assert.equal(truncateNote(msg), msg)
  })

  it('cuts a longer note to 1024 bytes ending " ..."', () => {
    const msg = '0/2000 nodes are available: ' + 'y'.repeat(2000)
    const note = truncateNote(msg)
    assert.equal(note.length, 1024)
    assert.ok(note.endsWith(' ...'))
    assert.equal(note.slice(0, 1020), msg.slice(0, 1020))
  })

  it('counts bytes, not characters, and never leaves half a character', () => {
    const msg = 'a' + 'é'.repeat(600) // 1201 bytes, 601 characters
    const note = truncateNote(msg)
    assert.ok(new TextEncoder().encode(note).length <= 1024)
    assert.equal(note, 'a' + 'é'.repeat(509) + ' ...') // 1 + 1018 bytes; the 1020th byte would split an é
  })
})
