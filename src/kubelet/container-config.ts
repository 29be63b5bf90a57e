// What the kubelet hands the runtime for one container (kuberuntime's generateContainerConfig):
// env with valueFrom and envFrom resolved and $(VAR) references expanded, ports, resource limits,
// probe handlers, and the pod's volumes resolved to sources the runtime can mount (configMap,
// secret and downwardAPI contents read through the Client). A missing ConfigMap/Secret/key is a
// CreateContainerConfigError with upstream's message.
import type { KubeObject } from '../api/object.ts'
import { milliValue, parseQuantity, value as quantityValue } from '../api/quantity.ts'
import { isStatusError } from '../apiserver/errors.ts'
import { StringPool } from '../util/string-pool.ts'
import type { Client } from '../client/client.ts'
import { type ContainerConfig, type Mount, type ProbeHandler, RuntimeError, type VolumeFile, type VolumeSource } from '../runtime/runtime.ts'

type Json = Record<string, any>

export interface ConfigContext {
  client: Client
  /** The pod IP from the sandbox, for fieldRef status.podIP. */
  podIP?: string
  hostIP: string
}

const configError = (message: string): RuntimeError => new RuntimeError('CreateContainerConfigError', message)

/**
 * One copy of each ConfigMap text the kubelets hold: every pod's API access volume carries the
 * cluster CA from kube-root-ca.crt, and each read of the ConfigMap is the reader's own copy (6 MB
 * of the same PEM at 10,000 pods). At most 1,000 texts of up to 16 KiB.
 */
const texts = new StringPool({ maxEntries: 1000, maxLength: 16 * 2 ** 10 })

/** Reads ConfigMaps/Secrets once per container config. */
class Sources {
  private readonly cache = new Map<string, KubeObject | undefined>()
  private readonly ctx: ConfigContext
  private readonly namespace: string
  constructor (ctx: ConfigContext, namespace: string) { this.ctx = ctx; this.namespace = namespace }

  /** The object's keys: a ConfigMap's data as the (shared) strings, the rest decoded. */
  async get (kind: 'ConfigMap' | 'Secret', name: string, optional: boolean): Promise<Record<string, Buffer | string> | undefined> {
    const k = `${kind}/${name}`
    if (!this.cache.has(k)) {
      const obj = await this.ctx.client.get('v1', kind, this.namespace, name).catch(err => { if (isStatusError(err, 404)) return undefined; throw err })
      this.cache.set(k, obj)
    }
    const obj = this.cache.get(k) as Json | undefined
    if (obj === undefined) {
      if (optional) return undefined
      throw configError(`${kind.toLowerCase()} "${name}" not found`)
    }
    const out: Record<string, Buffer | string> = {}
    if (kind === 'Secret') for (const [key, v] of Object.entries(obj.data ?? {})) out[key] = Buffer.from(String(v), 'base64')
    else {
      for (const [key, v] of Object.entries(obj.data ?? {})) out[key] = texts.get(String(v))
      for (const [key, v] of Object.entries(obj.binaryData ?? {})) out[key] = Buffer.from(String(v), 'base64')
    }
    return out
  }

  async key (kind: 'ConfigMap' | 'Secret', ref: Json): Promise<string | undefined> {
    const data = await this.get(kind, ref.name, ref.optional === true)
    if (data === undefined) return undefined
    const value = data[ref.key]
    if (value === undefined) {
      if (ref.optional === true) return undefined
      throw configError(`couldn't find key ${ref.key} in ${kind} ${this.namespace}/${ref.name}`)
    }
    return value.toString()
  }
}

/** fieldRef paths the downward API supports (pkg/fieldpath). */
function fieldValue (pod: KubeObject, path: string, ctx: ConfigContext): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path)
  if (m !== null) return (pod.metadata[m[1] as 'labels' | 'annotations'] ?? {})[m[2]] ?? ''
  const spec = pod.spec as Json
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? ''
    case 'metadata.namespace': return pod.metadata.namespace ?? ''
    case 'metadata.uid': return pod.metadata.uid ?? ''
    case 'metadata.labels': return formatMap(pod.metadata.labels)
    case 'metadata.annotations': return formatMap(pod.metadata.annotations)
    case 'spec.nodeName': return spec.nodeName ?? ''
    case 'spec.serviceAccountName': return spec.serviceAccountName ?? ''
    case 'status.hostIP': case 'status.hostIPs': return ctx.hostIP
    case 'status.podIP': case 'status.podIPs': return ctx.podIP ?? ''
  }
  throw configError(`unsupported fieldRef path "${path}"`)
}

