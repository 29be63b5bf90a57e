// The seeds' walkthrough with the real kubectl against `k3sim server --agents 1` on 2-CPU nodes,
// add-ons on: kube-system looks like a fresh k3s; nginx Deployment + Service + Ingress; scale,
// rollout, undo; a LoadBalancer Service gets the node IPs and a port clash stays pending;
// "Insufficient cpu" counting the add-ons' requests; delete with each cascade mode; namespace
// deletion; an auto-deploy manifests directory applied at start and on change.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runKubectl } from '../support/kubectl.ts'
import { waitFor } from '../support/wait.ts'
import { startServerProcess, type ServerProcess } from '../support/server-process.ts'

type Json = Record<string, any>

const nginx = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels: { app: nginx }
spec:
  replicas: 1
  selector: { matchLabels: { app: nginx } }
  template:
    metadata: { labels: { app: nginx } }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  selector: { app: nginx }
  ports: [{ port: 80, targetPort: 80 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: nginx
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend: { service: { name: nginx, port: { number: 80 } } }
`
const hungryYaml = `apiVersion: apps/v1
kind: Deployment
metadata: { name: hungry }
spec:
  replicas: 4
  selector: { matchLabels: { app: hungry } }
  template:
    metadata: { labels: { app: hungry } }
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources: { requests: { cpu: "1" } }
`
const settings = (greeting: string): string => `apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: kube-system }
data: { greeting: ${greeting} }
`

describe('the k3s walkthrough with kubectl against `k3sim server --agents 1`', function () {
  this.timeout(120_000)
  let dataDir: string
  let home: string
  let manifests: string
  let server: ServerProcess | undefined

  const kubectl = (args: string[], input?: string) => runKubectl(args, { home, kubeconfig: server!.kubeconfigPath, input })
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(args, input)
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}\nserver output:\n${server!.output().slice(-3000)}`)
    return r.stdout
  }
  const json = async (args: string[]): Promise<Json> => JSON.parse(await ok([...args, '-o', 'json'])) as Json
  /** `kubectl get ... -o jsonpath=...` until `done(output)`: for conditions `kubectl wait` cannot
   * express (an object that does not exist yet, a list that must reach a length). */
  const eventually = async (args: string[], done: (out: string) => boolean, what: string): Promise<string> => {
    let last = ''
    return await waitFor(what, async () => {
      const r = await kubectl(args)
      last = r.code === 0 ? r.stdout : r.stderr
      return r.code === 0 && done(r.stdout) ? r.stdout : undefined
    }, 30_000, () => `still ${JSON.stringify(last)} after kubectl ${args.join(' ')}`)
  }


  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'k3sim-walk-'))
    home = mkdtempSync(join(tmpdir(), 'k3sim-walk-home-'))
    manifests = mkdtempSync(join(tmpdir(), 'k3sim-walk-manifests-'))
    writeFileSync(join(manifests, 'settings.yaml'), settings('hello'))
    server = await startServerProcess({ dataDir, extraArgs: ['--agents', '1', '--node-cpu', '2', '--node-memory', '4Gi', '--manifests', manifests] })
  })
  after(async () => {
    await server?.stop()
    for (const d of [dataDir, home, manifests]) rmSync(d, { recursive: true, force: true })
  })

  it('kubectl get pods -A shows the kube-system pods of a fresh k3s, Running and Completed', async () => {
    for (const d of ['coredns', 'local-path-provisioner', 'metrics-server', 'traefik']) await ok(['-n', 'kube-system', 'rollout', 'status', `deployment/${d}`, '--timeout=60s'])
    for (const j of ['helm-install-traefik-crd', 'helm-install-traefik']) await ok(['-n', 'kube-system', 'wait', '--for=condition=Complete', `job/${j}`, '--timeout=60s'])
    const ds = (await ok(['-n', 'kube-system', 'get', 'ds', '-o', 'name'])).trim()
    assert.match(ds, /^daemonset\.apps\/svclb-traefik-[0-9a-f]{8}$/)
    await ok(['-n', 'kube-system', 'rollout', 'status', ds, '--timeout=60s'])
    const out = await ok(['get', 'pods', '-A'])
    assert.match(out, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/)
    const rows = out.trim().split('\n').slice(1).map(l => l.split(/\s+/))
    const row = (re: RegExp): string[][] => rows.filter(r => re.test(r[1]))
    for (const re of [/^coredns-[a-z0-9]+-[a-z0-9]{5}$/, /^local-path-provisioner-[a-z0-9]+-[a-z0-9]{5}$/, /^metrics-server-[a-z0-9]+-[a-z0-9]{5}$/, /^traefik-[a-z0-9]+-[a-z0-9]{5}$/]) {
      assert.deepEqual(row(re).map(r => [r[0], r[2], r[3]]), [['kube-system', '1/1', 'Running']], `${re}: ${out}`)
    }
    for (const re of [/^helm-install-traefik-crd-[a-z0-9]{5}$/, /^helm-install-traefik-[a-z0-9]{5}$/]) {
      assert.deepEqual(row(re).map(r => [r[0], r[2], r[3]]), [['kube-system', '0/1', 'Completed']], `${re}: ${out}`)
    }
    assert.deepEqual(row(/^svclb-traefik-[0-9a-f]{8}-[a-z0-9]{5}$/).map(r => [r[0], r[2], r[3]]), [['kube-system', '2/2', 'Running'], ['kube-system', '2/2', 'Running']], out)
  })

  it('applies the manifests directory at start, tracked as an Addon, and re-applies a changed file', async () => {
    // k3s's own manifests are Addons too, with their paths on the server node.
    const addons = (await ok(['-n', 'kube-system', 'get', 'addons'])).trim().split('\n')
    assert.match(addons[0], /^NAME\s+SOURCE\s+CHECKSUM$/)
    assert.ok(addons.some(l => /^settings\s+\S+\/settings\.yaml\s+[0-9a-f]{64}$/.test(l)), addons.join('\n'))
    assert.ok(addons.some(l => /^coredns\s+\/var\/lib\/rancher\/k3s\/server\/manifests\/coredns\.yaml\s+[0-9a-f]{64}$/.test(l)), addons.join('\n'))
    assert.equal(addons.length, 1 + 14)
    assert.equal(await ok(['-n', 'kube-system', 'get', 'cm', 'settings', '-o', 'jsonpath={.data.greeting}']), 'hello')
    writeFileSync(join(manifests, 'settings.yaml'), settings('bonjour'))
    await ok(['-n', 'kube-system', 'wait', '--for=jsonpath={.data.greeting}=bonjour', 'configmap/settings', '--timeout=30s'])
  })

  it('runs nginx behind a Service and an Ingress that gets the nodes\' addresses from traefik', async () => {
    assert.equal(await ok(['apply', '-f', '-'], nginx), 'deployment.apps/nginx created\nservice/nginx created\ningress.networking.k8s.io/nginx created\n')
    await ok(['rollout', 'status', 'deployment/nginx', '--timeout=30s'])
    const nodeIps = (await ok(['get', 'nodes', '-o', 'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}'])).split(' ').sort()
    await eventually(['get', 'ingress', 'nginx', '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}'], out => out.split(' ').length === 2, 'the Ingress gets both node IPs')
    const ing = await ok(['get', 'ingress', 'nginx'])
    assert.match(ing, /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\nnginx\s+traefik\s+\*\s+(\S+)\s+80\s+/)
    assert.deepEqual(/^nginx\s+traefik\s+\*\s+(\S+)/m.exec(ing)![1].split(',').sort(), nodeIps)
    await eventually(['get', 'endpoints', 'nginx', '-o', 'jsonpath={.subsets[0].addresses[*].ip}'], out => /^10\.42\.\d+\.\d+$/.test(out), 'the Service has the pod\'s endpoint')
  })

  it('serves traefik\'s CRDs as the traefik-crd chart installs them: an IngressRoute and a Middleware apply', async () => {
    const crds = (await ok(['get', 'crd', '-o', 'name'])).trim().split('\n').map(l => l.replace('customresourcedefinition.apiextensions.k8s.io/', ''))
    for (const name of ['addons.k3s.cattle.io', 'etcdsnapshotfiles.k3s.cattle.io', 'helmcharts.helm.cattle.io', 'ingressroutes.traefik.io', 'middlewares.traefik.io', 'tlsoptions.traefik.io']) {
      assert.ok(crds.includes(name), `${name} not in ${crds.join(' ')}`)
    }
    assert.equal(crds.filter(n => n.endsWith('.traefik.io')).length, 10)
    const route = `apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: { name: strip }
spec:
  stripPrefix: { prefixes: [/app] }
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: { name: nginx }
spec:
  entryPoints: [web]
  routes:
  - match: PathPrefix(\`/app\`)
    kind: Rule
    middlewares: [{ name: strip }]
    services: [{ name: nginx, port: 80 }]
`
    assert.equal(await ok(['apply', '-f', '-'], route), 'middleware.traefik.io/strip created\ningressroute.traefik.io/nginx created\n')
    assert.match(await ok(['get', 'ingressroutes']), /^NAME\s+AGE\nnginx\s+\d+s\n$/)
    assert.equal(await ok(['get', 'ingressroute', 'nginx', '-o', 'jsonpath={.spec.routes[0].services[0].port}']), '80')
    const bad = await kubectl(['apply', '-f', '-'], route.replace('  - match: PathPrefix(`/app`)\n    kind: Rule\n', '  - kind: Rule\n'))
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /The IngressRoute "nginx" is invalid: spec\.routes\[0\]\.match: Required value/)
    // Cluster-scoped, and empty: k3sim has no etcd to snapshot.
    const snapshots = await kubectl(['get', 'etcdsnapshotfiles'])
    assert.deepEqual([snapshots.code, snapshots.stdout, snapshots.stderr], [0, '', 'No resources found\n'])
  })

  it('scales to 3, rolls an image change out and undoes it', async () => {
    await ok(['scale', 'deployment/nginx', '--replicas=3'])
    await ok(['rollout', 'status', 'deployment/nginx', '--timeout=30s'])
    assert.match(await ok(['get', 'deployment', 'nginx']), /^nginx\s+3\/3\s+3\s+3\s+/m)
    await ok(['set', 'image', 'deployment/nginx', 'nginx=nginx:1.28'])
    assert.match(await ok(['rollout', 'status', 'deployment/nginx', '--timeout=30s']), /deployment "nginx" successfully rolled out\n$/)
    const images = (await ok(['get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).split(' ')
    assert.ok(images.length >= 3 && images.every(i => i === 'nginx:1.28'), images.join(' '))
    await ok(['rollout', 'undo', 'deployment/nginx'])
    await ok(['rollout', 'status', 'deployment/nginx', '--timeout=30s'])
    assert.equal(await ok(['get', 'deployment', 'nginx', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.27')
    assert.match(await ok(['rollout', 'history', 'deployment/nginx']), /^2\s+<none>\n3\s+<none>\n/m)
  })

  it('gives a LoadBalancer Service the node IPs; a second one on a taken port stays <pending> with the scheduler\'s message', async () => {
    await ok(['create', 'service', 'loadbalancer', 'web', '--tcp=8080:80'])
    await eventually(['get', 'svc', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}'], out => out.split(' ').length === 2, 'the Service gets both node IPs')
    assert.match(await ok(['get', 'svc', 'web']), /^web\s+LoadBalancer\s+10\.43\.\d+\.\d+\s+172\.18\.0\.\d+,172\.18\.0\.\d+\s+8080:3\d{4}\/TCP\s+/m)
    // traefik's svclb pods hold hostPort 80 on both nodes.
    await ok(['create', 'service', 'loadbalancer', 'clash', '--tcp=80:80'])
    const ds = `svclb-clash-${(await ok(['get', 'svc', 'clash', '-o', 'jsonpath={.metadata.uid}'])).slice(0, 8)}`
    await eventually(['-n', 'kube-system', 'get', 'pods', '-l', 'svccontroller.k3s.cattle.io/svcname=clash', '-o', 'name'], out => out.trim().split('\n').length === 2, `${ds} has a pod per node`)
    const pods = await json(['-n', 'kube-system', 'get', 'pods', '-l', 'svccontroller.k3s.cattle.io/svcname=clash'])
    assert.equal(pods.items.length, 2)
    for (const p of pods.items as Json[]) {
      await ok(['-n', 'kube-system', 'wait', '--for=condition=PodScheduled=False', `pod/${p.metadata.name}`, '--timeout=30s'])
      const cond = ((await json(['-n', 'kube-system', 'get', 'pod', p.metadata.name])).status.conditions as Json[]).find(c => c.type === 'PodScheduled')!
      // Each svclb pod is pinned to one node (NodeAffinity: unresolvable). On its own node, evicting
      // every lower-priority pod (nginx, coredns) would not free port 80 — traefik's svclb pod has
      // the same priority — so preemption reports the NodePorts failure again, as upstream does.
      assert.equal(cond.message, '0/2 nodes are available: 1 node(s) didn\'t have free ports for the requested pod ports, 1 node(s) didn\'t satisfy plugin(s) [NodeAffinity]. preemption: 0/2 nodes are available: 1 Preemption is not helpful for scheduling, 1 node(s) didn\'t have free ports for the requested pod ports.')
    }
    assert.match(await ok(['get', 'svc', 'clash']), /^clash\s+LoadBalancer\s+\S+\s+<pending>\s+80:3\d{4}\/TCP\s+/m)
  })

  it('leaves the pods a 2-CPU cluster cannot hold Pending with the exact message, counting the add-ons\' requests', async () => {
    // What the add-ons (coredns, metrics-server, ...) already request on each node, in millicores.
    const pods = await json(['get', 'pods', '-A'])
    const used = new Map<string, number>()
    for (const p of pods.items as Json[]) {
      if (p.spec.nodeName === undefined || ['Succeeded', 'Failed'].includes(p.status.phase)) continue
      const m = (p.spec.containers as Json[]).reduce((s, c) => s + milli(c.resources?.requests?.cpu), 0)
      used.set(p.spec.nodeName, (used.get(p.spec.nodeName) ?? 0) + m)
    }
    assert.ok([...used.values()].reduce((a, b) => a + b, 0) >= 200, 'coredns and metrics-server request 100m each')
    const fits = [...used.values()].reduce((n, m) => n + Math.floor((2000 - m) / 1000), 0)
    await ok(['apply', '-f', '-'], hungryYaml)
    await ok(['wait', '--for=jsonpath={.status.readyReplicas}=' + String(fits), 'deployment/hungry', '--timeout=30s'])
    const hungry = await json(['get', 'pods', '-l', 'app=hungry', '--field-selector', 'status.phase=Pending'])
    assert.equal(hungry.items.length, 4 - fits)
    const describe = await ok(['describe', 'pod', hungry.items[0].metadata.name])
    assert.match(describe, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/2 nodes are available: 2 Insufficient cpu\. preemption: 0\/2 nodes are available: 2 No preemption victims found for incoming pod\.$/m)
    await ok(['delete', 'deployment', 'hungry'])
  })

  it('deletes with each cascade mode: orphan keeps the ReplicaSet, foreground and background remove the dependents', async () => {
    const rs = (await ok(['get', 'rs', '-l', 'app=nginx', '-o', 'jsonpath={.items[?(@.spec.replicas==3)].metadata.name}'])).trim()
    assert.match(await ok(['delete', 'deployment', 'nginx', '--cascade=orphan']), /deployment\.apps "nginx" deleted/)
    assert.equal(await ok(['get', 'rs', rs, '-o', 'jsonpath={.metadata.ownerReferences}']), '', 'the orphaned ReplicaSet has no owner')
    assert.equal((await json(['get', 'pods', '-l', 'app=nginx'])).items.length, 3)
    await ok(['delete', 'rs', rs, '--cascade=foreground'])
    assert.match((await kubectl(['get', 'rs', rs])).stderr, /NotFound/)
    await ok(['wait', '--for=delete', 'pod', '-l', `pod-template-hash=${rs.split('-').pop()!}`, '--timeout=30s'])

    await ok(['create', 'deployment', 'bg', '--image=nginx:1.27', '--replicas=2'])
    await ok(['rollout', 'status', 'deployment/bg', '--timeout=30s'])
    await ok(['delete', 'deployment', 'bg', '--cascade=background'])
    await ok(['wait', '--for=delete', 'rs', '-l', 'app=bg', '--timeout=30s'])
    await ok(['wait', '--for=delete', 'pod', '-l', 'app=bg', '--timeout=30s'])
  })

  it('deleting a namespace empties it, then it is gone', async () => {
    await ok(['create', 'namespace', 'scratch'])
    await ok(['-n', 'scratch', 'create', 'deployment', 'app', '--image=nginx:1.27', '--replicas=2'])
    await ok(['-n', 'scratch', 'create', 'configmap', 'conf', '--from-literal=a=b'])
    await ok(['-n', 'scratch', 'expose', 'deployment', 'app', '--port=80'])
    await ok(['-n', 'scratch', 'rollout', 'status', 'deployment/app', '--timeout=30s'])
    assert.equal(await ok(['delete', 'namespace', 'scratch', '--timeout=60s']), 'namespace "scratch" deleted\n')
    const r = await kubectl(['get', 'namespace', 'scratch'])
    assert.match(r.stderr, /Error from server \(NotFound\): namespaces "scratch" not found/)
    assert.equal((await kubectl(['-n', 'scratch', 'get', 'all'])).stderr, 'No resources found in scratch namespace.\n')
  })
})

function milli (q: string | undefined): number {
  if (q === undefined) return 0
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000
}
