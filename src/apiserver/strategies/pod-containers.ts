// validateContainers / validateInitContainers of upstream's ValidatePodSpec (v1.32), the checks a
// manifest's author meets first, in upstream's order per container: name (an RFC 1123 label),
// image, terminationMessagePolicy, ports, env names, volumeMounts (naming a volume of the pod,
// each mountPath once), imagePullPolicy, resources (requests within limits); then duplicate names.
import { compareQuantities, parseQuantity } from '../../api/quantity.ts'
import { isDNS1123Label } from '../../api/validation.ts'
import type { StatusCause } from '../errors.ts'
import { duplicate, invalidValue, notFound, required, unsupported } from './strategy.ts'

type Json = Record<string, any>

/** Sorted, as the message lists them (sets.List). */
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never']
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError']
/** validation.IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, beta and on in v1.32). */
const ENV_NAME_ERROR = "a valid environment variable name must consist only of printable ASCII characters other than '='"

/**
 * Each container of `list` at `path`, `names` the names seen so far (regular containers first, as
 * upstream validates them first: an init container reusing one is the duplicate).
 */
export function validateContainers (list: Json[] | undefined, path: string, volumes: ReadonlySet<string>, names: Set<string>, causes: StatusCause[], extra?: (c: Json, at: string) => void): void {
  ;(list ?? []).forEach((c, i) => {
    const at = `${path}[${i}]`
    if (c === null || typeof c !== 'object') { causes.push(required(`${at}.name`)); return }
    if (!c.name) causes.push(required(`${at}.name`))
    else for (const msg of isDNS1123Label(String(c.name))) causes.push(invalidValue(`${at}.name`, c.name, msg))
    if (!c.image) causes.push(required(`${at}.image`))
    if (c.terminationMessagePolicy !== undefined && !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
      causes.push(c.terminationMessagePolicy === '' ? { ...required(`${at}.terminationMessagePolicy`), message: "Required value: must be 'File' or 'FallbackToLogsOnError'" } : unsupported(`${at}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES))
    }
    validatePorts(c.ports, `${at}.ports`, causes)
    ;(c.env ?? []).forEach((e: Json, j: number) => {
      const name = e?.name
      if (typeof name !== 'string' || name === '') causes.push(required(`${at}.env[${j}].name`))
      else if ([...name].some(ch => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) > 126 || ch === '=')) causes.push(invalidValue(`${at}.env[${j}].name`, name, ENV_NAME_ERROR))
    })
    const mountPaths = new Set<string>()
    ;(c.volumeMounts ?? []).forEach((m: Json, j: number) => {
      const mat = `${at}.volumeMounts[${j}]`
      const name: string = m?.name ?? ''
      if (name === '') causes.push(required(`${mat}.name`))
      if (!volumes.has(name)) causes.push(notFound(`${mat}.name`, name))
      const mountPath: string = m?.mountPath ?? ''
      if (mountPath === '') causes.push(required(`${mat}.mountPath`))
      if (mountPaths.has(mountPath)) causes.push(invalidValue(`${mat}.mountPath`, mountPath, 'must be unique'))
      mountPaths.add(mountPath)
    })
    if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy)) {
      causes.push(c.imagePullPolicy === '' ? required(`${at}.imagePullPolicy`) : unsupported(`${at}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES))
    }
    validateResources(c.resources, `${at}.resources`, causes)
    if (c.name) {
      if (names.has(c.name)) causes.push(duplicate(`${at}.name`, c.name))
      else names.add(c.name)
    }
    extra?.(c, at)
  })
}

/** validateContainerPorts' number and protocol rules. */
function validatePorts (ports: Json[] | undefined, path: string, causes: StatusCause[]): void {
  ;(ports ?? []).forEach((p, j) => {
    const at = `${path}[${j}]`
    if (p?.containerPort === undefined || p.containerPort === 0) causes.push(required(`${at}.containerPort`))
    else if (!(Number.isInteger(p.containerPort) && p.containerPort > 0 && p.containerPort < 65536)) causes.push(invalidValue(`${at}.containerPort`, p.containerPort, 'must be between 1 and 65535, inclusive'))
    if (p?.hostPort !== undefined && p.hostPort !== 0 && !(Number.isInteger(p.hostPort) && p.hostPort > 0 && p.hostPort < 65536)) causes.push(invalidValue(`${at}.hostPort`, p.hostPort, 'must be between 1 and 65535, inclusive'))
    if (p?.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) causes.push(unsupported(`${at}.protocol`, p.protocol, PROTOCOLS))
  })
}

/** IsOvercommitAllowed: native resources (no domain, or kubernetes.io's) other than hugepages. */
const overcommitAllowed = (name: string): boolean => (!name.includes('/') || name.includes('kubernetes.io/')) && !name.startsWith('hugepages-')

/** ValidateResourceRequirements' request-to-limit rules (quantities are canonical by now). */
function validateResources (resources: Json | undefined, path: string, causes: StatusCause[]): void {
  const requests: Json = resources?.requests ?? {}
  const limits: Json = resources?.limits ?? {}
  for (const [name, quantity] of Object.entries(requests)) {
    const limit = limits[name]
    if (limit === undefined) {
      if (!overcommitAllowed(name)) causes.push({ ...required(`${path}.limits`), message: 'Required value: Limit must be set for non overcommitable resources' })
      continue
    }
    let order: number
    try { order = compareQuantities(parseQuantity(String(quantity)), parseQuantity(String(limit))) } catch { continue }
    if (order !== 0 && !overcommitAllowed(name)) causes.push(invalidValue(`${path}.requests`, String(quantity), `must be equal to ${name} limit of ${String(limit)}`))
    else if (order > 0) causes.push(invalidValue(`${path}.requests`, String(quantity), `must be less than or equal to ${name} limit of ${String(limit)}`))
  }
}
