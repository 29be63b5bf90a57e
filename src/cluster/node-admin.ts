// k3sim's admin endpoint, for `k3sim node create|list|stop|start|delete` against a running
// cluster process: JSON under /k3sim/v1alpha1/ on the API's HTTPS listener, behind the API's own
// authentication and for system:masters only (the admin kubeconfig's client certificate).
//   GET    /k3sim/v1alpha1/nodes              -> { items: [{ name, role, running }] }
//   POST   /k3sim/v1alpha1/nodes              <- { name, role?, cpu?, memory? }  -> 201 the node
//   POST   /k3sim/v1alpha1/nodes/NAME/stop    (the node loses power; its Node object stays)
//   POST   /k3sim/v1alpha1/nodes/NAME/start
//   DELETE /k3sim/v1alpha1/nodes/NAME         (kubelet stopped, Node object deleted)
import type { ApiExtension } from '../apiserver/http/app.ts'
import { NodeError, type NodeSpec, type NodeState } from './nodes.ts'

export const ADMIN_PREFIX = '/k3sim/v1alpha1'

/** What the endpoint drives: the Cluster's node methods. */
export interface NodeAdminTarget {
  nodes(): NodeState[]
  addNode(spec: Partial<NodeSpec> & { name: string }): Promise<void>
  stopNode(name: string): Promise<void>
  startNode(name: string): Promise<void>
  removeNode(name: string): Promise<void>
}

const CODES: Record<NodeError['reason'], number> = { Invalid: 422, AlreadyExists: 409, NotFound: 404 }

function failure (code: number, reason: string, message: string): { code: number, body: unknown } {
  return { code, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code } }
}

export function nodeAdmin (target: NodeAdminTarget): ApiExtension {
  const state = (name: string): NodeState | undefined => target.nodes().find(n => n.name === name)
  return {
    prefix: ADMIN_PREFIX,
    async handle ({ method, path, body, user }) {
      if (!user.groups.includes('system:masters')) return failure(403, 'Forbidden', `User "${user.name}" cannot manage k3sim nodes: use the admin kubeconfig`)
      const parts = path.split('/').filter(p => p !== '')
      if (parts[0] !== 'nodes' || parts.length > 3) return failure(404, 'NotFound', `no k3sim admin endpoint ${method} ${ADMIN_PREFIX}${path}`)
      try {
        if (parts.length === 1 && method === 'GET') return { code: 200, body: { items: target.nodes() } }
        if (parts.length === 1 && method === 'POST') {
          const spec = (body ?? {}) as { name?: unknown, role?: unknown, cpu?: unknown, memory?: unknown }
          if (typeof spec.name !== 'string') return failure(422, 'Invalid', 'the body needs the node\'s "name"')
          await target.addNode({ name: spec.name, role: spec.role as NodeSpec['role'], cpu: spec.cpu as string | undefined, memory: spec.memory as string | undefined })
          return { code: 201, body: state(spec.name) }
        }
        const name = parts[1]
        if (state(name) === undefined) throw new NodeError('NotFound', `no node "${name}" in this cluster; nodes: ${target.nodes().map(n => n.name).join(', ') || 'none'}`)
        if (parts.length === 2 && method === 'DELETE') { await target.removeNode(name); return { code: 200, body: { name } } }
        if (parts.length === 3 && method === 'POST' && parts[2] === 'stop') { await target.stopNode(name); return { code: 200, body: state(name) } }
        if (parts.length === 3 && method === 'POST' && parts[2] === 'start') { await target.startNode(name); return { code: 200, body: state(name) } }
        return failure(405, 'MethodNotAllowed', `${method} ${ADMIN_PREFIX}${path} is not supported`)
      } catch (err) {
        if (err instanceof NodeError) return failure(CODES[err.reason], err.reason, err.message)
        throw err
      }
    },
  }
}
