// Cell formatting helpers shared by the printers: label maps and selectors (as apimachinery's
// labels.FormatLabels and metav1.FormatLabelSelector print them), container lists, booleans,
// int-or-strings, quantities. Private to printers/ for now (src/api/labels.ts will replace the
// selector code once it lands).

/** labels.FormatLabels: `k=v` pairs sorted by key, comma-joined; `<none>` when empty. */
export function formatLabels (labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort()
  if (keys.length === 0) return '<none>'
  return keys.map(k => `${k}=${labels![k]}`).join(',')
}

interface LabelSelector {
  matchLabels?: Record<string, string> | null
  matchExpressions?: Array<{ key: string, operator: string, values?: string[] | null }> | null
}

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, `k=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k`, `!k`; values of set operators sorted. `''` for a nil or empty selector;
 * `undefined` where upstream fails to build the selector (bad operator or value count).
 */
export function selectorString (selector: LabelSelector | undefined | null): string | undefined {
  if (selector === undefined || selector === null) return ''
  const reqs: Array<{ key: string, text: string }> = []
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) reqs.push({ key, text: `${key}=${value}` })
  for (const expr of selector.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])]
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined
        reqs.push({ key: expr.key, text: `${expr.key} ${expr.operator === 'In' ? 'in' : 'notin'} (${values.sort().join(',')})` })
        break
      case 'Exists':
      case 'DoesNotExist':
        if (values.length !== 0) return undefined
        reqs.push({ key: expr.key, text: expr.operator === 'Exists' ? expr.key : `!${expr.key}` })
        break
      default:
        return undefined
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return reqs.map(r => r.text).join(',')
}

/** metav1.FormatLabelSelector: `<error>` if invalid, `<none>` if empty. */
export function formatLabelSelector (selector: LabelSelector | undefined | null): string {
  const s = selectorString(selector)
  if (s === undefined) return '<error>'
  return s === '' ? '<none>' : s
}

/** printers.go layoutContainerCells: comma-joined names and images. */
export function layoutContainerCells (containers: Array<{ name?: string, image?: string }> | undefined | null): [string, string] {
  const list = containers ?? []
  return [list.map(c => c.name ?? '').join(','), list.map(c => c.image ?? '').join(',')]
}

/** The containers of a pod template (`spec.template.spec.containers`), tolerant of absent parts. */
export function templateContainers (template: any): any[] {
  return template?.spec?.containers ?? []
}

/** printers.go printBoolPtr: `True` / `False` / `<unset>`. */
export function printBoolPtr (value: boolean | undefined | null): string {
  if (value === undefined || value === null) return '<unset>'
  return value ? 'True' : 'False'
}

/** intstr.IntOrString.String(). */
export function intOrString (value: number | string): string {
  return String(value)
}

/** resource.Quantity.String() of a *Quantity: `<nil>` for nil. Values are printed as stored. */
export function quantity (value: unknown): string {
  if (value === undefined || value === null) return '<nil>'
  return String(value)
}

/** A *Quantity taken by value in Go (`q := map[k]`): the zero Quantity prints `0`. */
export function quantityOrZero (value: unknown): string {
  if (value === undefined || value === null || value === '') return '0'
  return String(value)
}

/** Up to `max` items, then ` + N more...`; `<unset>` when empty (printers.go listWithMoreString). */
export function listWithMore (items: string[], max: number): string {
  const shown = items.slice(0, max).join(',')
  if (items.length > max) return `${shown} + ${items.length - max} more...`
  return shown === '' ? '<unset>' : shown
}

/** Sorted, de-duplicated IPs or hostnames of a load balancer status (sets.String.List()). */
export function loadBalancerStatus (status: any): string {
  const result = new Set<string>()
  for (const ingress of status?.ingress ?? []) {
    if (ingress.ip) result.add(ingress.ip)
    else if (ingress.hostname) result.add(ingress.hostname)
  }
  // The apiserver always prints wide, so upstream's 16-character clipping never applies.
  return [...result].sort().join(',')
}
