// syncDeployment and the two strategies (pkg/controller/deployment: deployment_controller.go,
// rolling.go, recreate.go, v1.32). RollingUpdate: grow the new ReplicaSet within maxSurge, shrink
// old ones within maxUnavailable (unhealthy replicas first), repeat as pods become available.
// Recreate: scale every old ReplicaSet to 0, wait until no old pod runs, then scale the new up.
import type { KubeObject } from '../../api/object.ts'
import { getCondition, hasProgressDeadline, newCondition, PROGRESSING, setCondition, deploymentComplete, type DeploymentStatus } from './conditions.ts'
import type { DeploymentSync } from './sync.ts'
import { active, annotationInt, byCreation, DESIRED_REPLICAS, maxUnavailable, newRSNewReplicas, replicas, spec, status, sumReplicas, sumStatus } from './util.ts'

export async function syncDeployment (s: DeploymentSync): Promise<void> {
  const d = s.d
  if (s.selectsEverything) {
    await s.recorder.record(d, { type: 'Warning', reason: 'SelectingAll', message: 'This deployment is selecting all pods. A non-empty selector is required.' })
    if ((status(d).observedGeneration ?? 0) < (d.metadata.generation ?? 0)) await s.writeStatus({ ...status(d), observedGeneration: d.metadata.generation })
    return
  }
  if (d.metadata.deletionTimestamp !== undefined) {
    const { newRS, oldRSs } = await s.newAndOld(false)
    await s.syncStatus(all(newRS, oldRSs), newRS)
    return
  }
  await checkPausedConditions(s)
  if (spec(s.d).paused === true) { await scaleOnly(s); return }
  if (await isScalingEvent(s)) { await scaleOnly(s); return }
  if (spec(s.d).strategy?.type === 'Recreate') await rolloutRecreate(s)
  else await rolloutRolling(s)
}

