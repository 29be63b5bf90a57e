// Assembling a meta.k8s.io/v1 Table as kube-apiserver's handlers do (printerstorage.TableConvertor
// with Wide: true, then asTable choosing each row's `object` by includeObject).
import { type Printer, type TableRow } from './types.ts'
import { printerFor } from './registry.ts'

export type IncludeObject = 'None' | 'Metadata' | 'Object'

export interface BuildTableOptions {
  group: string
  resource: string
  objects: any[]
  /** ms since the epoch; every age cell is relative to it. */
  now: number
  /** `Metadata` (the default): PartialObjectMetadata with the full metadata; `Object`; `None` → null. */
  includeObject?: IncludeObject
  /** The list's (or, for a single get, the object's) resourceVersion; omitted when ''. */
  resourceVersion: string
  continue?: string
  remainingItemCount?: number
  /** false for `?includeObject=…&watch` events after the first (TableOptions.NoHeaders): columnDefinitions is null. */
  includeColumnDefinitions?: boolean
  /** A printer to use instead of the registry's, e.g. printerForCRD(...) for custom resources. */
  printer?: Printer
}

function rowObject (obj: any, includeObject: string): unknown {
  switch (includeObject) {
    case 'Object': return obj
    case 'Metadata': return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} }
    case 'None': return null
  }
  // Upstream answers 400 BadRequest with this message; the caller should have validated the query.
  throw new Error(`unrecognized includeObject value: ${JSON.stringify(includeObject)}`)
}

/** Build a meta.k8s.io/v1 Table. Every column is included, the wide ones (priority 1) too. */
export function buildTable (options: BuildTableOptions): object {
  const printer = options.printer ?? printerFor(options.group, options.resource)
  const includeObject = options.includeObject ?? 'Metadata'
  const objects = printer.compare !== undefined ? [...options.objects].sort(printer.compare) : options.objects
  const rows: TableRow[] = objects.map(obj => {
    const printed = printer.row(obj, options.now)
    const row: TableRow = Array.isArray(printed) ? { cells: printed } : { cells: printed.cells }
    if (!Array.isArray(printed) && printed.conditions !== undefined) row.conditions = printed.conditions
    row.object = rowObject(obj, includeObject)
    return row
  })
  const metadata: Record<string, unknown> = {}
  if (options.resourceVersion !== '') metadata.resourceVersion = options.resourceVersion
  if (options.continue) metadata.continue = options.continue
  if (options.remainingItemCount != null) metadata.remainingItemCount = options.remainingItemCount
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.includeColumnDefinitions === false ? null : printer.columns,
    rows
  }
}
