// The ResourceQuota admission plugin (plugin/pkg/admission/resourcequota, v1.32): a create or
// update that would take a namespace's usage past a quota's hard limit is refused with upstream's
// messages (`exceeded quota: …`, `failed quota: …: must specify …`, `status unknown for quota: …`);
// an admitted one is charged to the quotas' status.used before it is stored, so the next request
// sees it. Requests of one namespace are evaluated one at a time (upstream: one worker per
// namespace at a time), so two creates cannot both take the last unit.
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

export class QuotaAdmission {
  private readonly options: QuotaAdmissionOptions
  /** namespace → the tail of its evaluations. */
  private readonly lanes = new Map<string, Promise<void>>()

  constructor (options: QuotaAdmissionOptions) { this.options = options }

  async admit (req: QuotaRequest): Promise<void> {
    const namespace = req.obj.metadata.namespace
    if (namespace === undefined || namespace === '' || isQuotaIgnored(req.resource.group, req.resource.resource)) return
    const evaluator = evaluatorFor(req.resource.group, req.resource.resource)
    if (!evaluator.handles(req.operation)) return
    if ((await this.options.quotas(namespace)).length === 0) return
    await this.inLane(namespace, () => this.evaluate(req, evaluator, namespace))
  }

  private async inLane (namespace: string, fn: () => Promise<void>): Promise<void> {
    const before = this.lanes.get(namespace) ?? Promise.resolve()
    const run = before.then(fn)
    const tail = run.catch(() => {})
    this.lanes.set(namespace, tail)
    try {
      await run
    } finally {
      if (this.lanes.get(namespace) === tail) this.lanes.delete(namespace)
    }
  }

  /**
   * checkQuotas: evaluate against the current quotas and write what changed. A write that meets
   * a newer quota (the controller recounted) is evaluated again against it, up to three times,
   * and one that finds its quota deleted meanwhile is evaluated again without it; quotas already
   * charged are not charged twice.
   */
  private async evaluate (req: QuotaRequest, evaluator: Evaluator, namespace: string): Promise<void> {
    const charged = new Set<string>()
    for (let retries = 3; ; retries--) {
      const quotas = (await this.options.quotas(namespace)).filter(q => !charged.has(q.metadata.name!))
      let changes: Array<{ quota: KubeObject, used: ResourceList }>
      try {
        changes = checkRequest(quotas, req, evaluator, this.options.now())
      } catch (err) {
        if (err instanceof Refusal) throw admissionForbidden(req.resource, req.obj.metadata.name ?? '', err.message)
        throw err
      }
      if (req.dryRun) return
      let conflicted = false
      for (const { quota, used } of changes) {
        try {
          await this.options.writeStatus({ ...quota, status: { ...(quota as Json).status, used: toJsonList(used) } } as KubeObject)
          charged.add(quota.metadata.name!)
        } catch (err) {
          if (!(isStatusError(err, 409) || isStatusError(err, 404)) || retries <= 0) throw err
          conflicted = true
        }
      }
      if (!conflicted) return
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
