// An API server core on the memory backend with a virtual clock and seeded ids, its in-process
// client, and (unless asked not to) the `default` ServiceAccount of the default namespaces: what
// admission tests start from.
import { ApiServerCore } from '../../src/apiserver/core.ts'
import { InProcessClient } from '../../src/client/in-process.ts'
import type { Backend } from '../../src/store/backend.ts'
import { MemoryBackend } from '../../src/store/memory/memory-backend.ts'
import { VirtualClock } from '../../src/util/clock.ts'
import { Ids } from '../../src/util/random.ts'
import { createDefaultServiceAccounts } from './service-accounts.ts'

export async function startCore (options: { userAgent?: string, serviceAccounts?: boolean, backend?: Backend } = {}): Promise<{ core: ApiServerCore, client: InProcessClient }> {
  const clock = new VirtualClock()
  const core = new ApiServerCore({ backend: options.backend ?? new MemoryBackend({ clock }), clock, ids: new Ids({ seed: 1 }) })
  await core.bootstrap()
  const client = new InProcessClient({ core, userAgent: options.userAgent })
  if (options.serviceAccounts !== false) await createDefaultServiceAccounts(client)
  return { core, client }
}
