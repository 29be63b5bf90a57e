// The ResourceQuota admission plugin (plugin/pkg/admission/resourcequota, v1.32): a create or
// update that would take a namespace's usage past a quota's hard limit is refused with upstream's
// messages (`exceeded quota: …`, `failed quota: …: must specify …`, `status unknown for quota: …`);
// an admitted one is charged to the quotas' status.used before it is stored, so the next request
// sees it. A namespace's requests are evaluated one batch at a time (upstream: one worker per
// namespace), each against what the ones before it charged, so two creates cannot both take the
// last unit, and a burst of creates costs one status write per quota, not one per create.
import type { KubeObject } from '../../api/object.ts'
import { evaluatorFor, isQuotaIgnored, quotaMatches, type Evaluator, type QuotaOperation } from '../../api/quota/evaluators.ts'
import { add, equals, exceeded, mask, negativeNames, prettyPrint, removeZeros, resourceList, subtractNonNegative, toJsonList, type ResourceList } from '../../api/quota/resource-list.ts'
import { admissionForbidden, isStatusError, type Qualified } from '../errors.ts'

type Json = Record<string, any>

export interface QuotaRequest {
  operation: QuotaOperation
  resource: Qualified
  obj: KubeObject
  old?: KubeObject
  dryRun: boolean
}

export interface QuotaAdmissionOptions {
  /** The namespace's quotas as stored now (a watch-fed cache). */
  quotas: (namespace: string) => Promise<readonly KubeObject[]>
  /** Write a quota's status (optimistic: a 409 when it changed meanwhile). */
  writeStatus: (quota: KubeObject) => Promise<void>
  now: () => number
}

/** Raised with the message's reason: the caller turns it into a Forbidden for its object. */
class Refusal extends Error {}

/** A request waiting for its namespace's evaluation. */
interface Waiter {
  req: QuotaRequest
  evaluator: Evaluator
  settle: (err?: unknown) => void
}

export class QuotaAdmission {
  private readonly options: QuotaAdmissionOptions
  /** namespace → requests waiting for the evaluation in progress to end. */
  private readonly waiting = new Map<string, Waiter[]>()
  private readonly running = new Set<string>()

  constructor (options: QuotaAdmissionOptions) { this.options = options }

  async admit (req: QuotaRequest): Promise<void> {
    const namespace = req.obj.metadata.namespace
    if (namespace === undefined || namespace === '' || isQuotaIgnored(req.resource.group, req.resource.resource)) return
    const evaluator = evaluatorFor(req.resource.group, req.resource.resource)
    if (!evaluator.handles(req.operation)) return
    if ((await this.options.quotas(namespace)).length === 0) return
    await new Promise<void>((resolve, reject) => {
      let queue = this.waiting.get(namespace)
      if (queue === undefined) this.waiting.set(namespace, queue = [])
      queue.push({ req, evaluator, settle: err => (err === undefined ? resolve() : reject(err)) })
      if (!this.running.has(namespace)) void this.drain(namespace)
    })
  }

  /**
   * Upstream's quotaEvaluator worker: one evaluation per namespace at a time, and the requests
   * that arrive meanwhile are evaluated together next, each against the usage the ones before it
   * charged, with one status write per quota for the whole batch.
   */
  private async drain (namespace: string): Promise<void> {
    this.running.add(namespace)
    try {
      for (let batch = this.take(namespace); batch.length > 0; batch = this.take(namespace)) {
        try {
          await this.checkQuotas(namespace, batch)
        } catch (err) {
          for (const w of batch) w.settle(err)
        }
      }
    } finally {
      this.running.delete(namespace)
    }
  }

  private take (namespace: string): Waiter[] {
    const batch = this.waiting.get(namespace) ?? []
    this.waiting.delete(namespace)
    return batch
  }

