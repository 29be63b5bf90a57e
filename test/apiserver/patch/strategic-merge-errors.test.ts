import assert from 'node:assert/strict'
import { applyStrategicMergePatch, type Json, PatchError } from '../../../src/apiserver/patch/index.ts'

const c = (name: string): Json => ({ name, image: `${name}:1` })
const deploy = (containers: Json[]): Json => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, template: { spec: { containers } } },
})

const errors: Array<{ spec: string, kind: string, original: Json, patch: Json, message: string, code: number }> = [
  {
    spec: 'a merged list item without its merge key is refused',
    kind: 'Pod', original: { spec: { containers: [c('a')] } }, patch: { spec: { containers: [{ image: 'x' }] } },
    message: 'map: map[image:x] does not contain declared merge key: name', code: 500,
  },
  {
    spec: '$patch: merge in a map is an unknown patch type',
    kind: 'Pod', original: { spec: {} }, patch: { spec: { $patch: 'merge' } },
    message: 'unknown patch type: merge in map: map[$patch:merge]', code: 500,
  },
  {
    spec: '$patch: merge in a list is not supported yet',
    kind: 'Pod', original: { spec: { containers: [c('a')] } }, patch: { spec: { containers: [{ $patch: 'merge', name: 'a' }] } },
    message: 'merging lists cannot yet be specified in the patch', code: 500,
  },
  {
    spec: 'lists of lists are refused with a 422',
    kind: 'Pod', original: { metadata: { finalizers: [['a']] } }, patch: { metadata: { finalizers: [['b']] } },
    message: 'lists of lists are not supported', code: 422,
  },
  {
    spec: '$retainKeys must list every key the patch sets',
    kind: 'Deployment', original: deploy([c('a')]), patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } },
    message: 'invalid patch format of retainKeys', code: 400,
  },
  {
    spec: 'a malformed $setElementOrder key is a bad request',
    kind: 'Pod', original: { spec: {} }, patch: { spec: { $setElementOrderContainers: [] } },
    message: 'invalid patch format of setElementOrder list', code: 400,
  },
  {
    spec: 'a malformed $deleteFromPrimitiveList key is a bad request',
    kind: 'Pod', original: { metadata: {} }, patch: { metadata: { $deleteFromPrimitiveListFinalizers: ['a'] } },
    message: 'invalid patch format of primitive list', code: 400,
  },
  {
    spec: 'a patch list item missing from $setElementOrder is refused',
    kind: 'Pod', original: { spec: { containers: [c('a')] } }, patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [c('z')] } },
    message: 'the order in patch list:\n[map[image:z:1 name:z]]\n doesn\'t match $setElementOrder list:\n[map[name:a]]', code: 500,
  },
  {
    spec: 'a patch that is not an object is a bad request',
    kind: 'Pod', original: { spec: {} }, patch: [1],
    message: 'json: cannot unmarshal array into Go value of type map[string]interface {}', code: 400,
  },
]

describe('applyStrategicMergePatch errors (message and HTTP code as kube-apiserver reports them)', () => {
  for (const { spec, kind, original, patch, message, code } of errors) {
    it(spec, () => assert.throws(() => applyStrategicMergePatch(original, patch, kind), (e: unknown) => {
      assert.ok(e instanceof PatchError)
      assert.equal(e.message, message)
      assert.equal(e.code, code)
      return true
    }))
  }
})
