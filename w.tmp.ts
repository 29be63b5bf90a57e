import { startControlPlane } from './src/cluster/control-plane.ts'
import { InProcessClient } from './src/client/in-process.ts'
import { VirtualClock } from './src/util/clock.ts'
const cp = await startControlPlane({ clock: new VirtualClock(), apiPort: false, etcdPort: false, store: ':memory:', scheduler: false })
const client = new InProcessClient({ core: cp.core })
const N = 20000
const t = performance.now()
for (let i = 0; i < N; i += 1000) {
  await Promise.all(Array.from({ length: 1000 }, (_, j) => client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i + j}`, namespace: 'default', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } } as any)))
}
console.log('pod creates/s', (N / ((performance.now() - t) / 1000)).toFixed(0))
await cp.stop()
process.exit(0)
