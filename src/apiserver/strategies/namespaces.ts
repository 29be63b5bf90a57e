// Namespaces: the `kubernetes` finalizer, phase Active, and the immutable
// kubernetes.io/metadata.name label the apiserver adds.
import { def, type Strategy } from './strategy.ts'

type Json = Record<string, any>

export const namespaceStrategy: Strategy = {
  generation: false,
  status: true,
  nameIsLabel: true,
  defaults (obj) {
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name! }
    const spec = (obj.spec ??= {}) as Json
    def(spec, 'finalizers', ['kubernetes'])
  },
  prepareForCreate (obj) {
    obj.status = { phase: 'Active' }
  },
}