  /**
   * checkQuotas: evaluate the batch against the current quotas and write what changed. A write
   * that meets a newer quota (the controller recounted) evaluates the undecided requests again
   * against it, up to three times; one that finds its quota deleted evaluates them without it;
   * quotas already written are not charged twice.
   */
  private async checkQuotas (namespace: string, batch: Waiter[]): Promise<void> {
    const written = new Set<string>()
    let undecided = batch
    for (let retries = 3; ; retries--) {
      const original = (await this.options.quotas(namespace)).filter(q => !written.has(q.metadata.name!))
      const current = new Map(original.map(q => [q.metadata.name!, q]))
      const charged: Waiter[] = []
      for (const w of undecided) {
        let changes: Array<{ quota: KubeObject, used: ResourceList }>
        try {
          changes = checkRequest([...current.values()], w.req, w.evaluator, this.options.now())
        } catch (err) {
          w.settle(err instanceof Refusal ? admissionForbidden(w.req.resource, w.req.obj.metadata.name ?? '', err.message) : err)
          continue
        }
        if (w.req.dryRun || changes.length === 0) { w.settle(); continue }
        for (const { quota, used } of changes) current.set(quota.metadata.name!, { ...quota, status: { ...(quota as Json).status, used: toJsonList(used) } } as KubeObject)
        charged.push(w)
      }
      let conflict: unknown
      for (const q of original) {
        const next = current.get(q.metadata.name!)!
        if (next === q) continue
        try {
          await this.options.writeStatus(next)
          written.add(q.metadata.name!)
        } catch (err) {
          if (!(isStatusError(err, 409) || isStatusError(err, 404))) throw err
          conflict = err
        }
      }
      if (conflict === undefined) { for (const w of charged) w.settle(); return }
      if (retries <= 0) { for (const w of charged) w.settle(conflict); return }
      undecided = charged
    }
  }
}

/** hasUsageStats: every hard limit among `restricted` has a used value. */
function hasUsageStats (quota: Json, restricted: readonly string[]): boolean {
  const used = quota.status?.used ?? {}
  return Object.keys(quota.status?.hard ?? {}).every(name => !restricted.includes(name) || used[name] !== undefined)
}

/**
 * CheckRequest: the quotas whose usage the request changes, with their new usage; throws a
 * Refusal naming the first quota that refuses it.
 */
export function checkRequest (quotas: readonly KubeObject[], req: QuotaRequest, evaluator: Evaluator, now: number): Array<{ quota: KubeObject, used: ResourceList }> {
  const interesting: KubeObject[] = []
  for (const quota of quotas) {
    if (!quotaMatches(evaluator, quota, req.obj)) continue
    const name = quota.metadata.name
    const restricted = evaluator.matchingResources(Object.keys((quota as Json).status?.hard ?? {}))
    const failed = evaluator.constraints(restricted, req.obj)
    if (failed !== undefined) throw new Refusal(`failed quota: ${name}: ${failed}`)
    if (!hasUsageStats(quota, restricted)) throw new Refusal(`status unknown for quota: ${name}, resources: ${[...restricted].sort().join(',')}`)
    interesting.push(quota)
  }
  if (interesting.length === 0) return []
  const input = evaluator.usage(req.obj, now)
  const negative = negativeNames(input)
  if (negative.length > 0) throw new Refusal(`quota usage is negative for resource(s): ${negative.sort().join(',')}`)
  const deltas = new Map<KubeObject, ResourceList>(interesting.map(q => [q, input]))
  if (req.operation === 'update') {
    if (req.old === undefined) throw new Refusal('unable to get previous usage since prior version of object was not found')
    if ((req.old.metadata.resourceVersion ?? '') !== '') {
      const delta = subtractNonNegative(input, evaluator.usage(req.old, now))
      for (const q of interesting) if (quotaMatches(evaluator, q, req.old)) deltas.set(q, delta)
    }
  }
  const out: Array<{ quota: KubeObject, used: ResourceList }> = []
  for (const quota of interesting) {
    const delta = removeZeros(deltas.get(quota)!)
    if (delta.size === 0) continue
    const hard = resourceList((quota as Json).status.hard)
    const used = resourceList((quota as Json).status.used)
    const requested = mask(delta, hard.keys())
    const next = add(used, requested)
    const over = exceeded(mask(next, requested.keys()), hard)
    if (over.length > 0) {
      throw new Refusal(`exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(mask(requested, over))}, used: ${prettyPrint(mask(used, over))}, limited: ${prettyPrint(mask(hard, over))}`)
    }
    if (!equals(next, used)) out.push({ quota, used: next })
  }
  return out
}
