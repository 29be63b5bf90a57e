// Where the CLI keeps its clusters: $K3SIM_HOME (default ~/.k3sim)/clusters/NAME/ holds the
// cluster's record (cluster.yaml: how it was created), and the `k3sim server` data dir layout
// (db/state.db, server/tls, server/token, kubeconfig.yaml) plus server.pid and server.log.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { CliError } from './output.ts'

export const DEFAULT_CLUSTER = 'k3s-default'

export interface PortMapping { hostIP?: string, hostPort?: number, containerPort: number, protocol: 'tcp' | 'udp', nodeFilters: string[] }

/** How a cluster was created (flags and config file resolved); read by start, list, edit. */
export interface ClusterRecord {
  name: string
  servers: number
  agents: number
  apiHost: string
  apiPort: number
  etcdPort: number
  /** `-p` mappings: with the docker runtime, the @loadbalancer TCP ones are forwarded. */
  ports: PortMapping[]
  runtime: 'fake' | 'docker'
  nodeCpu?: string
  nodeMemory?: string
  disable: string[]
  manifests?: string
  created: string
  /** The nodes when last seen running (kept for `cluster list` of a stopped cluster). */
  nodes?: Array<{ name: string, role: 'server' | 'agent' }>
}

export function k3simHome (): string {
  return process.env.K3SIM_HOME ?? join(homedir(), '.k3sim')
}

export const clustersDir = (): string => join(k3simHome(), 'clusters')
export const clusterDir = (name: string): string => join(clustersDir(), name)
export const clusterFile = (name: string, file: string): string => join(clusterDir(name), file)

/** k3d's rule: a DNS-1123 label of at most 32 characters (node names are built from it). */
export function checkClusterName (name: string, what = 'cluster name'): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 32) {
    throw new CliError(`invalid ${what} "${name}": use at most 32 lower-case letters, digits and '-', starting and ending with a letter or digit`)
  }
  return name
}

export function clusterNames (): string[] {
  if (!existsSync(clustersDir())) return []
  return readdirSync(clustersDir(), { withFileTypes: true })
    .filter(d => d.isDirectory() && existsSync(join(clustersDir(), d.name, 'cluster.yaml')))
    .map(d => d.name)
    .sort()
}

export function clusterExists (name: string): boolean {
  return existsSync(clusterFile(name, 'cluster.yaml'))
}

export function readRecord (name: string): ClusterRecord {
  if (!clusterExists(name)) {
    const known = clusterNames()
    throw new CliError(`cluster "${name}" not found; ${known.length === 0 ? 'there are no clusters: create one with `k3sim cluster create`' : `clusters: ${known.join(', ')} (see \`k3sim cluster list\`)`}`)
  }
  return parse(readFileSync(clusterFile(name, 'cluster.yaml'), 'utf8')) as ClusterRecord
}

/** Written to a temporary file then renamed, so a crash never leaves half a record. */
export function writeRecord (record: ClusterRecord): void {
  mkdirSync(clusterDir(record.name), { recursive: true, mode: 0o700 })
  const file = clusterFile(record.name, 'cluster.yaml')
  writeFileSync(file + '.tmp', stringify(record), { mode: 0o600 })
  renameSync(file + '.tmp', file)
}

/** NAME arguments or --all, as k3d's start/stop/delete take them. */
export function selectClusters (names: string[], all: boolean | undefined, options: { defaultName?: boolean } = {}): string[] {
  if (all === true) {
    if (names.length > 0) throw new CliError('give cluster names or --all, not both')
    return clusterNames()
  }
  if (names.length === 0) {
    if (options.defaultName === true) return [DEFAULT_CLUSTER]
    throw new CliError('name a cluster (see `k3sim cluster list`) or use --all')
  }
  for (const n of names) readRecord(n) // unknown names are refused before anything is done
  return names
}
