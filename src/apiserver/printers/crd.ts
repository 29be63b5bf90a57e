// Custom resources: upstream's apiextensions tableconvertor. Columns are `Name` plus the CRD
// version's additionalPrinterColumns; a version without any gets `Age` (type date, jsonPath
// .metadata.creationTimestamp) — apiextensions' serveDefaultColumnsIfEmpty. A column whose
// jsonPath does not parse ends the column list there (upstream keeps the convertor built so far).
import { type ColumnDefinition, type Printer, CREATED_DOC, nameColumn } from './types.ts'
import { type CompiledPath, compileJSONPath, findResults } from './jsonpath.ts'
import { translateAge, parseTime } from './time.ts'

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition. */
export interface CRDColumn { name: string, type: string, format?: string, description?: string, priority?: number, jsonPath: string }

const defaultColumns: CRDColumn[] = [
  { name: 'Age', type: 'date', description: CREATED_DOC, jsonPath: '.metadata.creationTimestamp' }
]

/** The printer for a CRD version, given its additionalPrinterColumns. */
export function printerForCRD (additionalPrinterColumns: CRDColumn[] | undefined | null): Printer {
  const crdColumns = additionalPrinterColumns != null && additionalPrinterColumns.length > 0 ? additionalPrinterColumns : defaultColumns
  const columns: ColumnDefinition[] = [nameColumn]
  const paths: CompiledPath[] = []
  for (const col of crdColumns) {
    let path: CompiledPath
    try {
      path = compileJSONPath(col.jsonPath)
    } catch {
      break
    }
    paths.push(path)
    columns.push({
      name: col.name,
      type: col.type,
      format: col.format ?? '',
      description: col.description || `Custom resource definition column (in JSONPath format): ${col.jsonPath}`,
      priority: col.priority ?? 0
    })
  }
  return {
    columns,
    row: (obj, now) => [
      obj.metadata?.name ?? '',
      ...paths.map((path, i) => {
        const results = findResults(path, obj)
        if (results.length === 0) return null
        return columns[i + 1].type === 'string' ? printString(results[0]) : cellForJSONValue(columns[i + 1].type, results[0], now)
      })
    ]
  }
}

/** jsonpath PrintResults of one value: maps and lists as compact JSON (sorted keys), others as Go's fmt.Print. */
function printString (value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'object') return stableStringify(value)
  return String(value)
}

function stableStringify (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>
    return `{${Object.keys(obj).sort().map(k => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** cellForJSONValue: typed cells; anything that does not fit its column type is null. */
function cellForJSONValue (type: string, value: unknown, now: number): unknown {
  if (value === null || value === undefined) return null
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null
    case 'number':
      return typeof value === 'number' ? value : null
    case 'boolean':
      return typeof value === 'boolean' ? value : null
    case 'date':
      if (typeof value !== 'string') return null
      if (Number.isNaN(parseTime(value))) return '<invalid>'
      return translateAge(value, now)
  }
  return null
}
