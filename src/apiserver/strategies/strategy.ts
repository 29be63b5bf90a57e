// Per-kind behaviour of the registry, as upstream's rest strategies: defaulting, what create and
// update may change, validation, and whether the kind has a generation and a status.
import { goValue } from '../../api/field-errors.ts'
import type { KubeObject } from '../../api/object.ts'
import type { StatusCause } from '../errors.ts'
import type { ObjectStorage } from '../registry/storage.ts'
import type { Ids } from '../../util/random.ts'
import type { Clock } from '../../util/clock.ts'
import type { ResourceIndex } from '../resource-index.ts'
import type { PriorityClassCache } from '../registry/priority-classes.ts'
import type { UserInfo } from '../request.ts'
import type { RbacAuthorizer } from '../rbac/authorizer.ts'

export interface StrategyContext {
  storage: ObjectStorage
  /** The resource table, for strategies that read other resources (Priority admission). */
  index?: ResourceIndex
  /** The PriorityClasses, kept from a watch (Priority admission on every pod create). */
  priorityClasses?: PriorityClassCache
  ids: Ids
  clock: Clock
  /** Who writes, and the object name of the request's path if it has one (RBAC's escalation checks). */
  user?: UserInfo
  requestName?: string
  authorizer?: RbacAuthorizer
  /** Where preparation adds the warnings it raises (the AppArmor version skew's), sent before WarningsOnCreate's. */
  warnings?: string[]
}

export interface Strategy {
  /** metadata.generation is set at create and bumped on spec changes. */
  generation: boolean
  /** The kind has a status subresource: main writes keep the old status, status writes keep the rest. */
  status: boolean
  /**
   * A status write also takes the body's metadata, all but the labels (upstream's
   * deploymentStatusStrategy resets only spec and labels: the controller's UpdateStatus carries
   * the revision annotation). Otherwise a status write changes the status only.
   */
  statusWritesMetadata?: boolean
  /**
   * Subresources besides `status` that write one part of the status (a CSR's `approval`: its
   * conditions), served as `status` is: the status to store, from the body's and the stored one.
   */
  statusParts?: Readonly<Record<string, (body: Record<string, unknown> | undefined, stored: Record<string, unknown> | undefined) => Record<string, unknown>>>
  /**
   * Subresources that write one part of the spec (pods/ephemeralcontainers), served as `status`
   * is (get, update, patch of the whole object): the spec to store, and their own update checks.
   */
  specParts?: Readonly<Record<string, SpecPart>>
  /** Names must be DNS-1123 labels (namespaces, services) rather than subdomains. */
  nameIsLabel?: boolean
  /** Names are path segments (RBAC objects: `system:coredns` is valid). */
  nameIsPathSegment?: boolean
  /** Defaults applied on create and update (SetDefaults_*). Mutates `obj`. */
  defaults?(obj: KubeObject): void
  /** Create-only preparation (status reset, allocations). Mutates `obj`. */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): Promise<void> | void
  /** Update preparation (carry allocations over). Mutates `obj`. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): Promise<void> | void
  validate?(obj: KubeObject): StatusCause[]
  /** Checks of a new object only (an update is checked by validateUpdate, which sees the old one). */
  validateCreate?(obj: KubeObject): StatusCause[]
  /** Fields the schema does not know (for fieldValidation Strict/Warn); built-ins use the OpenAPI models. */
  unknownFields?(obj: KubeObject): string[]
  validateUpdate?(obj: KubeObject, old: KubeObject): StatusCause[]
  /** WarningsOnCreate: what the response's Warning headers say about a valid new object. */
  warningsOnCreate?(obj: KubeObject): string[]
  /** WarningsOnUpdate (main resource writes only). */
  warningsOnUpdate?(obj: KubeObject, old: KubeObject): string[]
}

export interface SpecPart {
  /** The spec to store, from the body's and the stored one. */
  spec: (body: Record<string, unknown> | undefined, stored: Record<string, unknown> | undefined) => Record<string, unknown>
  /** Checks of the write, in place of the strategy's validateUpdate. */
  validateUpdate: (obj: KubeObject, old: KubeObject) => StatusCause[]
}

export const generic: Strategy = { generation: false, status: false }

export const withStatus: Strategy = { generation: true, status: true }

export function required (field: string): StatusCause {
  return { reason: 'FieldValueRequired', message: 'Required value', field }
}

/** The value as field.Error prints it (goValue: %q, %v, or %#v through a GoRepr). */
export function invalidValue (field: string, value: unknown, message: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${goValue(value)}: ${message}`, field }
}

export function immutable (field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${goValue(value)}: field is immutable`, field }
}

export function notFound (field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueNotFound', message: `Not found: ${goValue(value)}`, field }
}

export function duplicate (field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueDuplicate', message: `Duplicate value: ${goValue(value)}`, field }
}

export function unsupported (field: string, value: unknown, supported: string[]): StatusCause {
  return { reason: 'FieldValueNotSupported', message: `Unsupported value: ${goValue(value)}: supported values: ${supported.map(s => `"${s}"`).join(', ')}`, field }
}

/** Sets a string field that is absent or "" (SetDefaults_* test `== ""`: an empty value is defaulted too). */
export function defString (obj: Record<string, unknown>, key: string, value: string): void {
  if (obj[key] === undefined || obj[key] === '') obj[key] = value
}

/** Sets `obj[key] = value` when the key is absent (undefined). */
export function def<T extends Record<string, unknown>> (obj: T, key: string, value: unknown): void {
  if (obj[key] === undefined) (obj as Record<string, unknown>)[key] = value
}
