// Shared shapes for server-side Table printing (meta.k8s.io/v1 Table), and the column builders
// every printer file uses. Column names, types, formats and priorities are upstream's exactly
// (kubernetes v1.32 pkg/printers/internalversion/printers.go); descriptions copied from upstream
// where it writes them out, and shortened to their first sentence where upstream uses SwaggerDoc().

/** One `columnDefinitions[]` entry. All five fields are always serialised (no omitempty upstream). */
export interface ColumnDefinition { name: string, type: string, format: string, description: string, priority: number }

/** One `rows[]` entry of a Table. */
export interface TableRow { cells: unknown[], conditions?: unknown[], object?: unknown }

/** What a printer returns for one object: its cells, plus row conditions for finished pods. */
export type PrintedRow = unknown[] | { cells: unknown[], conditions?: unknown[] }

export interface Printer {
  /** Every column, the wide ones (priority 1) included: the apiserver always prints wide. */
  columns: ColumnDefinition[]
  /** The cells of one object, in column order. `now` is ms since the epoch. */
  row(obj: any, now: number): PrintedRow
  /** Upstream sorts a few lists before printing them (FlowSchemas by matching precedence). */
  compare?: (a: any, b: any) => number
}

/** metav1.ObjectMeta{}.SwaggerDoc()["name"], verbatim. */
export const NAME_DOC = 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'

/** metav1.ObjectMeta{}.SwaggerDoc()["creationTimestamp"], verbatim. */
export const CREATED_DOC = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'

export const CONTAINERS_DOC = 'Names of each container in the template.'
export const IMAGES_DOC = 'Images referenced by each container in the template.'

interface ColumnOptions { type?: string, format?: string, priority?: number }

/** A column; type `string`, no format, priority 0 unless told. */
export function column (name: string, description: string, options: ColumnOptions = {}): ColumnDefinition {
  return { name, type: options.type ?? 'string', format: options.format ?? '', description, priority: options.priority ?? 0 }
}

/** A priority-1 column (shown by `kubectl get -o wide` only). */
export function wide (name: string, description: string, type = 'string'): ColumnDefinition {
  return column(name, description, { type, priority: 1 })
}

export const nameColumn: ColumnDefinition = column('Name', NAME_DOC, { format: 'name' })
export const ageColumn: ColumnDefinition = column('Age', CREATED_DOC)
