// `k3sim cluster create --config FILE`: a `kind: Simple`, `apiVersion: k3sim.io/v1alpha1` file
// modelled on k3d's v1alpha5 Simple schema. Every key is checked; an unknown key or a wrong type
// is refused with its path (`options.k3sim.timeout`), so a typo never passes silently.
//
//   apiVersion: k3sim.io/v1alpha1
//   kind: Simple
//   metadata: {name: dev}
//   servers: 1
//   agents: 2
//   kubeAPI: {hostIP: 127.0.0.1, hostPort: "6550"}
//   ports: [{port: 8080:80, nodeFilters: [loadbalancer]}]
//   runtime: fake
//   node: {cpu: "2", memory: 4Gi}
//   disable: [traefik]
//   manifests: ./manifests          # relative to the file
//   options:
//     k3sim: {wait: true, timeout: 60s}
//     k3s:                             # k3d's options.k3s: see --k3s-arg, --k3s-node-label
//       extraArgs: [{arg: --disable=traefik, nodeFilters: [server:*]}]
//       nodeLabels: [{label: role=worker, nodeFilters: [agent:*]}]
//     kubeconfig: {updateDefaultKubeconfig: true, switchCurrentContext: true}
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { CliError } from './output.ts'

export const CONFIG_API_VERSION = 'k3sim.io/v1alpha1'

export interface SimpleConfig {
  name?: string
  servers?: number
  agents?: number
  apiHost?: string
  apiPort?: string
  ports?: string[]
  runtime?: string
  nodeCpu?: string
  nodeMemory?: string
  disable?: string[]
  /** `ARG@FILTER;FILTER` as --k3s-arg takes them. */
  k3sArgs?: string[]
  /** `KEY=VALUE@FILTER;FILTER` as --k3s-node-label takes them. */
  k3sNodeLabels?: string[]
  manifests?: string
  wait?: boolean
  timeout?: string
  updateDefaultKubeconfig?: boolean
  switchContext?: boolean
}

type Check = (value: unknown, path: string) => unknown
type Schema = { [key: string]: Check | Schema }

const fail = (path: string, want: string, value: unknown): never => { throw new CliError(`"${path}" must be ${want}, got ${JSON.stringify(value)}`) }
const str: Check = (v, p) => typeof v === 'string' ? v : fail(p, 'a string', v)
const strOrNum: Check = (v, p) => typeof v === 'string' || typeof v === 'number' ? String(v) : fail(p, 'a string', v)
const bool: Check = (v, p) => typeof v === 'boolean' ? v : fail(p, 'true or false', v)
const count: Check = (v, p) => Number.isInteger(v) && (v as number) >= 0 ? v : fail(p, 'a whole number', v)
const strings: Check = (v, p) => Array.isArray(v) ? v.map((x, i) => str(x, `${p}[${i}]`)) : fail(p, 'a list of strings', v)
const portList: Check = (v, p) => {
  if (!Array.isArray(v)) return fail(p, 'a list of {port, nodeFilters}', v)
  return v.map((item, i) => {
    const o = object(item, `${p}[${i}]`, { port: strOrNum, nodeFilters: strings }) as { port?: string, nodeFilters?: string[] }
    if (o.port === undefined) throw new CliError(`"${p}[${i}].port" is missing: give the mapping, e.g. port: 8080:80`)
    return o.nodeFilters === undefined || o.nodeFilters.length === 0 ? o.port : `${o.port}@${o.nodeFilters.join(';')}`
  })
}

/** k3d's `[{<key>: VALUE, nodeFilters: [...]}]` lists → `VALUE@FILTER;FILTER` flag values. */
const filteredList = (key: string): Check => (v, p) => {
  if (!Array.isArray(v)) return fail(p, `a list of {${key}, nodeFilters}`, v)
  return v.map((item, i) => {
    const o = object(item, `${p}[${i}]`, { [key]: str, nodeFilters: strings }) as Record<string, string | string[] | undefined>
    if (o[key] === undefined) throw new CliError(`"${p}[${i}].${key}" is missing`)
    const value = (o[key] as string).replace(/@/g, '\\@')
    const filters = (o.nodeFilters ?? []) as string[]
    return filters.length === 0 ? value : `${value}@${filters.join(';')}`
  })
}

const SCHEMA: Schema = {
  apiVersion: str,
  kind: str,
  metadata: { name: str },
  servers: count,
  agents: count,
  kubeAPI: { hostIP: str, hostPort: strOrNum },
  ports: portList,
  runtime: str,
  node: { cpu: strOrNum, memory: strOrNum },
  disable: strings,
  manifests: str,
  options: {
    k3sim: { wait: bool, timeout: strOrNum },
    k3s: { extraArgs: filteredList('arg'), nodeLabels: filteredList('label') },
    kubeconfig: { updateDefaultKubeconfig: bool, switchCurrentContext: bool },
  },
}

function object (value: unknown, path: string, schema: Schema): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path === '' ? 'the file' : path, 'a mapping', value)
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`
    const check = schema[key]
    if (check === undefined) throw new CliError(`unknown key "${at}"; known keys${path === '' ? '' : ` under "${path}"`}: ${Object.keys(schema).join(', ')}`)
    if (v === null) continue
    out[key] = typeof check === 'function' ? check(v, at) : object(v, at, check)
  }
  return out
}

export function parseConfig (text: string, file: string): SimpleConfig {
  const docs = parseAllDocuments(text)
  if (docs.length !== 1) throw new CliError(`config file ${file}: expected one YAML document`)
  if (docs[0].errors.length > 0) throw new CliError(`config file ${file}: invalid YAML: ${docs[0].errors[0].message}`)
  let c: Record<string, any>
  try {
    c = object(docs[0].toJS(), '', SCHEMA)
    if (c.apiVersion !== CONFIG_API_VERSION) fail('apiVersion', JSON.stringify(CONFIG_API_VERSION), c.apiVersion)
    if (c.kind !== 'Simple') fail('kind', '"Simple"', c.kind)
  } catch (err) {
    if (err instanceof CliError) throw new CliError(`config file ${file}: ${err.message}`)
    throw err
  }
  return {
    name: c.metadata?.name,
    servers: c.servers,
    agents: c.agents,
    apiHost: c.kubeAPI?.hostIP,
    apiPort: c.kubeAPI?.hostPort,
    ports: c.ports,
    runtime: c.runtime,
    nodeCpu: c.node?.cpu,
    nodeMemory: c.node?.memory,
    disable: c.disable,
    k3sArgs: c.options?.k3s?.extraArgs,
    k3sNodeLabels: c.options?.k3s?.nodeLabels,
    manifests: c.manifests === undefined ? undefined : resolve(dirname(file), c.manifests),
    wait: c.options?.k3sim?.wait,
    timeout: c.options?.k3sim?.timeout,
    updateDefaultKubeconfig: c.options?.kubeconfig?.updateDefaultKubeconfig,
    switchContext: c.options?.kubeconfig?.switchCurrentContext,
  }
}

export function loadConfig (file: string): SimpleConfig {
  let text: string
  try { text = readFileSync(file, 'utf8') } catch (err) { throw new CliError(`cannot read config file ${file}: ${(err as Error).message}`) }
  return parseConfig(text, file)
}
