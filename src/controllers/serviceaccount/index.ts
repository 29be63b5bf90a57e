// Two per-namespace controllers of kube-controller-manager (v1.32), keyed by namespace name:
// - serviceaccount-controller: the `default` ServiceAccount exists in every active namespace
//   (created when the namespace appears, recreated when deleted);
// - root-ca-certificate-publisher: the ConfigMap `kube-root-ca.crt` with `ca.crt` = the cluster
//   CA bundle exists in every active namespace (recreated when deleted, repaired when edited).
// Terminating namespaces are skipped: the API server refuses new content there.
// Reads through listers, writes through the Client only.
import { isStatusError } from '../../apiserver/errors.ts'
import type { KubeObject } from '../../api/object.ts'
import type { ControllerContext, ControllerDefinition } from '../types.ts'

export const DEFAULT_SERVICE_ACCOUNT = 'default'
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt'
export const ROOT_CA_KEY = 'ca.crt'
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description'
export const ROOT_CA_DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clients.'

type Namespace = KubeObject & { status?: { phase?: string } }

/** The namespace's name when it is active (exists, not being deleted), else undefined. */
function activeNamespace (ctx: ControllerContext, name: string): Namespace | undefined {
  const ns = ctx.lister('namespaces').get(name) as Namespace | undefined
  if (ns === undefined || ns.metadata.deletionTimestamp !== undefined || ns.status?.phase === 'Terminating') return undefined
  return ns
}

/** An AlreadyExists (our cache was behind) or a namespace that went away meanwhile ends the sync quietly. */
function ignoreRaces (err: unknown): void {
  if (isStatusError(err, 409) || isStatusError(err, 404)) return
  if (isStatusError(err, 403) && /terminat/i.test(String((err as Error).message))) return
  throw err
}

export interface ServiceAccountControllerOptions {
  /** Concurrent syncs; default 1. */
  workers?: number
}

export function serviceAccountController (options: ServiceAccountControllerOptions = {}): ControllerDefinition {
  return {
    name: 'serviceaccount-controller',
    workers: options.workers ?? 1,
    informers: {
      namespaces: { apiVersion: 'v1', kind: 'Namespace' },
      serviceaccounts: { apiVersion: 'v1', kind: 'ServiceAccount' },
    },
    events: [
      { informer: 'namespaces', on: ['add', 'update'], keys: ({ obj }) => [obj.metadata.name!] },
      {
        informer: 'serviceaccounts',
        on: ['delete'],
        keys: ({ obj }) => (obj.metadata.name === DEFAULT_SERVICE_ACCOUNT ? [obj.metadata.namespace!] : []),
      },
    ],
    async sync (namespace, ctx) {
      if (activeNamespace(ctx, namespace) === undefined) return
      if (ctx.lister('serviceaccounts').get(`${namespace}/${DEFAULT_SERVICE_ACCOUNT}`) !== undefined) return
      await ctx.client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } })
        .catch(ignoreRaces)
    },
  }
}

export interface RootCACertPublisherOptions {
  /** The cluster CA bundle (PEM) published as `ca.crt`. */
  rootCA: string
  /** Concurrent syncs; default 1. */
  workers?: number
}

type ConfigMap = KubeObject & { data?: Record<string, string> }

export function rootCACertPublisher (options: RootCACertPublisherOptions): ControllerDefinition {
  if (typeof options.rootCA !== 'string' || options.rootCA.trim() === '') throw new Error('rootCACertPublisher needs rootCA: the cluster CA certificate as PEM')
  const rootCA = options.rootCA
  return {
    name: 'root-ca-certificate-publisher-controller',
    workers: options.workers ?? 1,
    informers: {
      namespaces: { apiVersion: 'v1', kind: 'Namespace' },
      configmaps: { apiVersion: 'v1', kind: 'ConfigMap' },
    },
    events: [
      { informer: 'namespaces', on: ['add', 'update'], keys: ({ obj }) => [obj.metadata.name!] },
      {
        informer: 'configmaps',
        on: ['update', 'delete'],
        keys: ({ obj }) => (obj.metadata.name === ROOT_CA_CONFIGMAP ? [obj.metadata.namespace!] : []),
      },
    ],
    async sync (namespace, ctx) {
      if (activeNamespace(ctx, namespace) === undefined) return
      const current = ctx.lister('configmaps').get(`${namespace}/${ROOT_CA_CONFIGMAP}`) as ConfigMap | undefined
      const data = { [ROOT_CA_KEY]: rootCA }
      if (current === undefined) {
        const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } }, data }
        await ctx.client.create(cm).catch(ignoreRaces)
        return
      }
      // Upstream: nothing to do when data is exactly {ca.crt} and the description is set.
      const sameData = Object.keys(current.data ?? {}).length === 1 && current.data?.[ROOT_CA_KEY] === rootCA
      if (sameData && (current.metadata.annotations?.[DESCRIPTION_ANNOTATION] ?? '') !== '') return
      const metadata = { ...current.metadata, annotations: { ...current.metadata.annotations, [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } }
      // A 409 means our cache is behind: the newer version's update event requeues the namespace.
      await ctx.client.update<ConfigMap>({ ...current, metadata, data }).catch(ignoreRaces)
    },
  }
}
