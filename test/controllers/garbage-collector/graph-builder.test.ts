import assert from 'node:assert/strict'
import type { KubeObject } from '../../../src/api/object.ts'
import { OwnerGraph } from '../../../src/controllers/garbage-collector/graph.ts'
import { GraphBuilder } from '../../../src/controllers/garbage-collector/graph-builder.ts'
import { parseItemKey } from '../../../src/controllers/garbage-collector/items.ts'
import type { InformerEvent } from '../../../src/controllers/types.ts'
import { ownerRef } from '../support.ts'

const cm = (name: string, meta: Partial<KubeObject['metadata']> = {}, namespace = 'default'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, uid: `uid-${name}`, resourceVersion: '1', ...meta } })
const deleting = (obj: KubeObject, finalizer: string): KubeObject =>
  ({ ...obj, metadata: { ...obj.metadata, resourceVersion: '2', deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: [finalizer] } })

const owner = cm('owner')
const blocking = cm('dep', { ownerReferences: [ownerRef(owner, { block: true })] })
const loose = cm('loose', { ownerReferences: [ownerRef(owner)] })
const elsewhere = cm('elsewhere', { ownerReferences: [ownerRef(owner, { block: true })] }, 'other')

/** Keys as "action name" for readable expectations. */
const names = (keys: string[]): string[] => keys.map(k => { const { action, identity } = parseItemKey(k); return `${action} ${identity.name}` }).sort()

interface Case { name: string, before: InformerEvent[], event: InformerEvent, keys: string[] }

const cases: Case[] = [
  { name: 'a dependent whose owner is not in the graph is queued to verify its owners', before: [], event: { type: 'add', obj: blocking }, keys: ['delete dep'] },
  { name: 'a dependent whose owner is in the graph queues nothing', before: [{ type: 'add', obj: owner }], event: { type: 'add', obj: blocking }, keys: [] },
  { name: 'a dependent naming an owner seen in another namespace is queued (that owner is not its owner)', before: [{ type: 'add', obj: owner }], event: { type: 'add', obj: elsewhere }, keys: ['delete elsewhere'] },
  { name: 'an owner\'s deletion queues each of its dependents', before: [{ type: 'add', obj: owner }, { type: 'add', obj: blocking }, { type: 'add', obj: loose }], event: { type: 'delete', obj: owner }, keys: ['delete dep', 'delete loose'] },
  { name: 'an owner starting foreground deletion queues its dependents and itself', before: [{ type: 'add', obj: owner }, { type: 'add', obj: blocking }, { type: 'add', obj: elsewhere }], event: { type: 'update', obj: deleting(owner, 'foregroundDeletion'), old: owner }, keys: ['delete dep', 'delete owner'] },
  { name: 'an owner starting orphan deletion is queued for orphaning', before: [{ type: 'add', obj: owner }, { type: 'add', obj: blocking }], event: { type: 'update', obj: deleting(owner, 'orphan'), old: owner }, keys: ['orphan owner'] },
  { name: 'an owner already orphaning is not queued again by a later update', before: [{ type: 'add', obj: owner }, { type: 'update', obj: deleting(owner, 'orphan'), old: owner }], event: { type: 'update', obj: { ...deleting(owner, 'orphan'), metadata: { ...deleting(owner, 'orphan').metadata, resourceVersion: '3' } }, old: deleting(owner, 'orphan') }, keys: [] },
  { name: 'a blocking dependent going away queues its foreground-deleting owner', before: [{ type: 'add', obj: owner }, { type: 'add', obj: blocking }, { type: 'update', obj: deleting(owner, 'foregroundDeletion'), old: owner }], event: { type: 'delete', obj: blocking }, keys: ['delete owner'] },
  { name: 'a dependent dropping blockOwnerDeletion queues its foreground-deleting owner', before: [{ type: 'add', obj: owner }, { type: 'add', obj: blocking }, { type: 'update', obj: deleting(owner, 'foregroundDeletion'), old: owner }], event: { type: 'update', obj: { ...blocking, metadata: { ...blocking.metadata, ownerReferences: [ownerRef(owner, { block: false })] } }, old: blocking }, keys: ['delete owner'] },
]

describe('controllers/garbage-collector/graph-builder', () => {
  for (const c of cases) {
    it(c.name, () => {
      const builder = new GraphBuilder(new OwnerGraph())
      for (const e of c.before) builder.process(e)
      assert.deepEqual(names(builder.process(c.event)), c.keys)
    })
  }

  it('forgets deleted objects and virtual owners nobody references any more', () => {
    const graph = new OwnerGraph()
    const builder = new GraphBuilder(graph)
    builder.process({ type: 'add', obj: blocking }) // owner virtual
    assert.equal(graph.size, 2)
    builder.process({ type: 'delete', obj: blocking })
    assert.equal(graph.size, 0)
  })

  it('counts only same-namespace dependents of a namespaced owner as blocking', () => {
    const graph = new OwnerGraph()
    const builder = new GraphBuilder(graph)
    for (const obj of [owner, blocking, loose, elsewhere]) builder.process({ type: 'add', obj })
    assert.deepEqual(graph.blockingDependentsOf(graph.get('uid-owner')!).map(n => n.identity!.name), ['dep'])
  })
})
