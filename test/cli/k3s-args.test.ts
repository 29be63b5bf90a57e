// `cluster create --k3s-arg ARG@NODEFILTER` and `--k3s-node-label KEY[=VALUE]@NODEFILTER`
// translated to what k3sim does (add-ons not deployed, labels on named nodes), and everything it
// cannot honour refused with what to write instead. Also the config file's options.k3s lists.
import assert from 'node:assert/strict'
import { parseConfig } from '../../src/cli/config-file.ts'
import { translateK3sArgs, type K3sArgEffects } from '../../src/cli/k3s-args.ts'
import { CliError } from '../../src/cli/output.ts'

const shape = { servers: 2, agents: 3 }
const translate = (k3sArgs: string[], nodeLabels: string[] = []): K3sArgEffects => translateK3sArgs({ cluster: 'c', shape, k3sArgs, nodeLabels })

describe('k3s args of cluster create', () => {
  const taken: Array<[string, string[], string[], K3sArgEffects]> = [
    ['--disable=NAME on a server disables the add-on cluster-wide', ['--disable=traefik@server:0'], [], { disable: ['traefik'], nodeLabels: {} }],
    ['--disable NAME,NAME (space, list) on every server', ['--disable traefik,servicelb@server:*'], [], { disable: ['traefik', 'servicelb'], nodeLabels: {} }],
    ['a single dash, as k3s\'s flag parser takes it, and repeats once each', ['-disable=traefik@servers', '--disable=traefik@server:1'], [], { disable: ['traefik'], nodeLabels: {} }],
    ['--node-label on a list and a range of agents', ['--node-label=role=worker@agent:0,2', '--node-label tier=b@agent:1-2'], [], { disable: [], nodeLabels: { 'k3sim-c-agent-0': { role: 'worker' }, 'k3sim-c-agent-2': { role: 'worker', tier: 'b' }, 'k3sim-c-agent-1': { tier: 'b' } } }],
    ['--node-label on all (the load balancer is no node) and two filters', ['--node-label=zone=a@all', '--node-label=x=1@server:1;agent:0'], [], { disable: [], nodeLabels: { 'k3sim-c-server-0': { zone: 'a' }, 'k3sim-c-server-1': { zone: 'a', x: '1' }, 'k3sim-c-agent-0': { zone: 'a', x: '1' }, 'k3sim-c-agent-1': { zone: 'a' }, 'k3sim-c-agent-2': { zone: 'a' } } }],
    ['--k3s-node-label KEY=VALUE and KEY alone (an empty value, as k3d)', [], ['role=worker@agent:*', 'gpu@agent:1', 'node.kubernetes.io/pool=a@server:0'], { disable: [], nodeLabels: { 'k3sim-c-agent-0': { role: 'worker' }, 'k3sim-c-agent-1': { role: 'worker', gpu: '' }, 'k3sim-c-agent-2': { role: 'worker' }, 'k3sim-c-server-0': { 'node.kubernetes.io/pool': 'a' } } }],
  ]
  for (const [what, args, labels, want] of taken) {
    it(`takes ${what}`, () => { assert.deepEqual(translate(args, labels), want) })
  }

  const refused: Array<[string, string[], string[], RegExp]> = [
    ['an arg without a node filter (k3d: a cluster always has more than one node)', ['--disable=traefik'], [], /^K3sExtraArg '--disable=traefik' lacks a node filter, but there's more than one node; add one, e.g. --k3s-arg '--disable=traefik@server:\*'$/],
    ['a label without a node filter', [], ['role=worker'], /^k3s node label mapping 'role=worker' lacks a node filter, but there's more than one node; add one/],
    ['a k3s arg k3sim has no equivalent for, naming it and the ones it takes', ['--tls-san=my.host@server:*'], [], /^--k3s-arg "--tls-san=my\.host@server:\*": k3sim cannot honour the k3s arg --tls-san: .* takes only --disable=NAME\[,NAME\.\.\.\] \(coredns, .*\) and --node-label=KEY\[=VALUE\]/],
    ['a server flag for agents (k3s agents refuse --disable)', ['--disable=traefik@agent:0'], [], /--disable is a k3s server flag \(k3s agents refuse it\), but "agent:0" selects agents; select servers only, e.g. @server:\*/],
    ['a server flag for all nodes', ['--disable=traefik@all'], [], /"all" selects agents and the load balancer; select servers only/],
    ['an unknown add-on', ['--disable=traefic@server:0'], [], /^--k3s-arg "--disable=traefic@server:0": unknown --disable name "traefic"; known: coredns, /],
    ['--disable without a value', ['--disable@server:0'], [], /--disable needs a value, e.g. --disable=traefik/],
    ['a label for the load balancer alone', ['--node-label=a=b@loadbalancer'], [], /"loadbalancer" selects no Kubernetes node \(the load balancer is not one\); select servers or agents/],
    ['a label the kubelet refuses (kubernetes.io namespace)', [], ['node-role.kubernetes.io/worker=true@agent:*'], /unknown 'kubernetes\.io' or 'k8s\.io' labels specified with --node-labels: \[node-role\.kubernetes\.io\/worker\] .* must begin with an allowed prefix \(kubelet\.kubernetes\.io, node\.kubernetes\.io\)/],
    ['a label value that is not one', [], ['role=a b@agent:0'], /^invalid node label "role=a b" \(--k3s-node-label "role=a b@agent:0"\): value: a valid label must be an empty string/],
    ['a filter past the agents', ['--node-label=a=b@agent:3'], [], /invalid node filter "agent:3": the cluster has 3 agents, so no agent 3/],
    ['a huge range, refused before it is spelled out', ['--node-label=a=b@agent:1-300000000'], [], /invalid node filter "agent:1-300000000": the cluster has 3 agents, so no agent 3/],
    ['a port suffix on a filter', ['--node-label=a=b@agent:0:direct'], [], /the suffix ":direct" is for port mappings only; leave it out/],
    ['two node-filter parts', ['--disable=traefik@server:0@agent:0'], [], /only one unescaped '@' allowed for node filter\(s\)/],
    ['an @ with no filter after it', [], ['a=b@'], /it has an '@' but no node filter after it/],
  ]
  for (const [what, args, labels, message] of refused) {
    it(`refuses ${what}`, () => {
      assert.throws(() => translate(args, labels), (err: Error) => err instanceof CliError && message.test(err.message) ? true : assert.fail(err.message))
    })
  }

  it('reads k3d\'s options.k3s lists from the config file as the flags', () => {
    const config = parseConfig([
      'apiVersion: k3sim.io/v1alpha1', 'kind: Simple', 'options:', '  k3s:',
      '    extraArgs: [{arg: --disable=traefik, nodeFilters: [server:0]}, {arg: "--node-label=mail=a@b", nodeFilters: [agent:0]}]',
      '    nodeLabels: [{label: role=worker, nodeFilters: [agent:1, agent:2]}]',
    ].join('\n'), 'k3sim.yaml')
    assert.deepEqual([config.k3sArgs, config.k3sNodeLabels], [['--disable=traefik@server:0', '--node-label=mail=a\\@b@agent:0'], ['role=worker@agent:1;agent:2']])
    assert.throws(() => translate(config.k3sArgs!, config.k3sNodeLabels), /invalid node label "mail=a@b"/) // the '@' is the value's, not a filter
    assert.deepEqual(translate(config.k3sArgs!.slice(0, 1), config.k3sNodeLabels).nodeLabels, { 'k3sim-c-agent-1': { role: 'worker' }, 'k3sim-c-agent-2': { role: 'worker' } })
  })
})
