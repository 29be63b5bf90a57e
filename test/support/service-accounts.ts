// A bare ApiServerCore has no controller-manager: as on a real kube-apiserver without one (envtest),
// the ServiceAccount admission refuses pods until their namespace has its `default` account.
// Tests that create pods through a bare core make the accounts the controller would.
import type { Client } from '../../src/client/client.ts'

export async function createDefaultServiceAccounts (client: Client, namespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease']): Promise<void> {
  for (const namespace of namespaces) {
    await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } })
  }
}
