// The nodes printer (upstream printNode). STATUS looks only at the Ready condition: `Ready`,
// `NotReady` (False or Unknown), `Unknown` (no Ready condition), plus `,SchedulingDisabled` when
// cordoned. ROLES are the sorted suffixes of `node-role.kubernetes.io/<role>` labels and the value
// of `kubernetes.io/role`, e.g. a k3s server is `control-plane,master`.
import { type Printer, ageColumn, column, nameColumn, wide } from './types.ts'
import { translateAge } from './time.ts'

const ROLE_PREFIX = 'node-role.kubernetes.io/'
const ROLE_LABEL = 'kubernetes.io/role'

const columns = [
  nameColumn,
  column('Status', 'The status of the node'),
  column('Roles', 'The roles of the node'),
  ageColumn,
  column('Version', 'Kubelet Version reported by the node.'),
  wide('Internal-IP', 'List of addresses reachable to the node.'),
  wide('External-IP', 'List of addresses reachable to the node.'),
  wide('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
  wide('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
  wide('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).')
]

/** findNodeRoles: sorted, de-duplicated. */
export function findNodeRoles (labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>()
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith(ROLE_PREFIX)) {
      const role = key.slice(ROLE_PREFIX.length)
      if (role.length > 0) roles.add(role)
    } else if (key === ROLE_LABEL && value !== '') {
      roles.add(value)
    }
  }
  return [...roles].sort()
}

function address (node: any, type: string): string {
  const found = (node.status?.addresses ?? []).find((a: any) => a.type === type)
  return found?.address ?? '<none>'
}

function printNode (node: any, now: number): unknown[] {
  const status: string[] = []
  // Upstream keeps the LAST condition of each type (a map filled in order).
  const ready = (node.status?.conditions ?? []).filter((c: any) => c.type === 'Ready').at(-1)
  if (ready !== undefined) status.push(ready.status === 'True' ? 'Ready' : 'NotReady')
  if (status.length === 0) status.push('Unknown')
  if (node.spec?.unschedulable) status.push('SchedulingDisabled')
  const info = node.status?.nodeInfo ?? {}
  return [
    node.metadata?.name ?? '', status.join(','), findNodeRoles(node.metadata?.labels).join(',') || '<none>',
    translateAge(node.metadata?.creationTimestamp, now), info.kubeletVersion ?? '',
    address(node, 'InternalIP'), address(node, 'ExternalIP'),
    info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>'
  ]
}

export const nodePrinter: Printer = { columns, row: printNode }
