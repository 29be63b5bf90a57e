// The CLI refuses bad input with exit code 1 and a message that says what to do, and leaves
// what exists untouched: taken names and ports, unknown clusters, node filters, quantities,
// config file keys; a config file's settings apply, with flags winning; racing creates of one
// name give one cluster. Deleting a cluster that does not exist is not an error (k3d skips it).
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { cliEnv, waitFor, type CliEnv } from '../support/k3sim-cli.ts'

describe('k3sim CLI bad input', function () {
  this.timeout(180_000)
  let env: CliEnv

  before(async () => {
    env = cliEnv()
    const r = await env.k3sim(['cluster', 'create', 'taken', '--disable', 'traefik,metrics-server'])
    assert.equal(r.code, 0, r.stderr)
  })
  after(async () => { await env.cleanup() })

  /** Runs the command, expects exit 1 and a FATA line matching `message`. */
  const refused = async (args: string[], message: RegExp): Promise<void> => {
    const r = await env.k3sim(args)
    assert.equal(r.code, 1, `k3sim ${args.join(' ')} exited ${r.code}:\n${r.stderr}`)
    assert.match(r.stderr, message)
  }
  const clusters = (): string[] => readdirSync(join(env.k3simHome, 'clusters')).filter(f => !f.startsWith('.'))
  const config = (name: string, text: string): string => { const f = join(env.home, name); writeFileSync(f, text); return f }

  it('a name that exists: refused, the existing cluster keeps running', async () => {
    await refused(['cluster', 'create', 'taken'], /FATA\[\d{4}\] Failed to create cluster 'taken' because a cluster with that name already exists; choose another name, or delete it first with `k3sim cluster delete taken`/)
    const list = (await env.k3sim(['cluster', 'list', '--no-headers'])).stdout
    assert.equal(list.trim().split(/\s+/).join(' '), 'taken 1/1 0/0 true')
  })

  it('an --api-port in use: bind: address already in use, suggesting --api-port, nothing left', async () => {
    const holder: Server = createServer()
    const port = await new Promise<number>(resolve => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)))
    try {
      await refused(['cluster', 'create', 'clash', '--api-port', String(port)], new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use \\(bind: address already in use\\); choose another with --api-port PORT, or leave --api-port out to get a free one`))
      assert.deepEqual(clusters(), ['taken'])
    } finally {
      holder.close()
    }
  })

  it('the API port another cluster keeps', async () => {
    const info = JSON.parse((await env.k3sim(['cluster', 'list', 'taken', '-o', 'json'])).stdout) as Array<{ kubeAPI: { port: number } }>
    await refused(['cluster', 'create', 'clash', '--api-port', String(info[0].kubeAPI.port)], /is kept by cluster "taken" \(bind: address already in use\); choose another with --api-port PORT/)
  })

  const cases: Array<[string, string[], RegExp]> = [
    ['an invalid cluster name', ['cluster', 'create', 'Bad_Name'], /invalid cluster name "Bad_Name": use at most 32 lower-case letters, digits and '-'/],
    ['an unknown cluster to start', ['cluster', 'start', 'nope'], /cluster "nope" not found; clusters: taken \(see `k3sim cluster list`\)/],
    ['an unknown cluster to stop', ['cluster', 'stop', 'nope'], /cluster "nope" not found/],
    ['an unknown cluster to edit', ['cluster', 'edit', 'nope', '--port-add', '8080:80'], /cluster "nope" not found/],
    ['an unknown cluster for kubeconfig get', ['kubeconfig', 'get', 'nope'], /cluster "nope" not found/],
    ['an unknown cluster for node create', ['node', 'create', 'x', '-c', 'nope'], /cluster "nope" not found/],
    ['an unknown node', ['node', 'stop', 'k3sim-nope-0'], /no node "k3sim-nope-0" in any cluster; see `k3sim node list`/],
    ['a node filter index past the agents', ['cluster', 'create', 'f', '-p', '8080:80@agent:2', '--agents', '2'], /invalid node filter "agent:2": the cluster has 2 agents, so no agent 2; use <group>\[:<subset>\[:<suffix>\]\]/],
    ['a node filter group that does not exist', ['cluster', 'create', 'f', '-p', '8080:80@workers'], /invalid node filter "workers": unknown group "workers" \(server, agent, loadbalancer, all\)/],
    ['a port mapping that is not one', ['cluster', 'create', 'f', '-p', '80:http'], /invalid container port "http" in --port "80:http": use a port number 1-65535/],
    ['a host port mapped twice', ['cluster', 'create', 'f', '-p', '8080:80', '-p', '8080:81'], /host port 8080\/tcp is mapped twice/],
    ['an --api-port that is not a port', ['cluster', 'create', 'f', '--api-port', '99999'], /invalid port "99999" in --api-port "99999": use a port number 1-65535/],
    ['a --node-cpu that is not a quantity', ['cluster', 'create', 'f', '--node-cpu', 'lots'], /invalid --node-cpu "lots": not a quantity .*; use forms like 2, 500m, 4Gi/],
    ['a --memory that is not a quantity', ['node', 'create', 'x', '-c', 'taken', '--memory', '4GiB'], /invalid --memory "4GiB": not a quantity/],
    ['an unknown --disable name', ['cluster', 'create', 'f', '--disable', 'traefik,bogus'], /unknown --disable name "bogus"; known: coredns, servicelb, traefik, local-storage, metrics-server/],
    ['an unknown runtime', ['cluster', 'create', 'f', '--runtime', 'podman'], /unknown runtime "podman"; use fake \(simulated containers\) or docker \(real ones\)/],
    ['a --timeout that is not a duration', ['cluster', 'create', 'f', '--timeout', 'soon'], /invalid --timeout "soon": use a duration like 30s, 2m or 1m30s/],
    ['no --servers', ['cluster', 'create', 'f', '--servers', '0'], /--servers must be at least 1/],
    ['edit with nothing to change', ['cluster', 'edit', 'taken'], /nothing to change: give --port-add MAPPING/],
    ['a --manifests dir that does not exist', ['cluster', 'create', 'f', '--manifests', '/nonexistent/manifests'], /manifests directory \/nonexistent\/manifests does not exist; create it or fix the path/],
    ['a missing config file', ['cluster', 'create', '--config', '/nonexistent/k3sim.yaml'], /cannot read config file \/nonexistent\/k3sim.yaml/],
    // k3d's flags with no meaning here: refused by name, with why, not as an unknown option.
    ['k3d\'s --network', ['cluster', 'create', 'f', '--network', 'my-net'], /not supported by k3sim: --network: k3sim's nodes are not containers, so there is no Docker network to join/],
    ['k3d\'s --token', ['cluster', 'create', 'f', '--token', 'abc'], /not supported by k3sim: --token: k3sim's nodes join inside the cluster process, without a join token/],
    ['k3d\'s -e', ['cluster', 'create', 'f', '-e', 'HTTP_PROXY=x@server:0'], /not supported by k3sim: --env: k3sim's nodes are not containers with an environment of their own/],
    ['k3d\'s -v', ['cluster', 'create', 'f', '-v', '/m:/var/lib/rancher/k3s/server/manifests@server:0'], /not supported by k3sim: --volume: .* use --manifests DIR/],
    ['k3d\'s --no-lb', ['cluster', 'create', 'f', '--no-lb'], /not supported by k3sim: --no-lb: k3sim runs no load-balancer container to leave out/],
    ['k3d\'s --no-rollback', ['cluster', 'create', 'f', '--no-rollback'], /not supported by k3sim: --no-rollback: k3sim always rolls a failed create back/],
    ['k3d\'s --registry-create', ['cluster', 'create', 'f', '--registry-create', 'reg:5000'], /not supported by k3sim: --registry-create: k3sim runs no registries/],
    ['an --image that is not k3s', ['cluster', 'create', 'f', '-i', 'nginx:1.27'], /--image "nginx:1\.27" is not a k3s image: k3sim emulates k3s v1\.32\.\d+\+k3s1 itself and runs no node image, so --image takes only a k3s image reference \(rancher\/k3s\[:TAG\]\), which it ignores; leave --image out/],
    ['a node --image that is not k3s', ['node', 'create', 'x', '-c', 'taken', '--image', 'busybox'], /--image "busybox" is not a k3s image/],
    ['a --k3s-arg without a node filter', ['cluster', 'create', 'f', '--k3s-arg', '--disable=traefik'], /K3sExtraArg '--disable=traefik' lacks a node filter, but there's more than one node/],
  ]
  for (const [what, args, message] of cases) {
    it(`refuses ${what}`, async () => {
      await refused(args, message)
      assert.deepEqual(clusters(), ['taken'])
    })
  }

  // k3d's cmd/cluster/clusterDelete.go: a missing cluster is skipped (INFO, exit 0), not refused.
  const deleteCases: Array<[string, string[], string[]]> = [
    ['a named cluster that does not exist', ['cluster', 'delete', 'nope'], ['No nodes found for cluster \'nope\', nothing to delete.', 'No clusters found']],
    ['no name and no k3s-default cluster', ['cluster', 'delete'], ['No nodes found for cluster \'k3s-default\', nothing to delete.', 'No clusters found']],
  ]
  for (const [what, args, lines] of deleteCases) {
    it(`delete of ${what}: k3d's INFO lines, exit 0, the other clusters untouched`, async () => {
      const r = await env.k3sim(args)
      assert.deepEqual([r.code, r.stdout.replace(/^INFO\[\d{4}\] /gm, ''), r.stderr], [0, lines.map(l => l + '\n').join(''), ''])
      assert.deepEqual(clusters(), ['taken'])
      assert.equal(env.serverPids().length, 1)
    })
  }

  it('delete --all with no clusters: k3d\'s INFO lines, exit 0', async () => {
    const empty = cliEnv()
    try {
      const r = await empty.k3sim(['cluster', 'delete', '--all'])
      assert.deepEqual([r.code, r.stdout.replace(/^INFO\[\d{4}\] /gm, ''), r.stderr], [0, 'Deleting all clusters...\nNo clusters found\n', ''])
    } finally {
      await empty.cleanup()
    }
  })

  it('an --image of k3s is accepted with k3d\'s WARN line on stderr (k3sim runs its own pinned k3s)', async () => {
    const r = await env.k3sim(['cluster', 'create', 'img', '-i', 'docker.io/rancher/k3s:v1.30.4-k3s1', '--kubeconfig-update-default=false'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /^WARN\[\d{4}\] k3sim emulates k3s v1\.32\.\d+\+k3s1 \(its own pinned version\) and runs no node image: --image docker\.io\/rancher\/k3s:v1\.30\.4-k3s1 is not used\n$/)
    assert.match(r.stdout, /^INFO\[\d{4}\] Cluster 'img' created successfully!$/m)
    assert.equal((await env.k3sim(['cluster', 'delete', 'img'])).code, 0)
  })

  const configCases: Array<[string, string, RegExp]> = [
    ['an unknown key, with its path', 'apiVersion: k3sim.io/v1alpha1\nkind: Simple\noptions:\n  k3sim:\n    wait: true\n    waitFor: 5s\n', /config file .*bad\.yaml: unknown key "options\.k3sim\.waitFor"; known keys under "options\.k3sim": wait, timeout/],
    ['an unknown top-level key', 'apiVersion: k3sim.io/v1alpha1\nkind: Simple\nimage: rancher/k3s\n', /unknown key "image"; known keys: apiVersion, kind, metadata, servers, agents/],
    ['a wrong type', 'apiVersion: k3sim.io/v1alpha1\nkind: Simple\nagents: two\n', /"agents" must be a whole number, got "two"/],
    ['k3d\'s apiVersion', 'apiVersion: k3d.io/v1alpha5\nkind: Simple\n', /"apiVersion" must be "k3sim\.io\/v1alpha1", got "k3d\.io\/v1alpha5"/],
    ['a bad node filter in ports', 'apiVersion: k3sim.io/v1alpha1\nkind: Simple\nports:\n- port: 8080:80\n  nodeFilters: [server:1]\n', /invalid node filter "server:1": the cluster has 1 server, so no server 1/],
    ['a port without its port', 'apiVersion: k3sim.io/v1alpha1\nkind: Simple\nports:\n- nodeFilters: [loadbalancer]\n', /"ports\[0\]\.port" is missing/],
    ['invalid YAML', 'apiVersion: [\n', /invalid YAML/],
  ]
  for (const [what, text, message] of configCases) {
    it(`refuses a config file with ${what}`, async () => {
      await refused(['cluster', 'create', '--config', config('bad.yaml', text)], message)
      assert.deepEqual(clusters(), ['taken'])
    })
  }

  it('a config file sets the cluster up (its manifests dir applied) and flags override it', async () => {
    mkdirSync(join(env.home, 'manifests'))
    writeFileSync(join(env.home, 'manifests', 'hello.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-manifests, namespace: default}\ndata: {greeting: hello}\n')
    const file = config('dev.yaml', [
      'apiVersion: k3sim.io/v1alpha1', 'kind: Simple', 'metadata: {name: fromfile}', 'servers: 1', 'agents: 2',
      'ports: [{port: "8080:80", nodeFilters: [loadbalancer]}]', 'node: {cpu: "3", memory: 6Gi}', 'disable: [traefik]',
      'manifests: manifests', 'options:', '  k3sim: {wait: true, timeout: 120s}', '  kubeconfig: {updateDefaultKubeconfig: true, switchCurrentContext: false}',
    ].join('\n'))
    const r = await env.k3sim(['cluster', 'create', '--config', file, '--agents', '1'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^kubectl config use-context k3sim-fromfile$/m)
    const [c] = JSON.parse((await env.k3sim(['cluster', 'list', 'fromfile', '-o', 'json'])).stdout) as Array<Record<string, unknown>>
    assert.deepEqual([c.serversCount, c.agentsCount, c.ports, c.disable], [1, 1, ['8080:80/tcp@loadbalancer'], ['traefik']])
    const cpu = await env.kubectl(['--context', 'k3sim-fromfile', 'get', 'node', 'k3sim-fromfile-agent-0', '-o', 'jsonpath={.status.capacity.cpu}/{.status.capacity.memory}'])
    assert.equal(cpu.stdout, '3/6Gi')
    assert.equal(c.manifests, join(env.home, 'manifests'))
    const greeting = await waitFor('the manifests dir to be applied', async () => {
      const r = await env.kubectl(['--context', 'k3sim-fromfile', 'get', 'configmap', 'from-manifests', '-o', 'jsonpath={.data.greeting}'])
      return r.code === 0 ? r.stdout : undefined
    })
    assert.equal(greeting, 'hello')
    const edited = await env.k3sim(['cluster', 'edit', 'fromfile', '--port-add', '9090:90@agent:0'])
    assert.equal(edited.code, 0, edited.stderr)
    const [after] = JSON.parse((await env.k3sim(['cluster', 'list', 'fromfile', '-o', 'json'])).stdout) as Array<Record<string, unknown>>
    assert.deepEqual(after.ports, ['8080:80/tcp@loadbalancer', '9090:90/tcp@agent:0'])
    await refused(['cluster', 'edit', 'fromfile', '--port-add', '8080:81'], /host port 8080\/tcp is mapped twice/)
    assert.equal((await env.k3sim(['cluster', 'delete', 'fromfile'])).code, 0)
  })

  it('two racing creates of one name make one cluster; the other is told it exists', async () => {
    const [a, b] = await Promise.all([env.k3sim(['cluster', 'create', 'race', '--kubeconfig-update-default=false']), env.k3sim(['cluster', 'create', 'race', '--kubeconfig-update-default=false'])])
    assert.deepEqual([a.code, b.code].sort(), [0, 1], a.stderr + b.stderr)
    assert.match((a.code === 1 ? a : b).stderr, /Failed to create cluster 'race' because a cluster with that name already exists/)
    assert.equal(env.serverPids().length, 2) // taken and race
    assert.equal(existsSync(join(env.k3simHome, 'clusters', '.race.lock')), false)
    assert.equal((await env.k3sim(['cluster', 'delete', 'race'])).code, 0)
  })

  it('every command has --help with examples (the commands as shell completion lists them)', async () => {
    const completion = await env.k3sim(['completion', 'bash'])
    assert.match(completion.stdout, /"cluster create"\) words="[^"]*--agents/)
    const commands = [...completion.stdout.matchAll(/^ {4}"([^"]*)"\) words=/gm)].map(m => m[1].split(' '))
    assert.ok(commands.length > 20, completion.stdout)
    await Promise.all(commands.map(async args => {
      const r = await env.k3sim([...args.filter(a => a !== ''), '--help'])
      assert.equal(r.code, 0, args.join(' '))
      assert.match(r.stdout, /Examples:\n {2}\$ k3sim /, `k3sim ${args.join(' ')} --help`)
    }))
    assert.match((await env.k3sim(['version'])).stdout, /^k3sim version v\d+\.\d+\.\d+\nk3s version v1\.32\.\d+\+k3s1 \(emulated\)\n$/)
  })
})
