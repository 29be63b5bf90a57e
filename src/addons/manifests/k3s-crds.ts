// The CustomResourceDefinitions k3s registers at start (pkg/crd): addons.k3s.cattle.io, the one
// Addon per file of server/manifests its deploy controller tracks (in kube-system), and the
// cluster-scoped etcdsnapshotfiles.k3s.cattle.io, the records of `k3s etcd-snapshot save` and of
// the scheduled snapshots (none here: k3sim has no etcd to snapshot; the kind is served, empty).
import type { KubeObject } from '../../api/object.ts'
import { bool, column, crd, intOrStr, obj, str } from './crd.ts'

export function k3sCrds (): KubeObject[] {
  const group = 'k3s.cattle.io'
  return [
    crd('addons', 'Addon', { source: str, checksum: str }, {
      group,
      columns: [column('Source', '.spec.source'), column('Checksum', '.spec.checksum')],
    }),
    crd('etcdsnapshotfiles', 'ETCDSnapshotFile', {
      snapshotName: str,
      nodeName: str,
      location: str,
      metadata: { type: 'object', additionalProperties: str },
      s3: obj({ endpoint: str, endpointCA: str, skipSSLVerify: bool, bucket: str, region: str, prefix: str, insecure: bool }),
    }, {
      group,
      scope: 'Cluster',
      status: { size: intOrStr, creationTime: { type: 'string', format: 'date-time' }, readyToUse: bool, error: obj({ time: str, message: str }) },
      statusSubresource: false,
      columns: [
        column('SnapshotName', '.spec.snapshotName'), column('Node', '.spec.nodeName'), column('Location', '.spec.location'),
        column('Size', '.status.size'), column('CreationTime', '.status.creationTime'),
      ],
    }),
  ]
}
