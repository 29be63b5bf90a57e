// RBAC's rule arithmetic, as pkg/registry/rbac/validation and rbacv1helpers do it: breaking rules
// down, whether one set covers another, compacting what is missing and printing it.
import assert from 'node:assert/strict'
import { breakdownRule, compactRules, compactString, covers } from '../../../src/apiserver/rbac/escalation.ts'
import { nonResourceURLMatches, resourceMatches, ruleAllows } from '../../../src/apiserver/rbac/rules.ts'
import type { PolicyRule } from '../../../src/apiserver/rbac/rules.ts'

const user = { name: 'u', groups: [] }
const res = (verb: string, group: string, resource: string, subresource = '', name = '', namespace = 'ns') => ({ user, verb, resource: { group, resource, subresource, namespace, name } })

describe('RBAC rules', () => {
  const cases: Array<[string, PolicyRule, ReturnType<typeof res> | { user: typeof user, verb: string, path: string }, boolean]> = [
    ['a rule for pods allows listing pods', { verbs: ['list'], apiGroups: [''], resources: ['pods'] }, res('list', '', 'pods'), true],
    ['a rule for pods does not allow pods/log', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', '', 'pods', 'log'), false],
    ['"pods/log" allows the log subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', '', 'pods', 'log'), true],
    ['"*/scale" allows any resource\'s scale', { verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, res('update', 'apps', 'deployments', 'scale'), true],
    ['"*/scale" does not allow the resource itself', { verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, res('update', 'apps', 'deployments'), false],
    ['the group must match', { verbs: ['get'], apiGroups: [''], resources: ['deployments'] }, res('get', 'apps', 'deployments'), false],
    ['"*" verbs, groups and resources allow anything', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, res('deletecollection', 'batch', 'jobs', 'status'), true],
    ['resourceNames allow only those names', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', '', 'configmaps', '', 'b'), false],
    ['resourceNames do not allow a list (no name)', { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('list', '', 'configmaps'), false],
    ['resourceNames allow the named object', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', '', 'configmaps', '', 'a'), true],
    ['a rule without apiGroups allows no resource', { verbs: ['get'], resources: ['pods'] }, res('get', '', 'pods'), false],
    ['a trailing * in a URL rule is a prefix', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, { user, verb: 'get', path: '/apis/apps/v1' }, true],
    ['a URL rule does not allow another verb', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, { user, verb: 'post', path: '/healthz' }, false],
    ['a resource rule allows no path', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { user, verb: 'get', path: '/version' }, false],
  ]
  for (const [name, rule, attributes, want] of cases) it(name, () => assert.equal(ruleAllows(attributes, rule), want))

  it('matches resources and URLs as rbacv1helpers does', () => {
    assert.equal(resourceMatches({ verbs: [], resources: ['*'] }, 'pods/exec', 'exec'), true)
    assert.equal(resourceMatches({ verbs: [], resources: ['*/exec'] }, 'pods', ''), false)
    assert.equal(nonResourceURLMatches({ verbs: [], nonResourceURLs: ['/version/'] }, '/version'), false)
    assert.equal(nonResourceURLMatches({ verbs: [], nonResourceURLs: ['*'] }, '/anything'), true)
  })
})

describe('RBAC escalation arithmetic', () => {
  it('breaks a rule down into one verb on one group/resource/name', () => {
    assert.deepEqual(breakdownRule({ verbs: ['get', 'list'], apiGroups: ['', 'apps'], resources: ['pods'], resourceNames: ['a'] }), [
      { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'], resourceNames: ['a'] },
      { apiGroups: ['apps'], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
      { apiGroups: ['apps'], resources: ['pods'], verbs: ['list'], resourceNames: ['a'] },
    ])
    assert.deepEqual(breakdownRule({ verbs: ['get'], nonResourceURLs: ['/a', '/b'] }), [{ nonResourceURLs: ['/a'], verbs: ['get'] }, { nonResourceURLs: ['/b'], verbs: ['get'] }])
  })

  const owner: PolicyRule[] = [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/status'] },
    { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] },
    { verbs: ['get'], nonResourceURLs: ['/metrics*'] },
  ]
  const cases: Array<[string, PolicyRule, number]> = [
    ['held verbs on a held resource are covered', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, 0],
    ['a verb not held is missing', { verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }, 1],
    ['"*/status" covers any status subresource', { verbs: ['list'], apiGroups: [''], resources: ['services/status'] }, 0],
    ['a named grant does not cover every name', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }, 1],
    ['a named grant covers that name', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] }, 0],
    ['a URL prefix covers longer URLs', { verbs: ['get'], nonResourceURLs: ['/metrics/cadvisor'] }, 0],
    ['"*" verbs are not covered by a list of verbs', { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, 1],
  ]
  for (const [name, rule, missing] of cases) it(name, () => assert.equal(covers(owner, [rule]).length, missing))

  it('compacts missing rules per group/resource and prints them as CompactString does', () => {
    const missing = covers([], [{ verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments', 'replicasets'] }, { verbs: ['get'], nonResourceURLs: ['/x'] }])
    const lines = compactRules(missing).map(compactString).sort()
    assert.deepEqual(lines, [
      '{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}',
      '{APIGroups:["apps"], Resources:["replicasets"], Verbs:["get" "list"]}',
      '{NonResourceURLs:["/x"], Verbs:["get"]}',
    ])
    assert.equal(compactString({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }), '{APIGroups:[""], Resources:["secrets"], ResourceNames:["a"], Verbs:["get"]}')
  })
})
