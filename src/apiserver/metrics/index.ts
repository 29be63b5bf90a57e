// kube-apiserver's /metrics as k3s serves it (`kubectl get --raw /metrics`, Prometheus' scrape):
// the request metrics of every client (request-metrics.ts), apiserver_storage_objects counted
// from the store when scraped (upstream polls each minute), and the process collector's
// families for this process. Families in name order, as client_golang gathers them. Not here:
// the Go runtime's go_* families (this is no Go process), etcd_*, APF's and watch cache's.
import type { ResourceInfo } from '../../api/resources.ts'
import type { Backend } from '../../store/backend.ts'
import { collectionRange } from '../registry/keys.ts'
import { family, type Sample } from './exposition.ts'
import { processFamilies } from './process.ts'
import type { RequestMetrics } from './request-metrics.ts'

export { CONTENT_TYPE } from './exposition.ts'

export interface MetricsSources {
  requests: RequestMetrics
  backend: Backend
  resources: () => ResourceInfo[]
}

/** Each stored resource (one per group and resource, whatever its versions): its object count, -1 if the store cannot tell. */
async function storageObjects (sources: MetricsSources): Promise<Sample[]> {
  const seen = new Map<string, ResourceInfo>()
  for (const r of sources.resources()) {
    if (r.virtual === true || r.aggregated === true) continue
    const name = r.group === '' ? r.resource : `${r.resource}.${r.group}`
    if (!seen.has(name)) seen.set(name, r)
  }
  const out: Sample[] = []
  for (const [name, info] of seen) {
    const count = await sources.backend.range({ ...collectionRange(info), countOnly: true }).then(r => r.count, () => -1)
    out.push({ labels: [['resource', name]], value: count })
  }
  return out
}

export async function apiserverMetrics (sources: MetricsSources): Promise<string> {
  const stored = family('apiserver_storage_objects', 'gauge', '[STABLE] Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.', await storageObjects(sources))
  // apiserver_current_inflight…, _longrunning…, _request_duration…, _request_total, then _storage_objects, then process_*.
  return sources.requests.exposition() + stored + processFamilies()
}
