import { Cluster } from '/work/main/src/index.ts'
import { ADDON_NAMES } from '/work/main/src/addons/manifests/index.ts'
const store = process.argv[2] ?? ':memory:'
const cluster = await Cluster.start({ agents: 299, clock: 'virtual', disable: [...ADDON_NAMES], node: { cpu: '32', memory: '128Gi' }, store })
await cluster.client.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'load', namespace: 'default' }, spec: { replicas: 4000, selector: { matchLabels: { app: 'load' } }, template: { metadata: { labels: { app: 'load' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } } } } as any)
await cluster.settle()
globalThis.gc?.()
const mu = process.memoryUsage()
console.log('rss', (mu.rss / 2 ** 20).toFixed(0), 'heapTotal', (mu.heapTotal / 2 ** 20).toFixed(0), 'heapUsed', (mu.heapUsed / 2 ** 20).toFixed(0), 'external', (mu.external / 2 ** 20).toFixed(0), 'arrayBuffers', (mu.arrayBuffers / 2 ** 20).toFixed(0))
const cp = (cluster as any).cp
console.log('revision', cp.backend.revision, 'events', cluster.events({}).length)
const { writeHeapSnapshot } = await import('node:v8')
if (process.env.SNAP) console.log(writeHeapSnapshot('/tmp/k3sim.heapsnapshot'))
await cluster.stop()
