export { DockerCluster, CLUSTER_CIDR, type DockerClusterOptions } from './docker-cluster.ts'
export { DockerRuntime } from './docker-runtime.ts'
export { DockerEngine, DockerUnavailableError, engineTarget } from './engine.ts'
export { LABEL } from './labels.ts'
