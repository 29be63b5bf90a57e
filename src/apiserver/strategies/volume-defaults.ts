// The v1 defaults of volumes and the small structs they share with containers
// (pkg/apis/core/v1/defaults.go and zz_generated.defaults.go, v1.32): SetDefaults_HTTPGetAction,
// SetDefaults_ObjectFieldSelector, the volume sources' defaultMode 0644, a projected token's
// one-hour expiry, a hostPath's unset type, a gRPC probe's empty service, and the
// PersistentVolume(Claim) defaults, which also apply to claim templates.
import { isObject } from '../../api/object.ts'
import { def, defString } from './strategy.ts'

type Json = Record<string, any>

/** SetDefaults_HTTPGetAction: path "/" and scheme HTTP when empty. */
export function defaultHTTPGet (action: unknown): void {
  if (!isObject(action)) return
  defString(action, 'path', '/')
  defString(action, 'scheme', 'HTTP')
}

/** SetDefaults_ObjectFieldSelector: apiVersion v1 when empty. */
export function defaultFieldRef (ref: unknown): void {
  if (isObject(ref)) defString(ref, 'apiVersion', 'v1')
}

/** A probe's handler defaults (httpGet; grpc's `service` is "" when absent, a +default). */
export function defaultProbeHandler (probe: unknown): void {
  if (!isObject(probe)) return
  defaultHTTPGet(probe.httpGet)
  if (isObject(probe.grpc)) def(probe.grpc, 'service', '')
}

/** A container's env fieldRefs and its lifecycle hooks' httpGets. */
export function defaultContainerRefs (c: Json): void {
  for (const e of Array.isArray(c.env) ? c.env : []) if (isObject(e) && isObject(e.valueFrom)) defaultFieldRef(e.valueFrom.fieldRef)
  if (isObject(c.lifecycle)) for (const hook of [c.lifecycle.postStart, c.lifecycle.preStop]) if (isObject(hook)) defaultHTTPGet(hook.httpGet)
}

function defaultDownwardAPIItems (items: unknown): void {
  for (const item of Array.isArray(items) ? items : []) if (isObject(item)) defaultFieldRef(item.fieldRef)
}

/** SetDefaults_Volume's sources: modes 0644, fieldRefs, token expiry, hostPath type, claim templates. */
export function defaultVolumeSource (v: Json): void {
  if (isObject(v.configMap)) def(v.configMap, 'defaultMode', 420)
  if (isObject(v.secret)) def(v.secret, 'defaultMode', 420)
  if (isObject(v.downwardAPI)) {
    def(v.downwardAPI, 'defaultMode', 420)
    defaultDownwardAPIItems(v.downwardAPI.items)
  }
  if (isObject(v.projected)) {
    def(v.projected, 'defaultMode', 420)
    for (const s of Array.isArray(v.projected.sources) ? v.projected.sources : []) {
      if (!isObject(s)) continue
      if (isObject(s.downwardAPI)) defaultDownwardAPIItems(s.downwardAPI.items)
      if (isObject(s.serviceAccountToken)) def(s.serviceAccountToken, 'expirationSeconds', 3600)
    }
  }
  if (isObject(v.hostPath)) def(v.hostPath, 'type', '')
  if (isObject(v.ephemeral) && isObject(v.ephemeral.volumeClaimTemplate)) defaultClaimSpec(v.ephemeral.volumeClaimTemplate.spec)
}

/** SetDefaults_PersistentVolumeClaimSpec: volumeMode Filesystem. */
export function defaultClaimSpec (spec: unknown): void {
  if (isObject(spec)) def(spec, 'volumeMode', 'Filesystem')
}

/**
 * SetDefaults_PersistentVolume(Claim)'s status half: phase Pending when empty. Upstream's create
 * stores an empty status (PrepareForCreate) and the phase appears when the object is read back
 * (decoding from etcd defaults it); here it is written at create, after the status is emptied.
 */
export function defaultPendingPhase (obj: Json): void {
  if (!isObject(obj.status)) obj.status = {}
  defString(obj.status, 'phase', 'Pending')
}

/** SetDefaults_PersistentVolume's spec half: reclaim policy Retain, volumeMode Filesystem. */
export function defaultPersistentVolumeSpec (pv: Json): void {
  if (!isObject(pv.spec)) return
  const spec = pv.spec
  defString(spec, 'persistentVolumeReclaimPolicy', 'Retain')
  def(spec, 'volumeMode', 'Filesystem')
  if (isObject(spec.hostPath)) def(spec.hostPath, 'type', '')
}

/**
 * A StatefulSet's claim template as the API server returns it: the PersistentVolumeClaim
 * defaults (spec and phase), its apiVersion and kind filled in (the apps/v1 conversion does), and
 * the embedded ObjectMeta's zero creationTimestamp, which Go encodes as null. In Go's field order.
 */
export function defaultClaimTemplate (t: Json): Json {
  const spec = isObject(t.spec) ? t.spec : {}
  defaultClaimSpec(spec)
  const metadata = isObject(t.metadata) ? t.metadata : {}
  def(metadata, 'creationTimestamp', null)
  const out: Json = { ...t, metadata, spec }
  defString(out, 'apiVersion', 'v1')
  defString(out, 'kind', 'PersistentVolumeClaim')
  defaultPendingPhase(out)
  const { apiVersion, kind, metadata: m, spec: s, status, ...rest } = out
  return { apiVersion, kind, metadata: m, spec: s, status, ...rest }
}
