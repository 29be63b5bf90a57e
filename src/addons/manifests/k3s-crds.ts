// The CustomResourceDefinition k3s's deploy controller tracks manifests with
// (addons.k3s.cattle.io: one Addon per file of server/manifests, in kube-system).
import type { KubeObject } from '../../api/object.ts'
import { crd } from './helm-crds.ts'

const str = { type: 'string' }

export function k3sCrds (): KubeObject[] {
  return [
    crd('addons', 'Addon', { source: str, checksum: str }, {
      group: 'k3s.cattle.io',
      columns: [
        { name: 'Source', type: 'string', jsonPath: '.spec.source' },
        { name: 'Checksum', type: 'string', jsonPath: '.spec.checksum' },
      ],
    }),
  ]
}