const all = (newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject[] => newRS === undefined ? oldRSs : [...oldRSs, newRS]

/** checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed. */
async function checkPausedConditions (s: DeploymentSync): Promise<void> {
  if (!hasProgressDeadline(s.d)) return
  const st = structuredClone(status(s.d)) as DeploymentStatus
  const cond = getCondition(st, PROGRESSING)
  if (cond?.reason === 'ProgressDeadlineExceeded') return
  const pausedExists = cond?.reason === 'DeploymentPaused'
  const paused = spec(s.d).paused === true
  if (paused && !pausedExists) setCondition(st, newCondition(PROGRESSING, 'Unknown', 'DeploymentPaused', 'Deployment is paused', s.ctx.clock.now()))
  else if (!paused && pausedExists) setCondition(st, newCondition(PROGRESSING, 'Unknown', 'DeploymentResumed', 'Deployment is resumed', s.ctx.clock.now()))
  else return
  await s.writeStatus(st)
}

/** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
async function isScalingEvent (s: DeploymentSync): Promise<boolean> {
  const { newRS, oldRSs } = await s.newAndOld(false)
  return active(all(newRS, oldRSs)).some(rs => {
    const desired = annotationInt(rs, DESIRED_REPLICAS)
    return desired !== undefined && desired !== replicas(s.d)
  })
}

/** sync: scale (proportionally) and write the status, for paused Deployments and scaling events. */
async function scaleOnly (s: DeploymentSync): Promise<void> {
  const { newRS, oldRSs } = await s.newAndOld(false)
  await s.scale(newRS, oldRSs)
  const fresh = await s.newAndOld(false)
  if (spec(s.d).paused === true) await s.cleanup(fresh.oldRSs)
  await s.syncStatus(all(fresh.newRS, fresh.oldRSs), fresh.newRS)
}

async function rolloutRolling (s: DeploymentSync): Promise<void> {
  let { newRS, oldRSs } = await s.newAndOld(true)
  if (newRS !== undefined && replicas(newRS) !== replicas(s.d)) {
    const target = replicas(newRS) > replicas(s.d) ? replicas(s.d) : newRSNewReplicas(s.d, all(newRS, oldRSs), newRS)
    const { scaled, rs } = await s.scaleAndRecord(newRS, target)
    newRS = rs
    if (scaled) { await s.syncRolloutStatus(all(newRS, oldRSs), newRS); return }
  }
  const scaledDown = await reconcileOldReplicaSets(s, oldRSs, newRS)
  oldRSs = scaledDown.oldRSs
  if (scaledDown.scaled) { await s.syncRolloutStatus(all(newRS, oldRSs), newRS); return }
  if (deploymentComplete(s.d, status(s.d) as DeploymentStatus)) await s.cleanup(oldRSs)
  await s.syncRolloutStatus(all(newRS, oldRSs), newRS)
}

/** reconcileOldReplicaSets: scale old ReplicaSets down as far as maxUnavailable allows. */
async function reconcileOldReplicaSets (s: DeploymentSync, oldRSs: KubeObject[], newRS: KubeObject | undefined): Promise<{ scaled: boolean, oldRSs: KubeObject[] }> {
  const d = s.d
  if (sumReplicas(oldRSs) === 0) return { scaled: false, oldRSs }
  const minAvailable = replicas(d) - maxUnavailable(d)
  const newUnavailable = newRS === undefined ? 0 : replicas(newRS) - (status(newRS).availableReplicas ?? 0)
  const maxScaledDown = sumReplicas(all(newRS, oldRSs)) - minAvailable - newUnavailable
  if (maxScaledDown <= 0) return { scaled: false, oldRSs }
  // cleanupUnhealthyReplicas: first remove old replicas that are not available anyway.
  const olds = [...oldRSs].sort(byCreation)
  let cleaned = 0
  for (const [i, rs] of olds.entries()) {
    if (cleaned >= maxScaledDown) break
    if (replicas(rs) === 0 || replicas(rs) === (status(rs).availableReplicas ?? 0)) continue
    const n = Math.min(maxScaledDown - cleaned, replicas(rs) - (status(rs).availableReplicas ?? 0))
    olds[i] = (await s.scaleAndRecord(rs, replicas(rs) - n)).rs
    cleaned += n
  }
  // scaleDownOldReplicaSetsForRollingUpdate: then available ones, down to minAvailable.
  let scaledDown = 0
  const available = sumStatus(all(newRS, olds), 'availableReplicas')
  if (available > minAvailable) {
    const total = available - minAvailable
    for (const [i, rs] of olds.entries()) {
      if (scaledDown >= total) break
      if (replicas(rs) === 0) continue
      const n = Math.min(replicas(rs), total - scaledDown)
      olds[i] = (await s.scaleAndRecord(rs, replicas(rs) - n)).rs
      scaledDown += n
    }
  }
  return { scaled: cleaned + scaledDown > 0, oldRSs: olds }
}

async function rolloutRecreate (s: DeploymentSync): Promise<void> {
  let { newRS, oldRSs } = await s.newAndOld(false)
  let scaledDown = false
  for (const [i, rs] of oldRSs.entries()) {
    if (replicas(rs) === 0) continue
    const r = await s.scaleAndRecord(rs, 0)
    oldRSs[i] = r.rs
    scaledDown ||= r.scaled
  }
  if (scaledDown || oldPodsRunning(s, newRS, oldRSs)) { await s.syncRolloutStatus(all(newRS, oldRSs), newRS); return }
  if (newRS === undefined) ({ newRS, oldRSs } = await s.newAndOld(true))
  if (newRS !== undefined) newRS = (await s.scaleAndRecord(newRS, replicas(s.d))).rs
  if (deploymentComplete(s.d, status(s.d) as DeploymentStatus)) await s.cleanup(oldRSs)
  await s.syncRolloutStatus(all(newRS, oldRSs), newRS)
}

/** oldPodsRunning: any old replica counted, or any non-terminal pod of an old ReplicaSet left. */
function oldPodsRunning (s: DeploymentSync, newRS: KubeObject | undefined, oldRSs: KubeObject[]): boolean {
  if (sumStatus(oldRSs, 'replicas') > 0) return true
  for (const [uid, pods] of s.podMap) {
    if (uid === newRS?.metadata.uid) continue
    if (pods.some(p => !['Failed', 'Succeeded'].includes(status(p).phase))) return true
  }
  return false
}
