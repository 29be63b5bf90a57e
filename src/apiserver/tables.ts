// `Accept: …;as=Table` → meta.k8s.io/v1 Table built by the printers (api-facts.md §5).
import type { ApiServerCore } from './core.ts'
import type { ApiRequest } from './request.ts'
import type { ApiWatchEvent } from './handlers/watch.ts'
import { buildTable, printerForCRD, type CRDColumn, type Printer } from './printers/index.ts'

export function wantsTable (accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '')
}

type IncludeObject = 'None' | 'Metadata' | 'Object'

function includeObject (req: ApiRequest): IncludeObject {
  return req.options.includeObject ?? 'Metadata'
}

export function toTable (core: ApiServerCore, req: ApiRequest, body: Record<string, unknown>, list: boolean): object {
  const meta = (body.metadata ?? {}) as { resourceVersion?: string, continue?: string, remainingItemCount?: number }
  const objects = list ? (body.items as any[]).map(i => ({ apiVersion: body.apiVersion, kind: req.info.kind, ...i })) : [body]
  return buildTable({
    group: req.info.group,
    resource: req.info.resource,
    objects,
    now: core.clock.now(),
    includeObject: includeObject(req),
    resourceVersion: list ? meta.resourceVersion ?? '' : String((body.metadata as { resourceVersion?: string }).resourceVersion ?? ''),
    continue: meta.continue,
    remainingItemCount: meta.remainingItemCount,
    printer: customPrinter(core, req),
  })
}

export function tableWatchEvent (core: ApiServerCore, req: ApiRequest, e: ApiWatchEvent, first: boolean): object {
  const table = buildTable({
    group: req.info.group,
    resource: req.info.resource,
    objects: [e.object],
    now: core.clock.now(),
    includeObject: includeObject(req),
    resourceVersion: String((e.object.metadata as { resourceVersion?: string }).resourceVersion ?? ''),
    includeColumnDefinitions: first,
    printer: customPrinter(core, req),
  })
  return { type: e.type, object: table }
}

function customPrinter (core: ApiServerCore, req: ApiRequest): Printer | undefined {
  if (req.info.custom !== true) return undefined
  return printerForCRD(core.printerColumns(req.info) as CRDColumn[] | undefined)
}
