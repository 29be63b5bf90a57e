// What a plugin factory receives besides the cluster snapshot it is handed at each call: its args
// (KubeSchedulerConfiguration pluginConfig) and listers for objects other than nodes and pods.
import type { KubeObject } from '../../../api/object.ts'
import type { Plugin } from '../../types.ts'

/** Read-only views of the informer caches some plugins consult (upstream's SharedInformerFactory). */
export interface Listers {
  /** Services of a namespace (PodTopologySpread's default constraints). */
  services?(namespace: string): KubeObject[]
  replicaSet?(namespace: string, name: string): KubeObject | undefined
  statefulSet?(namespace: string, name: string): KubeObject | undefined
  replicationController?(namespace: string, name: string): KubeObject | undefined
  /** A namespace's labels (InterPodAffinity's namespaceSelector); undefined when unknown. */
  namespaceLabels?(name: string): Record<string, string> | undefined
  /** VolumeBinding: claims, volumes and storage classes. */
  persistentVolumeClaim?(namespace: string, name: string): KubeObject | undefined
  persistentVolume?(name: string): KubeObject | undefined
  storageClass?(name: string): KubeObject | undefined
}

export interface PluginOptions {
  /** The plugin's args, shaped like its upstream *Args type in camelCase. */
  args?: Record<string, any>
  listers?: Listers
}

/** Builds one plugin instance; throws on invalid args (never at scheduling time). */
export type PluginFactory = (options?: PluginOptions) => Plugin
