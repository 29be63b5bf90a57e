// The user's kubeconfig files: entries of a k3sim cluster (cluster and context `k3sim-<name>`,
// user `admin@k3sim-<name>`) merged in, replacing entries of the same name and leaving every
// other entry alone, or removed on `cluster delete`, as k3d edits ~/.kube/config.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { parse, stringify } from 'yaml'
import { CliError } from './output.ts'

interface Named { name: string, [k: string]: unknown }
interface KubeconfigDoc { clusters?: Named[] | null, contexts?: Named[] | null, users?: Named[] | null, 'current-context'?: string, [k: string]: unknown }

/** $KUBECONFIG's files (the first one is written to), or ~/.kube/config. */
export function defaultKubeconfigPaths (): string[] {
  const env = (process.env.KUBECONFIG ?? '').split(delimiter).filter(p => p !== '')
  return env.length > 0 ? env : [join(homedir(), '.kube', 'config')]
}

export const contextName = (cluster: string): string => `k3sim-${cluster}`

function read (file: string): KubeconfigDoc {
  if (!existsSync(file)) return { apiVersion: 'v1', kind: 'Config', clusters: [], contexts: [], users: [], 'current-context': '', preferences: {} }
  let doc: unknown
  try { doc = parse(readFileSync(file, 'utf8')) } catch (err) { throw new CliError(`cannot read kubeconfig ${file}: ${(err as Error).message}; fix or move the file`) }
  if (doc === null || doc === undefined) return read('/nonexistent')
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new CliError(`${file} is not a kubeconfig (a YAML mapping); fix or move the file`)
  return doc as KubeconfigDoc
}

function write (file: string, doc: KubeconfigDoc): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file + '.k3sim.tmp', stringify(doc, { lineWidth: 0 }), { mode: 0o600 })
  renameSync(file + '.k3sim.tmp', file)
}

function replace (list: Named[] | null | undefined, entries: Named[]): Named[] {
  const names = new Set(entries.map(e => e.name))
  return [...(list ?? []).filter(e => !names.has(e.name)), ...entries]
}

/**
 * Merge a cluster's admin kubeconfig (YAML text) into `file`; returns the context name. As k3d's
 * KubeconfigMerge: entries of the same name are replaced, unless `update` is false, when one is
 * refused with k3d's message (clusters, then users, then contexts are checked); the current
 * context is switched when asked, or when the file has none.
 */
export function mergeKubeconfig (file: string, clusterKubeconfig: string, options: { switchContext: boolean, update?: boolean }): string {
  const add = parse(clusterKubeconfig) as KubeconfigDoc
  const doc = read(file)
  if (options.update === false) {
    for (const [list, what] of [['clusters', 'cluster'], ['users', 'AuthInfo'], ['contexts', 'context']] as const) {
      const taken = (add[list] ?? []).find(e => (doc[list] ?? []).some(d => d.name === e.name))
      if (taken !== undefined) throw new CliError(`${what} '${taken.name}' already exists in target KubeConfig ${file}; leave out --update=false to replace it, or give --overwrite to replace the file`)
    }
  }
  doc.clusters = replace(doc.clusters, add.clusters ?? [])
  doc.users = replace(doc.users, add.users ?? [])
  doc.contexts = replace(doc.contexts, add.contexts ?? [])
  if (options.switchContext || (doc['current-context'] ?? '') === '') doc['current-context'] = add['current-context']
  write(file, doc)
  return add['current-context']!
}

/** Replace `file` with a cluster's admin kubeconfig, ignoring what it held (k3d's --overwrite). */
export function overwriteKubeconfig (file: string, clusterKubeconfig: string): void {
  write(file, parse(clusterKubeconfig) as KubeconfigDoc)
}

/** Remove a cluster's entries from each file that has them; returns the files changed. */
export function removeFromKubeconfigs (cluster: string, files: string[]): string[] {
  const name = contextName(cluster)
  const changed: string[] = []
  for (const file of files) {
    if (!existsSync(file)) continue
    const doc = read(file)
    const before = JSON.stringify(doc)
    doc.clusters = (doc.clusters ?? []).filter(c => c.name !== name)
    doc.contexts = (doc.contexts ?? []).filter(c => c.name !== name)
    doc.users = (doc.users ?? []).filter(u => u.name !== `admin@${name}`)
    if (doc['current-context'] === name) doc['current-context'] = ''
    if (JSON.stringify(doc) === before) continue
    write(file, doc)
    changed.push(file)
  }
  return changed
}
