// Server-side Table printing, as kube-apiserver v1.32 does it for `kubectl get`: one printer per
// built-in resource (upstream pkg/printers/internalversion/printers.go, column by column), the
// default Name / Created At table for the rest, and CRD additionalPrinterColumns for custom
// resources. Pure functions of (objects, now): no I/O, no clock. See README.md.
export type { ColumnDefinition, TableRow, Printer, PrintedRow } from './types.ts'
export { printerFor, defaultPrinter, printedResources } from './registry.ts'
export { buildTable, type BuildTableOptions, type IncludeObject } from './table.ts'
export { printerForCRD, type CRDColumn } from './crd.ts'
export { translateAge, humanDuration } from './time.ts'
