// metrics-server's table convertor (sigs.k8s.io/metrics-server/pkg/api/table.go): the name, one
// column per usage resource (sorted: cpu, memory; a pod's containers summed), and the window.
// `kubectl get nodes.metrics.k8s.io` prints NAME CPU MEMORY WINDOW; there is no AGE.
import { addQuantities, formatQuantity, parseQuantity, type Quantity } from '../../api/quantity.ts'
import { type Printer, column, nameColumn } from './types.ts'

const columns = [
  nameColumn,
  column('CPU', 'CPU usage', { format: 'quantity' }),
  column('Memory', 'Memory usage', { format: 'quantity' }),
  column('Window', 'Time window of the usage measurement', { format: 'duration' }),
]

function total (usages: Array<Record<string, string> | undefined>, name: string): string {
  let sum: Quantity | undefined
  for (const u of usages) {
    const v = u?.[name]
    if (v === undefined) continue
    const q = parseQuantity(v)
    sum = sum === undefined ? q : addQuantities(sum, q)
  }
  return sum === undefined ? '' : formatQuantity(sum)
}

export const nodeMetricsPrinter: Printer = {
  columns,
  row: obj => [obj.metadata.name, total([obj.usage], 'cpu'), total([obj.usage], 'memory'), obj.window ?? ''],
}

export const podMetricsPrinter: Printer = {
  columns,
  row: obj => {
    const usages = (obj.containers ?? []).map((c: { usage?: Record<string, string> }) => c.usage)
    return [obj.metadata.name, total(usages, 'cpu'), total(usages, 'memory'), obj.window ?? '']
  },
}
