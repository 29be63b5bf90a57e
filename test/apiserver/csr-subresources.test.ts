// A CSR's /approval writes its conditions and nothing else (csrApprovalStrategy).
import assert from 'node:assert/strict'
import type { KubeObject } from '../../src/api/object.ts'
import { startCore } from '../support/api-core.ts'

type Json = Record<string, any>
const PEM = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIBADCBpgIBADAP\n-----END CERTIFICATE REQUEST-----\n').toString('base64')

describe('CertificateSigningRequest subresources', () => {
  it('/approval takes the conditions only: never the certificate, nor the spec', async () => {
    const { core, client } = await startCore()
    const created: KubeObject & Json = await client.create({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'jane' }, spec: { request: PEM, signerName: 'example.com/signer', usages: ['client auth'] } } as KubeObject) as KubeObject & Json
    const approved: KubeObject & Json = await client.update({
      ...created,
      spec: { ...created.spec, signerName: 'example.com/other' },
      status: { conditions: [{ type: 'Approved', status: 'True', reason: 'OK', message: 'yes' }], certificate: Buffer.from('not yet').toString('base64') },
    } as KubeObject, { subresource: 'approval' })
    assert.deepEqual(approved.status.conditions.map((c: Json) => c.type), ['Approved'])
    assert.equal(approved.status.certificate, undefined, 'the approval cannot issue')
    assert.equal(approved.spec.signerName, 'example.com/signer')
    const withoutConditions = await client.update({ ...approved, status: { certificate: Buffer.from('x').toString('base64') } } as KubeObject, { subresource: 'approval' })
      .then(() => 'written', (err: { code?: number }) => err.code)
    assert.equal(withoutConditions, 422, 'an approval cannot drop the Approved condition')
    core.stop()
  })
})
