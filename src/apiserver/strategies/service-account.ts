// The ServiceAccount admission plugin, its pod part (plugin/pkg/admission/serviceaccount): the
// pod's service account must exist (the `default` one is waited for a little, as upstream does,
// since the controller creates it just after the namespace), and unless automounting is off (on
// the pod, else on the account) every container and init container gets the API access volume
// at /var/run/secrets/kubernetes.io/serviceaccount: a projected `kube-api-access-<5>` volume of
// a bound token, the cluster CA (kube-root-ca.crt) and the namespace; a pod naming no image pull
// secrets gets the account's. Mirror pods are left alone (no account at all).
import type { KubeObject } from '../../api/object.ts'
import { StatusError } from '../errors.ts'
import type { StrategyContext } from './strategy.ts'

type Json = Record<string, any>

export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount'
const VOLUME_PREFIX = 'kube-api-access-'
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: 1 h + 7 s. */
const TOKEN_EXPIRATION_SECONDS = 3607
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror'

/** The projected volume upstream's TokenVolumeSource builds. */
export function apiAccessVolume (name: string): Json {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 0o644,
    },
  }
}

export async function admitServiceAccount (pod: KubeObject, ctx: StrategyContext): Promise<void> {
  if (pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) return
  const spec = pod.spec as Json
  spec.serviceAccountName ??= 'default'
  spec.serviceAccount ??= spec.serviceAccountName
  const namespace = pod.metadata.namespace!
  const name = spec.serviceAccountName as string
  const account = await serviceAccount(ctx, namespace, name)
  if (account === undefined) {
    throw new StatusError(403, 'Forbidden', `pods "${pod.metadata.name ?? pod.metadata.generateName ?? ''}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`, { name: pod.metadata.name, kind: 'pods' })
  }
  if ((spec.automountServiceAccountToken ?? account.automountServiceAccountToken ?? true) !== false) {
    mountToken(spec, () => `${VOLUME_PREFIX}${ctx.ids.suffix(5)}`)
  }
  // A pod naming no pull secrets gets its account's.
  const pullSecrets = (account.imagePullSecrets ?? []) as Json[]
  if ((spec.imagePullSecrets ?? []).length === 0 && pullSecrets.length > 0) spec.imagePullSecrets = pullSecrets.map(s => ({ name: s.name }))
}

/** Every container without a mount at the token path gets one, of the pod's kube-api-access volume. */
function mountToken (spec: Json, newName: () => string): void {
  const volumes: Json[] = spec.volumes ?? []
  const existing = volumes.find(v => typeof v.name === 'string' && v.name.startsWith(VOLUME_PREFIX))
  const volume = existing?.name as string | undefined ?? newName()
  let needed = false
  for (const list of [spec.initContainers, spec.containers] as Array<Json[] | undefined>) {
    for (const c of list ?? []) {
      const mounts: Json[] = c.volumeMounts ?? []
      if (mounts.some(m => m.mountPath === TOKEN_MOUNT_PATH)) continue
      c.volumeMounts = [...mounts, { name: volume, readOnly: true, mountPath: TOKEN_MOUNT_PATH }]
      needed = true
    }
  }
  if (needed && existing === undefined) spec.volumes = [...volumes, apiAccessVolume(volume)]
}

/** The account, or undefined; `default` is retried for about a second, as upstream does. */
async function serviceAccount (ctx: StrategyContext, namespace: string, name: string): Promise<Json | undefined> {
  const info = ctx.index?.lookup('', 'v1', 'serviceaccounts')
  if (info === undefined) return {}
  const attempts = name === 'default' ? 40 : 1
  for (let i = 0; ; i++) {
    const found = await ctx.storage.tryGet(info, namespace, name)
    if (found !== undefined || i + 1 >= attempts) return found as Json | undefined
    // The first tries within the same moment (the controller is in this process), then 100 ms apart.
    await new Promise(resolve => (i < 30 ? setImmediate(resolve) : setTimeout(resolve, 100)))
  }
}