const formatMap = (m: Record<string, string> | undefined): string =>
  Object.keys(m ?? {}).sort().map(k => `${k}="${m![k]}"`).join('\n')

/** resourceFieldRef: the container's limit (or request) in units of the divisor, rounded up. */
function resourceValue (container: Json, ref: Json): string {
  const [kind, resource] = String(ref.resource).split('.')
  const q = container.resources?.[kind]?.[resource]
  if (q === undefined) throw configError(`resourceFieldRef ${ref.resource} of container "${container.name}" needs the container to set it (node allocatable defaults are not supported)`)
  const divisor = milliValue(parseQuantity(ref.divisor ?? '1'))
  return String(Math.ceil(milliValue(parseQuantity(q)) / divisor))
}

/** $(VAR) from earlier variables; $$ escapes; unknown references are left as written. */
export function expandVars (text: string, vars: Map<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (name === undefined) return '$'
    return vars.get(name) ?? whole
  })
}

async function resolveEnv (pod: KubeObject, c: Json, sources: Sources, ctx: ConfigContext): Promise<Array<{ name: string, value: string }>> {
  const vars = new Map<string, string>()
  for (const from of (c.envFrom ?? []) as Json[]) {
    const ref = from.configMapRef ?? from.secretRef
    const data = await sources.get(from.configMapRef !== undefined ? 'ConfigMap' : 'Secret', ref.name, ref.optional === true)
    for (const [k, v] of Object.entries(data ?? {})) vars.set(`${from.prefix ?? ''}${k}`, v.toString())
  }
  for (const e of (c.env ?? []) as Json[]) {
    let value: string | undefined
    const from = e.valueFrom as Json | undefined
    if (from === undefined) value = expandVars(e.value ?? '', vars)
    else if (from.fieldRef !== undefined) value = fieldValue(pod, from.fieldRef.fieldPath, ctx)
    else if (from.resourceFieldRef !== undefined) value = resourceValue(c, from.resourceFieldRef)
    else if (from.configMapKeyRef !== undefined) value = await sources.key('ConfigMap', from.configMapKeyRef)
    else if (from.secretKeyRef !== undefined) value = await sources.key('Secret', from.secretKeyRef)
    if (value !== undefined) vars.set(e.name, value)
  }
  return [...vars].map(([name, value]) => ({ name, value }))
}

function mode (n: unknown, fallback: number): number { return typeof n === 'number' ? n : fallback }

/** configMap/secret items: all keys, or the listed ones at their paths (upstream's MakePayload). */
function keyFiles (kind: 'ConfigMap' | 'Secret', data: Record<string, Buffer | string>, items: Json[] | undefined, defaultMode: number, optional: boolean): VolumeFile[] {
  if (items === undefined) return Object.keys(data).sort().map(k => ({ path: k, content: data[k], mode: defaultMode }))
  const files: VolumeFile[] = []
  for (const i of items) {
    if (data[i.key] === undefined) {
      if (optional) continue
      throw configError(kind === 'ConfigMap' ? `configmap references non-existent config key: ${i.key}` : `references non-existent secret key: ${i.key}`)
    }
    files.push({ path: i.path, content: data[i.key], mode: mode(i.mode, defaultMode) })
  }
  return files
}

/** A bound token of the pod's service account, as the kubelet's token manager requests it. */
/** Makes, when called, a bound token of the pod's service account, as the kubelet's token
 * manager requests it (holding only names: runtimes keep their container configs). */
function serviceAccountToken (ctx: ConfigContext, pod: KubeObject, src: Json): () => Promise<Buffer> {
  const { client } = ctx
  const { namespace, name, uid } = pod.metadata
  const account = ((pod.spec as Json).serviceAccountName as string | undefined) ?? 'default'
  const audiences = typeof src.audience === 'string' && src.audience !== '' ? [src.audience] : []
  const expirationSeconds = (src.expirationSeconds as number | undefined) ?? 3600
  return async () => {
    const body = await client.post('v1', 'ServiceAccount', namespace, account, 'token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences, expirationSeconds, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name, uid } },
    }) as Json
    return Buffer.from(String(body.status?.token ?? ''))
  }
}

