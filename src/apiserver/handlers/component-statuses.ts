// ComponentStatus (pkg/registry/core/componentstatus, deprecated since v1.19 but still served):
// kube-apiserver probes each component on request — the controller manager and the scheduler
// at their /healthz (k3s: 127.0.0.1:10257 and :10259) and each etcd server (k3s: kine) — and
// answers one condition per component, never stored. A component that is not running answers
// as a refused connection would.
import type { KubeObject } from '../../api/object.ts'
import { StatusError } from '../errors.ts'
import type { ApiRequest, Reply } from '../request.ts'
import { buildMatcher } from '../selectors.ts'
import type { ApiContext } from './context.ts'
import { asServed, listOf } from './output.ts'

export const COMPONENT_STATUS_WARNING = 'v1 ComponentStatus is deprecated in v1.19+'

/** What each component's probe reaches (k3s's secure ports; kine answers for etcd). */
const PROBES: Record<string, string> = {
  'controller-manager': 'https://127.0.0.1:10257/healthz',
  scheduler: 'https://127.0.0.1:10259/healthz',
}

/** The components kube-apiserver validates, each with whether it runs now. */
export type Components = () => Record<string, boolean>

/** getComponentStatus: the Healthy condition of one probe (`ok`, or Go's dial error). */
function componentStatus (name: string, running: boolean): KubeObject {
  const probe = PROBES[name]
  const condition = running || probe === undefined
    ? { type: 'Healthy', status: 'True', message: 'ok' }
    : { type: 'Healthy', status: 'False', error: `Get "${probe}": dial tcp ${new URL(probe).host}: connect: connection refused` }
  return { metadata: { name, creationTimestamp: null }, conditions: [condition] } as unknown as KubeObject
}

export function componentStatuses (ctx: ApiContext, req: ApiRequest): Reply {
  const running = ctx.components()
  const warnings = [COMPONENT_STATUS_WARNING]
  if (req.verb === 'get') {
    // Upstream's Get returns a plain error for an unknown name: a 500 without a reason, not a NotFound.
    if (!Object.hasOwn(running, req.name!)) throw new StatusError(500, '', `Component not found: ${req.name!}`)
    return { status: 200, body: asServed(req.info, componentStatus(req.name!, running[req.name!])), warnings }
  }
  const matches = buildMatcher(req.info, req.options)
  const items = Object.keys(running).sort().map(name => componentStatus(name, running[name])).filter(matches)
  // Not stored, so no resourceVersion: `metadata: {}`.
  return { status: 200, body: listOf(req.info, items, {}), warnings }
}
