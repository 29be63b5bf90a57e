// Preemption (upstream DefaultPreemption, v1.32): a PostFilter plugin that, when no node fits,
// finds the node where evicting the fewest and least important lower-priority pods makes room,
// and the writes that carry it out. May use: ../types.ts, ../node-info.ts, ../message.ts, the
// api helpers, and a Client for applyPreemption only; filters come in as a function.
export { defaultPreemption, NAME, NOT_HELPFUL, type DefaultPreemptionOptions, type DefaultPreemptionPlugin, type PreemptionResult } from './default-preemption.ts'
export { selectVictimsOnNode, splitByPDBViolation, byImportance, podStartTime, defaultPodPriority, terminatingByPreemption, NO_VICTIMS, type FilterNodeFn, type PreFilterExtensions, type SelectVictimsInput, type SelectVictimsResult } from './victims.ts'
export { pickOneNode, earliestStartOfMostImportant, type Candidate, type PickOptions } from './pick.ts'
export { applyPreemption, disruptionTarget, withCondition, type ApplyPreemptionOptions, type PreemptionEventSink } from './apply.ts'
export { cloneNodeInfo } from './node-copy.ts'
