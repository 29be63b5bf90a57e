// A load-generating process for bench/etcd.bench.ts: `clients` etcd3 clients of its own; on each
// message {op, perClient} from the parent it runs perClient calls on every client concurrently
// and answers 'done'. Several of these give the servers more client capacity than one process.
import { Etcd3 } from 'etcd3'

const [endpoint, count] = process.argv.slice(2)
const clients = Array.from({ length: Number(count) }, () => new Etcd3({ hosts: endpoint }))
const value = 'x'.repeat(256)
let n = Math.floor(Math.random() * 1e6)

process.on('message', (msg: { op: 'put' | 'get' | 'stop', perClient: number }) => {
  if (msg.op === 'stop') { clients.forEach(c => c.close()); process.exit(0) }
  const call = msg.op === 'put'
    ? (c: Etcd3) => c.put(`/bench/k${n++ % 10_000}`).value(value).exec()
    : (c: Etcd3) => c.get(`/bench/k${n++ % 1000}`).string()
  Promise.all(clients.map(async c => { for (let i = 0; i < msg.perClient; i++) await call(c) }))
    .then(() => process.send!('done'), err => { console.error(err); process.exit(1) })
})
process.send!('ready')
