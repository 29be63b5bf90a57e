// cluster.events()'s filter, applied first to the stored bytes: a row whose JSON cannot hold the
// wanted value is not decoded. The store's rows are the API server's compact JSON.stringify, in
// which a field `"reason":"BackOff"` appears as exactly those bytes (a string's own quotes are
// escaped, so no text inside a value can look like it). Only a row that does not have the field
// in that form at all (written another way, through the etcd API, say) is decoded to check.
import type { KubeObject } from '../api/object.ts'
import type { KeyValue } from '../store/backend.ts'

export interface EventFilter { reason?: string, type?: string, kind?: string, name?: string, namespace?: string }

type Json = Record<string, any>

interface Needle { field: Uint8Array, value: Uint8Array }

const encoder = new TextEncoder()

/** What Go's encoder writes differently from JSON.stringify (it escapes these): decode to check. */
const GO_ESCAPED = /[<>&\u2028\u2029]/

function needle (field: string, value: string | undefined): Needle | undefined {
  if (value === undefined) return undefined
  const json = JSON.stringify(value)
  if (GO_ESCAPED.test(json)) return undefined
  return { field: encoder.encode(`"${field}":"`), value: encoder.encode(`"${field}":${json}`) }
}

/** Whether the row may match: false only when its bytes show that it cannot. */
function mayHold (bytes: Buffer, n: Needle): boolean {
  return bytes.indexOf(n.value) >= 0 || bytes.indexOf(n.field) < 0
}

/** The events among `rows` that match `filter`, decoded by `decode` (rows that cannot match are not). */
export function filterEvents (rows: readonly KeyValue[], filter: EventFilter, decode: (kv: KeyValue) => KubeObject): KubeObject[] {
  // `name` and `kind` are the involved object's; their field names recur elsewhere (the event's
  // own name, its kind), which only lets more rows through to the exact check below.
  const needles = [needle('reason', filter.reason), needle('type', filter.type), needle('kind', filter.kind), needle('name', filter.name)]
    .filter((n): n is Needle => n !== undefined)
  const out: KubeObject[] = []
  for (const kv of rows) {
    if (needles.length > 0) {
      const bytes = Buffer.from(kv.value.buffer, kv.value.byteOffset, kv.value.byteLength)
      if (!needles.every(n => mayHold(bytes, n))) continue
    }
    const e = decode(kv)
    const ev = e as Json
    if ((filter.reason === undefined || ev.reason === filter.reason) &&
      (filter.type === undefined || ev.type === filter.type) &&
      (filter.kind === undefined || ev.involvedObject?.kind === filter.kind) &&
      (filter.name === undefined || ev.involvedObject?.name === filter.name) &&
      (filter.namespace === undefined || e.metadata.namespace === filter.namespace)) out.push(e)
  }
  return out.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
}