async function volumeSource (pod: KubeObject, v: Json, sources: Sources, ctx: ConfigContext): Promise<VolumeSource> {
  if (v.emptyDir !== undefined) return { type: 'emptyDir', medium: v.emptyDir.medium }
  if (v.hostPath !== undefined) return { type: 'hostPath', path: v.hostPath.path, hostPathType: v.hostPath.type }
  if (v.persistentVolumeClaim !== undefined) return claimSource(v, v.persistentVolumeClaim.claimName, ctx, pod.metadata.namespace!)
  // A generic ephemeral volume mounts the claim the ephemeral-volume controller made for the pod.
  if (v.ephemeral !== undefined && v.ephemeral !== null) return claimSource(v, `${pod.metadata.name}-${v.name}`, ctx, pod.metadata.namespace!)
  const files: VolumeFile[] = []
  const addConfig = async (kind: 'ConfigMap' | 'Secret', name: string, src: Json, defaultMode: number): Promise<void> => {
    const data = await sources.get(kind, name, src.optional === true)
    if (data !== undefined) files.push(...keyFiles(kind, data, src.items, defaultMode, src.optional === true))
  }
  const addDownward = (src: Json, defaultMode: number): void => {
    for (const i of (src.items ?? []) as Json[]) {
      const value = i.fieldRef !== undefined ? fieldValue(pod, i.fieldRef.fieldPath, ctx) : resourceValue((pod.spec as Json).containers.find((c: Json) => c.name === i.resourceFieldRef.containerName) ?? {}, i.resourceFieldRef)
      files.push({ path: i.path, content: value, mode: mode(i.mode, defaultMode) })
    }
  }
  if (v.configMap !== undefined) await addConfig('ConfigMap', v.configMap.name, v.configMap, mode(v.configMap.defaultMode, 0o644))
  else if (v.secret !== undefined) await addConfig('Secret', v.secret.secretName, v.secret, mode(v.secret.defaultMode, 0o644))
  else if (v.downwardAPI !== undefined) addDownward(v.downwardAPI, mode(v.downwardAPI.defaultMode, 0o644))
  else if (v.projected !== undefined) {
    const defaultMode = mode(v.projected.defaultMode, 0o644)
    for (const s of (v.projected.sources ?? []) as Json[]) {
      if (s.configMap !== undefined) await addConfig('ConfigMap', s.configMap.name, s.configMap, defaultMode)
      else if (s.secret !== undefined) await addConfig('Secret', s.secret.name, s.secret, defaultMode)
      else if (s.downwardAPI !== undefined) addDownward(s.downwardAPI, defaultMode)
      else if (s.serviceAccountToken !== undefined) files.push({ path: s.serviceAccountToken.path, content: serviceAccountToken(ctx, pod, s.serviceAccountToken), mode: mode(s.serviceAccountToken.mode, defaultMode) })
      else throw configError(`projected volume "${v.name}": source ${Object.keys(s).join(', ')} is not supported by k3sim`)
    }
  } else {
    const kind = Object.keys(v).filter(k => k !== 'name').join(', ')
    return { type: 'unsupported', message: `volume "${v.name}": ${kind} volumes are not supported by k3sim (emptyDir, hostPath, configMap, secret, downwardAPI, projected, and claims bound to hostPath/local volumes are)` }
  }
  return { type: 'files', files }
}

/**
 * Check the pod's volumes can be set up, as the kubelet's volume manager does before the sandbox:
 * the first one that cannot (a ConfigMap or Secret missing, or a key of it) with upstream's
 * error — the pod waits in ContainerCreating then. Each container start reads them again, so a
 * restarted container sees ConfigMap edits and claims bound since.
 */
export async function mountVolumes (ctx: ConfigContext, pod: KubeObject): Promise<{ volumes: Map<string, VolumeSource> } | { failed: { volume: string, message: string } }> {
  const sources = new Sources(ctx, pod.metadata.namespace!)
  const volumes = new Map<string, VolumeSource>()
  for (const v of ((pod.spec as Json).volumes ?? []) as Json[]) {
    try {
      volumes.set(v.name, await volumeSource(pod, v, sources, ctx))
    } catch (err) {
      if (err instanceof RuntimeError && err.reason === 'CreateContainerConfigError') return { failed: { volume: v.name, message: err.message } }
      throw err
    }
  }
  return { volumes }
}

