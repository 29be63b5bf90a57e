// One Deployment sync's shared state and writes (pkg/controller/deployment/sync.go, v1.32):
// find or create the new ReplicaSet, scale ReplicaSets with the ScalingReplicaSet event,
// proportional scaling, revision-history cleanup, and the status with its conditions.
import { clone, type KubeObject } from '../../api/object.ts'
import { selectorFromLabelSelector } from '../../api/labels.ts'
import type { EventRecorder } from '../../client/events.ts'
import type { ControllerContext } from '../types.ts'
import { controllerRef, isNotFound } from '../replicaset/controller-ref.ts'
import {
  computeStatus, deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition,
  hasProgressDeadline, newCondition, PROGRESSING, removeCondition, setCondition, type Condition, type DeploymentStatus,
} from './conditions.ts'
import { computeHash } from './hash.ts'
import {
  active, annotationInt, byCreation, byRevision, bySizeNewer, bySizeOlder, equalIgnoreHash, HASH_LABEL, isRollingUpdate,
  MAX_REPLICAS, maxRevision, maxSurge, newRSNewReplicas, replicas, replicasAnnotationsNeedUpdate, REVISION,
  setNewReplicaSetAnnotations, setReplicasAnnotations, spec, status, sumReplicas, DESIRED_REPLICAS,
} from './util.ts'

export class DeploymentSync {
  d: KubeObject
  readonly ctx: ControllerContext
  readonly recorder: EventRecorder
  /** The claimed ReplicaSets; entries are replaced as this sync updates them. */
  readonly rsList: KubeObject[]
  private readonly makePodMap: () => Map<string, KubeObject[]>
  private pods: Map<string, KubeObject[]> | undefined

  /**
   * `podMap`: getPodMapForDeployment, made when first read. Only Recreate reads it, and it
   * visits every pod of the Deployment: a rolling update's ~140 syncs while 10,000 pods
   * start would visit 1.4 million.
   */
  constructor (o: { ctx: ControllerContext, recorder: EventRecorder, deployment: KubeObject, rsList: KubeObject[], podMap: () => Map<string, KubeObject[]> }) {
    this.ctx = o.ctx
    this.recorder = o.recorder
    this.d = clone(o.deployment)
    this.rsList = o.rsList
    this.makePodMap = o.podMap
  }

  /** Pods by the uid of their ReplicaSet (Recreate waits for old ones to go). */
  get podMap (): Map<string, KubeObject[]> { return (this.pods ??= this.makePodMap()) }

