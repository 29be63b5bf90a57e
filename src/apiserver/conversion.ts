// Resources served in two shapes over one storage: events.k8s.io/v1 Events are stored as core/v1
// Events (both live under /registry/events), and autoscaling/v1 HorizontalPodAutoscalers as v2.
// The conversions are upstream's field mappings (k8s.io/kubernetes/pkg/apis/*/v1/conversion.go).
import type { KubeObject } from '../api/object.ts'
import type { ResourceInfo } from '../api/resources.ts'
import { hpaV1ToV2, hpaV2ToV1, withoutRoundTripAnnotations } from './hpa-conversion.ts'

type Json = Record<string, any>

const rename = (from: Json, pairs: Array<[string, string]>): Json => {
  const out: Json = { ...from }
  for (const [a, b] of pairs) {
    if (a in out) { if (out[a] !== undefined) out[b] = out[a]; delete out[a] }
  }
  return out
}

/** events.k8s.io/v1 name → core/v1 name. */
const EVENT_FIELDS: Array<[string, string]> = [
  ['regarding', 'involvedObject'], ['note', 'message'], ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'], ['deprecatedFirstTimestamp', 'firstTimestamp'], ['deprecatedLastTimestamp', 'lastTimestamp'], ['deprecatedCount', 'count'],
]

function isEventsV1 (info: ResourceInfo): boolean { return info.group === 'events.k8s.io' && info.resource === 'events' }
function isHpaV1 (info: ResourceInfo): boolean { return info.group === 'autoscaling' && info.version === 'v1' && info.resource === 'horizontalpodautoscalers' }
function isHpaV2 (info: ResourceInfo): boolean { return info.group === 'autoscaling' && info.version === 'v2' && info.resource === 'horizontalpodautoscalers' }

/** The stored shape of an object received through `info`. */
export function toStored (info: ResourceInfo, obj: KubeObject): KubeObject {
  if (isEventsV1(info)) return { ...rename(obj, EVENT_FIELDS), apiVersion: 'v1', kind: 'Event' } as KubeObject
  if (isHpaV1(info)) return hpaV1ToV2(obj)
  if (isHpaV2(info)) return withoutRoundTripAnnotations(obj)
  return obj
}

/** The shape `info` serves of a stored object. */
export function toServed (info: ResourceInfo, obj: KubeObject): KubeObject {
  if (isEventsV1(info)) {
    const out = rename(obj, EVENT_FIELDS.map(([a, b]) => [b, a] as [string, string]))
    return { ...out, apiVersion: 'events.k8s.io/v1', kind: 'Event' } as KubeObject
  }
  if (isHpaV1(info)) return hpaV2ToV1(obj)
  if (info.group === '' && info.resource === 'events') return { ...obj, apiVersion: 'v1', kind: 'Event' }
  if (isHpaV2(info)) return { ...withoutRoundTripAnnotations(obj), apiVersion: 'autoscaling/v2' }
  return obj
}