/** A claim mounts its bound PersistentVolume's directory (local-path makes hostPath volumes). */
async function claimSource (v: Json, name: string, ctx: ConfigContext, namespace: string): Promise<VolumeSource> {
  const pvc = await ctx.client.get('v1', 'PersistentVolumeClaim', namespace, name).catch(err => { if (isStatusError(err, 404)) return undefined; throw err }) as Json | undefined
  // Still provisioning (WaitForFirstConsumer): a runtime that mounts it fails and retries.
  if (pvc === undefined) return { type: 'unsupported', message: `persistentvolumeclaim "${name}" not found` }
  if (pvc.spec?.volumeName === undefined) return { type: 'unsupported', message: `persistentvolumeclaim "${name}" is not bound yet` }
  const pv = await ctx.client.get('v1', 'PersistentVolume', undefined, pvc.spec.volumeName) as Json
  const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path
  if (path === undefined) return { type: 'unsupported', message: `volume "${v.name}": PersistentVolume ${pvc.spec.volumeName} is neither hostPath nor local` }
  return { type: 'hostPath', path, hostPathType: 'DirectoryOrCreate' }
}

function resources (c: Json): ContainerConfig['resources'] {
  const r = c.resources as Json | undefined
  if (r === undefined) return undefined
  const milli = (q: string | undefined): number | undefined => q === undefined ? undefined : milliValue(parseQuantity(q))
  const bytes = (q: string | undefined): number | undefined => q === undefined ? undefined : quantityValue(parseQuantity(q))
  return {
    cpuLimitMillis: milli(r.limits?.cpu),
    memoryLimitBytes: bytes(r.limits?.memory),
    cpuRequestMillis: milli(r.requests?.cpu),
    memoryRequestBytes: bytes(r.requests?.memory),
  }
}

function probeHandlers (c: Json): ContainerConfig['probeHandlers'] {
  const out: ContainerConfig['probeHandlers'] = {}
  for (const [kind, field] of [['readiness', 'readinessProbe'], ['liveness', 'livenessProbe'], ['startup', 'startupProbe']] as const) {
    const p = c[field] as (ProbeHandler & Json) | undefined
    if (p !== undefined) out[kind] = { exec: p.exec, httpGet: p.httpGet, tcpSocket: p.tcpSocket, timeoutSeconds: p.timeoutSeconds }
  }
  return out
}

export interface ContainerConfigInput {
  pod: KubeObject
  container: Json
  init: boolean
  attempt: number
  /** An ephemeral container's target, as the runtime's ID of that running container. */
  targetContainerId?: string
}

/** The runtime's config for one container of the pod, everything resolved. */
export async function containerConfig (ctx: ConfigContext, input: ContainerConfigInput): Promise<ContainerConfig> {
  const { pod, container: c } = input
  const spec = pod.spec as Json
  const sources = new Sources(ctx, pod.metadata.namespace!)
  const env = await resolveEnv(pod, c, sources, ctx)
  const vars = new Map(env.map(e => [e.name, e.value]))
  const mounts: Mount[] = []
  for (const m of (c.volumeMounts ?? []) as Json[]) {
    const v = ((spec.volumes ?? []) as Json[]).find(x => x.name === m.name)
    if (v === undefined) throw configError(`cannot find volume "${m.name}" to mount into container "${c.name}"`)
    mounts.push({
      volume: m.name,
      containerPath: m.mountPath,
      readOnly: m.readOnly === true || v.configMap !== undefined || v.secret !== undefined || v.downwardAPI !== undefined || v.projected !== undefined,
      subPath: m.subPath === undefined || m.subPath === '' ? undefined : expandVars(m.subPath, vars),
      source: await volumeSource(pod, v, sources, ctx),
    })
  }
  return {
    name: c.name,
    image: c.image,
    command: c.command?.map((s: string) => expandVars(s, vars)),
    args: c.args?.map((s: string) => expandVars(s, vars)),
    env,
    workingDir: c.workingDir,
    init: input.init,
    attempt: input.attempt,
    restartPolicy: spec.restartPolicy ?? 'Always',
    probes: { readiness: c.readinessProbe !== undefined, liveness: c.livenessProbe !== undefined, startup: c.startupProbe !== undefined },
    probeHandlers: probeHandlers(c),
    ports: ((c.ports ?? []) as Json[]).map(p => ({ containerPort: p.containerPort, hostPort: p.hostPort, hostIP: p.hostIP, protocol: p.protocol, name: p.name })),
    resources: resources(c),
    mounts,
    ...(c.stdin === true ? { stdin: true, stdinOnce: c.stdinOnce === true } : {}),
    ...(c.tty === true ? { tty: true } : {}),
    ...(input.targetContainerId !== undefined ? { targetContainerId: input.targetContainerId } : {}),
  }
}
