// Starting one container as the kubelet's SyncPod does: pull (per imagePullPolicy), create,
// start — each step with its v1.32 event (Pulling/Pulled, Created, Started) or failure reason.
import type { KubeObject } from '../api/object.ts'
import type { Client } from '../client/client.ts'
import type { EventRecorder } from '../client/events.ts'
import { RuntimeError, type Runtime } from '../runtime/runtime.ts'
import { containerConfig } from './container-config.ts'
import { goDuration } from '../util/go-duration.ts'
import type { ContainerRecord } from './pod-state.ts'

type Json = Record<string, any>

export interface StartContext {
  runtime: Runtime
  recorder: EventRecorder
  now: () => number
  client: Client
  hostIP: string
  podIP?: string
  /** An image was pulled or found present: the node's image list may have changed. */
  pulled?: () => void
}

/** The pod spec's list a container is in (its events' fieldPath names it). */
export type ContainerList = 'initContainers' | 'containers' | 'ephemeralContainers'

/**
 * Returns true if the container now runs; on failure sets the record's waiting reason. An
 * ephemeral container's target is the runtime's ID of the container it names, if there is one.
 */
export async function startContainer (ctx: StartContext, pod: KubeObject, sandboxId: string, spec: Json, list: ContainerList, rec: ContainerRecord, target?: { name: string, id?: string }): Promise<boolean> {
  const fieldPath = `spec.${list}{${spec.name}}`
  const init = list === 'initContainers'
  const event = (type: 'Normal' | 'Warning', reason: string, message: string): Promise<unknown> => ctx.recorder.record(pod, { type, reason, message, fieldPath })
  const ref = { uid: pod.metadata.uid!, namespace: pod.metadata.namespace!, name: pod.metadata.name! }
  const policy = spec.imagePullPolicy ?? 'IfNotPresent'
  // Pulling is told when the pull begins (the runtime's onPull), before its delay.
  let pulling: Promise<unknown> | undefined
  const pullingEvent = (): Promise<unknown> => (pulling ??= event('Normal', 'Pulling', `Pulling image "${spec.image}"`))
  try {
    const started = ctx.now()
    const pull = await ctx.runtime.pullImage(spec.image, { pod: ref, pullPolicy: policy, container: spec.name, onPull: () => { void pullingEvent() } })
    ctx.pulled?.() // the node's image list may have changed (the Docker runtime's shared daemon: even when present)
    if (pull.cached) {
      await event('Normal', 'Pulled', `Container image "${spec.image}" already present on machine`)
    } else {
      await pullingEvent()
      const took = goDuration(pull.durationMs)
      await event('Normal', 'Pulled', `Successfully pulled image "${spec.image}" in ${took} (${goDuration(Math.max(pull.durationMs, ctx.now() - started))} including waiting). Image size: ${pull.size} bytes.`)
    }
  } catch (err) {
    const reason = err instanceof RuntimeError ? err.reason : 'ErrImagePull'
    const message = err instanceof Error ? err.message : String(err)
    if (reason === 'ErrImageNeverPull') {
      // Nothing was pulled: the image manager's own warning, then the start's error.
      await event('Warning', 'ErrImageNeverPull', message)
    } else {
      await pullingEvent()
      await event('Warning', 'Failed', `Failed to pull image "${spec.image}": ${message}`)
    }
    await event('Warning', 'Failed', `Error: ${reason}`)
    rec.waiting = { reason, message }
    return false
  }
  try {
    // kuberuntime's getTargetID: the target must have a container in the runtime.
    if (target !== undefined && target.id === undefined) throw new RuntimeError('CreateContainerConfigError', `unable to find target container ${target.name}`)
    const config = await containerConfig(ctx, { pod, container: spec, init, attempt: rec.restartCount, targetContainerId: target?.id })
    const id = await ctx.runtime.createContainer(sandboxId, config, ref)
    rec.id = id
    await event('Normal', 'Created', `Created container: ${spec.name}`)
    await ctx.runtime.startContainer(id)
    await event('Normal', 'Started', `Started container ${spec.name}`)
    rec.status = await ctx.runtime.containerStatus(id)
    rec.runningSince = ctx.now()
    rec.waiting = undefined
    return true
  } catch (err) {
    const reason = err instanceof RuntimeError ? err.reason : 'CreateContainerError'
    const message = err instanceof Error ? err.message : String(err)
    await event('Warning', 'Failed', `Error: ${message}`)
    rec.waiting = { reason, message }
    return false
  }
}