  private get now (): number { return this.ctx.clock.now() }

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked) and all the others. */
  async newAndOld (create: boolean): Promise<{ newRS?: KubeObject, oldRSs: KubeObject[] }> {
    const sorted = [...this.rsList].sort(byCreation)
    const existing = sorted.find(rs => equalIgnoreHash(spec(rs).template, spec(this.d).template))
    const oldRSs = sorted.filter(rs => rs !== existing)
    return { newRS: await this.newReplicaSet(existing, oldRSs, create), oldRSs }
  }

  private async newReplicaSet (existing: KubeObject | undefined, oldRSs: KubeObject[], create: boolean): Promise<KubeObject | undefined> {
    const d = this.d
    const newRevision = String(maxRevision(oldRSs) + 1)
    if (existing !== undefined) {
      const copy = clone(existing)
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true)
      if (annotationsUpdated || (spec(copy).minReadySeconds ?? 0) !== (spec(d).minReadySeconds ?? 0)) {
        spec(copy).minReadySeconds = spec(d).minReadySeconds ?? 0
        return this.replace(existing, await this.ctx.client.update(copy))
      }
      const revised = this.setDeploymentRevision(copy.metadata.annotations?.[REVISION] ?? '')
      const found = hasProgressDeadline(d) && getCondition(status(d), PROGRESSING) === undefined
        ? newCondition(PROGRESSING, 'True', 'FoundNewReplicaSet', `Found new replica set "${copy.metadata.name}"`, this.now)
        : undefined
      if (revised || found !== undefined) await this.writeStatusWith(found)
      return existing
    }
    if (!create) return undefined
    const collisionCount: number | undefined = status(d).collisionCount
    const hash = computeHash(spec(d).template, collisionCount)
    const template = clone(spec(d).template ?? {})
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH_LABEL]: hash } }
    const selector = clone(spec(d).selector ?? {})
    selector.matchLabels = { ...selector.matchLabels, [HASH_LABEL]: hash }
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, ownerReferences: [controllerRef(d)], labels: template.metadata.labels },
      spec: { replicas: 0, minReadySeconds: spec(d).minReadySeconds ?? 0, selector, template },
    }
    const count = newRSNewReplicas(d, [...oldRSs, rs], rs)
    spec(rs).replicas = count
    setNewReplicaSetAnnotations(d, rs, newRevision, false)
    let created: KubeObject
    let alreadyExists = false
    try {
      created = await this.ctx.client.create(rs)
    } catch (err) {
      if ((err as { code?: number }).code !== 409) {
        if (hasProgressDeadline(d)) {
          const st = clone(status(d)) as DeploymentStatus
          setCondition(st, newCondition(PROGRESSING, 'False', 'ReplicaSetCreateError', `Failed to create new replica set "${rs.metadata.name}": ${(err as Error).message}`, this.now))
          await this.writeStatus(st)
        }
        throw err
      }
      const found = await this.ctx.client.get('apps/v1', 'ReplicaSet', d.metadata.namespace, rs.metadata.name!)
      if (!equalIgnoreHash(spec(found).template, spec(d).template)) {
        // A hash collision: bump collisionCount so the next sync hashes differently.
        await this.writeStatus({ ...(clone(status(d)) as DeploymentStatus), collisionCount: (collisionCount ?? 0) + 1 })
        throw err
      }
      created = found
      alreadyExists = true
    }
    this.rsList.push(created)
    if (!alreadyExists && count > 0) await this.event(`Scaled up replica set ${created.metadata.name} from 0 to ${count}`)
    const revised = this.setDeploymentRevision(newRevision)
    const progressing = !alreadyExists && hasProgressDeadline(d)
      ? newCondition(PROGRESSING, 'True', 'NewReplicaSetCreated', `Created new replica set "${created.metadata.name}"`, this.now)
      : undefined
    // One UpdateStatus for both, as upstream: the status strategy keeps the annotation.
    if (revised || progressing !== undefined) await this.writeStatusWith(progressing)
    return created
  }

  /**
   * SetDeploymentRevision, on this.d in memory: whether it changed. The caller's status write
   * carries it (the Deployment status strategy takes annotations).
   */
  private setDeploymentRevision (revision: string): boolean {
    if (this.d.metadata.annotations?.[REVISION] === revision) return false
    this.d = { ...this.d, metadata: { ...this.d.metadata, annotations: { ...this.d.metadata.annotations, [REVISION]: revision } } }
    return true
  }

  /** scaleReplicaSetAndRecordEvent. */
  async scaleAndRecord (rs: KubeObject, newScale: number): Promise<{ scaled: boolean, rs: KubeObject }> {
    if (replicas(rs) === newScale) return { scaled: false, rs }
    return await this.scaleReplicaSet(rs, newScale, replicas(rs) < newScale ? 'up' : 'down')
  }

  /** scaleReplicaSet: size and the desired/max annotations in one update; an event if the size changed. */
  async scaleReplicaSet (rs: KubeObject, newScale: number, operation: string): Promise<{ scaled: boolean, rs: KubeObject }> {
    const d = this.d
    const sizeNeedsUpdate = replicas(rs) !== newScale
    const max = replicas(d) + maxSurge(d)
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, replicas(d), max)) return { scaled: false, rs }
    const oldScale = replicas(rs)
    const copy = clone(rs)
    spec(copy).replicas = newScale
    setReplicasAnnotations(copy, replicas(d), max)
    const updated = this.replace(rs, await this.ctx.client.update(copy))
    if (sizeNeedsUpdate) await this.event(`Scaled ${operation} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`)
    return { scaled: sizeNeedsUpdate, rs: updated }
  }

  /** scale: proportional scaling of a Deployment whose replicas changed mid-rollout. */
  async scale (newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<void> {
    const d = this.d
    const candidates = active([...[...oldRSs].sort((a, b) => byCreation(b, a)), newRS])
    if (candidates.length <= 1) {
      const target = candidates[0] ?? newRS ?? [...oldRSs].sort((a, b) => byCreation(b, a))[0]
      if (target !== undefined && replicas(target) !== replicas(d)) await this.scaleAndRecord(target, replicas(d))
      return
    }
    if (newRS !== undefined && annotationInt(newRS, DESIRED_REPLICAS) === replicas(d) &&
        (status(newRS).availableReplicas ?? 0) === replicas(d) && replicas(newRS) === replicas(d)) {
      for (const old of active(oldRSs)) await this.scaleAndRecord(old, 0)
      return
    }
    if (!isRollingUpdate(d)) return
    const allowed = replicas(d) > 0 ? replicas(d) + maxSurge(d) : 0
    const toAdd = allowed - sumReplicas(candidates)
    const rss = [...candidates].sort(toAdd > 0 ? bySizeNewer : bySizeOlder)
    const operation = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : ''
    const sizes = new Map<KubeObject, number>()
    let added = 0
    for (const rs of rss) {
      const proportion = toAdd === 0 ? 0 : this.proportion(rs, toAdd, added)
      sizes.set(rs, replicas(rs) + proportion)
      added += proportion
    }
    for (const [i, rs] of rss.entries()) {
      if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, sizes.get(rs)! + toAdd - added))
      await this.scaleReplicaSet(rs, sizes.get(rs)!, operation)
    }
  }

  /** GetReplicaSetProportion / getReplicaSetFraction (rounded half away from zero). */
  private proportion (rs: KubeObject, toAdd: number, added: number): number {
    if (replicas(rs) === 0 || toAdd === added) return 0
    const d = this.d
    let fraction: number
    if (replicas(d) === 0) fraction = -replicas(rs)
    else {
      const annotated = annotationInt(rs, MAX_REPLICAS) ?? status(d).replicas ?? 0
      const size = replicas(rs) * (replicas(d) + maxSurge(d)) / annotated
      fraction = Math.sign(size) * Math.round(Math.abs(size)) - replicas(rs)
    }
    const allowed = toAdd - added
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed)
  }

  /** cleanupDeployment: delete the oldest idle ReplicaSets beyond revisionHistoryLimit. */
  async cleanup (oldRSs: KubeObject[]): Promise<void> {
    const limit: number | undefined = spec(this.d).revisionHistoryLimit
    if (limit === undefined || limit === null) return
    const cleanable = oldRSs.filter(rs => rs.metadata.deletionTimestamp === undefined).sort(byRevision)
    for (const rs of cleanable.slice(0, Math.max(0, cleanable.length - limit))) {
      if ((status(rs).replicas ?? 0) !== 0 || replicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (status(rs).observedGeneration ?? 0)) continue
      await this.ctx.client.delete('apps/v1', 'ReplicaSet', rs.metadata.namespace, rs.metadata.name!).catch(err => { if (!isNotFound(err)) throw err })
    }
  }

  /** syncDeploymentStatus (scaling and paused): counts and Available only. */
  async syncStatus (all: KubeObject[], newRS: KubeObject | undefined): Promise<void> {
    const st = computeStatus(all, newRS, this.d, this.now)
    if (JSON.stringify(st) !== JSON.stringify(status(this.d))) await this.writeStatus(st)
  }

  /** syncRolloutStatus: syncStatus plus the Progressing condition, requeueing stuck rollouts. */
  async syncRolloutStatus (all: KubeObject[], newRS: KubeObject | undefined): Promise<void> {
    const d = this.d
    const st = computeStatus(all, newRS, d, this.now)
    if (!hasProgressDeadline(d)) removeCondition(st, PROGRESSING)
    const cur = getCondition(status(d), PROGRESSING)
    const complete = st.replicas === st.updatedReplicas && cur?.reason === 'NewReplicaSetAvailable'
    const rsName = newRS?.metadata.name
    if (hasProgressDeadline(d) && !complete) {
      if (deploymentComplete(d, st)) {
        const msg = rsName === undefined ? `Deployment "${d.metadata.name}" has successfully progressed.` : `ReplicaSet "${rsName}" has successfully progressed.`
        setCondition(st, newCondition(PROGRESSING, 'True', 'NewReplicaSetAvailable', msg, this.now))
      } else if (deploymentProgressing(d, st)) {
        const msg = rsName === undefined ? `Deployment "${d.metadata.name}" is progressing.` : `ReplicaSet "${rsName}" is progressing.`
        const c = newCondition(PROGRESSING, 'True', 'ReplicaSetUpdated', msg, this.now)
        // Progress refreshes lastUpdateTime even when the reason stays ReplicaSetUpdated.
        if (cur !== undefined) {
          if (cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime
          removeCondition(st, PROGRESSING)
        }
        setCondition(st, c)
      } else if (deploymentTimedOut(d, st, this.now)) {
        const msg = rsName === undefined ? `Deployment "${d.metadata.name}" has timed out progressing.` : `ReplicaSet "${rsName}" has timed out progressing.`
        setCondition(st, newCondition(PROGRESSING, 'False', 'ProgressDeadlineExceeded', msg, this.now))
      }
    }
    // Move the ReplicaSets' failure (the new one's first) into the Deployment's conditions.
    const failure = replicaFailure(newRS, all)
    if (failure !== undefined) setCondition(st, failure)
    else removeCondition(st, REPLICA_FAILURE)
    if (JSON.stringify(st) === JSON.stringify(status(d))) { this.requeueStuck(st); return }
    await this.writeStatus(st)
  }

  /** requeueStuckDeployment: look again when the progress deadline would pass. */
  private requeueStuck (st: DeploymentStatus): void {
    const d = this.d
    const cur = getCondition(status(d), PROGRESSING)
    if (!hasProgressDeadline(d) || cur === undefined) return
    if (deploymentComplete(d, st) || cur.reason === 'ProgressDeadlineExceeded') return
    const after = Date.parse(cur.lastUpdateTime) + spec(d).progressDeadlineSeconds * 1000 - this.now
    this.ctx.enqueueAfter(`${d.metadata.namespace}/${d.metadata.name}`, Math.max(after + 1, 1000))
  }

  /** Write the status (with `condition` set, if given), carrying this.d's revision annotation. */
  private async writeStatusWith (condition: ReturnType<typeof newCondition> | undefined): Promise<void> {
    const st = clone(status(this.d)) as DeploymentStatus
    if (condition !== undefined) setCondition(st, condition)
    await this.writeStatus(st)
  }

  /** Write the status, keeping this.d current so later writes in the sync do not conflict. */
  async writeStatus (st: DeploymentStatus): Promise<void> {
    const updated = await this.ctx.client.update({ ...clone(this.d), status: st }, { subresource: 'status' })
    this.d = updated
  }

  private replace (old: KubeObject, updated: KubeObject): KubeObject {
    const i = this.rsList.indexOf(old)
    if (i >= 0) this.rsList[i] = updated
    return updated
  }

  private async event (message: string): Promise<void> {
    await this.recorder.record(this.d, { type: 'Normal', reason: 'ScalingReplicaSet', message })
  }

  /** Whether the selector is empty (upstream refuses to select everything). */
  get selectsEverything (): boolean { return selectorFromLabelSelector(spec(this.d).selector).empty() }
}

const REPLICA_FAILURE = 'ReplicaFailure'

/** getReplicaFailures' first condition, as ReplicaSetToDeploymentCondition converts it. */
function replicaFailure (newRS: KubeObject | undefined, all: readonly KubeObject[]): Condition | undefined {
  for (const rs of [newRS, ...all]) {
    const c = ((rs as { status?: { conditions?: Array<Record<string, string>> } } | undefined)?.status?.conditions ?? []).find(x => x.type === REPLICA_FAILURE)
    if (c !== undefined) return { type: REPLICA_FAILURE, status: c.status as Condition['status'], lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message }
  }
  return undefined
}
