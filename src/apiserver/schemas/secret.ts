// What decoding a v1 Secret does besides types (k8s.io/kubernetes pkg/apis/core/v1):
// Convert_v1_Secret_To_core_Secret writes stringData over data, and the internal type has no
// stringData, so it is gone once stored; SetDefaults_Secret defaults type to Opaque.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * A v1 Secret as stored: stringData is written into data (base64 of its
 * UTF-8, overwriting) and dropped (the internal type has no such field), and type defaults to
 * Opaque. Returns a new object; call after decodeTyped succeeded.
 */
export function normalizeSecret (obj: Record<string, unknown>): Record<string, unknown> {
  const { stringData, ...out } = obj
  if (isObject(stringData) && Object.keys(stringData).length > 0) {
    const data: Record<string, unknown> = isObject(out.data) ? { ...out.data } : {}
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64')
    out.data = data
  }
  if (out.type === undefined || out.type === '') out.type = 'Opaque'
  return out
}
