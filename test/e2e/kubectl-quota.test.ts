// LimitRanges and ResourceQuotas with the real kubectl, as a CKA walkthrough uses them: a
// LimitRange gives containers default requests, a quota counts them, a Deployment that would
// exceed it stops with FailedCreate, and what LimitRanger and quota refuse reads as upstream's.
import assert from 'node:assert/strict'
import type { Cluster } from '../../src/index.ts'
import { ADDON_NAMES } from '../../src/addons/manifests/index.ts'
import { startKubectlCluster, type KubectlCluster } from '../support/kubectl.ts'

const LIMIT_RANGE = `apiVersion: v1
kind: LimitRange
metadata:
  name: cpu-defaults
spec:
  limits:
  - type: Container
    default:
      cpu: 500m
    defaultRequest:
      cpu: 250m
    max:
      cpu: "1"
`

describe('kubectl against k3sim: LimitRanges and ResourceQuotas', function () {
  let k: KubectlCluster
  let cluster: Cluster
  before(async () => {
    k = await startKubectlCluster({ disable: [...ADDON_NAMES], node: { cpu: '4', memory: '8Gi' }, seed: 12 })
    cluster = k.cluster
  })
  after(async () => { await k.stop() })

  const run = (args: string[], input?: string) => k.run(args, input)
  const ok = (args: string[], input?: string) => k.ok(args, input)

  it('creates a LimitRange and a quota, and describes them as kubectl does', async () => {
    assert.equal(await ok(['apply', '-f', '-'], LIMIT_RANGE), 'limitrange/cpu-defaults created\n')
    assert.equal(await ok(['create', 'quota', 'compute', '--hard=requests.cpu=1,pods=10']), 'resourcequota/compute created\n')
    await cluster.settle()
    const limits = await ok(['describe', 'limitrange', 'cpu-defaults'])
    assert.match(limits, /^Container\s+cpu\s+-\s+1\s+250m\s+500m\s+-$/m)
    const quota = await ok(['describe', 'quota', 'compute'])
    assert.match(quota, /^pods\s+0\s+10$/m)
    assert.match(quota, /^requests\.cpu\s+0\s+1$/m)
    assert.match(await ok(['get', 'quota']), /^compute\s+pods: 0\/10, requests\.cpu: 0\/1\s+\d+s$/m)
  })

  it('gives a pod without requests the defaults, and refuses one over the maximum', async () => {
    await ok(['run', 'plain', '--image=nginx'])
    assert.equal(await ok(['get', 'pod', 'plain', '-o', 'jsonpath={.spec.containers[0].resources}']), '{"limits":{"cpu":"500m"},"requests":{"cpu":"250m"}}')
    assert.equal(await ok(['get', 'pod', 'plain', '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}']), 'LimitRanger plugin set: cpu request for container plain; cpu limit for container plain')
    const big = await run(['run', 'big', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"big","image":"nginx","resources":{"limits":{"cpu":"2"}}}]}}'])
    assert.equal(big.code, 1)
    assert.equal(big.stderr.trim(), 'Error from server (Forbidden): pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2')
  })

  it('stops a Deployment at the quota with FailedCreate, shown by describe', async () => {
    await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=5'])
    await cluster.settle()
    // plain (250m) + three of web (750m) use the whole 1 CPU.
    assert.equal((await ok(['get', 'pods', '-l', 'app=web', '-o', 'name'])).trim().split('\n').length, 3)
    assert.match(await ok(['describe', 'quota', 'compute']), /^requests\.cpu\s+1\s+1$/m)
    const events = await ok(['get', 'events', '--field-selector', 'reason=FailedCreate', '-o', 'jsonpath={.items[0].message}'])
    assert.match(events, /^Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: compute, requested: requests\.cpu=250m, used: requests\.cpu=1, limited: requests\.cpu=1$/)
    assert.match(await ok(['describe', 'deployment', 'web']), /^\s+ReplicaFailure\s+True\s+FailedCreate$/m)
    const more = await run(['run', 'extra', '--image=nginx'])
    assert.equal(more.stderr.trim(), 'Error from server (Forbidden): pods "extra" is forbidden: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=1, limited: requests.cpu=1')
  })

  it('refuses a quota with a bad resource name or a negative amount, as validation does', async () => {
    const bad = await run(['create', 'quota', 'bad', '--hard=pods=-1'])
    assert.equal(bad.stderr.trim(), 'error: failed to create quota: ResourceQuota "bad" is invalid: spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0')
    const name = await run(['create', 'quota', 'bad', '--hard=widgets=1'])
    assert.equal(name.stderr.trim(), 'error: failed to create quota: ResourceQuota "bad" is invalid: [spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified, spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota]')
  })
})
