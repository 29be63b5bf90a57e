// RBAC as kubectl sees it on k3s: the bootstrap roles, a service account token refused until a
// binding grants it, `auth can-i` (also with --as and --list), impersonation checks, and the
// escalation check on roles — each asserting what kubectl prints.
import assert from 'node:assert/strict'
import { startTestServer, type TestServer } from '../support/kubectl.ts'

const SA = 'system:serviceaccount:default:default'

describe('kubectl against k3sim: RBAC', function () {
  let s: TestServer
  let token: string
  before(async () => {
    s = await startTestServer()
    await s.cp.controllers.idle()
    token = (await ok(['create', 'token', 'default'])).trim()
  })
  after(async () => { await s.stop() })

  async function ok (args: string[]): Promise<string> {
    const r = await s.kubectl(args)
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }
  const asRobot = (args: string[]) => s.kubectl(['--token', token, ...args])

  it('has the bootstrap cluster roles and bindings, with admin/edit/view aggregated', async () => {
    const roles = await ok(['get', 'clusterroles', '-o', 'name'])
    for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:controller:replicaset-controller']) {
      assert.match(roles, new RegExp(`^clusterrole.rbac.authorization.k8s.io/${name}$`, 'm'))
    }
    const view = JSON.parse(await ok(['get', 'clusterrole', 'view', '-o', 'json', '--show-managed-fields']))
    assert.equal(view.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults')
    assert.equal(view.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], 'true')
    assert.ok(view.rules.some((r: { resources?: string[], verbs: string[] }) => r.resources?.includes('pods') && r.verbs.includes('list')), 'view aggregates system:aggregate-to-view')
    assert.ok(view.metadata.managedFields.some((m: { manager: string, operation: string }) => m.manager === 'clusterrole-aggregation-controller' && m.operation === 'Apply'))
    const bindings = await ok(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide'])
    assert.match(bindings, /^cluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters\s*$/m)
  })

  it('refuses a service account what no binding grants, and allows it once bound', async () => {
    const denied = await asRobot(['get', 'pods'])
    assert.equal(denied.code, 1)
    assert.equal(denied.stderr, `Error from server (Forbidden): pods is forbidden: User "${SA}" cannot list resource "pods" in API group "" in the namespace "default"\n`)
    const nodes = await asRobot(['get', 'nodes'])
    assert.equal(nodes.stderr, `Error from server (Forbidden): nodes is forbidden: User "${SA}" cannot list resource "nodes" in API group "" at the cluster scope\n`)
    const no = await s.kubectl(['auth', 'can-i', 'list', 'pods', `--as=${SA}`])
    assert.deepEqual([no.code, no.stdout], [1, 'no\n'])
    assert.equal(await ok(['create', 'rolebinding', 'default-view', '--clusterrole=view', '--serviceaccount=default:default']), 'rolebinding.rbac.authorization.k8s.io/default-view created\n')
    assert.equal((await asRobot(['get', 'pods'])).stderr, 'No resources found in default namespace.\n')
    assert.equal(await ok(['auth', 'can-i', 'list', 'pods', `--as=${SA}`]), 'yes\n')
    assert.equal((await s.kubectl(['auth', 'can-i', 'delete', 'pods', `--as=${SA}`])).stdout, 'no\n')
    const list = await ok(['auth', 'can-i', '--list', `--as=${SA}`])
    assert.match(list, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m)
    assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m)
    assert.match(list, /^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]$/m)
    assert.match((await asRobot(['auth', 'can-i', 'list', 'pods', '-n', 'kube-system'])).stdout, /^no$/m)
  })

  it('shows a token\'s account uid and credential id, as ServiceAccountInfo.UserInfo gives them', async () => {
    const uid = (await ok(['get', 'serviceaccount', 'default', '-o', 'jsonpath={.metadata.uid}']))
    const jti = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).jti
    const whoami = (await asRobot(['auth', 'whoami'])).stdout
    assert.match(whoami, new RegExp(`^UID\\s+${uid}$`, 'm'))
    assert.match(whoami, new RegExp(`^Extra: authentication.kubernetes.io/credential-id\\s+\\[JTI=${jti}\\]$`, 'm'))
    assert.match(await ok(['auth', 'whoami']), /^Groups\s+\[system:masters system:authenticated\]$/m)
  })

  it('checks impersonation: the admin may impersonate anyone, a service account no one', async () => {
    const whoami = await ok(['auth', 'whoami', '--as=bob', '--as-group=devs'])
    assert.match(whoami, /^Username\s+bob$/m)
    assert.match(whoami, /^Groups\s+\[devs system:authenticated\]$/m)
    const denied = await asRobot(['get', 'pods', '--as=admin'])
    assert.equal(denied.stderr, `Error from server (Forbidden): users "admin" is forbidden: User "${SA}" cannot impersonate resource "users" in API group "" at the cluster scope\n`)
  })

  it('refuses a role that grants more than its creator holds', async () => {
    await ok(['create', 'role', 'role-maker', '--verb=create', '--resource=roles.rbac.authorization.k8s.io'])
    await ok(['create', 'rolebinding', 'role-maker', '--role=role-maker', '--serviceaccount=default:default'])
    // view lets it read pods: a role that reads pods is no escalation; one that deletes them is.
    assert.equal((await asRobot(['create', 'role', 'reader', '--verb=get', '--resource=pods'])).stdout, 'role.rbac.authorization.k8s.io/reader created\n')
    const denied = await asRobot(['create', 'role', 'deleter', '--verb=delete', '--resource=pods'])
    assert.equal(denied.stderr, `Error from server (Forbidden): roles.rbac.authorization.k8s.io "deleter" is forbidden: user "${SA}" (groups=["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n`)
    assert.equal((await s.kubectl(['get', 'role', 'deleter'])).code, 1)
  })
})
