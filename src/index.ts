// The k3sim library: `import { Cluster } from 'k3sim'`.
export { Cluster, type ClusterOptions, type ClusterClock, type EventFilter } from './cluster/cluster.ts'
export type { Client, ListOptions, WatchOptions, PatchOptions, DeleteOptions, ObjectList } from './client/client.ts'
export type { KubeObject, ObjectMeta } from './api/object.ts'
export { StatusError } from './apiserver/errors.ts'
